"""PDF annexes: read by pypdf when it can, repaired by qpdf (through pikepdf) when it cannot.

:func:`open_pdf` reads the file's bytes with ``PdfReader(strict=False)``, decrypts it (with the
password named by ``password_env``, or the empty one: a PDF with only an owner password opens),
and walks it with the limits of :mod:`.guard`. The original bytes are used when that works;
what pypdf fixed by itself on the way (a wrong offset, a broken xref table) is recorded by
:func:`~.repairs.collect_repairs` around the caller.

When pypdf cannot read the file — it raises, finds no readable page tree, or finds no page —
the bytes go to qpdf: ``pikepdf.open`` reconstructs a broken or missing xref table, finds a lost
trailer, recovers a wrong stream ``/Length``; ``save`` writes a sound copy (``deterministic_id``,
unencrypted, streams not decoded), which is read again exactly as above. The dossier uses that
copy; the file in ``annexes/`` stays as it is, and the repair is a note in the report ("repaired
with qpdf 12.4.2: pypdf could not read it (…)", "qpdf: xref reconstructed").

Never repaired: a hostile structure (a page-tree loop or bomb, too many pages, a decompression
bomb: the guard's refusals stand), an encrypted file without its password, and what qpdf cannot
read either. A damaged file that is hostile too is refused all the same: qpdf detects page-tree
loops itself, the tree is walked here with the guard's limits before qpdf writes anything, and
the repaired copy goes through the guard like any other PDF (streams are copied, never decoded).
"""

from __future__ import annotations

import io
import logging
import os
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ..errors import PDF_READ_ERRORS, AnnexError
from ..models import Annex
from .guard import (
    Damaged,
    check_declared_size,
    check_objects,
    check_pdf_header,
    check_pdf_limits,
    load_limits,
    pdf_open_error,
)
from .repairs import collect_repairs

FIX = "open it in a PDF viewer and save (or print) it as PDF again, or supply the document again"

_QPDF_ERRORS = (RuntimeError, ValueError, OSError, KeyError, IndexError)
"""What pikepdf raises on a file it cannot read, besides its own ``pikepdf.PdfError``."""
_QPDF_NOTES = (
    ("reconstruct cross-reference", "qpdf: xref reconstructed"),
    ("can't find startxref", "qpdf: the startxref pointer was missing (the file is truncated?)"),
    ("xref not found", "qpdf: the startxref pointer was wrong"),
    ("expected n n obj", "qpdf: wrong object offsets in the xref table"),
    ("unable to find trailer", "qpdf: the trailer was missing; rebuilt from the catalog"),
    ("recovered stream length", "qpdf: a wrong stream /Length was recovered"),
)
_QPDF_FOLLOW_UPS = ("file is damaged", "attempting to recover stream length", "expected endstream")
_SOURCE = re.compile(r"^[^:]*?(\(offset \d+\))?:\s*")


@dataclass
class OpenedPdf:
    """A readable PDF: its reader and page count, the bytes it reads (the repaired copy when
    qpdf repaired it) and qpdf's repair notes ([] when pypdf read the original)."""

    reader: PdfReader
    pages: int
    data: bytes
    repairs: list[str]

    @property
    def repaired(self) -> bool:
        return bool(self.repairs)


def open_pdf(annex: Annex, data: bytes, label: str) -> OpenedPdf:
    """Read ``data`` with pypdf, repairing it with qpdf first when pypdf cannot read it.

    Raises :class:`AnnexError` for what cannot be used (see the module docstring).
    """
    check_pdf_header(data, label)
    check_declared_size(data, label)  # an object bomb is refused before parsing
    password = _password(annex, label)
    try:
        reader, pages = _read(data, annex, password, label)
        return OpenedPdf(reader, pages, data, [])
    except Damaged as exc:
        failed: BaseException = exc
        reason = exc.reason
    except PDF_READ_ERRORS as exc:
        failed = exc
        reason = _first_line(exc)
    repaired, notes = _qpdf_repair(data, password, label, reason, failed)
    try:
        reader, pages = _read(repaired, annex, None, label)
    except Damaged as exc:
        raise AnnexError(label, f"{exc.reason}, even after repair by qpdf", exc.fix) from None
    except PDF_READ_ERRORS as exc:
        raise AnnexError(
            label, f"the PDF is not readable even after repair by qpdf ({_first_line(exc)})", FIX
        ) from None
    head = f"repaired with qpdf {_qpdf_version()}: pypdf could not read it ({reason})"
    missing_eof = ["the %%EOF end marker was missing"] if b"%%EOF" not in data[-2048:] else []
    return OpenedPdf(reader, pages, repaired, [head, *missing_eof, *notes])


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _password(annex: Annex, label: str) -> str | None:
    """The password named by ``password_env``; None when the annex names none."""
    if not annex.password_env:
        return None
    password = os.environ.get(annex.password_env)
    if password is None:
        raise AnnexError(
            label,
            f"the PDF is encrypted and ${annex.password_env} is not set",
            f"export {annex.password_env}=<password> and build again",
        )
    return password


def _read(data: bytes, annex: Annex, password: str | None, label: str) -> tuple[PdfReader, int]:
    """pypdf's reader of ``data``, decrypted and walked with the limits, and its page count.

    Raises :class:`Damaged` or a pypdf error when pypdf cannot read it (a repair may help),
    :class:`AnnexError` when it must be refused.
    """
    with _Complaints() as complaints:
        reader = PdfReader(io.BytesIO(data), strict=False)
        check_objects(reader, data, label)  # before any object is parsed
        if reader.is_encrypted:
            _decrypt(annex, reader, password, label)
        pages = check_pdf_limits(reader, label, len(data))
        len(reader.pages)
    if not complaints.seen:
        # The limits scan has parsed (and decrypted) every object of the cross-reference table
        # and pypdf keeps them: the file's bytes are not read again, so they are not kept twice.
        # Only the header stays: pypdf reads the PDF version from it when a page is copied. A
        # file pypdf had to repair (wrong offsets: objects found by searching the bytes) keeps
        # its bytes, since its objects may be searched for again when the pages are copied.
        reader.stream = io.BytesIO(data[:16])
    return reader, pages


class _Complaints(logging.Handler):
    """Whether pypdf logged a warning (a repair) while the block ran."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True

    def __enter__(self) -> _Complaints:
        logging.getLogger("pypdf").addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("pypdf").removeHandler(self)


def _decrypt(annex: Annex, reader: PdfReader, password: str | None, label: str) -> None:
    try:
        if password is None:
            if reader.decrypt(""):  # only an owner password: opens without one
                return
            raise _no_password(label)
        if not reader.decrypt(password):
            raise _wrong_password(annex, label)
    except FileNotDecryptedError:
        raise _no_password(label) if password is None else _wrong_password(annex, label) from None
    except DependencyError as exc:
        raise AnnexError(
            label, f"its encryption needs the 'cryptography' package ({exc})", "install it"
        ) from exc
    except (PyPdfError, NotImplementedError) as exc:
        raise AnnexError(label, f"cannot decrypt ({exc})", "save it without a password") from exc


def _no_password(label: str) -> AnnexError:
    return AnnexError(
        label,
        "the PDF is encrypted",
        "add password_env to its entry in annexes.yaml and set that environment variable",
    )


def _wrong_password(annex: Annex, label: str) -> AnnexError:
    return AnnexError(
        label,
        f"the password in ${annex.password_env} does not open the PDF",
        "set the right password",
    )


def is_encrypted(data: bytes) -> bool:
    """Whether the PDF ``data`` is encrypted (its trailer names /Encrypt); False when pypdf
    cannot read it (the caller's own reader reports that)."""
    try:
        with collect_repairs():  # pypdf's notes on a damaged file are the intake's to report
            return PdfReader(io.BytesIO(data)).is_encrypted
    except PDF_READ_ERRORS:
        return False


def decrypted(data: bytes, password: str | None, label: str) -> bytes:
    """The PDF without its encryption, written by qpdf, for pdfium: pdfium tries an empty
    password only as the *user* password, while a file whose *owner* password is empty opens
    in qpdf and pypdf without one (qpdf --encrypt USER "" …). Raises :class:`AnnexError`."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), password=password or "") as pdf:
            out = io.BytesIO()
            pdf.save(
                out,
                deterministic_id=True,
                encryption=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
            )
    except (pikepdf.PdfError, *_QPDF_ERRORS) as exc:
        raise AnnexError(label, f"qpdf cannot decrypt it ({_first_line(exc)})", FIX) from None
    return out.getvalue()


def _qpdf_version() -> str:
    import pikepdf

    return str(pikepdf.__libqpdf_version__)


def _qpdf_repair(
    data: bytes, password: str | None, label: str, reason: str, failed: BaseException
) -> tuple[bytes, list[str]]:
    """qpdf's reconstruction of the PDF (unencrypted), and its warnings as notes (pikepdf is
    loaded here, for the first damaged file)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), password=password or "") as pdf:
            _walk_pages(pdf, label)
            pages = len(pdf.pages)
            out = io.BytesIO()
            if pages:
                pdf.save(
                    out,
                    deterministic_id=True,
                    encryption=False,
                    stream_decode_level=pikepdf.StreamDecodeLevel.none,
                )
            found = pdf.get_warnings()
    except pikepdf.PasswordError:
        raise (
            _no_password(label)
            if password is None
            else AnnexError(
                label, "the password given does not open the PDF", "set the right password"
            )
        ) from None
    except (pikepdf.PdfError, *_QPDF_ERRORS) as exc:
        if isinstance(failed, Damaged):
            raise AnnexError(label, failed.reason, failed.fix) from None
        error = pdf_open_error(data, failed, label)
        qpdf = _SOURCE.sub("", _first_line(exc))
        raise AnnexError(
            label, f"{error.reason}, and qpdf cannot read it either ({qpdf})", error.fix
        ) from None
    if not pages:
        raise AnnexError(label, "the PDF has no pages", "supply the document again")
    return out.getvalue(), _qpdf_notes(found)


def _walk_pages(pdf: Any, label: str) -> None:
    """The page tree walked with the guard's limits (loops, depth, page count) before qpdf
    flattens and writes it."""
    import pikepdf

    limits = load_limits()
    try:
        tree = pdf.Root.Pages
    except (AttributeError, pikepdf.PdfError, *_QPDF_ERRORS):
        return  # qpdf finds no page tree: it counts no pages, refused below
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[object, int]] = [(tree, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                raise AnnexError(
                    label,
                    f"the page tree refers to object {node.objgen[0]} more than once "
                    "(a loop, or a 'page bomb')",
                    "re-save it from a PDF viewer",
                )
            seen.add(node.objgen)
        kids = node.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            if depth >= limits.max_page_tree_depth:
                raise AnnexError(
                    label,
                    f"the page tree is nested more than {limits.max_page_tree_depth} levels deep",
                    "re-save it from a PDF viewer",
                )
            stack.extend((kid, depth + 1) for kid in kids)
            continue
        count += 1
        if count > limits.max_pages_per_annex:
            raise AnnexError(
                label,
                f"more than {limits.max_pages_per_annex:,} pages",
                "split the document into several annexes, or raise max_pages_per_annex in "
                "dossier/data/limits.yaml",
            )


def _qpdf_notes(found: list[str]) -> list[str]:
    notes: list[str] = []
    for warning in found:
        text = _SOURCE.sub("", warning)
        lower = text.lower()
        if any(follow_up in lower for follow_up in _QPDF_FOLLOW_UPS):
            continue
        note = next((note for needle, note in _QPDF_NOTES if needle in lower), f"qpdf: {text}")
        if note not in notes:
            notes.append(note)
    return notes
