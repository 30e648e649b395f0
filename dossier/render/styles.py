"""Page geometry and paragraph styles of our own pages."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from .fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = 25 * mm
RIGHT_MARGIN = 22 * mm
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 26 * mm
"""Kept free of our own ink: the assemble stage stamps case, part and page in the bottom 14 mm."""
STAMP_BAND = 14 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN

LINK_COLOR = colors.HexColor("#1a4d8f")
RULE_COLOR = colors.HexColor("#7a7a7a")
DRAFT_COLOR = colors.HexColor("#e8e8e8")
DRAFT_NOTE_COLOR = colors.HexColor("#b00020")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_left: ParagraphStyle
    small: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    quote: ParagraphStyle
    code: ParagraphStyle
    letterhead: ParagraphStyle
    letterhead_small: ParagraphStyle
    right: ParagraphStyle
    subject: ParagraphStyle
    numbered: ParagraphStyle
    numbered_left: ParagraphStyle
    lettered: ParagraphStyle
    numbered_item: ParagraphStyle
    """A list item inside a numbered paragraph."""
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    hash: ParagraphStyle
    toc: ParagraphStyle
    toc_sub: ParagraphStyle
    divider_title: ParagraphStyle
    divider_sub: ParagraphStyle
    centered: ParagraphStyle
    plain: ParagraphStyle


def make_styles() -> Styles:
    register_fonts()

    def style(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": SERIF,
            "fontSize": 10.5,
            "leading": 14,
            "spaceAfter": 6,
            "alignment": TA_LEFT,
            "linkUnderline": 0,
            "bulletFontName": SERIF,
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        body=style("body", alignment=TA_JUSTIFY),
        body_left=style("body_left"),
        small=style("small", fontSize=8.5, leading=11, spaceAfter=2),
        h1=style("h1", fontName=SANS_BOLD, fontSize=15, leading=19, spaceAfter=10, spaceBefore=0),
        h2=style("h2", fontName=SANS_BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=6),
        h3=style("h3", fontName=SANS_BOLD, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=4),
        quote=style("quote", leftIndent=10 * mm, rightIndent=8 * mm, fontSize=10, leading=13),
        code=style("code", fontName=SANS, fontSize=9, leading=12, leftIndent=6 * mm),
        letterhead=style("letterhead", fontName=SANS_BOLD, fontSize=14, leading=18, spaceAfter=1),
        letterhead_small=style(
            "letterhead_small", fontName=SANS, fontSize=8.5, leading=11, spaceAfter=0
        ),
        right=style("right", alignment=TA_RIGHT),
        subject=style("subject", fontName=SERIF_BOLD, spaceBefore=6, spaceAfter=10),
        numbered=style(
            "numbered", alignment=TA_JUSTIFY, leftIndent=10 * mm, bulletIndent=0, spaceAfter=3
        ),
        numbered_left=style("numbered_left", leftIndent=10 * mm, bulletIndent=0, spaceAfter=3),
        lettered=style("lettered", leftIndent=10 * mm, bulletIndent=3 * mm, spaceAfter=3),
        numbered_item=style(
            "numbered_item", leftIndent=15 * mm, bulletIndent=11 * mm, spaceAfter=2
        ),
        cell=style("cell", fontName=SANS, fontSize=8, leading=10, spaceAfter=0),
        cell_head=style("cell_head", fontName=SANS_BOLD, fontSize=8, leading=10, spaceAfter=0),
        hash=style("hash", fontName=SANS, fontSize=7, leading=10, spaceAfter=0),
        toc=style(
            "toc", fontName=SERIF, fontSize=10.5, leading=15, spaceAfter=2, rightIndent=14 * mm
        ),
        toc_sub=style(
            "toc_sub",
            fontName=SERIF,
            fontSize=9.5,
            leading=13,
            spaceAfter=1,
            leftIndent=14 * mm,
            firstLineIndent=-8 * mm,
            rightIndent=14 * mm,
        ),
        divider_title=style(
            "divider_title", fontName=SANS_BOLD, fontSize=30, leading=36, alignment=TA_CENTER
        ),
        divider_sub=style(
            "divider_sub", fontName=SERIF_BOLD, fontSize=14, leading=19, alignment=TA_CENTER
        ),
        centered=style("centered", alignment=TA_CENTER),
        plain=style("plain", alignment=TA_LEFT, spaceAfter=0),
    )
