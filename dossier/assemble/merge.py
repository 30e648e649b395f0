"""Copy the pages of one PDF into the dossier, with its links, annotations and outline.

Pages are cloned by pypdf without their annotations; annotations are then copied one by one:
internal links (explicit or named destinations, ``/Dest`` or GoTo actions) are re-pointed to the
copied pages as explicit destinations (named destinations of different annexes could collide);
unsafe actions, attachments and media are dropped and reported; form widgets are kept as drawn,
read-only, without their field tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
)

from .internals import add_object
from .sanitize import DROPPED_ANNOTATIONS, safe_action

PAGE_EXCLUDED: list[Any] = [1, "/Annots", 1, "/B", 1, "/AA", "/PieceInfo"]
"""Page keys not cloned: annotations (copied apart), article beads, page actions (first level
only: ``1``); private application data at any depth (a form XObject's too: it can hold
JavaScript and embedded files, and a clone would bring them along)."""
LINKED = ("/Parent", "/IRT", "/Popup")
"""Keys by which an annotation refers to another: never followed when copying, or a dropped
attachment comes back through its pop-up's /Parent or a reply's /IRT."""
INTERNAL_PREFIX = "dossier:"
_READ_ONLY = 64 | 128  # annotation flags ReadOnly | Locked


@dataclass
class OutlineEntry:
    """One bookmark of an annex's own outline, resolved to a page index of the annex."""

    title: str
    page: int | None
    fit: tuple[Any, ...] = ()
    children: list[OutlineEntry] = field(default_factory=list)


@dataclass
class Copied:
    """The pages of one source as copied into the writer, and what was removed."""

    pages: list[PageObject]
    removed: list[str] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)


UriTarget = Callable[[str], ArrayObject | None]
"""Resolves an internal URI (``dossier:page/N``) to an explicit destination, else None."""


def copy_page(writer: PdfWriter, page: PageObject) -> PageObject:
    """Append one page (without annotations, article beads and page actions)."""
    return writer.add_page(page, excluded_keys=cast(Any, PAGE_EXCLUDED))


def copy_pages(writer: PdfWriter, reader: PdfReader) -> list[PageObject]:
    """Append every page of ``reader``."""
    return [copy_page(writer, page) for page in reader.pages]


def private_data(page: PageObject, where: str) -> list[str]:
    """The form XObjects of a source page that hold ``/PieceInfo`` (private application data,
    never copied: see :data:`PAGE_EXCLUDED`), as report lines."""
    removed: list[str] = []
    stack: list[Any] = [page.get("/Resources")]
    seen: set[int] = set()
    while stack:
        resources = stack.pop()
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            continue
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, DictionaryObject):
            continue
        for ref in xobjects.values():
            form = ref.get_object() if ref is not None else None
            if not isinstance(form, DictionaryObject) or id(form) in seen:
                continue
            seen.add(id(form))
            if "/PieceInfo" in form:
                removed.append(f"{where}: private application data of a form (/PieceInfo)")
            stack.append(form.get("/Resources"))
    return removed


class _Targets:
    """Resolves destinations of the source document to pages of the writer."""

    def __init__(self, reader: PdfReader, pages: Sequence[PageObject | None]) -> None:
        self.by_idnum: dict[int, int] = {}
        for index, page in enumerate(reader.pages):
            if page.indirect_reference is not None:
                self.by_idnum[page.indirect_reference.idnum] = index
        self.pages = pages
        self._named: dict[str, Any] | None = None
        self.reader = reader

    def named(self) -> dict[str, Any]:
        if self._named is None:
            try:
                self._named = {str(k): v for k, v in self.reader.named_destinations.items()}
            except (PdfReadError, PyPdfError, KeyError, TypeError, ValueError, AttributeError):
                self._named = {}
        return self._named

    def index(self, page: Any) -> int | None:
        if isinstance(page, int) and not isinstance(page, bool):
            return page if 0 <= page < len(self.pages) else None
        ref = (
            getattr(page, "indirect_reference", None)
            if not isinstance(page, IndirectObject)
            else page
        )
        if ref is None:
            return None
        return self.by_idnum.get(ref.idnum)

    def resolve(self, dest: Any) -> ArrayObject | None:
        """An explicit destination in the writer, or None when it leads outside the source."""
        dest = dest.get_object() if isinstance(dest, IndirectObject) else dest
        if isinstance(dest, (str, bytes)):
            named = self.named().get(str(dest) if isinstance(dest, str) else dest.decode())
            if named is None:
                return None
            dest = named.dest_array
        if isinstance(dest, DictionaryObject) and "/D" in dest:  # old-style named dest dict
            return self.resolve(dest["/D"])
        if not isinstance(dest, ArrayObject) or not dest:
            return None
        index = self.index(dest[0])
        page = self.pages[index] if index is not None else None
        if page is None or page.indirect_reference is None:
            return None
        return ArrayObject([page.indirect_reference, *dest[1:]])


def _copy_annotation(
    writer: PdfWriter,
    annot: DictionaryObject,
    targets: _Targets,
    where: str,
    removed: list[str],
    uri_target: UriTarget | None,
) -> PdfObject | None:
    subtype = str(annot.get("/Subtype", ""))
    if subtype in DROPPED_ANNOTATIONS:
        removed.append(f"{where}: {subtype[1:]} annotation")
        return None
    dest: Any = annot.get("/Dest")
    action = annot.get("/A")
    action = action.get_object() if action is not None else None
    keep_action: DictionaryObject | None = None
    internal = _internal_uri(action) if uri_target is not None else None
    if internal is not None and uri_target is not None:
        dest = uri_target(internal)
        if dest is None:
            removed.append(f"{where}: internal link '{internal}' leads nowhere")
    elif action is not None:
        reason = safe_action(action)
        if reason is not None:
            removed.append(f"{where}: {reason}")
        elif action.get("/S") == "/GoTo":
            dest = action.get("/D")
        else:
            keep_action = DictionaryObject(
                {NameObject(k): v for k, v in action.items() if k in ("/S", "/URI", "/N")}
            )
    if "/AA" in annot:
        removed.append(f"{where}: annotation additional actions")
    if internal is not None:
        explicit = dest
    else:
        explicit = targets.resolve(dest) if dest is not None else None
    if subtype == "/Link" and explicit is None and keep_action is None:
        if dest is not None:
            removed.append(f"{where}: link to a destination outside the document")
        return None
    ignore: list[Any] = ["/A", "/AA", "/Dest", *LINKED]
    clone = annot.clone(writer, ignore_fields=ignore)
    for key in ("/A", "/AA", "/Dest", *LINKED):
        clone.pop(NameObject(key), None)
    if explicit is not None:
        clone[NameObject("/Dest")] = explicit
    elif keep_action is not None:
        clone[NameObject("/A")] = keep_action
    if subtype == "/Widget":
        flags = int(cast(Any, clone.get("/F", 0)))
        clone[NameObject("/F")] = NumberObject(flags | _READ_ONLY)
    if clone.indirect_reference is None:
        return add_object(writer, clone)
    return clone.indirect_reference


def _internal_uri(action: Any) -> str | None:
    if isinstance(action, DictionaryObject) and action.get("/S") == "/URI":
        uri = str(action.get("/URI", ""))
        if uri.startswith(INTERNAL_PREFIX):
            return uri
    return None


def copy_annotations(
    writer: PdfWriter,
    reader: PdfReader,
    pages: Sequence[PageObject | None],
    label: str,
    uri_target: UriTarget | None = None,
) -> list[str]:
    """Copy the annotations of every copied page (None: not copied), sanitised.

    Returns what was removed. ``uri_target`` turns internal URIs into explicit destinations.
    """
    targets = _Targets(reader, pages)
    removed: list[str] = []
    for index, (source, page) in enumerate(zip(reader.pages, pages, strict=True)):
        if page is None:
            continue
        if "/AA" in source:
            removed.append(f"{label} p. {index + 1}: page additional actions")
        annots = source.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        if not isinstance(annots, ArrayObject) or not annots:
            continue
        where = f"{label} p. {index + 1}"
        out = ArrayObject()
        for item in annots:
            annot = item.get_object()
            if not isinstance(annot, DictionaryObject):
                continue
            copied = _copy_annotation(writer, annot, targets, where, removed, uri_target)
            if copied is not None:
                out.append(copied)
        if out:
            page[NameObject("/Annots")] = out
    return removed


def _entries(items: Iterable[Any], reader: PdfReader, targets: _Targets) -> list[OutlineEntry]:
    out: list[OutlineEntry] = []
    last: OutlineEntry | None = None
    for item in items:
        if isinstance(item, list):
            if last is not None:
                last.children.extend(_entries(item, reader, targets))
            continue
        title = str(item.get("/Title", "")) if isinstance(item, DictionaryObject) else ""
        page = None
        fit: tuple[Any, ...] = ()
        try:
            dest = item.dest_array
            page = targets.index(dest[0])
            fit = tuple(dest[1:])
        except (AttributeError, IndexError, KeyError, TypeError, ValueError, PyPdfError):
            page = None
        last = OutlineEntry(title, page, fit)
        out.append(last)
    return out


def read_outline(reader: PdfReader, pages: Sequence[PageObject | None]) -> list[OutlineEntry]:
    """The source's own outline, resolved to page indexes of the source ([] when unreadable)."""
    try:
        items = reader.outline
    except (
        PdfReadError,
        PyPdfError,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        RecursionError,
    ):
        return []
    return _entries(items, reader, _Targets(reader, pages))


def copy_source(writer: PdfWriter, reader: PdfReader, label: str) -> Copied:
    """Copy all pages of ``reader`` with sanitised annotations and its resolved outline."""
    pages = copy_pages(writer, reader)
    removed = copy_annotations(writer, reader, pages, label)
    for number, source in enumerate(reader.pages, start=1):
        if "/PieceInfo" in source:
            removed.append(f"{label} p. {number}: private application data (/PieceInfo)")
        removed += private_data(source, f"{label} p. {number}")
    return Copied(pages, removed, read_outline(reader, pages))


@dataclass
class OptionalContent:
    """Layers (optional content groups) of the annexes, merged for the dossier's catalog.

    Without ``/OCProperties`` a viewer would show every layer, including those an annex keeps
    hidden; so each annex's groups and its default ON/OFF state are carried over.
    """

    groups: ArrayObject = field(default_factory=ArrayObject)
    off: ArrayObject = field(default_factory=ArrayObject)

    @classmethod
    def of(cls, writer: PdfWriter) -> OptionalContent:
        """The layers a writer holds already (a sent dossier it continues), to be kept."""
        out = cls()
        props = writer.root_object.get("/OCProperties")
        props = props.get_object() if props is not None else None
        if isinstance(props, DictionaryObject):
            groups = props.get("/OCGs")
            default = props.get("/D")
            default = default.get_object() if default is not None else None
            off = default.get("/OFF") if isinstance(default, DictionaryObject) else None
            for value, target in ((groups, out.groups), (off, out.off)):
                value = value.get_object() if value is not None else None
                if isinstance(value, ArrayObject):
                    target.extend(value)
        return out

    def add(self, writer: PdfWriter, reader: PdfReader) -> None:
        """Clone ``reader``'s groups (after its pages, so the clones are the pages' own)."""
        try:
            props = reader.root_object.get("/OCProperties")
            props = props.get_object() if props is not None else None
            if not isinstance(props, DictionaryObject):
                return
            groups = props.get("/OCGs")
            groups = groups.get_object() if groups is not None else None
            default = props.get("/D")
            default = default.get_object() if default is not None else None
            off = default.get("/OFF") if isinstance(default, DictionaryObject) else None
            off = off.get_object() if off is not None else None
        except (PdfReadError, PyPdfError, KeyError, TypeError, ValueError, AttributeError):
            return
        for source, target in ((groups, self.groups), (off, self.off)):
            if isinstance(source, ArrayObject):
                for item in source:
                    if isinstance(item, IndirectObject):
                        target.append(item.clone(writer).indirect_reference)

    def apply(self, writer: PdfWriter) -> None:
        if not self.groups:
            return
        default = DictionaryObject({NameObject("/Order"): ArrayObject(self.groups)})
        if self.off:
            default[NameObject("/OFF")] = self.off
        writer.root_object[NameObject("/OCProperties")] = DictionaryObject(
            {NameObject("/OCGs"): self.groups, NameObject("/D"): default}
        )
