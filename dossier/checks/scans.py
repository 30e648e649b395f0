"""ANX-04: annex pages that are image-only scans, with no text a reader can search or copy.

A CFA officer searches the dossier for names and dates; a scanned Russian or Kyrgyz document is
a picture to that search. ``dossier build --ocr`` (the ``[ocr]`` extra, see :mod:`dossier.ocr`)
adds an invisible text layer to exactly those pages, so ``check`` names them.

Kept cheap: no text is extracted. A page is image-only when it (or a form it draws) uses an image
and none of its content streams shows text (``Tj``, ``TJ``, ``'``, ``"``). Content streams are
decoded only for pages that use an image, or that are small enough to hold an inline one, and
never beyond :data:`MAX_CONTENT_BYTES`. JPEG, PNG and TIFF annexes are image-only by nature.
The result is cached per file (path, mtime, size), as the page counts of ANX-01 are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from ..errors import AnnexError, Problem, Severity
from ..limits import PDF_READ_ERRORS, collect_repairs, count_pages, decoded_size
from ..load import CaseBundle
from . import Context
from .annexes import MAX_PDF_BYTES_FOR_COUNT
from .common import annex_file

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})
FIX = "run `dossier build --ocr` or supply a searchable copy"

MAX_CONTENT_BYTES = 4_000_000
"""A page whose content streams decode to more than this is not a plain scan: not decoded."""
SMALL_CONTENT_BYTES = 65_536
"""Pages without an image XObject are decoded (to look for an inline image) up to this size."""
MAX_FORM_DEPTH = 4

_TEXT_OPERATOR = re.compile(rb"(?<![A-Za-z0-9_.])(?:Tj|TJ|'|\")(?![A-Za-z0-9_])")
_INLINE_IMAGE = re.compile(rb"(?<![A-Za-z0-9_])BI(?![A-Za-z0-9_])")

_READ_ERRORS = (*PDF_READ_ERRORS, AnnexError, OSError, NotImplementedError)


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _streams(contents: Any) -> list[StreamObject]:
    contents = _resolve(contents)
    if isinstance(contents, StreamObject):
        return [contents]
    if isinstance(contents, ArrayObject):
        return [s for s in (_resolve(c) for c in contents) if isinstance(s, StreamObject)]
    return []


def _content(streams: list[StreamObject], cap: int) -> bytes | None:
    """The streams decoded and joined; None when they would exceed ``cap`` bytes."""
    parts = []
    total = 0
    for stream in streams:
        total += decoded_size(stream, cap)
        if total > cap:
            return None
        parts.append(stream.get_data())
    return b"\n".join(parts)


def _classify(resources: Any, streams: list[StreamObject], depth: int) -> tuple[bool, bool]:
    """``(shows_text, uses_image)`` for one content stream set and the forms it can draw.

    When in doubt (too large, unreadable) the content counts as text: no warning.
    """
    images = False
    forms: list[StreamObject] = []
    resources = _resolve(resources)
    xobjects = (
        _resolve(resources.get("/XObject")) if isinstance(resources, DictionaryObject) else None
    )
    if isinstance(xobjects, DictionaryObject):
        for ref in xobjects.values():
            xobject = _resolve(ref)
            if not isinstance(xobject, StreamObject):
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                images = True
            elif subtype == "/Form":
                forms.append(xobject)
    cap = MAX_CONTENT_BYTES if images or forms else SMALL_CONTENT_BYTES
    data = _content(streams, cap)
    if data is None:
        return True, images
    if _TEXT_OPERATOR.search(data):
        return True, True
    images = images or bool(_INLINE_IMAGE.search(data))
    if depth < MAX_FORM_DEPTH:
        for form in forms:
            text, image = _classify(form.get("/Resources", resources), [form], depth + 1)
            if text:
                return True, True
            images = images or image
    return False, images


def _image_only(page: PageObject) -> bool:
    text, image = _classify(page.get("/Resources"), _streams(page.get("/Contents")), 0)
    return image and not text


def image_only_pages(reader: PdfReader) -> tuple[int, ...]:
    """Numbers (from 1) of the pages of an opened PDF that are image-only scans."""
    return tuple(n for n, page in enumerate(reader.pages, 1) if _image_only(page))


@functools.lru_cache(maxsize=8192)
def _scanned_pages(path: Path, mtime: int, size: int) -> tuple[tuple[int, ...], int] | None:
    """``(image-only page numbers from 1, page count)``, or None when not cheaply readable."""
    if size > MAX_PDF_BYTES_FOR_COUNT:
        return None
    try:
        with collect_repairs():
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return None  # needs its password: the build opens it
            total = count_pages(reader, path.name)  # a hostile page tree is refused here
            return image_only_pages(reader), total
    except _READ_ERRORS:
        return None  # unreadable: ANX-02 and the build report it


def scanned_pages(path: Path) -> tuple[tuple[int, ...], int] | None:
    """Image-only pages of a PDF (numbers from 1) and its page count; cached per file."""
    st = path.stat()
    return _scanned_pages(path, st.st_mtime_ns, st.st_size)


def page_ranges(pages: tuple[int, ...]) -> str:
    """``(2, 3, 4, 5, 7)`` -> ``"2-5, 7"``."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _message(pages: tuple[int, ...], total: int) -> str:
    if len(pages) == total:
        which = "the page has" if total == 1 else f"all {total} pages have"
    elif len(pages) == 1:
        which = f"page {pages[0]} has"
    else:
        which = f"pages {page_ranges(pages)} have"
    return f"{which} no text layer (image-only scan)"


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for annex in bundle.annexes:
        if annex.file is None:
            continue
        suffix = Path(annex.file).suffix.lower()
        if suffix not in IMAGE_SUFFIXES and suffix != ".pdf":
            continue
        found = annex_file(bundle, annex)
        if found.path is None:
            continue  # ANX-02 reports it
        label = f"annex '{annex.id}' ({annex.file})"
        if suffix in IMAGE_SUFFIXES:
            message = f"{label} is an image: it has no text layer (image-only scan)"
        else:
            try:
                result = scanned_pages(found.path)
            except OSError:
                continue
            if result is None or not result[0]:
                continue
            message = f"{label}: {_message(*result)}"
        yield bundle.problem("ANX-04", Severity.WARNING, "annex", annex.id, ("file",), message, FIX)
