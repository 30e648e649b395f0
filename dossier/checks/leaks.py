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

import io
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..errors import AnnexError, Problem, Severity
from ..limits import check_file, check_pdf_header, check_pdf_limits, collect_repairs
from ..load import CaseBundle
from ..models import Annex
from ..public import Matcher, Protected, mark_verified, protected_parties, scan_reader
from . import Context
from .common import TEXT_SUFFIXES, annex_file

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


def _pdf_places(path: Path, annex: Annex, matcher: Matcher) -> dict[str, list[str]]:
    """Party id -> places in the PDF that name it; empty when the file cannot be read."""
    label = f"annex '{annex.id}'"
    try:
        data = path.read_bytes()
        check_file(len(data), label)
        check_pdf_header(data, label)
        with collect_repairs():
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                password = os.environ.get(annex.password_env) if annex.password_env else None
                if password is None or not reader.decrypt(password):
                    return {}  # the build needs the password too, and says so
            check_pdf_limits(reader, label, len(data))
            hits, failures = scan_reader(reader, matcher)
            if not hits and not failures:
                mark_verified(data, matcher.parties)
    except (
        AnnexError,
        OSError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        RecursionError,
        NotImplementedError,
    ):
        return {}  # unreadable: the annex checks and the build report it
    places: dict[str, list[str]] = {}
    for hit in hits:
        places.setdefault(hit.party_id, []).append(hit.place)
    return places


def _text_places(path: Path, parties: list[Protected], matcher: Matcher) -> dict[str, list[str]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
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
    for annex in bundle.annexes:
        if annex.confidential or annex.file is None:
            continue
        found = annex_file(bundle, annex)
        if found.path is None:
            continue
        suffix = found.path.suffix.lower()
        if suffix == ".pdf":
            places = _pdf_places(found.path, annex, matcher)
        elif suffix in TEXT_SUFFIXES:
            places = _text_places(found.path, parties, matcher)
        else:
            continue
        for party_id, where in sorted(places.items()):
            yield bundle.problem(
                "PRIV-02",
                Severity.ERROR,
                "annex",
                annex.id,
                ("file",),
                f"the annex is not confidential but names confidential party '{party_id}' "
                f"({_places(where)}); it would be printed in the public edition",
                FIX,
            )
