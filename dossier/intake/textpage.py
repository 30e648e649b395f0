"""Plain text typeset on A4 pages with reportlab, in time linear in the text's length.

Text is wrapped here, not by reportlab's Paragraph: every character's width is measured once
(per font and size) and kept in a dict, lines are broken greedily at spaces, and a run wider than
the line (a long URL, a 1 MB line without spaces) is broken at the margin. Each line is then one
``drawString`` on the canvas, in the shipped DejaVu Sans (:mod:`dossier.render.fonts`). Nothing
is drawn in the bottom :data:`STAMP_BAND` points of a page: the lowest text line ends
:data:`BOTTOM` points above the page edge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = RIGHT = 56.0
TOP = 56.0
STAMP_BAND = 28.0
"""The bottom band kept empty on every page (the dossier's stamp goes there)."""
BOTTOM = STAMP_BAND + 28.0
"""No glyph reaches below this (descenders included)."""
LABEL_WIDTH = 58.0
BODY_SIZE, BODY_LEADING = 10.0, 13.0
GREY = (0.35, 0.35, 0.35)

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\ufeff]")


def clean_name(name: str) -> str:
    """A file name without control characters (a line break or tab becomes a space, runs of
    spaces one) or invisible ones (dropped)."""
    if not (_BREAKS.search(name) or _INVISIBLE.search(name)):
        return name
    return " ".join(_BREAKS.sub(" ", _INVISIBLE.sub("", name)).split())


def fonts() -> tuple[str, str]:
    """Names of the shipped DejaVu Sans and Sans Bold, registered with reportlab."""
    from ..render.fonts import SANS, SANS_BOLD, register_fonts  # not at import: see images.py

    register_fonts()
    return SANS, SANS_BOLD


def clean_text(text: str) -> str:
    """Line ends as ``\\n``, tabs expanded, control and invisible characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    return CONTROL.sub("", text).encode("utf-8", "replace").decode("utf-8")


def wrap(text: str, width: float, measure: Callable[[str], float]) -> Iterator[str]:
    """Greedy wrapping of each line at spaces; a run wider than ``width`` is broken anywhere."""
    space = measure(" ")
    for line in text.split("\n"):
        words: list[str] = []
        used = 0.0
        for word in line.split(" "):
            size = sum(map(measure, word))
            if words and used + space + size <= width:
                words.append(word)
                used += space + size
                continue
            if words:
                yield " ".join(words)
            if size <= width:
                words, used = [word], size
                continue
            start, run = 0, 0.0
            for index, char in enumerate(word):
                char_width = measure(char)
                if run + char_width > width and index > start:
                    yield word[start:index]
                    start, run = index, 0.0
                run += char_width
            words, used = [word[start:]], run
        yield " ".join(words)


class TextPages:
    """A cursor on the canvas that starts a new page before a line would enter the bottom band."""

    def __init__(self, canvas: Canvas, regular: str, bold: str) -> None:
        self.canvas, self.regular, self.bold = canvas, regular, bold
        self.y = PAGE_HEIGHT - TOP
        self.widths: dict[tuple[str, float, str], float] = {}

    def measure(self, font: str, size: float) -> Callable[[str], float]:
        widths = self.widths

        def width(char: str) -> float:
            key = (font, size, char)
            found = widths.get(key)
            if found is None:
                found = widths[key] = pdfmetrics.stringWidth(char, font, size)
            return found

        return width

    def line(self, text: str, font: str, size: float, leading: float, x: float = LEFT) -> None:
        if self.y - leading < BOTTOM:
            self.canvas.showPage()
            self.y = PAGE_HEIGHT - TOP
        self.y -= leading
        if text:
            self.canvas.setFont(font, size)
            self.canvas.drawString(x, self.y + leading - size, text)

    def para(self, text: str, font: str, size: float, leading: float, x: float = LEFT) -> None:
        width = PAGE_WIDTH - RIGHT - x
        for piece in wrap(clean_text(text), width, self.measure(font, size)):
            self.line(piece, font, size, leading, x)

    def field(self, label: str, value: str) -> None:
        width = PAGE_WIDTH - RIGHT - LEFT - LABEL_WIDTH
        pieces = list(wrap(clean_text(value) or "—", width, self.measure(self.regular, BODY_SIZE)))
        for index, piece in enumerate(pieces):
            self.line(piece, self.regular, BODY_SIZE, BODY_LEADING, LEFT + LABEL_WIDTH)
            if index == 0:
                self.canvas.setFont(self.bold, BODY_SIZE)
                self.canvas.drawString(LEFT, self.y + BODY_LEADING - BODY_SIZE, label)

    def rule(self) -> None:
        self.line("", self.regular, BODY_SIZE, 8.0)
        self.canvas.setLineWidth(0.5)
        self.canvas.line(LEFT, self.y + 4, PAGE_WIDTH - RIGHT, self.y + 4)
