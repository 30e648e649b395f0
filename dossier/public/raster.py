"""Pixels of a page: rendering, redaction boxes burnt in, the choice of image encoding.

Image encoding (:func:`encoding`), decided on the rendered page (after the boxes are burnt in):

* grey or colour: a page is colour when more than ``COLOUR_SHARE`` of the pixels of a 4x reduced
  copy have a channel spread (max - min of R, G, B) of ``COLOUR_SPREAD`` or more; else it is
  stored as 8-bit grey (a third of the data);
* text-like or photographic: text and line art are nearly all paper and ink, their mid-tones
  (grey levels 48-207) are only the anti-aliased edges of strokes, a few percent of the page;
  a photo or a scan on grey paper is mostly mid-tones. Under ``MIDTONE_SHARE`` mid-tones the page
  is Flate-compressed (a grey page in 16 levels: sharp text, small file, ``pdfout.py``);
  otherwise JPEG at ``JPEG_QUALITY``.

Pictures (:func:`picture_share`): the share of the page covered by image objects (an image drawn
inside a form XObject counts with the form's box). A page with text whose pictures cover
``PICTURE_SHARE`` of it or more is OCRed as well, since its text layer says nothing of what the
pictures show (a scan with a scanner's own OCR layer, a photo of a document pasted in a letter).
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageChops, ImageDraw, ImageFont

from .words import Box

MAX_PIXELS = 40_000_000
"""A page rendered larger than this (A0 at 150 dpi is 35 Mpx) is rendered at a lower dpi."""
COLOUR_SPREAD = 32
COLOUR_SHARE = 0.001
MIDTONE_SHARE = 0.15
PICTURE_SHARE = 0.2
MIN_PICTURE = 24.0
"""A picture smaller than this many points either way cannot show a legible name."""
GLYPH_HEIGHT = (3.0, 48.0)
GLYPH_WIDTH = 120.0
GLYPH_DEPTH = 4
GLYPH_SHAPES = 8
"""A page with this many filled letter-sized vector shapes may show text drawn as outlines:
it is OCRed whole, like a page that is mostly pictures."""
LABEL_FONT = Path(__file__).parent.parent / "fonts" / "DejaVuSans-Bold.ttf"


def render(page: pdfium.PdfPage, dpi: float, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The page as displayed (RGB), at ``dpi`` or less so as not to exceed ``max_pixels``."""
    width, height = (float(v) for v in page.get_size())
    scale = dpi / 72
    if width * height * scale * scale > max_pixels:
        scale = math.sqrt(max_pixels / (width * height))
    bitmap = page.render(scale=scale, may_draw_forms=False, draw_annots=False, rev_byteorder=True)
    try:
        image: Image.Image = bitmap.to_pil()  # RGB: a copy (Pillow shares only 1/4-byte modes)
        return image if image.mode == "RGB" else image.convert("RGB")
    finally:
        bitmap.close()


@dataclass
class Drawn:
    """What a page draws besides text: its pictures and glyph-like vector shapes."""

    share: float
    """The share of the page (0-1) covered by pictures."""
    pictures: list[tuple[float, float, float, float]]
    """Each picture's box, user space, clipped to the page."""
    glyphs: int
    """Filled vector shapes of the size of a letter (text turned into outlines?)."""


def drawn(page: pdfium.PdfPage) -> Drawn:
    """Pictures and glyph-like shapes of the page: see the module docstring."""
    left, bottom, right, top = (float(v) for v in page.get_bbox())
    area = max(1e-6, (right - left) * (top - bottom))
    covered = 0.0
    boxes: list[tuple[float, float, float, float]] = []
    glyphs = 0
    image, form = pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM
    path = pdfium_c.FPDF_PAGEOBJ_PATH
    for obj in page.get_objects(max_depth=GLYPH_DEPTH):
        if obj.type == path:
            x0, y0, x1, y1 = (float(v) for v in obj.get_bounds())
            if GLYPH_HEIGHT[0] <= y1 - y0 <= GLYPH_HEIGHT[1] and x1 - x0 <= GLYPH_WIDTH:
                glyphs += _filled(obj)
            continue
        if obj.type == form:
            inner = page.get_objects(filter=[image], form=obj, max_depth=14)
            if next(inner, None) is None:
                continue
        elif obj.type != image:
            continue
        if obj.level > 0:
            continue  # a picture inside a form counts with the form's box
        x0, y0, x1, y1 = (float(v) for v in obj.get_bounds())
        x0, y0, x1, y1 = max(x0, left), max(y0, bottom), min(x1, right), min(y1, top)
        if x1 > x0 and y1 > y0:
            covered += (x1 - x0) * (y1 - y0)
            boxes.append((x0, y0, x1, y1))
    return Drawn(min(1.0, covered / area), boxes, glyphs)


def _filled(obj: pdfium.PdfObject) -> int:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke)):
        return 0
    return 1 if fill.value else 0


def picture_share(page: pdfium.PdfPage) -> float:
    """The share of the page (0-1) covered by pictures: see the module docstring."""
    return drawn(page).share


def _pixel_box(box: Box, image: Image.Image, size: tuple[float, float]) -> tuple[int, ...]:
    sx, sy = image.width / size[0], image.height / size[1]
    x0, y0, x1, y1 = box
    return (
        math.floor(x0 * sx),
        math.floor((size[1] - y1) * sy),
        math.ceil(x1 * sx) - 1,
        math.ceil((size[1] - y0) * sy) - 1,
    )


def _label_font(text: str, width: int, height: int) -> ImageFont.FreeTypeFont:
    size = max(4, int(height * 0.7))
    font = ImageFont.truetype(str(LABEL_FONT), size)
    length = font.getlength(text)
    if length > width * 0.95:
        size = max(4, int(size * width * 0.95 / length))
        font = ImageFont.truetype(str(LABEL_FONT), size)
    return font


def burn(
    image: Image.Image,
    size: tuple[float, float],
    boxes: Sequence[Box],
    label: str | None,
    angle: int = 0,
) -> None:
    """Black boxes over ``boxes``; ``label`` in white, centred in the largest one, reading in
    the direction ``angle`` (degrees counter-clockwise)."""
    draw = ImageDraw.Draw(image)
    pixel_boxes = [_pixel_box(b, image, size) for b in boxes]
    for box in pixel_boxes:
        draw.rectangle(box, fill="black")
    if not label or not pixel_boxes:
        return
    x0, y0, x1, y1 = max(pixel_boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    width, height = x1 - x0 + 1, y1 - y0 + 1
    if angle % 180 == 90:
        width, height = height, width
    font = _label_font(label, width, height)
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).text((width / 2, height / 2), label, fill=255, font=font, anchor="mm")
    if angle:
        mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    clipped = Image.new("L", (x1 - x0 + 1, y1 - y0 + 1), 0)  # the label never leaves its box
    clipped.paste(mask, ((clipped.width - mask.width) // 2, (clipped.height - mask.height) // 2))
    image.paste((255, 255, 255), (x0, y0, x1 + 1, y1 + 1), clipped)


def encoding(image: Image.Image) -> tuple[str, Image.Image]:
    """``("flate" | "jpeg", image as L or RGB)``: see the module docstring."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    small = rgb.reduce(4) if min(rgb.size) >= 64 else rgb
    r, g, b = small.split()
    spread = ImageChops.lighter(
        ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b)),
        ImageChops.difference(r, b),
    ).histogram()
    colour = sum(spread[COLOUR_SPREAD:]) > COLOUR_SHARE * sum(spread)
    grey = rgb.convert("L")
    hist = grey.histogram()  # of the whole page: a few percent of mid-tones is a lot of text
    midtones = sum(hist[48:208]) / max(1, sum(hist))
    return ("flate" if midtones < MIDTONE_SHARE else "jpeg"), (rgb if colour else grey)
