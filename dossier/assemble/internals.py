"""The pypdf internals the assembly needs, in one place.

pypdf 5–7 has no public way to add a new object to a writer (``PdfWriter._add_object``: stamps
and forms are new objects that no page owns yet) or to set the file identifier (``_ID``: derived
from the inputs so that the same inputs give the same bytes; ``generate_file_identifiers`` uses
the clock and random data). Every other module uses these two functions, so a change in pypdf
is mended here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, IndirectObject, PdfObject, StreamObject


def add_object(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    """Add ``obj`` to ``writer`` as a new indirect object; its reference."""
    return writer._add_object(obj)


def set_file_id(writer: PdfWriter, digest: bytes) -> None:
    """Both parts of the trailer's /ID: ``digest`` (16 bytes derived from the inputs)."""
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


def writer_objects(writer: PdfWriter) -> Iterator[tuple[int, PdfObject]]:
    """Every object of ``writer`` as ``(object number, object)`` (the public edition's final
    scan reads them all before the file is written)."""
    for index, obj in enumerate(writer._objects, start=1):
        if obj is not None:
            yield index, obj


def raw_data(stream: StreamObject) -> bytes:
    """A stream's bytes as stored (still encoded): a scan too large for pypdf's own decoder is
    decoded by ``split.large_scan`` within its own bounds."""
    return bytes(stream._data or b"")


def image_file(name: str, image: Image.Image, ref: IndirectObject) -> Any:
    """pypdf's ``ImageFile`` for an image decoded outside pypdf (so that its ``replace`` can
    re-encode it): pypdf builds them only by decoding within its own limits."""
    from pypdf._page import ImageFile

    return ImageFile(name=name, image=image, indirect_reference=ref)
