"""Where each page's content lies, measured with pdfium's page-object bounds.

The assemble stage stamps every page on an opaque band at its bottom edge; a page whose content
(text, images, paths, forms) reaches into that band is scaled down so that nothing is covered.
pdfium (``pypdfium2``) gives the bounding box of every top-level page object in the page's user
space (a form XObject counts as one object, its box drawn as placed); the union of those boxes is
the page's content box. Invisible text (render mode 3, e.g. an OCR layer) is left out: it shows
nothing a stamp could cover.

Measuring costs about a quarter of a millisecond per page, so only the annex files that come
from elsewhere are measured (PDFs, converted office documents): the pages the dossier typesets
itself (text annexes, e-mails, images) keep the band clear by construction. (Measuring on a
background thread was tried: on a busy two-core machine it cost CPU time and saved no wall time.)
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import AnnexError
from .repair import decrypted

if TYPE_CHECKING:
    import pypdfium2 as pdfium

Box = tuple[float, float, float, float]
"""``(left, bottom, right, top)`` in the page's user space."""

Bounds = tuple[Box | None, ...]
"""The content box of every page (None: an empty page)."""


def content_bounds(data: bytes, password: str | None = None) -> Bounds | None:
    """The content box of every page of the PDF ``data`` (None for an empty page).

    Returns None when pdfium cannot read the file: the assemble stage then treats every page as
    full to its edges. (pdfium is loaded here, when a build first measures: `check` never does.)
    """
    import pypdfium2 as pdfium

    errors = (pdfium.PdfiumError, OSError, ValueError, RuntimeError, ctypes.ArgumentError)
    try:
        document = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if "password" not in str(exc).lower():
            return None
        try:  # an empty owner password, which pdfium does not try: see repair.decrypted
            document = pdfium.PdfDocument(decrypted(data, password, "the annex"))
        except (*errors, AnnexError):
            return None
    except errors:
        return None
    try:
        return tuple(_page_box(document, index) for index in range(len(document)))
    except errors:
        return None
    finally:
        document.close()


def _page_box(document: pdfium.PdfDocument, index: int) -> Box | None:
    import pypdfium2.raw as pdfium_c

    invisible = pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    page = document[index]
    try:
        handle = page.raw
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        boxes: list[Box] = []
        for number in range(pdfium_c.FPDFPage_CountObjects(handle)):
            obj = pdfium_c.FPDFPage_GetObject(handle, number)
            if (
                pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT
                and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == invisible
            ):
                continue
            if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                boxes.append((left.value, bottom.value, right.value, top.value))
        return union(boxes)
    finally:
        page.close()


def union(boxes: Sequence[Box]) -> Box | None:
    """The smallest box holding every box (None for none)."""
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
