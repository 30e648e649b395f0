"""Image annexes (:mod:`.pictures` says which) as PDF pages: one page per frame, own aspect ratio.

The page is the image at its own resolution (150 dpi when the file does not say), scaled down to
fit an A4 sheet, with a margin so the stamp never covers the picture. JPEG data is embedded as it
is (no re-encoding) unless its EXIF orientation mirrors it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

from PIL import Image, ImageOps
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas

from ..canvas import draw_xobject, plain_streams
from .pictures import open_image

DEFAULT_DPI = 150.0
MARGIN = 18.0
BOTTOM = 28.0
"""Bottom margin, room for the stamp."""
MAX_LONG, MAX_SHORT = 842.0, 595.0
MIN_WIDTH = 240.0

_EXIF_ORIENTATION = 0x0112
_ROTATION = {3: 180, 6: 270, 8: 90}
"""EXIF orientation -> counter-clockwise rotation that shows the picture upright."""


def _dpi(image: Image.Image) -> float:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else DEFAULT_DPI
    except (TypeError, ValueError, IndexError):
        value = DEFAULT_DPI
    return value if 50 <= value <= 1200 else DEFAULT_DPI


def _fit(width_px: int, height_px: int, dpi: float) -> tuple[float, float]:
    """Size of the picture in points: natural size, scaled down to fit A4 less margins."""
    width, height = width_px / dpi * 72, height_px / dpi * 72
    max_w, max_h = (MAX_LONG, MAX_SHORT) if width > height else (MAX_SHORT, MAX_LONG)
    scale = min(1.0, (max_w - 2 * MARGIN) / width, (max_h - MARGIN - BOTTOM) / height)
    return width * scale, height * scale


def _opaque(image: Image.Image) -> Image.Image:
    """The picture as RGB, L or CMYK; transparent parts shown on white, as on paper (pasted
    through its alpha channel onto white: one more copy of the picture, not three)."""
    if image.mode in ("RGB", "L", "CMYK"):
        return image
    if image.mode in ("LA", "RGBA", "PA", "P") or "transparency" in image.info:
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def image_pdf(data: bytes) -> bytes:
    """A PDF with one page per frame of the image in ``data`` (reportlab, invariant mode)."""
    with plain_streams():  # the JPEG embedded as it is, not ASCII85-encoded
        return _image_pdf(data)


def _frames(data: bytes) -> Iterator[Image.Image | None]:
    """Each frame of the image, decoded one at a time (a 200-frame TIFF is never held whole);
    a single ``None`` for a JPEG embedded as it is."""
    with open_image(data) as image:
        orientation = int(image.getexif().get(_EXIF_ORIENTATION, 1) or 1)
        if image.format == "JPEG" and orientation in (1, *_ROTATION):
            yield None  # embedded as it is (DCTDecode): never decoded
            return
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            image.load()
            yield image


def _image_pdf(data: bytes) -> bytes:
    with open_image(data) as image:
        orientation = int(image.getexif().get(_EXIF_ORIENTATION, 1) or 1)
        dpi = _dpi(image)
        size = image.size
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1, pageCompression=1)
    drawn: list[str] = []
    for frame in _frames(data):
        rotation = 0
        source: ImageReader
        if frame is None:
            rotation = _ROTATION.get(orientation, 0)
            source = ImageReader(io.BytesIO(data))
        else:
            upright = ImageOps.exif_transpose(frame) if orientation != 1 else frame
            source = ImageReader(_opaque(upright))
            size = frame.size
        px_w, px_h = size
        if rotation in (90, 270):
            px_w, px_h = px_h, px_w
        width, height = _fit(px_w, px_h, dpi)
        page_w = max(width + 2 * MARGIN, MIN_WIDTH)
        page_h = height + MARGIN + BOTTOM
        pdf.setPageSize((page_w, page_h))
        x, y = (page_w - width) / 2, BOTTOM
        pdf.saveState()
        pdf.translate(x + width / 2, y + height / 2)
        pdf.rotate(rotation)
        draw_w, draw_h = (height, width) if rotation in (90, 270) else (width, height)
        name = hashlib.md5(data + b"#%d" % len(drawn), usedforsecurity=False).hexdigest()
        drawn.append(name)
        pdf.translate(-draw_w / 2, -draw_h / 2)
        pdf.scale(draw_w, draw_h)
        draw_xobject(pdf, pdfdoc.PDFImageXObject(name, source, mask=None), name)
        pdf.restoreState()
        pdf.showPage()
    pdf.save()
    return out.getvalue()
