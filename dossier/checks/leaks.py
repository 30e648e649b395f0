"""PRIV-02: a non-confidential annex whose content names a confidential party would leak.

Annexes are evidence and are printed as they are, in the public edition too; only annexes marked
``confidential`` are withheld. So a PDF annex whose text, outline, metadata or annotations name a
confidential party (any name or alias, matched as the public-edition leak scan matches, see
:mod:`dossier.public`) is an error here rather than a failed public build later.

Text annexes (``.txt``/``.md``) are read by PRIV-01 (``privacy.py``) for exact spellings; this
family adds the spellings only the leak scan's looser matching finds (a name broken over two
lines, extra spaces, an invisible character or a look-alike letter inside it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from pypdf import PdfReader

from ..errors import PDF_READ_ERRORS, Problem, problem
from ..intake.repairs import collect_repairs
from ..load import CaseBundle
from ..public import Matcher, Protected, protected_parties, scan_reader
from . import Context

FIX = "mark the annex confidential or supply a redacted version as a separate annex file"


def _exact(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _named_exactly(party: Protected, text: str) -> bool:
    """What PRIV-01 already reports: a name as written, whole word, ignoring case and accents."""
    folded = _exact(text)
    for name in party.names:
        if len(name) >= 3 and re.search(rf"(?<!\w){re.escape(_exact(name))}(?!\w)", folded):
            return True
    return False


def _pdf_places(reader: PdfReader, matcher: Matcher) -> dict[str, list[str]]:
    """Party id -> places in the PDF that name it."""
    try:
        with collect_repairs():
            hits, _failures = scan_reader(reader, matcher)
    except (*PDF_READ_ERRORS, OSError, NotImplementedError):
        return {}  # what cannot be read here is unreadable in the public edition's scan too
    places: dict[str, list[str]] = {}
    for hit in hits:
        places.setdefault(hit.party_id, []).append(hit.place)
    return places


def _text_places(text: str, parties: list[Protected], matcher: Matcher) -> dict[str, list[str]]:
    by_id = {p.party_id: p for p in parties}
    return {
        party_id: ["text"]
        for party_id in matcher.find(text)
        if not _named_exactly(by_id[party_id], text)
    }


def _places(text: list[str]) -> str:
    shown = ", ".join(text[:3])
    return shown + (f" and {len(text) - 3} more places" if len(text) > 3 else "")


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    parties = protected_parties(bundle)
    if not parties:
        return
    matcher = Matcher(parties)
    for source in ctx.sources:
        annex = source.annex
        if annex.confidential:
            continue
        if source.kind in ("pdf", "office", "email") and source.reader is not None:
            places = _pdf_places(source.reader, matcher)
        elif source.text is not None:
            places = _text_places(source.text, parties, matcher)
        else:
            continue
        for party_id, where in sorted(places.items()):
            yield problem(
                "PRIV-02",
                bundle.at("annex", annex.id, "file"),
                f"the annex is not confidential but names confidential party '{party_id}' "
                f"({_places(where)}); it would be printed in the public edition",
                FIX,
            )
