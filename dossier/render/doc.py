"""The reportlab document: one A4 page template, part markers, DRAFT mark, reproducible bytes."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LayoutError,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from ..canvas import plain_streams, set_creation_date
from ..errors import BuildError
from .fonts import SANS, SANS_BOLD
from .styles import (
    BOTTOM_MARGIN,
    DRAFT_COLOR,
    DRAFT_NOTE_COLOR,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    TOP_MARGIN,
)


class Anchor(Flowable):  # type: ignore[misc]
    """Zero-size marker: records the (1-based) page on which it is drawn under ``key``."""

    _ZEROSIZE = 1

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv.dossier_anchors.setdefault(self.key, self.canv.getPageNumber())


def _not_drawn(*_args: Any, **_kwargs: Any) -> None:
    return None


class _MeasuringFrame(Frame):  # type: ignore[misc]
    """Lays flowables out without drawing them; only :class:`Anchor` markers are drawn.

    A measuring pass needs page counts and part starts, not the pages: drawing (text
    positioning, leaders, links) is a third of the typesetting time.
    """

    def _add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:  # noqa: N803
        if isinstance(flowable, Anchor):
            return int(super()._add(flowable, canv, trySplit))
        flowable.drawOn = _not_drawn
        try:
            return int(super()._add(flowable, canv, trySplit))
        finally:
            del flowable.drawOn

    add = _add


class LinkedLine(Paragraph):  # type: ignore[misc]
    """A contents line: text, dotted leader and page number, the whole line a link."""

    def __init__(self, text: str, style: Any, page: int, uri: str) -> None:
        super().__init__(f'{text}<onDraw name="dossier_leader" label="{page}"/>', style)
        self.page = page
        self.uri = uri

    def draw(self) -> None:
        canv = self.canv
        style = self.style
        width = self.width

        ends: list[tuple[float, float, str]] = []

        def leader(canvas: Canvas, kind: str, label: str) -> None:
            info = canvas._curr_tx_info
            ends.append((info["cur_x"], info["cur_y"], label))

        canv.setNamedCB("dossier_leader", leader)
        super().draw()
        # drawn after the title, so that text extraction reads "Title . . . 12"
        for x, y, label in ends:
            number_width = canv.stringWidth(label, style.fontName, style.fontSize)
            dot_w = canv.stringWidth(" .", style.fontName, style.fontSize)
            end = width - number_width - 4
            count = max(int((end - x - 3) / dot_w), 0)
            canv.saveState()
            canv.setFont(style.fontName, style.fontSize)
            canv.drawRightString(end, y, " ." * count)
            canv.drawRightString(width, y, label)
            canv.restoreState()
        canv.linkURL(self.uri, (0, 0, width, self.height), relative=1, thickness=0)


@dataclass
class Part:
    key: str
    flowables: Sequence[Flowable]


@dataclass(frozen=True)
class DocInfo:
    title: str
    author: str
    subject: str
    keywords: str
    lang: str
    date: dt.date
    draft_text: str | None = None
    draft_note: str | None = None


Box = tuple[int, tuple[float, float, float, float]]
"""A rectangle on a page: page number and (x1, y1, x2, y2) in points from the bottom left."""


def _canvas_maker(date: dt.date, anchors: dict[str, int], boxes: dict[str, Box]) -> type[Canvas]:
    class _Canvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self.dossier_anchors = anchors
            self.dossier_boxes = boxes  # filled by flowables that record where they are drawn
            # creation date = the submission date (invariant mode alone would give 2000-01-01)
            set_creation_date(self, date)

    return _Canvas


def _draw_draft(canvas: Canvas, info: DocInfo) -> None:
    if not info.draft_text:
        return
    canvas.saveState()
    canvas.setFillColor(DRAFT_COLOR)
    canvas.setFont(SANS_BOLD, 110)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(52)
    canvas.drawCentredString(0, -35, info.draft_text)
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(DRAFT_NOTE_COLOR)
    canvas.setFont(SANS, 8)
    canvas.drawRightString(PAGE_WIDTH - RIGHT_MARGIN, PAGE_HEIGHT - 12 * mm, info.draft_note or "")
    canvas.restoreState()


@dataclass(frozen=True)
class Built:
    pdf: bytes
    spans: dict[str, tuple[int, int]]
    """Part key -> (0-based index of its first page, page count)."""
    anchors: dict[str, int]
    """Anchor key (e.g. ``paragraph:3``) -> 0-based index of the page it is on."""
    pages: int
    boxes: dict[str, Box]
    """Box key (e.g. ``signature``) -> 0-based page index and rectangle (drawn pages only)."""


def build_pdf(parts: Sequence[Part], info: DocInfo, *, measure: bool = False) -> Built:
    """Typeset the parts, each starting on a new page.

    ``measure=True`` lays the pages out (page counts, spans, anchors) without writing the PDF:
    ``Built.pdf`` is then empty.
    """
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=info.keywords,
        creator="dossier",
        producer="dossier (ReportLab)",
        lang=info.lang,
        invariant=1,
        initialFontName=SANS,
    )
    frame = (_MeasuringFrame if measure else Frame)(
        LEFT_MARGIN,
        BOTTOM_MARGIN,
        PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN,
        PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    pages = [0]

    def on_page(canvas: Canvas, _doc: Any) -> None:
        pages[0] = canvas.getPageNumber()
        _draw_draft(canvas, info)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    anchors: dict[str, int] = {}
    boxes: dict[str, Box] = {}
    story: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            story.append(PageBreak())
        story.append(Anchor(f"part:{part.key}"))
        story.extend(part.flowables)
    if measure:
        doc._doSave = 0  # reportlab's switch: no canvas.save() (font subsetting, compression)
    try:
        with plain_streams():
            doc.build(story, canvasmaker=_canvas_maker(info.date, anchors, boxes))
    except LayoutError as exc:
        raise BuildError(
            f"a block of text does not fit on one page ({exc}); shorten it or split it"
        ) from None
    starts = {p.key: anchors[f"part:{p.key}"] for p in parts}
    total = pages[0]
    spans: dict[str, tuple[int, int]] = {}
    ordered = [p.key for p in parts]
    for index, key in enumerate(ordered):
        first = starts[key]
        nxt = starts[ordered[index + 1]] if index + 1 < len(ordered) else total + 1
        spans[key] = (first - 1, nxt - first)
    others = {k: v - 1 for k, v in anchors.items() if not k.startswith("part:")}
    drawn = {k: (page - 1, rect) for k, (page, rect) in boxes.items()}
    return Built(buffer.getvalue(), spans, others, total, drawn)
