"""Which pages of an opened PDF are image-only scans, with no text a reader can search.

Kept cheap: no text is extracted. A page is image-only when it (or a form it draws) uses an image
and none of its content streams shows text (``Tj``, ``TJ``, ``'``, ``"``). Content streams are
decoded only for pages that use an image, or that are small enough to hold an inline one, and
never beyond :data:`MAX_CONTENT_BYTES`.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from .guard import decoded_size

MAX_CONTENT_BYTES = 4_000_000
"""A page whose content streams decode to more than this is not a plain scan: not decoded."""
SMALL_CONTENT_BYTES = 65_536
"""Pages without an image XObject are decoded (to look for an inline image) up to this size."""
MAX_FORM_DEPTH = 4

_TEXT_OPERATOR = re.compile(rb"(?<![A-Za-z0-9_.])(?:Tj|TJ|'|\")(?![A-Za-z0-9_])")
_INLINE_IMAGE = re.compile(rb"(?<![A-Za-z0-9_])BI(?![A-Za-z0-9_])")


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
