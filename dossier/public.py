"""The public edition: pseudonyms for confidential parties, and the leak scan of the finished PDF.

:func:`scan_pdf` searches a PDF for the names and aliases of confidential parties everywhere a
reader could find them: the extracted text of every page, outline titles, link and annotation
strings (titles, contents, URIs), the document information dictionary, XMP metadata, and every
decompressed content stream and form XObject (strings of the text operators, joined as shown, and
the raw bytes). :func:`assert_no_leaks` raises :class:`~dossier.errors.LeakError` naming every
place. The build calls :func:`check_public_output` before it writes ``dossier-public.pdf``: the
scan, then the public manifest (withheld annexes reduced to number and pages), itself scanned.
Pages of PDF annexes that PRIV-02 (``checks/leaks.py``) already scanned clean skip only the text
extraction (:func:`mark_verified`, :func:`verified_pages`).

The scan lives in ``public_scan.py``; the matching of names (:func:`fold`, :class:`Matcher`) and
:func:`pseudonymise` / :func:`redact_names`, which the render stage and the bookmarks use, live in
``public_match.py``; both are re-exported here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import LeakError
from .load import CaseBundle
from .public_match import (
    WITHHELD_NAME,
    Matcher,
    Protected,
    fold,
    matcher_for,
    protected_parties,
    pseudonym_of,
    pseudonymise,
    redact_names,
)
from .public_scan import Hit, scan_pdf, scan_reader

if TYPE_CHECKING:
    from .plan import Plan

__all__ = [
    "MAX_PLACES",
    "WITHHELD_NAME",
    "Hit",
    "Matcher",
    "Protected",
    "assert_no_leaks",
    "check_public_output",
    "check_public_volume",
    "fold",
    "is_verified",
    "mark_verified",
    "matcher_for",
    "protected_parties",
    "pseudonym_of",
    "pseudonymise",
    "public_manifest",
    "redact_names",
    "scan_pdf",
    "scan_reader",
    "verified_pages",
]

MAX_PLACES = 20
"""At most this many places are listed in a LeakError message."""


def assert_no_leaks(data: bytes, bundle: CaseBundle, skip_text: Collection[int] = ()) -> None:
    """Raise :class:`LeakError` (exit 3) naming every place where a confidential party appears."""
    parties = protected_parties(bundle)
    if not parties:
        return
    hits = scan_pdf(data, parties, skip_text)
    if not hits:
        return
    shown = [str(hit) for hit in hits[:MAX_PLACES]]
    more = f"; and {len(hits) - MAX_PLACES} more" if len(hits) > MAX_PLACES else ""
    raise LeakError(
        f"the public edition would expose confidential parties in {len(hits)} place(s): "
        + "; ".join(shown)
        + more
        + " — use the pseudonym in the records, or mark the annex confidential"
    )


# ---- the public edition's output ---------------------------------------------------------------


def public_manifest(manifest: dict[str, Any], withheld: set[str]) -> dict[str, Any]:
    """The manifest of the public edition: nothing about withheld annexes but number and pages.

    Withheld annexes lose id, title, file and hash; their files leave the input list; the
    warnings (which quote records) are only counted.
    """
    files = set()
    annexes = []
    for entry in manifest.get("annexes", []):
        if entry.get("id") in withheld:
            if entry.get("file"):
                files.add(f"annexes/{entry['file']}")
            keep = ("number", "divider_page", "first_page", "last_page", "pages")
            entry = {key: entry[key] for key in keep if key in entry} | {"withheld": True}
        annexes.append(entry)
    parts = []
    for part in manifest.get("parts", []):
        if str(part.get("key", "")).split(":", 1)[-1] in withheld:
            part = {k: v for k, v in part.items() if k != "key"} | {"withheld": True}
        parts.append(part)
    out = dict(manifest)
    out["annexes"] = annexes
    out["parts"] = parts
    out["inputs"] = [i for i in manifest.get("inputs", []) if i.get("file") not in files]
    out["warnings"] = len(manifest.get("warnings", []))
    return out


_VERIFIED: set[tuple[tuple[str, ...], str]] = set()
"""(names searched, sha256) of annex files scanned whole and found clean in this process."""


def _names_key(parties: Iterable[Protected]) -> tuple[str, ...]:
    return tuple(sorted(name for party in parties for name in party.names))


def mark_verified(data: bytes, parties: Iterable[Protected]) -> None:
    """Record that the annex file ``data`` names none of ``parties`` (PRIV-02 scanned it)."""
    _VERIFIED.add((_names_key(parties), hashlib.sha256(data).hexdigest()))


def is_verified(sha256: str, parties: Iterable[Protected]) -> bool:
    return (_names_key(parties), sha256) in _VERIFIED


def verified_pages(plan: Plan, sources: Any, parties: Iterable[Protected]) -> set[int]:
    """Dossier pages of PDF annexes that PRIV-02 scanned clean: their text need not be
    extracted again (their content streams are copied unchanged; see DESIGN.md §3)."""
    parties = list(parties)
    pages: set[int] = set()
    for planned in plan.annexes:
        source = None if planned.withheld else sources.get(planned.annex.id)
        if source is not None and source.kind == "pdf" and is_verified(source.sha256, parties):
            pages.update(range(planned.first_page, planned.last_page + 1))
    return pages


def check_public_output(
    data: bytes, manifest: dict[str, Any], bundle: CaseBundle, plan: Plan, sources: Any
) -> dict[str, Any]:
    """Scan the public PDF (:func:`assert_no_leaks`) and return its manifest, also scanned.

    ``sources`` are the opened annexes (``dossier.assemble.Sources``).
    """
    withheld = {a.annex.id for a in plan.annexes if a.withheld}
    assert_no_leaks(data, bundle, verified_pages(plan, sources, protected_parties(bundle)))
    public = public_manifest(manifest, withheld)
    found = Matcher(protected_parties(bundle)).find(json.dumps(public, ensure_ascii=False))
    if found:
        names = ", ".join(f"'{party_id}'" for party_id in sorted(found))
        raise LeakError(
            f"the public manifest would name confidential parties {names} (in an annex id, file"
            " name or record file name) — rename it so that it does not contain the name"
        )
    return public


def check_public_volume(
    data: bytes, bundle: CaseBundle, manifest: Mapping[str, Any], first_page: int, last_page: int
) -> None:
    """Scan one volume of the public edition (``--max-size``): a cover sheet, then dossier pages
    ``first_page``..``last_page``. Raises :class:`LeakError` like :func:`assert_no_leaks`.

    Pages of PDF annexes that PRIV-02 scanned clean skip text extraction, as in the whole
    edition's scan (their content streams are copied unchanged into the volume).
    """
    parties = protected_parties(bundle)
    skip: set[int] = set()
    for annex in manifest.get("annexes", []):
        sha = annex.get("sha256")
        if annex.get("source_kind") != "pdf" or not sha or not is_verified(sha, parties):
            continue
        for page in range(
            max(annex["first_page"], first_page), min(annex["last_page"], last_page) + 1
        ):
            skip.add(page - first_page + 2)  # page 1 of a volume is its cover sheet
    assert_no_leaks(data, bundle, skip)
