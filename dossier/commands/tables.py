"""Terminal tables for ``dossier list`` and ``dossier timeline``.

Formatting: a :class:`~dossier.load.CaseBundle` in, lines of text out (only
:func:`last_build_pages` reads files), wrapped to the width
asked for (80 columns by default). Colour is an ANSI bold on titles and header rows, only when the
caller asks for it (the CLI does so on a terminal without ``NO_COLOR``).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import DossierError
from ..load import CaseBundle
from ..load.sent import annex_numbers
from ..models import DateRange, PartialDate, Precision, Submission
from ..models.allegation import event_key
from ..write import output_folder

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
GAP = "  "


@dataclass(frozen=True)
class Column:
    header: str
    max_width: int | None = None
    """Upper bound of the column; None makes it the flexible column that takes what is left."""


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False) or [""]
        )
    return lines


def format_table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    width: int = 80,
    color: bool = False,
    notes: Sequence[str] | None = None,
) -> list[str]:
    """Rows as aligned text; cells wrap inside their column so no line exceeds ``width``.

    Flexible columns share what the others leave, the narrowest served first. ``notes`` (one per
    row, may be empty) are printed under their row, indented to the second column.
    """
    body = [list(row) for row in rows]
    natural = [
        max(
            [len(col.header), *(max(map(len, (row[i] or "").splitlines() or [""])) for row in body)]
        )
        for i, col in enumerate(columns)
    ]
    widths = [
        min(n, col.max_width) if col.max_width else n
        for n, col in zip(natural, columns, strict=True)
    ]
    flex = sorted(
        (i for i, col in enumerate(columns) if col.max_width is None), key=natural.__getitem__
    )
    available = width - len(GAP) * (len(columns) - 1)
    if sum(widths) > available and flex:
        left = available - sum(w for i, w in enumerate(widths) if i not in flex)
        for n, i in enumerate(flex):
            widths[i] = max(min(natural[i], left // (len(flex) - n)), 8)
            left -= widths[i]
    header = GAP.join(col.header.ljust(w) for col, w in zip(columns, widths, strict=True)).rstrip()
    out = [f"{BOLD}{header}{RESET}" if color else header]
    indent = " " * (widths[0] + len(GAP))
    for index, row in enumerate(body):
        cells = [_wrap(cell or "", w) for cell, w in zip(row, widths, strict=True)]
        for n in range(max(len(c) for c in cells)):
            parts = [
                (c[n] if n < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)
            ]
            out.append(GAP.join(parts).rstrip())
        if notes and notes[index]:
            out += [indent + line for line in _wrap(notes[index], width - len(indent))]
    return out


def _title(text: str, color: bool) -> str:
    return f"{BOLD}{text}{RESET}" if color else text


# ---- dates ------------------------------------------------------------------------------------


def show_date(when: PartialDate | DateRange | None, precision: Precision | None = None) -> str:
    """A date as precise as it is known.

    ``2023-12-06``, ``2020-06 (approx.)``, ``2020-02 – 2020-06``; ``undated`` for None.
    """
    if when is None:
        return "undated"
    text = f"{when.start} – {when.end}" if isinstance(when, DateRange) else str(when)
    if precision == Precision.APPROXIMATE:
        text += " (approx.)"
    return text


# ---- dossier list -----------------------------------------------------------------------------


def _heading(bundle: CaseBundle) -> str:
    if bundle.case is None:
        return f"{bundle.display_root} (case.yaml could not be read)"
    title = f" — {bundle.case.title}" if bundle.case.title else ""
    return f"Case No. {bundle.case.case_no} ({bundle.case.country}){title}"


def submission_annexes(bundle: CaseBundle, submission: Submission) -> list[str]:
    """Annex ids of a submission in number order (numbers of earlier sent submissions kept)."""
    try:
        numbers = annex_numbers(bundle, submission)
    except DossierError:  # e.g. an unknown allegation id: `dossier check` reports it
        return []
    return sorted(numbers, key=numbers.__getitem__)


def _addressee(bundle: CaseBundle, submission: Submission) -> str:
    addressee = submission.addressee
    party = bundle.party(addressee.party) if addressee.party else None
    name = addressee.name or (party.name if party else None)
    office = addressee.office
    if name and office:
        return f"{name}, {office}"
    return name or office or "—"


def list_lines(bundle: CaseBundle, width: int = 80, color: bool = False) -> list[str]:
    """``dossier list``: parties, allegations, annexes and submissions of the case."""
    out = [_title(_heading(bundle), color), ""]
    parties = (
        [("organisation", p) for p in bundle.parties.organisations]
        + [("person", p) for p in bundle.parties.persons]
        + [("group", p) for p in bundle.parties.groups]
    )
    out.append(_title(f"Parties ({len(parties)})", color))
    out += format_table(
        [Column("ID", 32), Column("KIND", 12), Column("NAME")],
        (
            (p.id, kind, p.name + (f" [confidential: {p.pseudonym}]" if p.confidential else ""))
            for kind, p in parties
        ),
        width,
        color,
    )
    allegations = sorted(bundle.allegations, key=event_key)
    out += ["", _title(f"Allegations ({len(allegations)})", color)]
    out += format_table(
        [Column("DATE", 17), Column("TITLE"), Column("CATEGORY", 16)],
        (
            (show_date(a.date, a.precision), a.title, a.category.value.replace("_", " "))
            for a in allegations
        ),
        width,
        color,
    )
    out += ["", _title(f"Annexes ({len(bundle.annexes)})", color)]
    out += format_table(
        [Column("ID", 32), Column("DATE", 10), Column("LANG", 5), Column("TITLE")],
        (
            (
                a.id,
                show_date(a.date),
                a.language,
                a.title
                + (" [confidential]" if a.confidential else "")
                + ("" if a.file else " [file to be supplied]"),
            )
            for a in bundle.annexes
        ),
        width,
        color,
    )
    out += ["", _title(f"Submissions ({len(bundle.submissions)})", color)]
    out += submission_table(bundle, width, color, brief=True)
    return out


def _submission_order(bundle: CaseBundle) -> list[Submission]:
    return sorted(
        bundle.submissions,
        key=lambda s: (s.date.isoformat() if s.date else "9", not s.sent, s.id),
    )


def submission_table(
    bundle: CaseBundle,
    width: int = 80,
    color: bool = False,
    brief: bool = False,
    pages: Mapping[str, int] | None = None,
) -> list[str]:
    """The submission register: date, kind, addressee, status, annexes (and last build's pages)."""
    subs = _submission_order(bundle)
    if brief:
        return format_table(
            [Column("DATE", 10), Column("ID"), Column("KIND", 22), Column("STATUS", 6)],
            (
                (
                    s.date.isoformat() if s.date else "undated",
                    s.id,
                    s.kind.value.replace("_", " "),
                    "sent" if s.sent else "draft",
                )
                for s in subs
            ),
            width,
            color,
        )
    return format_table(
        [
            Column("DATE", 10),
            Column("ID"),
            Column("KIND", 14),
            Column("STATUS", 6),
            Column("ANNEXES", 7),
        ],
        (
            (
                s.date.isoformat() if s.date else "undated",
                s.id,
                s.kind.value.replace("_", " "),
                "sent" if s.sent else "draft",
                str(len(submission_annexes(bundle, s))),
            )
            for s in subs
        ),
        width,
        color,
        notes=[_register_note(bundle, s, pages or {}) for s in subs],
    )


def _register_note(bundle: CaseBundle, submission: Submission, pages: Mapping[str, int]) -> str:
    note = f"to: {_addressee(bundle, submission)}"
    if submission.id in pages:
        note += f"; last build: {pages[submission.id]} pages"
    return note


def last_build_pages(bundle: CaseBundle) -> dict[str, int]:
    """Submission id -> page count of its last build, from ``CASE/build/<id>/manifest.json``.

    Missing or unreadable manifests are skipped: the register is informative, never an error.
    """
    if bundle.case is None:
        return {}
    out: dict[str, int] = {}
    for sub in bundle.submissions:
        manifest = output_folder(bundle.root, sub.id) / "manifest.json"
        try:
            pages = json.loads(manifest.read_text(encoding="utf-8")).get("pages")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(pages, int) and not isinstance(pages, bool):
            out[sub.id] = pages
    return out


def register_lines(
    bundle: CaseBundle,
    width: int = 80,
    color: bool = False,
    pages: Mapping[str, int] | None = None,
) -> list[str]:
    """``dossier list --submissions``; ``pages`` from :func:`last_build_pages`."""
    subs = bundle.submissions
    sent = sum(s.sent for s in subs)
    out = [
        _title(_heading(bundle), color),
        "",
        _title(f"Submissions ({len(subs)}: {sent} sent, {len(subs) - sent} draft)", color),
    ]
    return out + submission_table(bundle, width, color, pages=pages)


# ---- dossier timeline -------------------------------------------------------------------------


def timeline_lines(bundle: CaseBundle, width: int = 80, color: bool = False) -> list[str]:
    """``dossier timeline``: every allegation in date order, with its sources and evidence."""
    allegations = sorted(bundle.allegations, key=event_key)
    out = [_title(_heading(bundle), color), "", _title(f"Chronology ({len(allegations)})", color)]
    rows, notes = [], []
    for a in allegations:
        rows.append((show_date(a.date, a.precision), a.title, a.category.value.replace("_", " ")))
        evidence = "; ".join(
            ev.annex + (f" p. {ev.pages}" if ev.pages else "") for ev in a.evidence
        )
        notes.append(f"source: {a.source}" + (f"\nevidence: {evidence}" if evidence else ""))
    out += format_table(
        [Column("DATE", 17), Column("EVENT"), Column("CATEGORY", 16)],
        rows,
        width,
        color,
        notes=notes,
    )
    return out
