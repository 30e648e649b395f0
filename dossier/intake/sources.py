"""Open every annex file once: read, hash, guard, parse; keep what later stages need.

Each annex file of the register is read exactly once per run: hashed while read into memory,
checked against the limits of :mod:`.guard`, then parsed (PDFs, decrypted with the password from
``password_env``), laid out as pages (images) or decoded (text annexes, typeset later by the
render stage, whose page count depends on the edition). A file that cannot be used is not an
exception here: it becomes a :class:`Failure` that the checks report (``check`` and ``build``
alike), so whatever the build would refuse, ``check`` reports first.

The readers stay open until the dossier is written (:class:`Sources` is a context manager), or
until the assemble stage has copied a source's pages for the last time and calls
:meth:`Source.release`.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from pypdf import PdfReader

from .. import __version__
from ..digest import sha256_bytes
from ..errors import PDF_READ_ERRORS, AnnexError
from ..models import Annex
from .bounds import Bounds, content_bounds
from .email_annex import EMAIL_SUFFIXES, email_pdf
from .guard import check_annex_path, check_file, check_image
from .images import image_pdf
from .office import KINDS, OFFICE_SUFFIXES, Cache, convert_office
from .pictures import IMAGE_SUFFIXES
from .repair import FIX as REPAIR_FIX
from .repair import open_pdf
from .repairs import collect_repairs
from .scans import image_only_pages
from .sniff import actual_kind, renamed_fix

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
SUPPORTED = (
    "PDF, Word or OpenDocument text (.docx .doc .odt .rtf), a spreadsheet (.xlsx .xls .ods), "
    "an e-mail (.eml .msg), an image (JPEG, PNG, TIFF, HEIC, WebP, GIF, BMP), .md or .txt"
)
EMAIL_KINDS = {".eml": "e-mail message", ".msg": "Outlook message"}

Progress = Callable[[Annex], None]


@dataclass
class Source:
    """One annex file, opened: its reader (None for a text annex not yet typeset) and facts."""

    annex: Annex
    path: Path
    kind: str
    """``pdf``, ``office`` (converted by LibreOffice), ``email`` (typeset), ``image`` or
    ``text``."""
    sha256: str
    size: int
    reader: PdfReader | None
    page_count: int | None
    """Pages of the PDF or image; for a text annex, known once typeset."""
    repairs: list[str] = field(default_factory=list)
    scans: tuple[int, ...] = ()
    """Pages (from 1) that are image-only scans, with no text layer."""
    text: str | None = None
    """The decoded text of a ``.md``/``.txt`` annex."""
    origin: str | None = None
    """What a converted annex was (``Word document``, ``e-mail message``); None for a PDF."""
    converter: str | None = None
    """What made its pages (``LibreOffice 7.4.7.2``) when the file is not a PDF itself."""
    attachments: tuple[str, ...] = ()
    """The names of an e-mail's attachments (``dossier annex add --attachments`` adds them)."""
    bounds: Bounds | None = None
    """The content box of each page (user space; None: an empty page), when measured."""
    more: tuple[PdfReader, ...] = ()
    """Readers of the pages that follow ``reader``'s (a public annex written in runs of pages)."""
    released: bool = False

    @property
    def label(self) -> str:
        return annex_label(self.annex)

    @property
    def pages(self) -> int:
        if self.page_count is None:
            raise AnnexError(self.label, "the text annex was not typeset (a bug)")
        return self.page_count

    def with_pdf(self, pdf: bytes) -> Source:
        """A copy whose pages are those of ``pdf`` (a typeset text annex, an OCRed scan); the
        hash and size stay those of the file as registered."""
        with collect_repairs() as repairs:
            opened = open_pdf(self.annex.model_copy(update={"password_env": None}), pdf, self.label)
            scans = image_only_pages(opened.reader)
        return replace(
            self,
            reader=opened.reader,
            page_count=opened.pages,
            scans=scans,
            repairs=[*self.repairs, *opened.repairs, *repairs],
        )

    def with_runs(self, files: Iterable[Path], pages: int) -> Source:
        """A copy whose pages are those of the PDFs ``files`` in order (the public edition's
        pixel pages, written by us in runs): opened lazily, each page read when copied."""
        readers = []
        try:
            for file in files:  # a file object: pypdf reads a path whole into memory
                stream = file.open("rb")
                try:
                    readers.append(PdfReader(stream, strict=False))
                except BaseException:
                    stream.close()
                    raise
            found = sum(len(r.pages) for r in readers)
        except (*PDF_READ_ERRORS, OSError) as exc:
            for reader in readers:
                close_reader(reader)
            raise AnnexError(self.label, f"its public pages cannot be read back ({exc})") from exc
        if found != pages or not readers:
            raise AnnexError(self.label, f"its public pages are {found}, not {pages} (a bug)")
        return replace(self, reader=readers[0], more=tuple(readers[1:]), page_count=pages, scans=())

    def open_reader(self) -> PdfReader:
        if self.reader is None or self.released:
            raise AnnexError(self.label, "its pages are no longer available (a bug)")
        return self.reader

    def readers(self) -> list[PdfReader]:
        """Every reader of the annex's pages, in page order."""
        return [self.open_reader(), *self.more]

    def release(self) -> None:
        """Free the reader's file bytes and parsed objects once its pages are copied.

        A writer that copied pages keeps a reference to the reader (pypdf's ``PreventGC``), and
        with it the whole file: releasing is what keeps a 20,000-page build's memory bounded.
        ``reader`` is unusable afterwards.
        """
        for reader in (self.reader, *self.more):
            if reader is not None:
                close_reader(reader)
                reader.stream = io.BytesIO()
        self.released = True


@dataclass(frozen=True)
class Failure:
    """Why an annex file cannot be used: ``reason`` and ``fix`` of the problem check reports."""

    annex: Annex
    reason: str
    fix: str
    missing: bool = False
    """The file is absent or outside ``annexes/`` (rather than present but unusable)."""

    @property
    def message(self) -> str:
        return f"{annex_label(self.annex)}: {self.reason}" + (f" — {self.fix}" if self.fix else "")


@dataclass
class Sources:
    """The annex files of one run, by annex id: opened, or failed."""

    by_id: dict[str, Source] = field(default_factory=dict)
    failed: dict[str, Failure] = field(default_factory=dict)

    def __enter__(self) -> Sources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for source in self.by_id.values():
            for reader in (source.reader, *source.more):
                if reader is not None:
                    close_reader(reader)

    def page_counts(self) -> dict[str, int]:
        return {i: s.page_count for i, s in self.by_id.items() if s.page_count is not None}

    def __iter__(self) -> Iterator[Source]:
        return iter(self.by_id.values())

    def get(self, annex_id: str) -> Source | None:
        return self.by_id.get(annex_id)

    def only(self, annex_ids: Iterable[str]) -> Sources:
        """The sources of ``annex_ids`` (a build's annexes), the others released."""
        wanted = set(annex_ids)
        for annex_id, source in self.by_id.items():
            if annex_id not in wanted:
                source.release()
        kept = {i: s for i, s in self.by_id.items() if i in wanted}
        failed = {i: f for i, f in self.failed.items() if i in wanted}
        return Sources(kept, failed)

    def typeset(self, typeset: Callable[[Source], bytes]) -> Sources:
        """These sources with every text annex typeset by ``typeset`` (one edition's pages)."""
        out = Sources(dict(self.by_id), dict(self.failed))
        for annex_id, source in self.by_id.items():
            if source.kind == "text":
                out.by_id[annex_id] = source.with_pdf(typeset(source))
        return out


def close_reader(reader: PdfReader) -> None:
    """Close a reader and its stream (pypdf closes only a stream it opened itself)."""
    reader.close()
    reader.stream.close()


def annex_label(annex: Annex) -> str:
    return f"annex '{annex.id}' ({annex.file})"


def annex_path(case_root: Path, annex: Annex) -> Path | None:
    """Where the annex file lives (``annexes/<file>``), or None when it is to be supplied."""
    if not annex.file:
        return None
    return case_root / "annexes" / annex.file


def _pdf_source(annex: Annex, path: Path, kind: str, data: bytes, measure: bool) -> Source:
    """A PDF (as supplied, or made from the file) opened by :func:`~.repair.open_pdf`; the
    caller sets the hash and size of the file itself when ``data`` was made from it."""
    label = annex_label(annex)
    with collect_repairs() as repairs:
        opened = open_pdf(annex, data, label)
        try:
            scans = image_only_pages(opened.reader)
        except PDF_READ_ERRORS as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise AnnexError(label, f"not a readable PDF ({reason})", REPAIR_FIX) from None
    bounds = None
    if measure:
        password = os.environ.get(annex.password_env) if annex.password_env else None
        bounds = content_bounds(opened.data, None if opened.repaired else password)
    # pypdf's notes were about the original when the pages are those of qpdf's repaired copy
    notes = opened.repairs if opened.repaired else list(repairs)
    return Source(
        annex,
        path,
        kind,
        sha256_bytes(data),
        len(data),
        opened.reader,
        opened.pages,
        notes,
        scans,
        bounds=bounds,
    )


def _open(path: Path, annex: Annex, cache: Cache | None, measure: bool) -> Source:
    """Read, guard and parse one annex file; raises :class:`AnnexError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnnexError(
            annex_label(annex), f"cannot be read ({exc.strerror or exc})", "check it"
        ) from exc
    return open_data(data, path, annex, cache=cache, measure=measure)


def open_data(
    data: bytes,
    path: Path,
    annex: Annex,
    *,
    cache: Cache | None = None,
    measure: bool = False,
) -> Source:
    """Guard and parse the bytes of one annex file (``path`` gives its name and type), exactly
    as a build does; raises :class:`AnnexError`. ``dossier annex add`` refuses with it what the
    build would refuse, before anything is written."""
    label = annex_label(annex)
    digest, size = sha256_bytes(data), len(data)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        check_file(len(data), label, "pdf")
        return _pdf_source(annex, path, "pdf", data, measure)
    if suffix in OFFICE_SUFFIXES:
        check_file(len(data), label, "pdf")
        converted = convert_office(data, suffix, cache, label)
        return replace(
            _pdf_source(annex, path, "office", converted.pdf, measure),
            sha256=digest,
            size=size,
            origin=KINDS[suffix],
            converter=f"{converted.converter} {converted.version}",
        )
    if suffix in EMAIL_SUFFIXES:
        check_file(len(data), label, "pdf")
        mail = email_pdf(data, suffix, label)
        return replace(
            _pdf_source(annex, path, "email", mail.pdf, False),  # typeset clear of the stamp
            sha256=digest,
            size=size,
            origin=EMAIL_KINDS[suffix],
            converter=f"dossier {__version__}",
            attachments=tuple(a.name for a in mail.attachments),
        )
    if suffix in IMAGE_SUFFIXES:
        check_file(len(data), label, "image")
        check_image(data, label, suffix=suffix)
        try:
            reader = PdfReader(io.BytesIO(image_pdf(data)))
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise AnnexError(
                label,
                f"not a readable image ({exc})",
                "open it in an image viewer and save it again",
            ) from exc
        pages = len(reader.pages)
        scans = tuple(range(1, pages + 1))
        return Source(annex, path, "image", digest, size, reader, pages, [], scans)
    if suffix in TEXT_SUFFIXES:
        check_file(len(data), label, "text")
        return Source(annex, path, "text", digest, size, None, None, text=_text(data, label))
    raise AnnexError(label, f"unsupported file type '{suffix}'", f"use {SUPPORTED}, or convert it")


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _text(data: bytes, label: str) -> str:
    """A text annex's text: UTF-8, or UTF-16 or UTF-8 marked by a byte-order mark (as Windows
    Notepad saves "Unicode"). A file that is plainly another kind is refused saying so."""
    fix = "save it as UTF-8 (in a text editor: Save as…)"
    kind = actual_kind(data)
    if kind is not None:
        raise AnnexError(label, f"not text but {kind[1]}", renamed_fix(data, ".txt", fix))
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise AnnexError(label, f"not {encoding.upper().removesuffix('-SIG')} text", fix) from None


def as_pdf(data: bytes, path: Path, label: str, cache: Cache | None) -> bytes:
    """The PDF whose pages the dossier shows for the bytes of an annex file: the file itself,
    its conversion (office documents, through ``cache``), its typeset e-mail or its image
    pages. Text annexes are typeset by the render stage, not here."""
    suffix = path.suffix.lower()
    if suffix in OFFICE_SUFFIXES:
        return convert_office(data, suffix, cache, label).pdf
    if suffix in EMAIL_SUFFIXES:
        return email_pdf(data, suffix, label).pdf
    if suffix in IMAGE_SUFFIXES:
        return image_pdf(data)
    return data


def open_sources(
    case_root: Path,
    annexes: Iterable[Annex],
    *,
    progress: Progress | None = None,
    skip: Callable[[Annex], bool] | None = None,
    cache: Cache | None = None,
    measure: bool = False,
) -> Sources:
    """Open every annex that has a file; what cannot be used is in ``Sources.failed``.

    ``skip``: annexes not to open at all (a public edition does not read withheld annexes).
    ``cache``: where office conversions are kept (:class:`~.office.Cache`; without one, every
    office document is converted again). ``measure``: find where each page's content lies
    (:mod:`.bounds`), for the stamps of a build.
    """
    sources = Sources()
    for annex in annexes:
        if annex.file is not None and not (skip is not None and skip(annex)):
            try:
                path = check_annex_path(case_root, annex.file, annex_label(annex))
            except AnnexError as exc:
                sources.failed[annex.id] = Failure(annex, exc.reason, exc.fix, missing=True)
            else:
                try:
                    sources.by_id[annex.id] = _open(path, annex, cache, measure)
                except AnnexError as exc:
                    sources.failed[annex.id] = Failure(annex, exc.reason, exc.fix)
        if progress is not None:
            progress(annex)
    return sources
