"""Writing the public pages with reportlab: one image and an invisible text layer per page.

The text layer is text render mode 3 (invisible) in DejaVu Sans, embedded as a subset with its
ToUnicode map, so the page can be searched and its text copied. Each word is set at the start of
its box, on a baseline at the font's descent above the box's bottom, its size from the box's
height, and horizontally scaled (Tz) to the box's width; a word followed by another on the same
line gets a trailing space, so text extractors that do not infer spaces from gaps still see them.
Words that read in another direction are turned to it (Tm).

The picture: a JPEG (photographic pages), or Flate data made here (:class:`FlateImage`): a grey
page in 16 levels of 4 bits, a colour page in 8-bit RGB, at zlib's fastest level.

reportlab writes every other stream Flate-compressed; its ASCII85 layer (on by default, a
quarter more bytes, pure Python) is switched off by the caller
(:func:`dossier.canvas.plain_streams`, process-wide: two threads must not write public PDFs at
once; the build uses processes).
"""

from __future__ import annotations

import hashlib
import io
import math
import zlib
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ..canvas import draw_xobject
from .words import Word

FONT = Path(__file__).parent.parent / "fonts" / "DejaVuSans.ttf"
ASCENT, DESCENT = 0.928, 0.236
"""DejaVu Sans, in em."""
JPEG_QUALITY = 80


@dataclass(frozen=True)
class PageOut:
    size: tuple[float, float]
    """Width and height in points."""
    image: Image.Image
    """L or RGB, drawn over the whole page."""
    kind: str
    """``"flate"`` or ``"jpeg"``."""
    words: list[Word]


GREY_LEVELS = [min(15, (v * 15 + 127) // 255) for v in range(256)]
"""8-bit grey -> 4 bits (16 levels: text and line art look the same, the data is half)."""


class FlateImage(pdfdoc.PDFImageXObject):  # type: ignore[misc]
    """An image XObject whose Flate data is made here: a grey page is stored with 16 levels in
    4 bits a pixel (Pillow packs them), compressed at zlib's fastest level (half the bytes of
    reportlab's 8-bit data, in half the time)."""

    def __init__(self, width: int, height: int, colours: int, bits: int, data: bytes) -> None:
        super().__init__("flate", None)
        self.width, self.height = width, height
        self.colours, self.bits = colours, bits
        self.streamContent = data

    def format(self, document: object) -> bytes:
        stream = pdfdoc.PDFStream(content=self.streamContent)
        stream.filters = ()
        info = stream.dictionary
        info["Type"] = pdfdoc.PDFName("XObject")
        info["Subtype"] = pdfdoc.PDFName("Image")
        info["Width"] = self.width
        info["Height"] = self.height
        info["BitsPerComponent"] = self.bits
        info["ColorSpace"] = pdfdoc.PDFName("DeviceGray" if self.colours == 1 else "DeviceRGB")
        info["Filter"] = pdfdoc.PDFName("FlateDecode")
        info["Length"] = len(self.streamContent)
        data: bytes = stream.format(document)
        return data


def flate_image(image: Image.Image) -> FlateImage:
    """``image`` (L or RGB) as a :class:`FlateImage`: grey in 4 bits, colour in 8."""
    if image.mode == "L":
        levels = Image.frombytes("P", image.size, image.point(GREY_LEVELS).tobytes())
        raw, colours, bits = levels.tobytes("raw", "P;4"), 1, 4
    else:
        raw, colours, bits = image.convert("RGB").tobytes(), 3, 8
    return FlateImage(image.width, image.height, colours, bits, zlib.compress(raw, 1))


def register_font(path: Path = FONT) -> str:
    """The reportlab name of the TrueType font at ``path``, registered if it was not."""
    name = "Public-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def _lines(words: list[Word]) -> dict[int, tuple[float, float]]:
    """Bottom and height of each line of upright words (medians: a label's padded box, a
    descender or an accent does not move the line)."""
    bottoms: dict[int, list[float]] = {}
    heights: dict[int, list[float]] = {}
    for word in words:
        if word.angle == 0:
            bottoms.setdefault(word.line_no, []).append(word.box[1])
            heights.setdefault(word.line_no, []).append(word.box[3] - word.box[1])
    return {n: (median(bottoms[n]), median(heights[n])) for n in bottoms}


def _placement(
    word: Word, lines: dict[int, tuple[float, float]]
) -> tuple[float, float, float, float, float]:
    """``(length, height, x, y, angle)``: the word's extent along and across its direction,
    and the bottom of its start in page space."""
    if word.frame is None or word.angle == 0:
        x0, y0, x1, y1 = word.box
        bottom, height = lines.get(word.line_no, (y0, y1 - y0))
        return x1 - x0, height, x0, bottom, 0.0
    u0, v0, u1, v1 = word.frame
    a = math.radians(word.angle)
    c, s = math.cos(a), math.sin(a)
    return u1 - u0, v1 - v0, u0 * c - v0 * s, u0 * s + v0 * c, float(word.angle)


class PdfOut:
    """A public PDF being written, one page at a time (inside :func:`plain_streams`)."""

    def __init__(self, font: Path = FONT, jpeg_quality: int = JPEG_QUALITY) -> None:
        self.font = register_font(font)
        self.jpeg_quality = jpeg_quality
        self.canvas = canvas.Canvas(
            io.BytesIO(),
            invariant=1,
            pageCompression=1,
            initialFontName=self.font,
            initialFontSize=10,
        )
        self.pages = 0

    def page(self, page: PageOut) -> None:
        width, height = page.size
        pdf = self.canvas
        pdf.setPageSize((width, height))
        if page.kind == "jpeg":
            data = io.BytesIO()
            page.image.save(data, "JPEG", quality=self.jpeg_quality)
            data.seek(0)
            self._image(ImageReader(data), width, height)
        else:
            self._image(flate_image(page.image), width, height)
        self._text(page.words, width, height)
        pdf.showPage()
        self.pages += 1

    def _image(self, source: ImageReader | FlateImage, width: float, height: float) -> None:
        """``drawImage`` over the whole page, the XObject named by the page's number:
        reportlab would name it by the MD5 of its pixels, computed for nothing here (each page
        has its own picture)."""
        pdf = self.canvas
        name = f"page{self.pages}"
        image = source if isinstance(source, FlateImage) else pdfdoc.PDFImageXObject(name, source)
        pdf.saveState()
        pdf.scale(width, height)
        draw_xobject(pdf, image, name)
        pdf.restoreState()

    def _text(self, words: list[Word], width: float, height: float) -> None:
        text = self.canvas.beginText()
        text.setTextRenderMode(3)
        lines = _lines(words)
        state = (0.0, 100.0)
        for i, word in enumerate(words):
            body = " ".join(word.text.split())
            x0, y0, x1, y1 = word.box
            if not body or x1 <= 0 or y1 <= 0 or x0 >= width or y0 >= height:
                continue
            length, across, x, y, angle = _placement(word, lines)
            size = round(max(0.5, across / (ASCENT + DESCENT)), 2)
            natural = pdfmetrics.stringWidth(body, self.font, size)
            scale = round(min(1000.0, max(1.0, 100.0 * length / natural)), 1) if natural else 100.0
            a = math.radians(angle)
            c, s = math.cos(a), math.sin(a)
            lift = DESCENT * size
            if size != state[0]:
                text.setFont(self.font, size)
            if scale != state[1]:
                text.setHorizScale(scale)
            state = (size, scale)
            text.setTextTransform(c, s, -s, c, x - lift * s, y + lift * c)
            same_line = i + 1 < len(words) and words[i + 1].line_no == word.line_no
            text.textOut(body + (" " if same_line else ""))
        self.canvas.drawText(text)

    def withheld(self, size: tuple[float, float], number: int) -> None:
        """A placeholder for a page that may not be made public."""
        width, height = size
        pdf = self.canvas
        pdf.setPageSize((width, height))
        pdf.setFont(self.font, 9)
        lines = (
            f"Page {number} is withheld from the public edition:",
            "its text could not be read with enough confidence",
            "and the annex has not been reviewed by a person.",
        )
        for n, line in enumerate(lines):
            pdf.drawString(24, height - 36 - 12 * n, line)
        pdf.showPage()
        self.pages += 1

    def finish(self) -> bytes:
        """The PDF (the canvas is done with; ``getpdfdata`` spares ``save``'s file copy)."""
        data: bytes = self.canvas.getpdfdata()
        return data
