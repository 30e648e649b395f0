"""Limits on annex files: refuse broken or hostile files with one clear error, never a crash.

The limits live in ``dossier/data/limits.yaml``. The intake stage calls these functions when it
opens an annex; each raises :class:`~dossier.errors.AnnexError` (exit 3) with ``label`` (which
names the annex) and a fix:

* :func:`check_file` — empty or oversized files, before parsing;
* :func:`check_pdf_header` — data that is not a PDF at all;
* :func:`check_pdf_limits` — after ``PdfReader``: the page tree is walked without trusting
  ``/Count`` (zero pages, too many pages, loops, depth), and the non-image streams are
  decompressed with a budget (one stream too large, or a decompression ratio of a "PDF bomb");
* :func:`check_image` — image files: bad header, too many pixels or frames;
* :func:`check_annex_path` — a path that stays inside ``annexes/``.
"""

from __future__ import annotations

import functools
import io
import warnings
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)
from ruamel.yaml import YAML

from ..errors import PDF_READ_ERRORS, AnnexError
from .repairs import log


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
    )


def _mb(size: int) -> str:
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
            f"the file is {_mb(size)}, over the {_mb(cap)} limit",
            "split it, or raise the limit in dossier/data/limits.yaml",
        )


def check_pdf_header(data: bytes, label: str) -> None:
    """Refuse data that does not start like a PDF (``%PDF-`` in the first kilobyte)."""
    if b"%PDF-" not in data[:1024]:
        start = data[:8].hex(" ") if data else "nothing"
        raise AnnexError(
            label,
            f"not a PDF file (it starts with {start})",
            "check the file, or give it the right extension",
        )


def pdf_open_error(data: bytes, exc: BaseException, label: str) -> AnnexError:
    """The error for a PDF that pypdf could not open, saying why in the user's words."""
    if b"%PDF-" not in data[:1024]:
        try:
            check_pdf_header(data, label)
        except AnnexError as error:
            return error
    if b"%%EOF" not in data[-2048:]:
        return AnnexError(
            label,
            f"the PDF is truncated (it ends without %%EOF after {_mb(len(data))})",
            "copy or download the document again",
        )
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return AnnexError(
        label, f"not a readable PDF ({reason})", "open it in a PDF viewer and save it again"
    )


# ---- PDF structure --------------------------------------------------------------------------


class Damaged(AnnexError):
    """A PDF whose structure pypdf cannot read (no readable page tree, no page): a repair by qpdf
    may recover it (:mod:`.repair`), where a hostile structure is refused outright."""


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def count_pages(reader: PdfReader, label: str, limits: Limits | None = None) -> int:
    """Leaves of the page tree, walked with loop, depth and count limits (``/Count`` ignored)."""
    lim = limits or load_limits()
    try:
        root = _resolve(reader.trailer["/Root"])
        tree = _resolve(root["/Pages"])
    except PDF_READ_ERRORS as exc:
        raise Damaged(
            label, f"the PDF has no readable page tree ({exc})", "re-save it from a PDF viewer"
        ) from None
    seen: set[int] = set()
    pages = 0
    stack: list[tuple[Any, int]] = [(tree, 0)]
    while stack:
        node_ref, depth = stack.pop()
        if isinstance(node_ref, IndirectObject):
            if node_ref.idnum in seen:
                raise AnnexError(
                    label,
                    f"the page tree refers to object {node_ref.idnum} more than once "
                    "(a loop, or a 'page bomb')",
                    "re-save it from a PDF viewer",
                )
            seen.add(node_ref.idnum)
        try:
            node = _resolve(node_ref)
        except PDF_READ_ERRORS:
            continue
        if not isinstance(node, DictionaryObject):
            continue
        kids = node.get("/Kids")
        node_type = node.get("/Type")
        if node_type == "/Pages" or (node_type is None and kids is not None):
            if depth >= lim.max_page_tree_depth:
                raise AnnexError(
                    label,
                    f"the page tree is nested more than {lim.max_page_tree_depth} levels deep",
                    "re-save it from a PDF viewer",
                )
            kids = _resolve(kids)
            if isinstance(kids, ArrayObject):
                stack.extend((kid, depth + 1) for kid in reversed(kids))
            continue
        if node_type is None:  # as pypdf reads it: a page, which it cannot copy without /Type
            node[NameObject("/Type")] = NameObject("/Page")
            log.warning("repaired: a page without /Type was taken as a page")
        elif node_type != "/Page":
            where = f" (object {node_ref.idnum})" if isinstance(node_ref, IndirectObject) else ""
            raise AnnexError(
                label,
                f"the page tree holds a {node_type} object where a page should be{where}",
                "re-save it from a PDF viewer",
            )
        pages += 1
        if pages > lim.max_pages_per_annex:
            raise AnnexError(
                label,
                f"more than {lim.max_pages_per_annex:,} pages",
                "split the document into several annexes, or raise max_pages_per_annex in "
                "dossier/data/limits.yaml",
            )
    return pages


def _filters(stream: StreamObject) -> list[str]:
    value = _resolve(stream.get("/Filter"))
    if value is None:
        return []
    if isinstance(value, ArrayObject):
        return [str(_resolve(v)) for v in value]
    return [str(value)]


_IMAGE_FILTERS = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/DCT", "/CCF"}


def _inflated_size(raw: bytes, cap: int) -> int:
    """Size of ``raw`` inflated, stopping as soon as it passes ``cap`` (returns cap + 1)."""
    inflater = zlib.decompressobj()
    total = 0
    data = raw
    while data:
        try:
            chunk = inflater.decompress(data, 1 << 20)
        except zlib.error:
            return total  # a damaged stream: pypdf will recover what it can
        total += len(chunk)
        if total > cap:
            return cap + 1
        data = inflater.unconsumed_tail
        if not chunk and not data:
            break
    return total


def decoded_size(stream: StreamObject, cap: int) -> int:
    """Decoded size of a non-image stream, at most ``cap + 1`` bytes are produced."""
    filters = _filters(stream)
    raw = bytes(stream._data or b"")
    if not filters:
        return len(raw)
    if any(f in _IMAGE_FILTERS for f in filters):
        return 0
    if filters in (["/FlateDecode"], ["/Fl"]):
        return _inflated_size(raw, cap)
    try:
        return len(decode_stream_data(stream))
    except LimitReachedError:
        return cap + 1
    except (*PDF_READ_ERRORS, NotImplementedError, zlib.error):
        return 0


def _object_refs(reader: PdfReader) -> list[tuple[int, int]]:
    refs = {(idnum, gen) for gen, table in reader.xref.items() for idnum in table}
    refs.update((idnum, 0) for idnum in reader.xref_objStm)
    return sorted(refs)


def check_streams(
    reader: PdfReader, file_size: int, label: str, limits: Limits | None = None
) -> int:
    """Decompress every non-image stream within budget; return the total decoded bytes."""
    lim = limits or load_limits()
    total = 0
    ratio_cap = max(lim.ratio_floor_bytes, int(lim.max_decompression_ratio * max(file_size, 1)))
    for idnum, gen in _object_refs(reader):
        try:
            obj = reader.get_object(IndirectObject(idnum, gen, reader))
        except (*PDF_READ_ERRORS, OSError):
            continue
        if not isinstance(obj, StreamObject) or obj.get("/Subtype") == "/Image":
            continue
        size = decoded_size(obj, lim.max_stream_bytes)
        if size > lim.max_stream_bytes:
            raise AnnexError(
                label,
                f"object {idnum} decompresses to more than {_mb(lim.max_stream_bytes)} "
                "(a 'PDF bomb'?)",
                "re-create the PDF, or raise max_stream_bytes in dossier/data/limits.yaml",
            )
        total += size
        if total > ratio_cap:
            raise AnnexError(
                label,
                f"decompresses to more than {lim.max_decompression_ratio:g} times its "
                f"size of {_mb(file_size)} (a 'PDF bomb'?)",
                "re-create the PDF, or raise max_decompression_ratio in dossier/data/limits.yaml",
            )
    return total


def check_pdf_limits(
    reader: PdfReader,
    label: str,
    file_size: int | None = None,
    limits: Limits | None = None,
    deep: bool = True,
) -> int:
    """Structural limits of an opened (and decrypted) PDF; returns its page count.

    Call it before ``len(reader.pages)``: pypdf flattens the page tree, which a hostile file can
    make enormous. ``deep`` also decompresses the non-image streams within a budget.
    """
    lim = limits or load_limits()
    pages = count_pages(reader, label, lim)
    if pages == 0:
        raise Damaged(label, "the PDF has no pages", "supply the document again")
    if deep:
        size = file_size
        if size is None:
            stream = reader.stream
            size = len(stream.getbuffer()) if isinstance(stream, io.BytesIO) else 0
        check_streams(reader, size, label, lim)
    return pages


# ---- images ---------------------------------------------------------------------------------


def check_image(data: bytes, label: str, limits: Limits | None = None) -> None:
    """Refuse an image that cannot be identified, or whose size or frame count is excessive.

    Reads only the header (and walks TIFF frames); pixels are not decoded.
    """
    from PIL import Image, UnidentifiedImageError

    lim = limits or load_limits()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                frames = int(getattr(image, "n_frames", 1))
    except UnidentifiedImageError:
        raise AnnexError(
            label,
            "not a readable image (unknown or damaged header)",
            "open it in an image viewer and save it again",
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise AnnexError(
            label, f"not a readable image ({exc})", "open it in an image viewer and save it again"
        ) from None
    except Image.DecompressionBombError as exc:
        raise AnnexError(label, f"the image has too many pixels ({exc})", "scale it down") from None
    if width * height > lim.max_image_pixels or width <= 0 or height <= 0:
        raise AnnexError(
            label,
            f"the image is {width:,} × {height:,} pixels, over the {lim.max_image_pixels:,} "
            "allowed",
            "scale it down, or raise max_image_pixels in dossier/data/limits.yaml",
        )
    if frames > lim.max_image_frames:
        raise AnnexError(
            label,
            f"the image has {frames:,} frames, over the {lim.max_image_frames:,} allowed",
            "convert it to a PDF, or raise max_image_frames in dossier/data/limits.yaml",
        )


# ---- paths ----------------------------------------------------------------------------------


FIX_PATH = "add the file or fix the path"


def check_annex_path(case_root: Path, file: str, label: str) -> Path:
    """The annex file ``annexes/<file>`` of the case, refusing any path that leaves ``annexes/``.

    The intake stage opens every annex file through this function, so no caller can read
    outside the case; ``check`` reports the refusal (ANX-02) and the build stops on it.
    """
    raw = Path(file)
    if raw.is_absolute() or file.startswith(("/", "\\")) or (len(file) > 1 and file[1] == ":"):
        raise AnnexError(label, f"'{file}' is an absolute path", FIX_PATH)
    if ".." in raw.parts or "\\" in file:
        raise AnnexError(label, f"'{file}' leaves the annexes/ folder", FIX_PATH)
    base = (case_root / "annexes").resolve()
    path = base / raw
    if not path.exists() and not path.is_symlink():
        raise AnnexError(label, f"'{file}' not found", FIX_PATH)
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise AnnexError(label, f"'{file}' is a broken link", FIX_PATH) from None
    if not resolved.is_relative_to(base):
        raise AnnexError(label, f"'{file}' is a link leading outside annexes/", FIX_PATH)
    if not resolved.is_file():
        raise AnnexError(label, f"'{file}' is not a file", FIX_PATH)
    return resolved
