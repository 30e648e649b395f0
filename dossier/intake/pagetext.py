"""The text of a PDF page as a reader sees it, within bounds.

The strings of a content stream hold glyph codes, which spell words only for simple fonts; most
PDFs (LibreOffice's, Word's) subset their fonts, and only the /ToUnicode maps pypdf applies in
``extract_text`` turn the codes into text. A page whose stored content is over
:data:`TEXT_LIMIT` is not read (pypdf's text extraction is pure Python).
"""

from __future__ import annotations

from pypdf import PageObject
from pypdf.generic import ArrayObject, IndirectObject, StreamObject

from ..errors import PDF_READ_ERRORS
from .repairs import collect_repairs

TEXT_LIMIT = 2_000_000
"""Stored bytes of a page's content streams above which its text is not extracted (the public
edition still reads the page with pdfium and boxes what it finds)."""


def contents(page: PageObject) -> list[object]:
    """The page's /Contents as a list (one stream, or an array of them)."""
    refs = page.get("/Contents")
    return list(refs) if isinstance(refs, ArrayObject) else [refs]


def stored_size(page: PageObject) -> int:
    """The stored (compressed) bytes of a page's content streams, from their /Length."""
    total = 0
    for ref in contents(page):
        stream = ref.get_object() if isinstance(ref, IndirectObject) else ref
        length = stream.get("/Length", 0) if isinstance(stream, StreamObject) else 0
        length = length.get_object() if isinstance(length, IndirectObject) else length
        total += length if isinstance(length, int) else 0
    return total


def page_text(page: PageObject) -> str | None:
    """The page's text, or None when it is too large to read here or cannot be read."""
    try:
        with collect_repairs():
            if stored_size(page) > TEXT_LIMIT:
                return None
            text: str = page.extract_text()
            return text
    except (*PDF_READ_ERRORS, OSError, NotImplementedError, RecursionError):
        return None
