"""Put the dossier together: own pages and annexes in plan order, stamped, linked, bookmarked."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NullObject

from ..errors import AnnexError, BuildError
from ..plan import Part, PartKind, Plan
from ..render import LINK_PREFIX, Rendered
from .labels import part_label, stamp_label, word
from .merge import OptionalContent, OutlineEntry, copy_annotations, copy_page, copy_source
from .meta import Metadata, apply_metadata
from .outline import add_outline
from .sanitize import document_findings
from .sources import Source, Sources
from .stamp import Stamper, page_geometry, stamp_xobjects

_PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError)
_LINK_RE = re.compile(re.escape(LINK_PREFIX) + r"(\d+)$")


@dataclass
class AssembleReport:
    """What the assemble stage removed from annexes, and anything else worth a warning."""

    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Assembled:
    """The finished document, ready to be written once."""

    writer: PdfWriter
    pages: int
    report: AssembleReport

    def write(self, stream: IO[bytes]) -> None:
        try:
            self.writer.write(stream)
        except _PDF_ERRORS as exc:
            raise BuildError(
                f"the dossier cannot be written ({type(exc).__name__}: {exc}); an annex is "
                "probably damaged — open the annexes in a PDF viewer and save them again"
            ) from exc

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.write(out)
        return out.getvalue()


def identity(plan: Plan, rendered: Rendered, sources: Sources, meta: Metadata) -> bytes:
    """Bytes that change whenever an input of the document changes (for the PDF /ID)."""
    digest = hashlib.sha256(rendered.pdf)
    for planned in plan.annexes:
        source = sources.get(planned.annex.id)
        digest.update(f"{planned.number}:{planned.annex.id}:".encode())
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


def _placeholder(annex_id: str) -> str:
    return f"\x00{annex_id}\x00"


def _copy_source(
    writer: PdfWriter, source: Source, where: str, layers: OptionalContent, release: bool
) -> _SourceCopy:
    try:
        copied = copy_source(writer, source.reader, where)
    except _PDF_ERRORS as exc:
        raise AnnexError(
            f"annex '{source.annex.id}' ({source.path.name}): its pages cannot be copied "
            f"({exc}) — open it in a PDF viewer and save it again"
        ) from exc
    layers.add(writer, source.reader)
    removed = [*copied.removed, *(f"{where}: {x}" for x in document_findings(source.reader))]
    if release:
        source.release()
    return _SourceCopy(copied.pages, copied.outline, removed)


@dataclass
class Precopied:
    """Annex pages copied before the plan exists (while the own pages are typeset elsewhere).

    :func:`assemble` adds the own pages after them and puts every page in the plan's order.
    """

    writer: PdfWriter
    layers: OptionalContent
    by_id: dict[str, _SourceCopy]


def precopy(
    sources: Sources, progress: Callable[[int], None] | None = None, release: bool = True
) -> Precopied:
    """Copy every source's pages into a new writer, in the order of ``sources``.

    Only for a build whose plan copies every source (the full edition); ``release`` frees each
    source once copied. The annex labels of removed items are filled in by :func:`assemble`.
    """
    writer = PdfWriter()
    layers = OptionalContent()
    by_id: dict[str, _SourceCopy] = {}
    for source in sources:
        where = _placeholder(source.annex.id)
        by_id[source.annex.id] = _copy_source(writer, source, where, layers, release)
        if progress is not None:
            progress(source.pages)
    return Precopied(writer, layers, by_id)


def assemble(
    plan: Plan,
    rendered: Rendered,
    sources: Sources,
    *,
    case_no: int,
    meta: Metadata,
    progress: Callable[[int], None] | None = None,
    release: bool = False,
    precopied: Precopied | None = None,
) -> Assembled:
    """Concatenate, stamp, link, bookmark and label the dossier described by ``plan``.

    ``progress`` is called with the number of pages added after each part. ``release=True``
    frees each source's file and parsed objects once its pages are copied (the last assembly
    of a build: the sources cannot be copied again afterwards). ``precopied``: the annex pages
    already copied by :func:`precopy` (then used once, and every one of them must be in the plan).
    """
    language = plan.language
    writer = precopied.writer if precopied is not None else PdfWriter()
    report = AssembleReport()
    own = PdfReader(io.BytesIO(rendered.pdf))
    own_pages: list[PageObject | None] = [None] * len(own.pages)
    outlines: dict[str, list[OutlineEntry]] = {}
    labels: list[str] = []
    page_labels: list[int] = []
    layers = precopied.layers if precopied is not None else OptionalContent()
    pending = dict(precopied.by_id) if precopied is not None else {}
    order: list[PageObject] = []

    for part in plan.parts:
        label = stamp_label(language, case_no, part.kind, part.annex_no)
        if label not in labels:
            labels.append(label)
        before = len(order)
        source = sources.get(part.annex_id) if part.annex_id else None
        if part.kind is PartKind.ANNEX and part.key not in rendered.spans:
            if source is None:
                raise BuildError(f"annex '{part.annex_id}' has no file and no placeholder page")
            assert part.annex_id is not None
            name = part_label(language, part.kind, part.annex_no)
            where = f"{name} ({source.path.name})"
            if source.pages != part.pages:
                raise BuildError(
                    f"{where} has {source.pages} pages but the plan expects {part.pages} (a bug)"
                )
            copy = pending.pop(part.annex_id, None)
            if copy is None:
                if source.released:
                    raise BuildError(f"{where} was copied once already and released (a bug)")
                copy = _copy_source(writer, source, where, layers, release)
            placeholder = _placeholder(part.annex_id)
            report.removed.extend(item.replace(placeholder, where) for item in copy.removed)
            outlines[part.annex_id] = copy.outline
            order.extend(copy.pages)
        else:
            for index in _own_indexes(rendered, part.key, part):
                page = copy_page(writer, own.pages[index])
                own_pages[index] = page
                order.append(page)
        added = len(order) - before
        page_labels.extend([labels.index(label)] * added)
        if progress is not None:
            progress(added)

    if pending:
        raise BuildError(f"annexes copied but not in the plan: {', '.join(pending)} (a bug)")
    if precopied is not None:
        _put_in_order(writer, order)
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
    _stamp_all(writer, labels, page_labels, language)
    writer.set_page_label(0, total - 1, style=PageLabelStyle.DECIMAL, start=1)
    add_outline(writer, plan, _paragraph_pages(rendered, own_pages), outlines)
    apply_metadata(writer, meta, identity(plan, rendered, sources, meta))
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


def _stamp_all(writer: PdfWriter, labels: list[str], page_labels: list[int], language: str) -> None:
    total = len(page_labels)
    numbers = [word(language, "page", page=n, total=total) for n in range(1, total + 1)]
    xobjects = stamp_xobjects(writer, labels, numbers)
    stamper = Stamper(writer)
    for index, page in enumerate(writer.pages):
        stamper.stamp(page, xobjects[page_labels[index]], xobjects[len(labels) + index])


def _put_in_order(writer: PdfWriter, order: list[PageObject]) -> None:
    """Make ``order`` the writer's page order (every page a child of the one /Pages node)."""
    pages = writer.flattened_pages
    assert pages is not None
    if len(order) != len(pages) or {id(p) for p in order} != {id(p) for p in pages}:
        raise BuildError("the assembled pages are not the writer's pages (a bug)")
    node = writer._pages.get_object()
    if not isinstance(node, DictionaryObject):
        raise BuildError("the writer has no page tree (a bug)")
    if any(p.get("/Parent") != writer._pages for p in pages):
        raise BuildError("the writer's page tree is not flat (a bug)")
    node[NameObject("/Kids")] = ArrayObject(p.indirect_reference for p in order)
    pages[:] = order
