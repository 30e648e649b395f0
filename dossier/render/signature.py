"""The cover letter's signature block: the space where the letter is signed, and the stamp of a
digital signature.

:class:`SignatureSpace` is the blank between the closing formula and the signatory's name. It
draws the signatory's ``signature_image`` when the edition shows it, and records where it was
drawn (page and rectangle) so that a final PDF can be signed digitally exactly there
(``Rendered.boxes``). :func:`signature_stamp` typesets the visible appearance of that digital
signature as a one-page PDF of the rectangle's size, in the shipped DejaVu font, so that any
signatory's name (Cyrillic too) is shown as written.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import UnidentifiedImageError
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..canvas import plain_streams
from ..errors import BuildError
from . import i18n
from .fonts import SANS, SANS_BOLD, register_fonts
from .styles import RULE_COLOR

SIGNATURE_KEY = "signature"
"""Key of the signature block in ``Rendered.boxes``."""
SPACE_HEIGHT = 16 * mm
"""Height of the blank left for the signature (a hand signature, or the digital stamp)."""
BOX_WIDTH = 75 * mm
"""Width of the digital signature's field inside that blank."""
BOX_GAP = 1.5 * mm
"""Space left between the digital signature's field and the signatory's name below it."""


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible signature goes: a page (0-based) and a rectangle on it.

    ``rect`` is (x1, y1, x2, y2) in PDF user-space points, origin bottom left.
    """

    page_index: int
    rect: tuple[float, float, float, float]


class SignatureSpace(Flowable):  # type: ignore[misc]
    """The blank for the signature: draws ``image`` (if any) and records where it is.

    The rectangle (x1, y1, x2, y2, in points from the page's bottom left) and the 1-based page
    number go to the canvas' ``dossier_boxes`` under ``key`` when the flowable is drawn.
    """

    def __init__(self, image: ImageReader | None = None, key: str = SIGNATURE_KEY) -> None:
        super().__init__()
        self.image = image
        self.key = key
        self.width = BOX_WIDTH
        self.height = SPACE_HEIGHT

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(BOX_WIDTH, avail_width)
        return (self.width, self.height)

    def draw(self) -> None:
        canvas = self.canv
        boxes = getattr(canvas, "dossier_boxes", None)
        if boxes is not None:  # absolute: a container may have moved the origin
            x1, y1 = canvas.absolutePosition(0, BOX_GAP)  # air between the field and the name
            x2, y2 = canvas.absolutePosition(self.width, self.height)
            rect = (round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2))
            boxes[self.key] = (canvas.getPageNumber(), rect)
        if self.image is not None:
            self.canv.drawImage(
                self.image,
                0,
                1 * mm,
                width=self.width,
                height=self.height - 2 * mm,
                preserveAspectRatio=True,
                anchor="sw",
                mask="auto",
            )


def signature_image(path: Path) -> ImageReader:
    """The signature image at ``path``, read once; an unreadable file is a BuildError."""
    try:
        reader = ImageReader(str(path))
        reader.getSize()
    except (OSError, ValueError, UnidentifiedImageError) as exc:
        raise BuildError(
            f"{path}: the signature image cannot be read ({exc}) — supply a PNG or JPEG file"
        ) from None
    return reader


def signature_stamp(signer: str, date: dt.date, lang: str, size: tuple[float, float]) -> bytes:
    """The visible appearance of a digital signature: a one-page PDF of ``size`` (points) saying
    "Digitally signed by / NAME / date" in the letter's language (reportlab invariant mode)."""
    register_fonts()
    width, height = size
    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=SANS)
    canvas.setTitle(i18n.t(lang, "signed_digitally"))
    canvas.setStrokeColor(RULE_COLOR)
    canvas.setLineWidth(0.6)
    canvas.rect(0.3, 0.3, width - 0.6, height - 0.6)
    pad = 2.5 * mm
    name_size = 10.0
    while name_size > 5 and canvas.stringWidth(signer, SANS_BOLD, name_size) > width - 2 * pad:
        name_size -= 0.5
    lines = (
        (i18n.t(lang, "signed_digitally"), SANS, 7.5),
        (signer, SANS_BOLD, name_size),
        (i18n.exact_date(date, lang), SANS, 7.5),
    )
    y = height - pad
    for text, font, font_size in lines:
        y -= font_size
        canvas.setFont(font, font_size)
        canvas.drawString(pad, y, text)
        y -= 0.35 * font_size
    canvas.showPage()
    with plain_streams():
        canvas.save()
    return buffer.getvalue()
