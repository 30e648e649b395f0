"""List of annexes, divider pages, and the one-page stand-ins for withheld or missing annexes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from ..plan import PlannedAnnex
from . import i18n
from .chronology import table_style
from .context import Ctx, page_uri
from .fonts import SANS
from .markdown import link, xml
from .styles import FRAME_WIDTH, PAGE_HEIGHT


def issuer(ctx: Ctx, planned: PlannedAnnex) -> str:
    if planned.withheld or not planned.annex.issuer:
        return ""
    return ctx.redact(ctx.name(planned.annex.issuer))


def shown_title(planned: PlannedAnnex, lang: str, text: Callable[[str], str]) -> str:
    """The title printed for an annex, through ``text`` (the record's text in the dossier's
    language, redacted): a withheld one shows only its ``public_title``, or "withheld
    (confidential); available to the Office on request" (no title, date, issuer or language
    anywhere in the public edition)."""
    if planned.withheld:
        public = planned.annex.public_title
        return text(public) if public else i18n.t(lang, "withheld_entry")
    return text(planned.annex.title)


def translation_note(ctx: Ctx, planned: PlannedAnnex, *, of_annex: bool = True) -> str | None:
    """``unofficial English translation of Annex 6, by A. Translator`` for a translation
    printed after its original (None for any other annex)."""
    annex = planned.annex
    original = next((p for p in ctx.plan.annexes if p.annex.id == planned.original), None)
    if original is None:
        return None
    language = i18n.language_name(annex.language, ctx.lang)
    key = "translation_certified" if annex.certified else "translation_unofficial"
    text = ctx.t(key, language=language)
    if of_annex:
        text = ctx.t("translation_of_annex", what=text, n=original.label)
    if annex.translator:
        translator = ctx.redact(ctx.name(annex.translator))
        text = ctx.t("translation_by", what=text, translator=translator)
    return text


def marker(ctx: Ctx, planned: PlannedAnnex) -> str:
    """``withheld`` / ``confidential`` / ``to be supplied`` / empty."""
    if planned.withheld:
        return ctx.t("withheld")
    marks = []
    if planned.annex.confidential:
        marks.append(ctx.t("confidential"))
    if planned.annex.file is None:
        marks.append(ctx.t("to_be_supplied"))
    return ", ".join(marks)


class _Cell(Paragraph):  # type: ignore[misc]
    """A cell of the list of annexes, line-broken once per width.

    reportlab's ``Table`` wraps every cell when it measures its rows, again when it splits at
    the foot of a page and again when it draws it, always at the column's width; the line
    breaking (and so the result) is the same each time. A split that drops the lines (reportlab
    deletes ``blPara``) makes the next wrap break them again.
    """

    _wrapped_at: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width == self._wrapped_at and "blPara" in self.__dict__:
            self.width = avail_width
            return avail_width, self.height
        width, height = super().wrap(avail_width, avail_height)
        self._wrapped_at = avail_width if height != 0x7FFFFFFF else None
        return width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self._wrapped_at = None
        return list(super().split(avail_width, avail_height))


def annex_list_part(ctx: Ctx) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = [Paragraph(xml(ctx.t("annex_list")), s.h1)]
    if not ctx.plan.annexes:
        out.append(Paragraph(xml(ctx.t("no_annexes")), s.body))
        return out
    keys = ["col_no", "col_title", "col_date", "col_issuer", "col_language", "col_pages", "col_sha"]
    rows: list[list[Flowable]] = [[_Cell(xml(ctx.t(k)), s.cell_head) for k in keys]]
    for planned in ctx.plan.annexes:
        a = planned.annex
        title = link(xml(shown_title(planned, ctx.lang, ctx.text)), page_uri(planned.divider_page))
        note = None if planned.withheld else translation_note(ctx, planned)
        if note:
            title += f"<br/><i>{xml(note)}</i>"
        mark = marker(ctx, planned)
        if mark and not (planned.withheld and not a.public_title):
            title += f" <b>[{xml(mark)}]</b>"
        first, last = planned.first_page, planned.last_page
        pages = (
            f"{planned.pages} ({first}–{last})" if last > first else f"{planned.pages} ({first})"
        )
        rows.append(
            [
                _Cell(link(planned.label, page_uri(planned.divider_page)), s.cell),
                _Cell(title, s.cell),
                _Cell(xml(_date(ctx, planned)), s.cell),
                _Cell(xml(issuer(ctx, planned)), s.cell),
                _Cell(xml(_language(ctx, planned)), s.cell),
                _Cell(xml(pages), s.cell),
                _Cell(xml(a.sha256[:12] if a.sha256 and not planned.withheld else "—"), s.hash),
            ]
        )
    widths = [11 * mm, 0, 21 * mm, 27 * mm, 18 * mm, 16 * mm, 21 * mm]
    widths[1] = FRAME_WIDTH - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(table_style())
    out.append(table)
    return out


_ORIGINS = {
    ".docx": "origin_word",
    ".doc": "origin_word",
    ".odt": "origin_odt",
    ".rtf": "origin_rtf",
    ".xlsx": "origin_excel",
    ".xls": "origin_excel",
    ".ods": "origin_ods",
    ".eml": "origin_eml",
    ".msg": "origin_msg",
}
"""Annex files the intake stage converts to PDF: the divider says from what (i18n key)."""


def _date(ctx: Ctx, planned: PlannedAnnex) -> str:
    return "" if planned.withheld else i18n.optional_date(planned.annex.date, ctx.lang)


def _language(ctx: Ctx, planned: PlannedAnnex) -> str:
    return "" if planned.withheld else i18n.language_name(planned.annex.language, ctx.lang)


def _withheld_rows(ctx: Ctx, planned: PlannedAnnex) -> list[tuple[str, str]]:
    return [(ctx.t("meta_pages"), f"{planned.first_page} ({planned.pages})")]


def _meta_table(ctx: Ctx, planned: PlannedAnnex) -> Flowable:
    s = ctx.styles
    a = planned.annex
    if planned.withheld:
        kept = _withheld_rows(ctx, planned)
        data = [(Paragraph(xml(k), s.cell_head), Paragraph(xml(v), s.cell)) for k, v in kept]
        mark = ctx.t("withheld").upper()
        data.append((Paragraph("", s.cell), Paragraph(f"<b>{xml(mark)}</b>", s.cell)))
        return _MetaTable(data, (45 * mm, 80 * mm))
    rows: list[tuple[str, str]] = []
    if a.date is not None:
        rows.append((ctx.t("meta_date"), i18n.optional_date(a.date, ctx.lang)))
    if a.issuer:
        rows.append((ctx.t("meta_issuer"), issuer(ctx, planned)))
    rows.append((ctx.t("meta_language"), i18n.language_name(a.language, ctx.lang)))
    if a.translation_of:
        original = next((p for p in ctx.plan.annexes if p.annex.id == a.translation_of), None)
        if original is not None:
            rows.append((ctx.t("meta_translation_of"), ctx.t("annex_n", n=original.label)))
        note = translation_note(ctx, planned, of_annex=False)
        if note:
            rows.append((ctx.t("meta_translation"), note[:1].upper() + note[1:]))
    if a.seen_by:
        rows.append((ctx.t("meta_seen_by"), ctx.redact(ctx.name(a.seen_by))))
    if a.seen_at:
        rows.append((ctx.t("meta_seen_at"), ctx.text(a.seen_at)))
    if a.seen_on is not None:
        rows.append((ctx.t("meta_seen_on"), i18n.optional_date(a.seen_on, ctx.lang)))
    first, last = planned.first_page, planned.last_page
    span = f"{first}–{last}" if last > first else str(first)
    rows.append((ctx.t("meta_pages"), f"{span} ({planned.pages})"))
    origin = _ORIGINS.get(PurePosixPath(a.file).suffix.lower()) if a.file else None
    if origin is not None and not planned.withheld:
        name = PurePosixPath(a.file or "").name
        rows.append(
            (ctx.t("meta_original"), ctx.t("converted_from", kind=ctx.t(origin), file=name))
        )
    if a.sha256 and not planned.withheld:
        rows.append((ctx.t("meta_sha"), f"{a.sha256[:32]}<br/>{a.sha256[32:]}"))
    mark = marker(ctx, planned)
    data = [
        (Paragraph(xml(k), s.cell_head), Paragraph(v if "<br/>" in v else xml(v), s.cell))
        for k, v in rows
    ]
    if mark:
        data.append((Paragraph("", s.cell), Paragraph(f"<b>{xml(mark.upper())}</b>", s.cell)))
    return _MetaTable(data, (45 * mm, 80 * mm))


class _MetaTable(Flowable):  # type: ignore[misc]
    """A divider's two-column table of particulars, drawn as reportlab's ``Table`` draws it.

    Same geometry and drawing as ``Table(data, colWidths=widths, hAlign="CENTER")`` styled
    VALIGN TOP, a 0.5 pt black rule above the first and below the last row, padding 6 pt left
    and right, 3 pt top and bottom: the pages look and extract the same. It wraps each cell
    once, where ``Table`` wraps it two to three times (a third of the divider's typesetting).
    It is never split: a divider is one page by construction.
    """

    PAD_X = 6.0
    PAD_Y = 3.0
    RULE = 0.5

    def __init__(
        self, rows: list[tuple[Paragraph, Paragraph]], widths: tuple[float, float]
    ) -> None:
        super().__init__()
        self.rows = rows
        self.widths = widths
        self.hAlign = "CENTER"
        self.width = sum(widths)
        self.heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = 72000 - 2 * self.PAD_Y  # the height Table offers a cell while measuring rows
        self.heights = [
            max(
                cell.wrap(w - 2 * self.PAD_X, inner)[1]
                for cell, w in zip(row, self.widths, strict=True)
            )
            + 2 * self.PAD_Y
            for row in self.rows
        ]
        self.height = sum(self.heights)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.saveState()  # Table._drawLines
        canv.setLineCap(1)
        canv.setLineJoin(1)
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(self.RULE)
        canv.line(0, self.height, self.width, self.height)
        canv.line(0, 0, self.width, 0)
        canv.restoreState()
        canv.setFillColor(colors.black)  # Table._drawCell, default cell style
        canv.setFont(SANS, 10, 12)  # every cell sets its own font; no Helvetica resource
        top = self.height
        for row, height in zip(self.rows, self.heights, strict=True):
            x = 0.0
            for cell, w in zip(row, self.widths, strict=True):
                cell.drawOn(canv, x + self.PAD_X, top - self.PAD_Y - cell.height)
                x += w
            top -= height
        canv.restoreState()


def divider_page(ctx: Ctx, planned: PlannedAnnex) -> list[Flowable]:
    s = ctx.styles
    return [
        Spacer(1, PAGE_HEIGHT * 0.22),
        Paragraph(xml(ctx.t("annex_n", n=planned.label)), s.divider_title),
        Spacer(1, 8 * mm),
        Paragraph(xml(shown_title(planned, ctx.lang, ctx.text)), s.divider_sub),
        Spacer(1, 12 * mm),
        _meta_table(ctx, planned),
    ]


def stand_in_page(ctx: Ctx, planned: PlannedAnnex) -> list[Flowable]:
    """The one page standing for a withheld annex, or for one whose file is still missing."""
    s = ctx.styles
    key = "withheld_page" if planned.withheld else "to_be_supplied_page"
    shown = shown_title(planned, ctx.lang, ctx.text)
    return [
        Spacer(1, PAGE_HEIGHT * 0.3),
        Paragraph(
            xml(f"{ctx.t('annex_n', n=planned.label)} — {shown}"),
            s.divider_sub,
        ),
        Spacer(1, 8 * mm),
        Paragraph(xml(ctx.t(key)), s.centered),
    ]
