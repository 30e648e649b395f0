"""Put the dossier together: own pages and annexes in plan order, stamped, linked, bookmarked."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import ArrayObject, FloatObject, NameObject, NullObject, PdfObject

from ..errors import PDF_READ_ERRORS, AnnexError, BuildError
from ..intake.sources import Source, Sources
from ..plan import Part, PartKind, Plan
from ..public import Protected
from ..render import LINK_PREFIX, Rendered
from .fit import CLEARANCE, Fit, apply_fit, displayed, page_fit
from .internals import writer_objects
from .labels import annex_page_label, part_label, stamp_label, word
from .merge import OptionalContent, OutlineEntry, copy_annotations, copy_page, copy_source
from .meta import Metadata, apply_metadata
from .outline import add_outline
from .sanitize import document_findings
from .stamp import Stamper, band_height, page_geometry, stamp_xobjects

_LINK_RE = re.compile(re.escape(LINK_PREFIX) + r"(\d+)$")


@dataclass
class AssembleReport:
    """What the assemble stage removed from annexes, and anything else worth a warning;
    ``fitted``: annex id -> (annex page, scale) of each page scaled or moved so that the stamp
    covers none of its content, or put on the ``--page-size``."""

    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fitted: dict[str, list[tuple[int, float]]] = field(default_factory=dict)


Content = tuple[float, float, float, float] | str | None
"""What an annex page holds: its measured content box (user space), ``"full"`` when it was not
measured (drawn to its edges, for all we know), ``"clear"`` for a page we typeset clear of the
stamp band, None for an empty page."""


def _contents(source: Source) -> list[Content]:
    if source.bounds is not None and len(source.bounds) == source.pages:
        return list(source.bounds)
    return ["full" if source.kind in ("pdf", "office") else "clear"] * source.pages


def _fit(page: PageObject, content: Content, size: tuple[float, float] | None) -> Fit | None:
    geometry = page_geometry(page)
    width, height = geometry.size
    if content == "full":
        box: tuple[float, float, float, float] | None = (0.0, 0.0, width, height)
    elif content == "clear":
        box = (0.0, band_height(width) + CLEARANCE, width, height)
    elif isinstance(content, tuple):
        box = displayed(geometry, content)
    else:
        box = None
    return page_fit(geometry, box, size)


@dataclass
class Assembled:
    """The finished document, ready to be written once."""

    writer: PdfWriter
    pages: int
    report: AssembleReport

    def write(self, stream: IO[bytes]) -> None:
        try:
            self.writer.write(stream)
        except PDF_READ_ERRORS as exc:
            raise BuildError(
                f"the dossier cannot be written ({type(exc).__name__}: {exc}); an annex is "
                "probably damaged — open the annexes in a PDF viewer and save them again"
            ) from exc

    def objects(self) -> Iterator[tuple[int, PdfObject]]:
        """Every object of the document (object number, object), as it will be written."""
        return writer_objects(self.writer)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.write(out)
        return out.getvalue()


def identity(
    plan: Plan, rendered: Rendered, sources: Sources, meta: Metadata, base: PdfReader | None
) -> bytes:
    """Bytes that change whenever an input of the document changes (for the PDF /ID)."""
    digest = hashlib.sha256(rendered.pdf)
    if base is not None:  # a sent dossier's /ID is derived from its own inputs
        digest.update(repr(base.trailer.get("/ID")).encode())
    for planned in plan.annexes:
        source = sources.get(planned.annex.id)
        digest.update(f"{planned.label}:{planned.annex.id}:".encode())
        digest.update((source.sha256 if source else "-").encode())
    digest.update(repr(meta).encode())
    return digest.digest()


def _own_indexes(rendered: Rendered, key: str, part: Part) -> range:
    if key not in rendered.spans:
        raise BuildError(f"the render stage made no pages for '{key}' (a bug)")
    first, count = rendered.spans[key]
    if count != part.pages:
        raise BuildError(
            f"'{key}' has {count} pages but the plan expects {part.pages} (a bug: plan and render "
            "disagree)"
        )
    return range(first, first + count)


@dataclass
class _SourceCopy:
    """One annex's pages as copied into the writer, its outline and what was removed."""

    pages: list[PageObject]
    outline: list[OutlineEntry]
    removed: list[str]


def _copy_source(
    writer: PdfWriter, source: Source, where: str, layers: OptionalContent, release: bool
) -> _SourceCopy:
    pages: list[PageObject] = []
    outline: list[OutlineEntry] = []
    removed: list[str] = []
    for reader in source.readers():
        try:
            copied = copy_source(writer, reader, where)
        except PDF_READ_ERRORS as exc:
            raise AnnexError(
                source.label,
                f"its pages cannot be copied ({exc})",
                "open it in a PDF viewer and save it again",
            ) from exc
        layers.add(writer, reader)
        removed += [*copied.removed, *(f"{where}: {x}" for x in document_findings(reader))]
        outline += copied.outline if not source.more else []
        pages += copied.pages
    if release:
        source.release()
    return _SourceCopy(pages, outline, removed)


def assemble(
    plan: Plan,
    rendered: Rendered,
    sources: Sources,
    *,
    case_no: int,
    meta: Metadata,
    progress: Callable[[int], None] | None = None,
    release: bool = False,
    protected: Sequence[Protected] = (),
    base: PdfReader | None = None,
    page_size: tuple[float, float] | None = None,
) -> Assembled:
    """Concatenate, stamp, link, bookmark and label the dossier described by ``plan``.

    ``progress`` is called with the number of pages added after each part. ``release=True``
    frees each source's file and parsed objects once its pages are copied (the last assembly
    of a build: the sources cannot be copied again afterwards). ``protected``: in the public
    edition, the confidential parties whose names the bookmarks show by pseudonym only.
    ``base``: a dossier as sent, kept as it is (pages, stamps, bookmarks), which the plan's
    pages follow (late additions). ``page_size``: the sheet (portrait width, height) every annex
    page is put on (``--page-size a4``).
    """
    language = plan.language
    writer = PdfWriter(clone_from=base) if base is not None else PdfWriter()
    first = len(writer.pages)
    report = AssembleReport()
    own = PdfReader(io.BytesIO(rendered.pdf))
    own_pages: list[PageObject | None] = [None] * len(own.pages)
    outlines: dict[str, list[OutlineEntry]] = {}
    labels: dict[str, int] = {}
    """Every stamp text, by its index among the stamp XObjects."""
    page_labels: list[int] = []
    layers = OptionalContent.of(writer)
    order: list[PageObject] = []
    annex_pages: dict[int, tuple[str, int, Content]] = {}
    """Index in ``order`` of each annex page -> annex id, its own page number, its content."""

    for part in plan.parts:
        label = labels.setdefault(
            stamp_label(language, case_no, part.kind, part.annex_label), len(labels)
        )
        before = len(order)
        source = sources.get(part.annex_id) if part.annex_id else None
        if part.kind is PartKind.ANNEX and part.key not in rendered.spans:
            if source is None:
                raise BuildError(f"annex '{part.annex_id}' has no file and no placeholder page")
            assert part.annex_id is not None
            name = part_label(language, part.kind, part.annex_label)
            where = f"{name} ({source.path.name})"
            if source.pages != part.pages:
                raise BuildError(
                    f"{where} has {source.pages} pages but the plan expects {part.pages} (a bug)"
                )
            if source.released:
                raise BuildError(f"{where} was copied once already and released (a bug)")
            contents = _contents(source)
            copy = _copy_source(writer, source, where, layers, release)
            report.removed.extend(copy.removed)
            outlines[part.annex_id] = copy.outline
            for number, content in enumerate(contents, start=1):
                annex_pages[len(order)] = (part.annex_id, number, content)
                text = annex_page_label(language, case_no, part.annex_label, number)
                page_labels.append(labels.setdefault(text, len(labels)))
                order.append(copy.pages[number - 1])
        else:
            for index in _own_indexes(rendered, part.key, part):
                page = copy_page(writer, own.pages[index])
                own_pages[index] = page
                order.append(page)
                page_labels.append(label)
        added = len(order) - before
        if progress is not None:
            progress(added)

    total = len(writer.pages)
    if total != plan.total_pages:
        raise BuildError(f"assembled {total} pages but the plan expects {plan.total_pages} (a bug)")

    def uri_target(uri: str) -> ArrayObject | None:
        match = _LINK_RE.match(uri)
        if not match or not 1 <= int(match.group(1)) <= total:
            return None
        page = writer.pages[int(match.group(1)) - 1]
        x0, _, _, y1 = page_geometry(page).box
        return ArrayObject(
            [
                page.indirect_reference,
                NameObject("/XYZ"),
                FloatObject(x0),
                FloatObject(y1),
                NullObject(),
            ]
        )

    report.removed.extend(copy_annotations(writer, own, own_pages, "own pages", uri_target))

    layers.apply(writer)
    fits: dict[int, Fit] = {}
    for index, (annex_id, number, content) in annex_pages.items():
        fit = _fit(order[index], content, page_size)
        if fit is not None:
            apply_fit(order[index], fit)
            fits[index] = fit
            report.fitted.setdefault(annex_id, []).append((number, fit.scale))
    _stamp_all(writer, first, list(labels), page_labels, language, fits)
    writer.set_page_label(0, total - 1, style=PageLabelStyle.DECIMAL, start=1)
    add_outline(writer, plan, _paragraph_pages(rendered, own_pages), outlines, protected)
    apply_metadata(writer, meta, identity(plan, rendered, sources, meta, base))
    return Assembled(writer, total, report)


def _paragraph_pages(rendered: Rendered, own_pages: list[PageObject | None]) -> dict[str, int]:
    """Dossier pages (1-based) of allegation paragraphs, from render's anchors."""
    anchors: Mapping[str, int] = getattr(rendered, "anchors", {})
    out = {}
    for key, index in anchors.items():
        page = own_pages[index] if 0 <= index < len(own_pages) else None
        number = page.page_number if page is not None else None
        if number is not None:
            out[key] = number + 1
    return out


def _stamp_all(
    writer: PdfWriter,
    first: int,
    labels: list[str],
    page_labels: list[int],
    language: str,
    fits: dict[int, Fit],
) -> None:
    """Stamp the pages from index ``first`` (those before belong to a sent dossier); ``fits``
    (by index from ``first``): the pages drawn through a matrix of their own."""
    total = first + len(page_labels)
    numbers = [word(language, "page", page=n, total=total) for n in range(first + 1, total + 1)]
    xobjects = stamp_xobjects(writer, labels, numbers)
    stamper = Stamper(writer)
    for offset, label in enumerate(page_labels):
        page = writer.pages[first + offset]
        fit = fits.get(offset)
        cm = fit.matrix if fit is not None else None
        stamper.stamp(page, xobjects[label], xobjects[len(labels) + offset], cm)
