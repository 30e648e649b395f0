"""Names in the objects of a PDF: every string and name at any depth, and decoded streams.

:func:`scan_objects` reads PDF objects as pypdf gives them (an annex's, for the check PRIV-02;
the public edition's own, before it is written): every string and name at any depth (a loop, not
recursion: an array 60 levels deep is read like a flat one), dictionary keys included; strings
decoded as a reader would show them (UTF-16 with its BOM, UTF-8, PDFDocEncoding/Latin-1);
decoded streams chosen by ``streams``: their text operands as shown (TJ arrays joined) and,
for a stream that is not a page's or a form's content (XMP, an attachment, private data), their
bytes read as UTF-8, Latin-1 and UTF-16 (big- and little-endian). Image data and font programs
are never read. The names are matched by :class:`.match.NameMatcher` (percent-encoded names in
URIs included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from .content import content_strings, decodings
from .match import NameMatcher

_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_IMAGE = "/Image"
_HEX = frozenset("0123456789abcdefABCDEF")


@dataclass(frozen=True, order=True)
class Hit:
    """One place where a confidential party is named (``who``: its pseudonym, never the name)."""

    place: str
    who: str

    def __str__(self) -> str:
        return f"{self.place} names confidential party '{self.who}'"


class Looker:
    """Runs the matcher on texts, keeping each place once per party."""

    def __init__(self, matcher: NameMatcher, pseudonyms: dict[str, str]) -> None:
        self.matcher = matcher
        self.pseudonyms = pseudonyms
        self.hits: set[Hit] = set()

    def look(self, place: str, text: str | None) -> None:
        if text:
            for party_id in self.matcher.parties_in(text):
                self.hits.add(Hit(place, self.pseudonyms.get(party_id, party_id)))

    def sorted(self) -> list[Hit]:
        return sorted(self.hits)

    def shown(self, text: str, width: int = 40) -> str:
        """``text`` with every name replaced by its pseudonym, shortened: fit for an error."""
        text = " ".join(self.matcher.replace(text).split())
        return text if len(text) <= width else text[: width - 1] + "…"


def describe(obj: Any, looker: Looker) -> str:
    """What an object is, for a reader of an error message (names shown as pseudonyms)."""
    if isinstance(obj, StreamObject):
        return "XMP metadata" if obj.get("/Type") == "/Metadata" else "stream"
    if not isinstance(obj, DictionaryObject):
        return "object"
    kind = obj.get("/Type")
    if "/Title" in obj and any(k in obj for k in ("/Parent", "/Dest", "/A", "/First")):
        title = obj.get("/Title")
        return f'bookmark "{looker.shown(str(title))}"' if title is not None else "bookmark"
    if kind == "/Annot" or "/Subtype" in obj and "/Rect" in obj:
        return f"{str(obj.get('/Subtype', '/Annot'))[1:].lower()} annotation"
    if kind in ("/Page", "/Pages", "/Catalog", "/Font", "/FontDescriptor"):
        return f"{str(kind)[1:].lower()} object"
    if any(k in obj for k in ("/Producer", "/Creator", "/Author", "/CreationDate")):
        return "document information"
    return "object"


def _name_text(name: str) -> str:
    """A PDF name as a reader would see it (``#20`` and other escapes decoded)."""
    raw = name[1:] if name.startswith("/") else name
    if "#" not in raw:
        return raw
    out = bytearray()
    i = 0
    while i < len(raw):
        pair = raw[i + 1 : i + 3]
        if raw[i] == "#" and len(pair) == 2 and all(c in _HEX for c in pair):
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        else:
            out += raw[i].encode("utf-8")
            i += 1
    return out.decode("utf-8", "replace")


def strings(obj: Any) -> Iterator[str]:
    """Every string and name inside ``obj`` at any depth, keys too (indirect references are
    not followed: each object is read on its own)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            continue
        if isinstance(item, TextStringObject):
            yield str(item)
            raw = item.original_bytes if hasattr(item, "original_bytes") else b""
            yield from (t for t in decodings(bytes(raw)) if t != str(item))
        elif isinstance(item, ByteStringObject):
            yield from decodings(bytes(item))
        elif isinstance(item, NameObject):
            yield _name_text(str(item))
        elif isinstance(item, str):
            yield item
        elif isinstance(item, DictionaryObject):
            for key, value in item.items():
                yield _name_text(str(key))
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(reversed(item))


def font_programs(objects: Iterable[tuple[int, Any]]) -> set[int]:
    """Object numbers of embedded font programs (referenced by a font descriptor)."""
    out: set[int] = set()
    for _, obj in objects:
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor":
            for key in _FONT_FILES:
                ref = obj.get(key)
                if isinstance(ref, IndirectObject):
                    out.add(ref.idnum)
    return out


StreamFilter = Callable[[int, StreamObject], bool]


def contents(objects: Iterable[tuple[int, Any]]) -> set[int]:
    """Object numbers of content streams: pages' ``/Contents`` and form XObjects."""
    out: set[int] = set()
    for idnum, obj in objects:
        if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Form":
            out.add(idnum)
        elif isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Page":
            refs = obj.get("/Contents")
            refs = refs if isinstance(refs, ArrayObject) else [refs]
            out.update(ref.idnum for ref in refs if isinstance(ref, IndirectObject))
    return out


def scan_objects(
    objects: Iterable[tuple[int, Any]],
    looker: Looker,
    *,
    where: str = "",
    streams: StreamFilter = lambda _n, _s: True,
    failures: list[str] | None = None,
    places: Mapping[int, str] | None = None,
) -> None:
    """Look for names in ``objects`` (object number, resolved object); see the module
    docstring. ``streams`` chooses which streams (not images, not font programs) are decoded;
    what cannot be decoded is added to ``failures``."""
    resolved = list(objects)
    fonts = font_programs(resolved)
    drawn = contents(resolved)
    for idnum, obj in resolved:
        known = places.get(idnum) if places is not None else None
        place = f"{where}{known or describe(obj, looker)} (object {idnum})"
        for text in strings(obj):
            looker.look(place, text)
        if not isinstance(obj, StreamObject) or idnum in fonts:
            continue
        if obj.get("/Subtype") == _IMAGE or not streams(idnum, obj):
            continue
        try:
            data = obj.get_data()
        except Exception as exc:  # noqa: BLE001 - any decoder failure is reported, not raised
            if failures is not None:
                failures.append(f"{place}: a stream cannot be decompressed ({exc})")
            continue
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        looker.look(place, content_strings(raw))
        if idnum not in drawn:  # a content stream's text is in its operands, read above
            for text in decodings(raw):
                looker.look(place, text)
