"""Chronology table: date (with its precision), event, victims, the authorities responsible,
paragraph and annexes."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from . import i18n
from .context import Ctx
from .fonts import SANS
from .markdown import xml
from .styles import FRAME_WIDTH, RULE_COLOR


def _listed(ctx: Ctx, party_ids: tuple[str, ...]) -> str:
    """Names in a cell: the first as it starts the cell, the others as inside a sentence."""
    names = list(dict.fromkeys(ctx.name_in_list(x) for x in party_ids))
    if names:
        names[0] = names[0][:1].upper() + names[0][1:]
    return f"{ctx.t('semicolon')} ".join(names)


def chronology_part(ctx: Ctx) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = [Paragraph(xml(ctx.t("chronology")), s.h1)]
    if not ctx.plan.paragraphs:
        out.append(Paragraph(xml(ctx.t("no_allegations")), s.body))
        return out
    head = ["col_date", "col_event", "col_victims", "col_authorities", "col_para", "col_annexes"]
    rows: list[list[Flowable]] = [[Paragraph(xml(ctx.t(k)), s.cell_head) for k in head]]
    for p in ctx.plan.paragraphs:
        a = p.allegation
        victims = _listed(ctx, a.victims)
        authorities = _listed(ctx, a.perpetrators)
        numbers: list[str] = []
        for ref in p.refs:
            label = ctx.annex_link(ref.annex_id)
            if label not in numbers:
                numbers.append(label)
        rows.append(
            [
                Paragraph(xml(i18n.when(a.date, ctx.lang, a.precision)), s.cell),
                Paragraph(xml(ctx.text(a.title)), s.cell),
                Paragraph(xml(victims), s.cell),
                Paragraph(xml(authorities), s.cell),
                Paragraph(str(p.number), s.cell),
                Paragraph(", ".join(numbers), s.cell),
            ]
        )
    widths = [26 * mm, 0, 33 * mm, 33 * mm, 13 * mm, 16 * mm]
    widths[1] = FRAME_WIDTH - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(table_style())
    out.append(table)
    return out


def table_style() -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), SANS),  # the cells are Paragraphs; no Helvetica
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE_COLOR),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
