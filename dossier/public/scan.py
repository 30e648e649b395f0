"""The leak scan: every place in a PDF where a confidential party is named.

:func:`scan_pdf` searches a PDF for the names and aliases of confidential parties everywhere a
reader could find them: the extracted text of every page, outline titles, link and annotation
strings (titles, contents, URIs), the document information dictionary, XMP metadata, and every
decompressed content stream and form XObject (strings of the text operators, joined as shown, and
the raw bytes). The names are matched by :class:`~dossier.public_match.Matcher`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from ..errors import LeakError
from .match import Matcher, Protected, replace_names


@dataclass(frozen=True, order=True)
class Hit:
    """One place where a confidential party is named."""

    place: str
    party_id: str

    def __str__(self) -> str:
        return f"{self.place}: names confidential party '{self.party_id}'"


_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_SKIP_SUBTYPES = {"/Image", "/Type1C", "/CIDFontType0C", "/OpenType"}


def _strings_in_content(data: bytes) -> str:
    """The text operands of a content stream, TJ array parts joined, others space-separated.

    A small tokenizer: literal strings with escapes and nested parentheses, hex strings; the
    characters are taken as Latin-1 (what simple fonts mostly use), which is enough to find a
    name written in a standard encoding even when a kerning array splits it.
    """
    out: list[str] = []
    i, n = 0, len(data)
    in_array = False
    while i < n:
        c = data[i]
        if c == 0x28:  # (
            depth, i, buf = 1, i + 1, bytearray()
            while i < n and depth:
                b = data[i]
                if b == 0x5C and i + 1 < n:  # backslash
                    nxt = data[i + 1]
                    esc = {0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12}.get(nxt)
                    if esc is not None:
                        buf.append(esc)
                        i += 2
                    elif 0x30 <= nxt <= 0x37:
                        j = i + 1
                        while j < min(i + 4, n) and 0x30 <= data[j] <= 0x37:
                            j += 1
                        buf.append(int(data[i + 1 : j], 8) & 0xFF)
                        i = j
                    elif nxt in (0x0A, 0x0D):
                        i += 2
                    else:
                        buf.append(nxt)
                        i += 2
                    continue
                if b == 0x28:
                    depth += 1
                elif b == 0x29:
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                buf.append(b)
                i += 1
            out.append(_decode_bytes(bytes(buf)))
            out.append("" if in_array else " ")
            continue
        if c == 0x3C and i + 1 < n and data[i + 1] != 0x3C:  # <hex>
            end = data.find(b">", i + 1)
            if end < 0:
                break
            hexdigits = re.sub(rb"[^0-9A-Fa-f]", b"", data[i + 1 : end])
            if len(hexdigits) % 2:
                hexdigits += b"0"
            out.append(_decode_bytes(bytes.fromhex(hexdigits.decode("ascii"))))
            out.append("" if in_array else " ")
            i = end + 1
            continue
        if c == 0x5B:
            in_array = True
        elif c == 0x5D:
            in_array = False
            out.append(" ")
        i += 1
    return "".join(out)


def _decode_bytes(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _text_of(obj: Any) -> str | None:
    if isinstance(obj, TextStringObject):
        return str(obj)
    if isinstance(obj, ByteStringObject):
        return _decode_bytes(bytes(obj))
    if isinstance(obj, NameObject):
        return str(obj)[1:].replace("#20", " ")
    if isinstance(obj, str):
        return obj
    return None


def _strings(obj: Any, depth: int = 0) -> Iterator[str]:
    """Every string and name directly inside ``obj`` (not following indirect references)."""
    if depth > 50:
        return
    if isinstance(obj, IndirectObject):
        return
    text = _text_of(obj)
    if text is not None:
        yield text
        return
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in ("/Parent", "/P", "/Prev", "/Next", "/First", "/Last"):
                continue
            yield str(key)[1:]
            yield from _strings(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for item in obj:
            yield from _strings(item, depth + 1)


class _Scan:
    def __init__(self, reader: PdfReader, matcher: Matcher) -> None:
        self.reader = reader
        self.matcher = matcher
        self.hits: set[Hit] = set()
        self.failures: list[str] = []
        self.used_by: dict[int, set[int]] = {}
        """Stream object number -> pages whose contents or resources refer to it."""

    def look(self, place: str, text: str | None) -> None:
        if text:
            for party_id in self.matcher.find(text):
                self.hits.add(Hit(place, party_id))

    def pages(self) -> dict[int, str]:
        """Scan page texts and annotations; return object number -> place of content streams."""
        owners: dict[int, str] = {}
        for number, page in enumerate(self.reader.pages, start=1):
            try:
                text = page.extract_text()
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
                self.failures.append(f"page {number}: text cannot be extracted ({exc})")
                text = ""
            self.look(f"page {number} text", text)
            contents = page.get("/Contents")
            refs = contents if isinstance(contents, ArrayObject) else [contents]
            for ref in refs:
                if isinstance(ref, IndirectObject):
                    owners[ref.idnum] = f"page {number} content stream (obj {ref.idnum})"
                    self.used_by.setdefault(ref.idnum, set()).add(number)
            resources = page.get("/Resources")
            xobjects = resources.get_object().get("/XObject") if resources else None
            if isinstance(xobjects, IndirectObject):
                xobjects = xobjects.get_object()
            if isinstance(xobjects, DictionaryObject):
                for name, ref in xobjects.items():
                    if isinstance(ref, IndirectObject):
                        owners.setdefault(
                            ref.idnum, f"page {number} XObject {name} (obj {ref.idnum})"
                        )
                        self.used_by.setdefault(ref.idnum, set()).add(number)
            annots = page.get("/Annots")
            annots = annots.get_object() if annots is not None else None
            if isinstance(annots, ArrayObject):
                for index, annot in enumerate(annots, start=1):
                    annot = annot.get_object()
                    if isinstance(annot, DictionaryObject):
                        kind = str(annot.get("/Subtype", "/Annot"))[1:]
                        place = f"page {number} {kind.lower()} annotation {index}"
                        for text in _strings(annot):
                            self.look(place, text)
                        action = annot.get("/A")
                        action = action.get_object() if action is not None else None
                        for text in _strings(action):
                            self.look(place, text)
        return owners

    def outline(self, items: Any, trail: str = "") -> None:
        for item in items:
            if isinstance(item, list):
                self.outline(item, trail)
                continue
            title = str(getattr(item, "title", "") or "")
            place = (
                f'outline "{_clip(replace_names(title, self.matcher))}"'  # the error names no one
            )
            self.look(place, title)
            for text in _strings(item):
                self.look(place, text)

    def info(self) -> None:
        info = self.reader.trailer.get("/Info")
        info = info.get_object() if info is not None else None
        if isinstance(info, DictionaryObject):
            for key, value in info.items():
                for text in _strings(value.get_object() if value is not None else None):
                    self.look(f"metadata {key}", text)

    def objects(self, owners: dict[int, str]) -> None:
        """Every indirect object: strings and names, and decompressed streams."""
        font_files: set[int] = set()
        numbers = self._object_numbers()
        resolved: list[tuple[int, Any]] = []
        for idnum, generation in numbers:
            try:
                obj = self.reader.get_object(IndirectObject(idnum, generation, self.reader))
            except (PyPdfError, ValueError, KeyError, TypeError, OSError):
                continue
            resolved.append((idnum, obj))
            if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor":
                for key in _FONT_FILES:
                    ref = obj.get(key)
                    if isinstance(ref, IndirectObject):
                        font_files.add(ref.idnum)
        root = self.reader.trailer.get("/Root")
        root = root.get_object() if root is not None else None
        xmp_ref = root.get("/Metadata") if isinstance(root, DictionaryObject) else None
        xmp_id = xmp_ref.idnum if isinstance(xmp_ref, IndirectObject) else -1
        for idnum, obj in resolved:
            if isinstance(obj, StreamObject):
                self._stream(idnum, obj, owners, font_files, xmp_id)
            for text in _strings(obj):
                self.look(f"object {idnum}", text)

    def _stream(
        self, idnum: int, obj: StreamObject, owners: dict[int, str], fonts: set[int], xmp: int
    ) -> None:
        subtype = str(obj.get("/Subtype", ""))
        if idnum in fonts or subtype in _SKIP_SUBTYPES or "/Length1" in obj:
            return
        if idnum == xmp or obj.get("/Type") == "/Metadata":
            place = f"XMP metadata (obj {idnum})"
        elif idnum in owners:
            place = owners[idnum]
        elif subtype == "/Form":
            place = f"form XObject (obj {idnum})"
        else:
            place = f"stream (obj {idnum})"
        try:
            data = obj.get_data()
        except (PyPdfError, ValueError, KeyError, TypeError, OSError, NotImplementedError) as exc:
            self.failures.append(f"{place}: cannot be decompressed ({exc})")
            return
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.look(place, _decode_bytes(data))
        self.look(place, _strings_in_content(data))

    def _object_numbers(self) -> list[tuple[int, int]]:
        numbers: set[tuple[int, int]] = set()
        for generation, table in self.reader.xref.items():
            for idnum in table:
                numbers.add((idnum, generation))
        for idnum in self.reader.xref_objStm:
            numbers.add((idnum, 0))
        return sorted(numbers)


_PLACE_ORDER = ("page", "outline", "metadata", "XMP", "form", "stream", "object")


def _place_key(hit: Hit) -> tuple[int, int, str, str]:
    """Page texts first (in page order), then outline, metadata, streams, other objects."""
    head = hit.place.split(" ", 1)[0]
    rank = _PLACE_ORDER.index(head) if head in _PLACE_ORDER else len(_PLACE_ORDER)
    number = re.match(r"page (\d+) text", hit.place)
    sub = 0 if number else 1
    page = int(number.group(1)) if number else 0
    if rank == 0 and not number:
        page = int(hit.place.split()[1]) if hit.place.split()[1].isdigit() else 0
    return (rank * 2 + sub, page, hit.place, hit.party_id)


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def scan_reader(reader: PdfReader, matcher: Matcher) -> tuple[list[Hit], list[str]]:
    """Hits in an opened PDF, and the parts that could not be checked (see :func:`scan_pdf`)."""
    scan = _Scan(reader, matcher)
    owners = scan.pages()
    try:
        outline = reader.outline
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        scan.failures.append(f"outline cannot be read ({exc})")
        outline = []
    scan.outline(outline)
    scan.info()
    scan.objects(owners)
    return sorted(scan.hits, key=_place_key), scan.failures


def scan_pdf(data: bytes, parties: Iterable[Protected]) -> list[Hit]:
    """Every place in the PDF ``data`` that names one of ``parties``; see the module docstring.

    Raises :class:`LeakError` when the PDF cannot be read or a part of it cannot be checked
    (text that cannot be extracted, a stream that cannot be decompressed): a public edition that
    cannot be verified is not written.
    """
    matcher = Matcher(parties)
    try:
        hits, failures = scan_reader(PdfReader(io.BytesIO(data)), matcher)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise LeakError(f"public edition cannot be checked for leaks: {exc}") from None
    if failures:
        raise LeakError(
            "public edition cannot be fully checked for leaks: " + "; ".join(failures[:5])
        )
    return hits
