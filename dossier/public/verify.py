"""The final leak scan of the public edition: what a reader can see, read back from the file.

The public edition is safe by construction (annex pages are pixels with a text layer of our own,
our pages are typeset from pseudonymised records); this scan is the last check before anything
is written. :func:`scan_file` opens the PDF with pdfium, as a viewer would, and reads the text
of every page (the text layer: pdfium's words, including the OCR of scans written as invisible
text), the document information and the outline. :func:`scan_structure` reads every object of
the document as assembled (strings and names at any depth: link URIs, outline titles, metadata,
XMP) and refuses any hidden channel that the public edition must not have at all (attachments,
JavaScript, actions that run something, annotations other than links, a structure tree).
Any hit is a :class:`~dossier.errors.LeakError` (exit 3) naming the file and the place, never
the name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from ..errors import LeakError
from .match import NameMatcher
from .scan import Hit, Looker, scan_objects

REOPEN = 200
"""Pages read before the document is opened again (pdfium keeps every page's objects)."""
MAX_PLACES = 20
"""At most this many places are listed in a LeakError message."""

FORBIDDEN = {
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "embedded files",
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Launch": "a launch action",
    "/StructTreeRoot": "a structure tree",
    "/FileAttachment": "a file attachment",
    "/Popup": "a pop-up note",
    "/PieceInfo": "private application data",
    "/AA": "automatic actions",
    "/OpenAction": "an open action that runs something",
    "/AcroForm": "a form",
}
"""What the public edition never holds (our own pages and pixel pages have none of it)."""


def leak_error(file: str, hits: list[Hit], advice: str) -> LeakError:
    shown = "; ".join(str(hit) for hit in hits[:MAX_PLACES])
    more = f"; and {len(hits) - MAX_PLACES} more" if len(hits) > MAX_PLACES else ""
    head = f"{file}: " if file else ""
    return LeakError(
        f"{head}the public edition would expose confidential parties in {len(hits)} "
        f"place(s): {shown}{more} — {advice}"
    )


def _open(pdf: Path | bytes, file: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise LeakError(
            f"{file}: the public edition cannot be read back to check it ({exc})"
        ) from None


def scan_file(
    pdf: Path | bytes,
    matcher: NameMatcher,
    pseudonyms: dict[str, str],
    *,
    file: str,
    page_place: Callable[[int], str] = lambda n: f"page {n}",
) -> list[Hit]:
    """Hits in the text of every page, the document information and the outline of ``pdf``."""
    looker = Looker(matcher, pseudonyms)
    doc = _open(pdf, file)
    try:
        count = len(doc)
        for index in range(count):
            if index and index % REOPEN == 0:  # pdfium keeps what it parsed: memory bounded
                doc.close()
                doc = _open(pdf, file)
            page = doc[index]
            try:
                textpage = page.get_textpage()
                try:
                    looker.look(f"{page_place(index + 1)} text", textpage.get_text_range())
                finally:
                    textpage.close()
            finally:
                page.close()
        for key, value in doc.get_metadata_dict(skip_empty=True).items():
            looker.look(f"document information {key}", value)
        for number, item in enumerate(doc.get_toc(max_depth=64), start=1):
            looker.look(f"bookmark {number}", item.get_title())
    finally:
        doc.close()
    return looker.sorted()


def _forbidden(obj: Any) -> str | None:
    if not isinstance(obj, DictionaryObject):
        return None
    for key in list(obj.keys()):
        if key == "/OpenAction" and isinstance(obj[key], ArrayObject):
            continue  # a destination: the dossier opens at its first page
        if key in FORBIDDEN:
            return FORBIDDEN[key]
    for key in ("/Type", "/Subtype", "/S"):
        value = obj.get(key)
        if isinstance(value, NameObject) and value in FORBIDDEN:
            return FORBIDDEN[value]
    if obj.get("/Type") == "/Annot" and obj.get("/Subtype") != "/Link":
        return f"a {str(obj.get('/Subtype', '/Annot'))[1:]} annotation"
    return None


def scan_structure(
    objects: Iterable[tuple[int, Any]], matcher: NameMatcher, pseudonyms: dict[str, str], file: str
) -> None:
    """Raise :class:`LeakError` if an object names a confidential party or is a hidden channel
    the public edition must not have (see the module docstring)."""
    resolved = list(objects)
    for idnum, obj in resolved:
        found = _forbidden(obj)
        if found is not None:
            raise LeakError(
                f"{file}: object {idnum} of the public edition is {found}, which it must never "
                "hold (a bug: the public edition is not written)"
            )
    looker = Looker(matcher, pseudonyms)
    failures: list[str] = []

    def metadata(_idnum: int, stream: StreamObject) -> bool:
        return stream.get("/Type") == "/Metadata"

    scan_objects(resolved, looker, streams=metadata, failures=failures)
    if failures:
        raise LeakError(f"{file}: the public edition cannot be fully checked: {failures[0]}")
    hits = looker.sorted()
    if hits:
        raise leak_error(file, hits, "use the pseudonym in the records (a bug if they do)")
