"""``dossier letters fill``: one filled, dated supporting letter per signatory, as PDF.

A model letter (seed 000, the undated BWI letter "I am writing on behalf of (your union) …") is a
Markdown-ish text with placeholders. Each row of a CSV of signatories fills it:

- ``(your X)``, ``[your X]``, ``<your X>`` and ``{{X}}`` take the row's column ``X`` (``union``,
  ``country``…; column names are matched case-insensitively, spaces as ``_``);
- a line marked ``(if applicable)`` (e.g. "cc: Embassy of your country in Kyrgyzstan (if
  applicable)") is kept, with "your country" filled, when the row has a ``country``, and dropped
  when it has none;
- the letter is dated (column ``date``, ISO ``2026-11-24``; default: the day it is filled) at the
  row's ``place``, and signed with ``signatory``, ``title`` and ``union``.

A letter that still holds any placeholder of ``dossier/data/placeholders.yaml`` afterwards is
refused (FORM-11), naming the CSV row; nothing is written unless every row fills cleanly. The
PDFs are typeset with reportlab in the shipped DejaVu fonts (Cyrillic included).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ..checks.thresholds import load_data
from ..errors import Place, Problem, RecordError, UsageError, problem
from ..write import BUILD_FOLDER, write_atomic
from .edit import slugify

SIGNATURE_COLUMNS = ("union", "signatory")
"""Columns every row needs: who the letter is from and who signs it."""

_YOUR = re.compile(
    r"\(\s*your ([^)]{1,40}?)\s*\)|\[\s*your ([^\]]{1,40}?)\s*\]|<\s*your ([^>]{1,40}?)\s*>"
    r"|\{\{\s*([^}]*?)\s*\}\}",
    re.IGNORECASE,
)
_IF_APPLICABLE = re.compile(r"\s*\(\s*if applicable\s*\)", re.IGNORECASE)
_YOUR_COUNTRY = re.compile(r"\byour country\b", re.IGNORECASE)


@dataclass(frozen=True)
class Signatory:
    """One CSV row: ``line`` is its line in the CSV (the header is line 1)."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    @property
    def label(self) -> str:
        union = self.get("union")
        return f"row {self.line - 1}" + (f" ({union})" if union else "")


@dataclass(frozen=True)
class FilledLetter:
    signatory: Signatory
    date: dt.date
    text: str
    """The filled letter (Markdown-ish), signature block included."""
    file: str
    """File name of its PDF."""


@dataclass
class LettersResult:
    written: list[Path] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)
    """Annex ids, with ``register=True``."""


def _column(name: str) -> str:
    return "_".join(name.strip().lower().split())


def read_signatories(path: Path) -> list[Signatory]:
    """The rows of a CSV of signatories (UTF-8, with a header row)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the signatories ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise UsageError(f"{path}: empty; the first row names the columns (union, signatory…)")
    header = [_column(cell) for cell in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        out.append(Signatory(number, {h: v for h, v in zip(header, row, strict=False) if h}))
    if not out:
        raise UsageError(f"{path}: no signatories below the header row")
    return out


def fill_text(template: str, row: Signatory) -> str:
    """The template with the row's values in place of its placeholders (see the module doc)."""
    lines = []
    for line in template.splitlines():
        if _IF_APPLICABLE.search(line):
            country = row.get("country")
            if not country:
                continue
            line = _YOUR_COUNTRY.sub(country, _IF_APPLICABLE.sub("", line))
        lines.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))

    def value(match: re.Match[str]) -> str:
        name = _column(next(g for g in match.groups() if g is not None))
        return row.get(name) or match.group()

    return _YOUR.sub(value, text)


def _date(row: Signatory, today: dt.date, csv_name: str) -> dt.date | Problem:
    raw = row.get("date")
    if not raw:
        return today
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return problem(
            "FORM-03",
            Place(csv_name, row.line, "date"),
            f"{row.label}: '{raw}' is not a date",
            "write it as 2026-11-24",
        )


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def fill_letters(
    template: str, rows: Sequence[Signatory], csv_name: str, today: dt.date | None = None
) -> list[FilledLetter]:
    """Fill the template once per row; raise RecordError (FORM-11…) naming every bad row."""
    today = today or dt.date.today()
    placeholders = load_data().placeholders
    problems: list[Problem] = []
    letters: list[FilledLetter] = []
    names: set[str] = set()
    for row in rows:
        when = _date(row, today, csv_name)
        if isinstance(when, Problem):
            problems.append(when)
            continue
        place = row.get("place")
        signature = [
            row.get("signatory") or "(your signatory)",
            row.get("title"),
            row.get("union") or "(your union)",
        ]
        text = (
            f"{place + ', ' if place else ''}{_long_date(when)}\n\n"
            + fill_text(template, row).strip()
            + "\n\nYours sincerely,\n\n"
            + "\n".join(line for line in signature if line)
            + "\n"
        )
        left = sorted(
            {m.group() for p in placeholders for m in p.regex.finditer(text)}, key=text.find
        )
        if left:
            missing = [
                _column(g)
                for found in left
                if (m := _YOUR.fullmatch(found))
                for g in m.groups()
                if g is not None
            ]
            fix = (
                "add the column(s) " + ", ".join(f"'{c}'" for c in dict.fromkeys(missing))
                + " to the CSV and fill them for this row"
                if missing
                else "fill it in the template or the CSV"
            )  # fmt: skip
            listed = ", ".join(f"'{found}'" for found in left)
            message = f"{row.label}: template placeholder(s) {listed} left in the letter"
            problems.append(problem("FORM-11", Place(csv_name, row.line, ""), message, fix))
            continue
        base = f"{when.isoformat()}-{slugify(row.get('union'), 'letter')}"
        name, n = f"{base}.pdf", 2
        while name in names:
            name, n = f"{base}-{n}.pdf", n + 1
        names.add(name)
        letters.append(FilledLetter(row, when, text, name))
    if problems:
        raise RecordError(
            f"{len(problems)} of {len(rows)} letter(s) cannot be filled; none written",
            problems,
        )
    return letters


# ---- PDF --------------------------------------------------------------------------------------


def _inline(text: str) -> str:
    """Markdown-ish inline text as reportlab paragraph markup."""
    text = re.sub(r"\[([^\]]*)\]\((?:[^)]*)\)", r"\1", text)  # links: their text
    text = escape(text)
    text = re.sub(r"&lt;sup&gt;(.*?)&lt;/sup&gt;", r"<super>\1</super>", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"(?<!\*)\*(?!\s)(.+?)(?<!\s)\*(?!\*)", r"<i>\1</i>", text)


def letter_pdf(letter: FilledLetter, title: str) -> bytes:
    """The letter typeset on A4 in DejaVu Serif: date right, paragraphs, signature block."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from ..render.fonts import SERIF, register_fonts

    register_fonts()
    body = ParagraphStyle("body", fontName=SERIF, fontSize=11, leading=15, spaceAfter=8)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)
    closing = ParagraphStyle("closing", parent=body, spaceAfter=0)
    head, _, rest = letter.text.partition("\n\n")
    letter_body, _, sign = rest.rpartition("\n\nYours sincerely,\n\n")
    story: list[object] = [Paragraph(_inline(head), right), Spacer(1, 6 * mm)]
    for paragraph in re.split(r"\n\s*\n", letter_body.strip()):
        story.append(Paragraph(_inline(" ".join(paragraph.split("\n"))), body))
    story += [Spacer(1, 4 * mm), Paragraph("Yours sincerely,", body), Spacer(1, 14 * mm)]
    story += [Paragraph(_inline(line), closing) for line in sign.strip().splitlines()]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=title,
        author=letter.signatory.get("union"),
        creator="dossier letters fill",
        invariant=True,
    )
    doc.build(story)
    return out.getvalue()


# ---- the command ------------------------------------------------------------------------------


def _template(case: Path, template: Path) -> Path:
    for candidate in (template, case / template, case / "annexes" / template):
        if candidate.is_file():
            return candidate
    raise UsageError(f"{template}: no such template (also looked in {case}/annexes/)")


def default_out(case: Path) -> Path:
    """``CASE/build/letters/``: outputs belong to the case, wherever the command runs."""
    return case / BUILD_FOLDER / "letters"


def fill(
    case: Path,
    template: Path,
    signatories: Path,
    out: Path | None = None,
    register: bool = False,
    today: dt.date | None = None,
) -> LettersResult:
    """Write one PDF per signatory in ``out``; with ``register`` also add each as an annex."""
    source = _template(case, template)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{source}: cannot read the template as UTF-8 text ({exc})") from None
    letters = fill_letters(text, read_signatories(signatories), str(signatories), today)
    target = out or default_out(case)
    result = LettersResult()
    for letter in letters:
        union = letter.signatory.get("union")
        path = target / letter.file
        write_atomic(path, letter_pdf(letter, f"Letter of {union}"))
        result.written.append(path)
    if register:
        from .annex_add import AnnexOptions, add_annexes

        for letter, path in zip(letters, result.written, strict=True):
            who = letter.signatory
            title = f"Letter of {who.get('union')}, signed by {who.get('signatory')}"
            options = AnnexOptions(
                title=title, date=letter.date.isoformat(), language="en", kind="letter"
            )
            added = add_annexes(case, [path], options)
            result.registered += [a.id for a in added.added]
    return result
