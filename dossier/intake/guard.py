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

import io
import re
import zlib
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

from ..errors import PDF_READ_ERRORS, AnnexError
from .limits import Limits, check_file, check_image, load_limits, mb
from .repairs import log
from .sniff import renamed_fix

__all__ = [
    "Limits",
    "check_annex_path",
    "check_declared_size",
    "check_file",
    "check_image",
    "check_objects",
    "check_pdf_header",
    "check_pdf_limits",
    "count_pages",
    "decoded_size",
    "load_limits",
    "pdf_open_error",
]
_SIZE = re.compile(rb"/Size\s+(\d+)")


def check_pdf_header(data: bytes, label: str) -> None:
    """Refuse data that does not start like a PDF (``%PDF-`` in the first kilobyte)."""
    if b"%PDF-" not in data[:1024]:
        start = data[:8].hex(" ") if data else "nothing"
        raise AnnexError(
            label,
            f"not a PDF file (it starts with {start})",
            renamed_fix(data, ".pdf", "check the file, or give it the right extension"),
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
            f"the PDF is truncated (it ends without %%EOF after {mb(len(data))})",
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


def _too_many(count: int, label: str, lim: Limits) -> AnnexError:
    return AnnexError(
        label,
        f"the PDF has {count:,} objects, over the {lim.max_pdf_objects:,} allowed (a PDF made "
        "to exhaust memory?)",
        "re-save it from a PDF viewer (or print it to PDF), or raise max_pdf_objects in "
        "dossier/data/limits.yaml",
    )


def check_declared_size(data: bytes, label: str, limits: Limits | None = None) -> None:
    """Before parsing: refuse a PDF whose last trailer declares too many objects (``/Size``)."""
    lim = limits or load_limits()
    start = data.rfind(b"startxref", max(0, len(data) - 4096))
    if start < 0:
        return
    tail = data[start : start + 64].split()
    if len(tail) < 2 or not tail[1].isdigit():
        return
    offset = int(tail[1])
    window = data[offset : offset + 4096] if 0 <= offset < len(data) else b""
    found = _SIZE.search(window) or _SIZE.search(data[max(0, len(data) - 4096) :])
    if found is not None and int(found.group(1)) > lim.max_pdf_objects + 1:
        raise _too_many(int(found.group(1)) - 1, label, lim)


def check_objects(reader: PdfReader, data: bytes, label: str, limits: Limits | None = None) -> None:
    """After the cross-reference table is read, before any object is: too many objects, or an
    object that is not a stream but takes more than ``max_object_bytes`` of the file (a string
    of 100 MB parses slowly into gigabytes)."""
    lim = limits or load_limits()
    offsets = sorted(
        (offset, idnum) for table in reader.xref.values() for idnum, offset in table.items()
    )
    count = len(offsets) + len(reader.xref_objStm)
    if count > lim.max_pdf_objects:
        raise _too_many(count, label, lim)
    ends = [offset for offset, _ in offsets[1:]] + [len(data)]
    for (offset, idnum), end in zip(offsets, ends, strict=True):
        if end - offset <= lim.max_object_bytes:
            continue
        head = data[offset : offset + 65536]
        if re.search(rb">>\s*stream\r?\n", head):
            continue
        raise AnnexError(
            label,
            f"object {idnum} takes {mb(end - offset)} of the file without being a stream (a "
            "string or array made to exhaust memory?)",
            "re-save it from a PDF viewer (or print it to PDF), or raise max_object_bytes in "
            "dossier/data/limits.yaml",
        )


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
    """The objects of the file, those stored in the file itself first: an object stream is
    size-checked before any object inside it is parsed."""
    own = {(idnum, gen) for gen, table in reader.xref.items() for idnum in table}
    packed = {(idnum, 0) for idnum in reader.xref_objStm} - own
    return sorted(own) + sorted(packed)


def _loop(idnum: int, label: str) -> AnnexError:
    return AnnexError(
        label,
        f"object {idnum} refers to itself (a reference loop that no reader can resolve)",
        "open it in a PDF viewer and save it again (or print it to PDF)",
    )


def _follow(reader: PdfReader, idnum: int, obj: IndirectObject, label: str) -> Any:
    """The object a chain of references leads to; a loop is refused."""
    seen = {idnum}
    current: Any = obj
    while isinstance(current, IndirectObject):
        if current.idnum in seen or len(seen) > 32:
            raise _loop(idnum, label)
        seen.add(current.idnum)
        current = reader.get_object(current)
    return current


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
            if isinstance(obj, IndirectObject):
                obj = _follow(reader, idnum, obj, label)
        except RecursionError:
            raise _loop(idnum, label) from None
        except (*PDF_READ_ERRORS, OSError) as exc:
            if "loop" in str(exc).lower() or "indirect_reference" in str(exc):
                raise _loop(idnum, label) from None  # pypdf cannot hold a reference as value
            continue
        if not isinstance(obj, StreamObject) or obj.get("/Subtype") == "/Image":
            continue
        packed = obj.get("/Type") == "/ObjStm"
        cap = lim.max_object_bytes if packed else lim.max_stream_bytes
        size = decoded_size(obj, cap)
        if packed and size > cap:
            raise AnnexError(
                label,
                f"object stream {idnum} decompresses to more than {mb(cap)} (objects made to "
                "exhaust memory?)",
                "re-create the PDF, or raise max_object_bytes in dossier/data/limits.yaml",
            )
        if size > lim.max_stream_bytes:
            raise AnnexError(
                label,
                f"object {idnum} decompresses to more than {mb(lim.max_stream_bytes)} "
                "(a 'PDF bomb'?)",
                "re-create the PDF, or raise max_stream_bytes in dossier/data/limits.yaml",
            )
        total += size
        if total > ratio_cap:
            raise AnnexError(
                label,
                f"decompresses to more than {lim.max_decompression_ratio:g} times its "
                f"size of {mb(file_size)} (a 'PDF bomb'?)",
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
