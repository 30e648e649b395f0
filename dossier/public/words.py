"""The words of a PDF page as pdfium reads them, in visual reading order, in displayed coordinates.

pdfium's text page gives characters in content-stream order, each with a box in PDF user space.
:func:`read_page` turns them into words the way a reader sees them:

* every box is mapped to *displayed page space*: points, origin at the bottom-left corner of the
  page as shown (CropBox intersected with MediaBox, then /Rotate applied), y upwards;
* characters are grouped by reading direction (pdfium's char angle, in displayed space: text on a
  page with /Rotate 90 that reads upright, vertical margin notes, diagonal watermarks);
* in each direction, characters are put into lines by vertical overlap (>= half the smaller
  height) and sorted along the line; a word ends at a gap wider than ``GAP`` times the
  characters' height (space characters are not placed: pdfium generates some where the stream
  has none, and a space always leaves a gap of its own width). Text drawn in pieces in any
  order (separate Tj operators placed right to left) comes out in visual order; a character
  drawn twice on itself ("fake bold") is kept once.

Besides the visual words, :class:`PageText` keeps two other tokenisations that a name finder is
also run on (see ``pixels.py``): the *content order* (pdfium's own stream order, split at the
spaces and line breaks pdfium reports or generates, which follows columns where the visual
order interleaves them) and the visual order with hyphenated line ends joined. A name that is
contiguous in any of the three is found.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]
"""``(x0, y0, x1, y1)``, x0 <= x1, y0 <= y1."""

GAP = 0.15
"""A gap along the line wider than this times the height of the characters either side of it
(their loose boxes: the font's ascent to descent, ~1.15 em) ends a word; a space is 0.25-0.33 em
wide, the gap between the letters of a word is about 0."""
HYPHENS = ("-", "\u00ad", "\u2010", "\u2011")
UNMAPPED_SHARE = 0.1
"""Share of characters without a Unicode mapping above which a page's text is not trusted."""


@dataclass(frozen=True, slots=True)
class Word:
    """A word: its text, its box (points, displayed page space), its line (0-based, page-wide)."""

    text: str
    box: Box
    line_no: int
    angle: int = 0
    """Reading direction, degrees counter-clockwise in displayed space (0: left to right)."""
    frame: Box | None = field(default=None, compare=False)
    """Extent along (x) and across (y) the reading direction, in a frame turned by ``angle``;
    None for ``angle == 0`` (then it is ``box``)."""
    chars: tuple[int, ...] = field(default=(), compare=False, repr=False)
    """pdfium character indices (empty for OCR words)."""


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of text to run the finder on, and the words it covers."""

    text: str
    words: tuple[int, ...]


@dataclass(frozen=True)
class PageText:
    words: list[Word]
    """In visual reading order."""
    orders: list[list[Token]]
    """Token sequences to search: visual, visual with hyphenated line ends joined, content."""
    chars: int
    """Characters that are not whitespace (0: an image-only page)."""
    unmapped: int
    """Characters pdfium could not map to Unicode."""

    @property
    def trusted(self) -> bool:
        """False when the text is missing or mostly unmapped (the page must be OCRed)."""
        return self.chars > 0 and self.unmapped <= UNMAPPED_SHARE * self.chars


@dataclass(frozen=True)
class Frame:
    """Maps PDF user space to displayed page space (bbox = CropBox & MediaBox, /Rotate)."""

    left: float
    bottom: float
    width: float
    height: float
    rotation: int
    """Clockwise, 0/90/180/270."""

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> Frame:
        left, bottom, right, top = (float(v) for v in page.get_bbox())
        return cls(left, bottom, right - left, top - bottom, int(page.get_rotation()) % 360)

    @property
    def size(self) -> tuple[float, float]:
        """Displayed width and height in points."""
        if self.rotation in (90, 270):
            return self.height, self.width
        return self.width, self.height

    def point(self, x: float, y: float) -> tuple[float, float]:
        x0, y0, _, _ = self.box(x, y, x, y)
        return x0, y0

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        """A user-space box (left <= right, bottom <= top) in displayed page space."""
        u0, v0, u1, v1 = (
            left - self.left,
            bottom - self.bottom,
            right - self.left,
            top - self.bottom,
        )
        if self.rotation == 90:
            return v0, self.width - u1, v1, self.width - u0
        if self.rotation == 180:
            return self.width - u1, self.height - v1, self.width - u0, self.height - v0
        if self.rotation == 270:
            return self.height - v1, u0, self.height - v0, u1
        return u0, v0, u1, v1


@dataclass(slots=True)
class _Char:
    index: int
    text: str
    box: Box
    angle: int
    u0: float = 0.0
    u1: float = 0.0
    v0: float = 0.0
    v1: float = 0.0


def union(boxes: Iterable[Box]) -> Box:
    it = iter(boxes)
    x0, y0, x1, y1 = next(it)
    for a, b, c, d in it:
        if a < x0:
            x0 = a
        if b < y0:
            y0 = b
        if c > x1:
            x1 = c
        if d > y1:
            y1 = d
    return x0, y0, x1, y1


def _snap(degrees: float) -> int:
    """A reading direction: within 4 degrees of a right angle -> it; else to 5 degrees."""
    a = degrees % 360
    right = round(a / 90) * 90
    if abs(a - right) <= 4:
        return right % 360
    return (round(a / 5) * 5) % 360


def _text(code: int) -> str:
    if code in (0x02, 0xFFFE):  # pdfium's marks for a hyphen that ends a line
        return "\u00ad"
    if code <= 0 or 0xD800 <= code < 0xE000 or code > 0x10FFFF:
        return "\ufffd"
    ch = chr(code)
    return "\ufffd" if code < 0x20 and not ch.isspace() else ch


def _read_chars(textpage: Any, frame: Frame) -> tuple[list[_Char | None], int]:
    """Every character in stream order (None: a space or line break, real or generated by
    pdfium; they are not kept: words are split by the gaps between characters), and the count
    of characters without a Unicode mapping."""
    raw = textpage.raw
    get_unicode = pdfium_c.FPDFText_GetUnicode
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    get_box = pdfium_c.FPDFText_GetCharBox
    get_loose = pdfium_c.FPDFText_GetLooseCharBox
    get_angle = pdfium_c.FPDFText_GetCharAngle
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    rect = pdfium_c.FS_RECTF()
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    rect_ref = ctypes.byref(rect)
    out: list[_Char | None] = []
    unmapped = 0
    upright, dx, dy = frame.rotation == 0, frame.left, frame.bottom
    for i in range(int(textpage.count_chars())):
        code = get_unicode(raw, i)
        text = chr(code) if 0x20 < code < 0xD800 else _text(code)
        if text.isspace():  # real or generated (pdfium generates only spaces, CR, LF)
            out.append(None)
            continue
        if map_error(raw, i) == 1:
            unmapped += 1
        tight = get_box(raw, i, *refs)
        loose = get_loose(raw, i, rect_ref)
        if tight:  # the union of both boxes (inlined: this loop runs for every character)
            x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
            if loose:
                lx0, ly0, lx1, ly1 = rect.left, rect.bottom, rect.right, rect.top
                x0 = lx0 if lx0 < x0 else x0
                y0 = ly0 if ly0 < y0 else y0
                x1 = lx1 if lx1 > x1 else x1
                y1 = ly1 if ly1 > y1 else y1
        elif loose:
            x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
        else:
            out.append(None)
            continue
        if upright:
            box = (x0 - dx, y0 - dy, x1 - dx, y1 - dy)
        else:
            box = frame.box(x0, y0, x1, y1)
        radians = get_angle(raw, i)  # clockwise, in user space; -1: unknown
        angle = _snap(-math.degrees(radians) - frame.rotation) if radians > 0 else -frame.rotation
        out.append(_Char(i, text, box, angle % 360))
    return out, unmapped


def frame_of(box: Box, angle: int) -> Box:
    """``box``'s extent along (u) and across (v) the direction ``angle``: ``(u0, v0, u1, v1)``."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    x0, y0, x1, y1 = box
    us = (x0 * c + y0 * s, x1 * c + y0 * s, x0 * c + y1 * s, x1 * c + y1 * s)
    vs = (-x0 * s + y0 * c, -x1 * s + y0 * c, -x0 * s + y1 * c, -x1 * s + y1 * c)
    return min(us), min(vs), max(us), max(vs)


def _project(chars: list[_Char], angle: int) -> None:
    """Extents of each character along (u) and across (v) the reading direction."""
    for ch in chars:
        x0, y0, x1, y1 = ch.box
        if angle == 0:
            ch.u0, ch.v0, ch.u1, ch.v1 = x0, y0, x1, y1
        elif angle == 90:
            ch.u0, ch.v0, ch.u1, ch.v1 = y0, -x1, y1, -x0
        elif angle == 180:
            ch.u0, ch.v0, ch.u1, ch.v1 = -x1, -y1, -x0, -y0
        elif angle == 270:
            ch.u0, ch.v0, ch.u1, ch.v1 = -y1, x0, -y0, x1
        else:
            ch.u0, ch.v0, ch.u1, ch.v1 = frame_of(ch.box, angle)


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters in lines, top line first, each sorted along the reading direction."""
    lines: list[list[_Char]] = []
    lo = hi = 0.0
    for ch in sorted(chars, key=lambda c: -(c.v0 + c.v1)):
        if lines:
            overlap = min(hi, ch.v1) - max(lo, ch.v0)
            if overlap >= 0.5 * min(hi - lo, ch.v1 - ch.v0):
                lines[-1].append(ch)
                lo, hi = min(lo, ch.v0), max(hi, ch.v1)
                continue
        lines.append([ch])
        lo, hi = ch.v0, ch.v1
    for line in lines:
        line.sort(key=lambda c: (c.u0, c.u1))
    return lines


def _split(line: list[_Char]) -> list[list[_Char]]:
    """A line's characters in words; duplicates drawn on themselves dropped."""
    words: list[list[_Char]] = []
    current: list[_Char] = []
    end = 0.0
    for ch in line:
        if current:
            prev = current[-1]
            if ch.text == prev.text:
                width = max(ch.u1 - ch.u0, 1e-6)
                if min(ch.u1, prev.u1) - max(ch.u0, prev.u0) > 0.5 * width:
                    continue  # the same glyph drawn again on itself
            if ch.u0 - end > GAP * max(ch.v1 - ch.v0, prev.v1 - prev.v0):
                words.append(current)
                current = []
        end = max(end, ch.u1) if current else ch.u1
        current.append(ch)
    if current:
        words.append(current)
    return words


def _words(chars: list[_Char]) -> list[Word]:
    groups: dict[int, list[_Char]] = {}
    for ch in chars:
        groups.setdefault(ch.angle, []).append(ch)
    words: list[Word] = []
    line_no = 0
    for angle in sorted(groups, key=lambda a: (-len(groups[a]), a)):
        group = groups[angle]
        _project(group, angle)
        for line in _lines(group):
            pieces = _split(line)
            for piece in pieces:
                frame = None if angle == 0 else union((c.u0, c.v0, c.u1, c.v1) for c in piece)
                words.append(
                    Word(
                        "".join(c.text for c in piece),
                        union(c.box for c in piece),
                        line_no,
                        angle,
                        frame,
                        tuple(c.index for c in piece),
                    )
                )
            line_no += 1 if pieces else 0
    return words


def dehyphenated(words: list[Word], start: int = 0) -> list[Token]:
    """Visual tokens with a word that ends a line in a hyphen joined to the next line's first
    (word indices counted from ``start``)."""
    out: list[Token] = []
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt is not None and nxt.line_no == w.line_no + 1 and w.text.endswith(HYPHENS):
            out.append(Token(w.text[:-1] + nxt.text, (start + i, start + i + 1)))
            i += 2
            continue
        out.append(Token(w.text, (start + i,)))
        i += 1
    return out


def _content_order(stream: list[_Char | None], words: list[Word]) -> list[Token]:
    """pdfium's stream order, split at its spaces and generated separators."""
    owner = {index: n for n, word in enumerate(words) for index in word.chars}
    out: list[Token] = []
    text: list[str] = []
    covered: list[int] = []
    for ch in [*stream, None]:
        if ch is None:
            if text:
                out.append(Token("".join(text), tuple(dict.fromkeys(covered))))
            text, covered = [], []
            continue
        if ch.index in owner:
            text.append(ch.text)
            covered.append(owner[ch.index])
    return out


def read_page(page: pdfium.PdfPage) -> PageText:
    """Words of ``page`` (see the module docstring) and the token orders to search."""
    frame = Frame.of(page)
    textpage = page.get_textpage()
    try:
        stream, unmapped = _read_chars(textpage, frame)
    finally:
        textpage.close()
    chars = [c for c in stream if c is not None]
    words = _words(chars)
    visual = [Token(w.text, (i,)) for i, w in enumerate(words)]
    orders = [visual, dehyphenated(words), _content_order(stream, words)]
    return PageText(words, orders, len(chars), unmapped)


def page_words(page: pdfium.PdfPage) -> list[Word]:
    """The words of ``page`` in visual reading order, boxes in displayed page space."""
    return read_page(page).words
