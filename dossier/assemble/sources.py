"""Open annex files once: PDFs (decrypted), images and text annexes as PDF readers.

Each annex file is read exactly once: hashed while read into memory, then parsed lazily by pypdf.
The readers stay open until the dossier is written (:class:`Sources` is a context manager), or
until the assemble stage has copied a source's pages for the last time and calls
:meth:`Source.release` (its file bytes and parsed objects are then freed; its page count, hash
and size stay).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from ..errors import AnnexError
from ..limits import (
    PDF_READ_ERRORS,
    check_annex_path,
    check_file,
    check_image,
    check_pdf_header,
    check_pdf_limits,
    collect_repairs,
    count_pages,
    pdf_open_error,
)
from ..models import Annex
from .images import IMAGE_SUFFIXES, image_pdf

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})

TextRenderer = Callable[[Annex, Path], bytes]
"""Typesets a text annex (``render.render_text_annex`` bound to the bundle and language)."""


@dataclass
class Source:
    """One annex file, opened: its reader and what the manifest needs to know about it."""

    annex: Annex
    path: Path
    kind: str
    sha256: str
    size: int
    reader: PdfReader
    repairs: list[str] = field(default_factory=list)
    page_count: int | None = None
    released: bool = False

    @property
    def pages(self) -> int:
        if self.page_count is None:
            self.page_count = len(self.reader.pages)
        return self.page_count

    def release(self) -> None:
        """Free the reader's file bytes and parsed objects once its pages are copied.

        A writer that copied pages keeps a reference to the reader (pypdf's ``PreventGC``), and
        with it the whole file: releasing is what keeps a 20,000-page build's memory bounded.
        ``reader`` is unusable afterwards.
        """
        self.page_count = self.pages
        self.reader.close()
        self.reader.stream = io.BytesIO()
        self.released = True


@dataclass
class Sources:
    """The opened annexes of one build, by annex id."""

    by_id: dict[str, Source] = field(default_factory=dict)

    def __enter__(self) -> Sources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for source in self.by_id.values():
            source.reader.close()

    def page_counts(self) -> dict[str, int]:
        return {annex_id: source.pages for annex_id, source in self.by_id.items()}

    def __iter__(self) -> Iterator[Source]:
        return iter(self.by_id.values())

    def get(self, annex_id: str) -> Source | None:
        return self.by_id.get(annex_id)


def annex_path(case_root: Path, annex: Annex) -> Path | None:
    """Where the annex file lives (``annexes/<file>``), or None when it is to be supplied."""
    if not annex.file:
        return None
    return case_root / "annexes" / annex.file


def _label(annex: Annex) -> str:
    return f"annex '{annex.id}' ({annex.file})"


def _fail(annex: Annex, message: str) -> AnnexError:
    return AnnexError(f"{_label(annex)}: {message}")


_READ_ERRORS = (
    PdfReadError,
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    RecursionError,
)


def _open_pdf(annex: Annex, data: bytes) -> PdfReader:
    label = _label(annex)
    check_pdf_header(data, label)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(annex, reader)
        check_pdf_limits(reader, label, len(data))
        len(reader.pages)
    except FileNotDecryptedError as exc:
        raise _fail(annex, "the PDF is encrypted; set password_env in annexes.yaml") from exc
    except _READ_ERRORS as exc:
        raise pdf_open_error(data, exc, label) from exc
    # The limits scan has parsed (and decrypted) every object of the cross-reference table and
    # pypdf keeps them: the file's bytes are not read again, so they are not kept twice. Only
    # the header stays: pypdf reads the PDF version from it when a page is copied.
    reader.stream = io.BytesIO(data[:16])
    return reader


def _decrypt(annex: Annex, reader: PdfReader) -> None:
    password = os.environ.get(annex.password_env) if annex.password_env else None
    try:
        if password is None:
            if reader.decrypt(""):  # only an owner password: opens without one
                return
            if annex.password_env:
                raise _fail(
                    annex,
                    f"the PDF is encrypted and ${annex.password_env} is not set; "
                    f"export {annex.password_env}=<password> and build again",
                )
            raise _fail(
                annex,
                "the PDF is encrypted; add password_env to its entry in annexes.yaml "
                "and set that environment variable",
            )
        if not reader.decrypt(password):
            raise _fail(annex, f"the password in ${annex.password_env} does not open the PDF")
    except DependencyError as exc:
        raise _fail(annex, f"its encryption needs the 'cryptography' package ({exc})") from exc
    except (PdfReadError, PyPdfError, NotImplementedError) as exc:
        raise _fail(annex, f"cannot decrypt ({exc})") from exc


def open_source(
    case_root: Path, annex: Annex, render_text: TextRenderer | None = None, ocr: bool = False
) -> Source | None:
    """Open one annex file; None when the annex has no file yet (to be supplied).

    With ``ocr``, image-only pages of PDF and image annexes get an invisible text layer first
    (the sha256 stays that of the file as registered).
    """
    path = annex_path(case_root, annex)
    if path is None:
        return None
    check_annex_path(case_root, annex.file or "", _label(annex))  # never outside annexes/
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(annex, f"cannot be read ({exc.strerror or exc})") from exc
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    label = _label(annex)
    if ocr and suffix in PDF_SUFFIXES | IMAGE_SUFFIXES:
        from ..ocr import ocr_data

        data, suffix = ocr_data(data, suffix, annex), ".pdf"
    with collect_repairs() as repairs:
        if suffix in PDF_SUFFIXES:
            check_file(len(data), label, "pdf")
            reader, kind = _open_pdf(annex, data), "pdf"
        elif suffix in IMAGE_SUFFIXES:
            check_file(len(data), label, "image")
            check_image(data, label)
            try:
                pdf = image_pdf(data)
            except (OSError, ValueError, SyntaxError, EOFError) as exc:
                raise _fail(annex, f"not a readable image ({exc})") from exc
            reader, kind = PdfReader(io.BytesIO(pdf)), "image"
        elif suffix in TEXT_SUFFIXES:
            check_file(len(data), label, "text")
            if render_text is None:
                raise _fail(annex, "text annexes need the render stage")
            reader, kind = PdfReader(io.BytesIO(render_text(annex, path))), "text"
        else:
            raise _fail(
                annex, f"unsupported file type '{suffix}'; use PDF, JPEG, PNG, TIFF, .md or .txt"
            )
    return Source(
        annex, path, kind, digest, len(data), reader, list(repairs), page_count=len(reader.pages)
    )


def open_sources(
    case_root: Path,
    annexes: Iterable[Annex],
    render_text: TextRenderer | None = None,
    progress: Callable[[Annex], None] | None = None,
    ocr: bool = False,
) -> Sources:
    """Open every annex that has a file; raise :class:`AnnexError` for the first unusable one."""
    sources = Sources()
    try:
        for annex in annexes:
            source = open_source(case_root, annex, render_text, ocr)
            if source is not None:
                sources.by_id[annex.id] = source
            if progress is not None:
                progress(annex)
    except BaseException:
        sources.close()
        raise
    return sources


def plain_pdf_pages(path: Path) -> int | None:
    """Page count of a PDF file (page tree walked within :mod:`dossier.limits`), no cache.

    For a process that has not run the check (whose cached counts also scan the pages).
    """
    from ..checks.annexes import MAX_PDF_BYTES_FOR_COUNT

    if path.stat().st_size > MAX_PDF_BYTES_FOR_COUNT:
        return None
    try:
        with collect_repairs():
            reader = PdfReader(path, strict=False)
            return len(reader.pages) if reader.is_encrypted else count_pages(reader, path.name)
    except (AnnexError, OSError, *PDF_READ_ERRORS):
        return None


def expected_page_counts(
    case_root: Path,
    annexes: Iterable[Annex],
    render_text: TextRenderer | None = None,
    *,
    count_pdf: Callable[[Path], int | None] | None = None,
) -> dict[str, int] | None:
    """What :meth:`Sources.page_counts` will give, found cheaply; None when it cannot be told.

    PDFs: the page count ``dossier check`` found (cached per file), or ``count_pdf``'s; images:
    their frames; text annexes: typeset. Only a forecast for work done ahead: the counts of the
    opened sources are compared with it before anything computed from it is used.
    """
    from PIL import Image

    from ..checks.annexes import pdf_pages

    count_pdf = count_pdf or pdf_pages
    counts: dict[str, int] = {}
    for annex in annexes:
        path = annex_path(case_root, annex)
        if path is None:
            continue
        suffix = path.suffix.lower()
        try:
            if suffix in PDF_SUFFIXES:
                found = count_pdf(path)
            elif suffix in IMAGE_SUFFIXES:
                with Image.open(path) as image:
                    found = int(getattr(image, "n_frames", 1))
            elif suffix in TEXT_SUFFIXES and render_text is not None:
                found = len(PdfReader(io.BytesIO(render_text(annex, path))).pages)
            else:
                found = None
        except (OSError, ValueError, SyntaxError, EOFError, PyPdfError):
            found = None
        if found is None:
            return None
        counts[annex.id] = found
    return counts
