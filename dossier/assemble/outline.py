"""Bookmarks of the dossier: parts, allegation paragraphs, annexes with their own outlines.

In the public edition every title written here goes through the redaction of the page text
(``public.redact_names`` with the protected parties): allegation and annex titles, and the titles of
an annex's own bookmarks, show a confidential party only by its pseudonym.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from pypdf import PdfWriter
from pypdf.generic import Fit, IndirectObject

from ..plan import PartKind, Plan
from ..public import Protected, redact_names
from ..render import shown_title
from ..render.localise import localised
from .labels import part_name, word
from .merge import OutlineEntry


def paragraph_key(number: int) -> str:
    """Span key under which render may report the page of allegation paragraph ``number``."""
    return f"paragraph:{number}"


def _fit(args: tuple[object, ...]) -> Fit:
    if not args:
        return Fit.fit()
    try:
        return Fit(str(args[0]), tuple(args[1:]))
    except (TypeError, ValueError):
        return Fit.fit()


def _nest(
    writer: PdfWriter,
    entries: Iterable[OutlineEntry],
    parent: IndirectObject,
    first_page: int,
    fallback: int,
    title: Callable[[str], str],
) -> None:
    """Add an annex's own outline under ``parent``; its pages are offset by ``first_page``."""
    for entry in entries:
        if entry.page is None:
            page, fit = fallback, Fit.fit()
        else:
            page, fit = first_page + entry.page, _fit(entry.fit)
        item = writer.add_outline_item(
            title=title(entry.title) or "…", page_number=page, parent=parent, fit=fit, is_open=False
        )
        _nest(writer, entry.children, item, first_page, page, title)


def add_outline(
    writer: PdfWriter,
    plan: Plan,
    own_spans: Mapping[str, int],
    annex_outlines: Mapping[str, list[OutlineEntry]],
    protected: Sequence[Protected] = (),
) -> None:
    """Bookmarks for every part, paragraph and annex (0-based writer page indexes).

    ``own_spans`` maps paragraph keys to dossier page numbers when render reported them;
    ``protected`` parties are named by their pseudonym only (the public edition).
    """
    language = plan.language

    def title(text: str) -> str:
        return redact_names(text, protected) if protected else text

    for kind in plan.front:
        part = plan.part(kind.value)
        item = writer.add_outline_item(
            title=title(part_name(language, kind)), page_number=part.first_page - 1, fit=Fit.fit()
        )
        if kind is PartKind.ALLEGATIONS:
            for paragraph in plan.paragraphs:
                page = own_spans.get(paragraph_key(paragraph.number), part.first_page)
                writer.add_outline_item(
                    title=title(
                        f"{paragraph.number}. "
                        + localised(paragraph.allegation.title, language, plan.records_language)
                    ),
                    page_number=page - 1,
                    parent=item,
                    fit=Fit.fit(),
                )
    for planned in plan.annexes:
        text = word(
            language,
            "annex_bookmark",
            no=planned.label,
            title=shown_title(
                planned, language, lambda text: localised(text, language, plan.records_language)
            ),
            page=planned.divider_page,
        )
        item = writer.add_outline_item(
            title=title(text), page_number=planned.divider_page - 1, fit=Fit.fit(), is_open=False
        )
        entries = annex_outlines.get(planned.annex.id, [])
        _nest(writer, entries, item, planned.first_page - 1, planned.first_page - 1, title)
