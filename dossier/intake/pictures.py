"""Which annex files are pictures, and opening them (headers only; no pixels decoded).

The pictures people have: JPEG, PNG, TIFF, phone photos in HEIC/HEIF (the iPhone's own format,
read through pillow-heif), WebP and GIF from messengers and the web, BMP from old scanners.
Light on purpose: ``check`` reads image headers without importing the typesetting.
"""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif", ".webp", ".gif", ".bmp"}
)


@cache
def _heif() -> None:
    """Teach Pillow to open HEIC/HEIF, once per process."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def open_image(data: bytes) -> Image.Image:
    """``Image.open`` for any image annex, HEIC included (pillow-heif, 50 ms to import, only
    for a file in the ISO base media format HEIC uses)."""
    from PIL import Image

    if data[4:8] == b"ftyp":
        _heif()
    return Image.open(io.BytesIO(data))
