"""The limits on annex files (``dossier/data/limits.yaml``), and the checks made before parsing.

:func:`check_file` refuses an empty or oversized file; :func:`check_image` an image whose header
says it is too large to decode within bounds (pixels of one frame, decoded bytes of one frame,
pixels of all frames together), before a pixel is decoded. Each raises
:class:`~dossier.errors.AnnexError` (exit 3) with ``label`` (which names the annex) and a fix.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from importlib import resources

from ruamel.yaml import YAML

from ..errors import AnnexError
from .pictures import open_image
from .sniff import renamed_fix


@dataclass(frozen=True)
class Limits:
    """See ``dossier/data/limits.yaml`` for what each limit means and why."""

    max_file_bytes: int
    max_pages_per_annex: int
    max_page_tree_depth: int
    max_stream_bytes: int
    max_decompression_ratio: float
    ratio_floor_bytes: int
    max_image_pixels: int
    max_image_frames: int
    max_text_bytes: int
    max_image_frame_bytes: int
    max_image_total_pixels: int
    max_pdf_objects: int
    max_object_bytes: int


@functools.cache
def load_limits() -> Limits:
    """The shipped limits (read once per process)."""
    text = (resources.files("dossier") / "data" / "limits.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    return Limits(
        max_file_bytes=int(data["max_file_bytes"]),
        max_pages_per_annex=int(data["max_pages_per_annex"]),
        max_page_tree_depth=int(data["max_page_tree_depth"]),
        max_stream_bytes=int(data["max_stream_bytes"]),
        max_decompression_ratio=float(data["max_decompression_ratio"]),
        ratio_floor_bytes=int(data["ratio_floor_bytes"]),
        max_image_pixels=int(data["max_image_pixels"]),
        max_image_frames=int(data["max_image_frames"]),
        max_text_bytes=int(data["max_text_bytes"]),
        max_image_frame_bytes=int(data["max_image_frame_bytes"]),
        max_image_total_pixels=int(data["max_image_total_pixels"]),
        max_pdf_objects=int(data["max_pdf_objects"]),
        max_object_bytes=int(data["max_object_bytes"]),
    )


def mb(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:,.1f} kB"
    return f"{size / 1_000_000:,.1f} MB"


def check_file(size: int, label: str, kind: str = "pdf", limits: Limits | None = None) -> None:
    """Refuse an empty file, or one over the size limit for its kind (pdf, image or text)."""
    lim = limits or load_limits()
    if size == 0:
        raise AnnexError(label, "the file is empty (0 bytes)", "supply the document again")
    cap = lim.max_text_bytes if kind == "text" else lim.max_file_bytes
    if size > cap:
        raise AnnexError(
            label,
            f"the file is {mb(size)}, over the {mb(cap)} limit",
            "split it, or raise the limit in dossier/data/limits.yaml",
        )


# ---- images ---------------------------------------------------------------------------------


_BYTES_PER_PIXEL = {
    "1": 1,
    "L": 1,
    "P": 1,
    "LA": 2,
    "PA": 2,
    "I;16": 2,
    "RGB": 3,
    "YCbCr": 3,
    "LAB": 3,
    "HSV": 3,
    "RGBA": 4,
    "RGBX": 4,
    "CMYK": 4,
    "I": 4,
    "F": 4,
}


def _frames(image: object) -> list[tuple[int, int, str]]:
    """``(width, height, mode)`` of every frame, read from the headers (nothing decoded)."""
    out = []
    count = int(getattr(image, "n_frames", 1))
    for index in range(count):
        if index:
            image.seek(index)  # type: ignore[attr-defined]
        width, height = image.size  # type: ignore[attr-defined]
        out.append((width, height, str(image.mode)))  # type: ignore[attr-defined]
    return out


def check_image(data: bytes, label: str, limits: Limits | None = None, *, suffix: str = "") -> None:
    """Refuse an image that cannot be identified, or that is too large to decode within bounds:
    too many frames, too many pixels or decoded bytes in one frame, too many pixels in all.

    Reads only the headers (every frame's, for a TIFF); pixels are not decoded.
    """
    from PIL import Image, UnidentifiedImageError

    lim = limits or load_limits()
    fix = "open it in an image viewer and save it again"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with open_image(data) as image:
                frames = int(getattr(image, "n_frames", 1))
                if frames > lim.max_image_frames:
                    raise AnnexError(
                        label,
                        f"the image has {frames:,} frames, over the {lim.max_image_frames:,} "
                        "allowed",
                        "convert it to a PDF, or raise max_image_frames in "
                        "dossier/data/limits.yaml",
                    )
                sizes = _frames(image)
    except UnidentifiedImageError:
        fix = renamed_fix(data, suffix, fix)
        raise AnnexError(label, "not a readable image (unknown or damaged header)", fix) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise AnnexError(label, f"not a readable image ({exc})", fix) from None
    except Image.DecompressionBombError as exc:
        raise AnnexError(label, f"the image has too many pixels ({exc})", "scale it down") from None
    total = 0
    for width, height, mode in sizes:
        pixels = width * height
        total += pixels
        decoded = pixels * _BYTES_PER_PIXEL.get(mode, 4)
        if pixels > lim.max_image_pixels or width <= 0 or height <= 0:
            raise AnnexError(
                label,
                f"the image is {width:,} × {height:,} pixels, over the {lim.max_image_pixels:,} "
                "allowed",
                "scale it down, or raise max_image_pixels in dossier/data/limits.yaml",
            )
        if decoded > lim.max_image_frame_bytes:
            raise AnnexError(
                label,
                f"the image ({width:,} × {height:,} pixels, {mode}) decodes to {mb(decoded)}, "
                f"over the {mb(lim.max_image_frame_bytes)} allowed",
                "scale it down or save it without transparency, or raise "
                "max_image_frame_bytes in dossier/data/limits.yaml",
            )
    if total > lim.max_image_total_pixels:
        raise AnnexError(
            label,
            f"the image's {len(sizes):,} frames hold {total:,} pixels, over the "
            f"{lim.max_image_total_pixels:,} allowed",
            "convert it to a PDF or split it, or raise max_image_total_pixels in "
            "dossier/data/limits.yaml",
        )
