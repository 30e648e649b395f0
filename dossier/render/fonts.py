"""The shipped DejaVu fonts (Latin, Cyrillic incl. Kyrgyz Ң Ө Ү), registered once, subset."""

from __future__ import annotations

from functools import cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SERIF = "DossierSerif"
SERIF_BOLD = "DossierSerif-Bold"
SERIF_ITALIC = "DossierSerif-Italic"
SERIF_BOLD_ITALIC = "DossierSerif-BoldItalic"
SANS = "DossierSans"
SANS_BOLD = "DossierSans-Bold"

_FILES = {
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    SERIF_ITALIC: "DejaVuSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "DejaVuSerif-BoldItalic.ttf",
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
}


@cache
def register_fonts() -> None:
    """Register the fonts and their bold/italic families with reportlab (idempotent)."""
    folder = resources.files("dossier").joinpath("fonts")
    for name, file in _FILES.items():
        with resources.as_file(folder.joinpath(file)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    for bold, italic, face in (
        (0, 0, SERIF),
        (1, 0, SERIF_BOLD),
        (0, 1, SERIF_ITALIC),
        (1, 1, SERIF_BOLD_ITALIC),
    ):
        addMapping(SERIF, bold, italic, face)
    # DejaVu Sans ships without italics: emphasis in sans text stays upright.
    for bold, italic, face in ((0, 0, SANS), (1, 0, SANS_BOLD), (0, 1, SANS), (1, 1, SANS_BOLD)):
        addMapping(SANS, bold, italic, face)
