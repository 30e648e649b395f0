"""Contents: every part and annex with its final dossier page, dotted leaders, each a link."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from ..plan import FRONT_PARTS, PartKind, divider_key
from .annex_list import shown_title, translation_note
from .context import Ctx, page_uri
from .doc import LinkedLine
from .markdown import xml

PART_TITLE_KEYS = {
    PartKind.COVER: "cover",
    PartKind.CONTENTS: "contents",
    PartKind.ALLEGATIONS: "allegations",
    PartKind.CHRONOLOGY: "chronology",
    PartKind.ANNEX_LIST: "annex_list",
}


def part_title(ctx: Ctx, kind: PartKind) -> str:
    return ctx.t(PART_TITLE_KEYS[kind])


def annex_title(ctx: Ctx, number: str, title: str) -> str:
    return f"{ctx.t('annex_n', n=number)} — {ctx.text(title)}"


def contents_part(ctx: Ctx) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = [Paragraph(xml(ctx.t("contents")), s.h1)]
    for kind in FRONT_PARTS:
        page = ctx.page_of(kind.value)
        out.append(LinkedLine(xml(part_title(ctx, kind)), s.toc, page, page_uri(page)))
    if ctx.plan.annexes:
        out.append(Spacer(1, 4))
        out.append(Paragraph(f"<b>{xml(ctx.t('annexes'))}</b>", s.toc))
    for planned in ctx.plan.annexes:
        page = ctx.page_of(divider_key(planned.annex.id))
        note = None if planned.withheld else translation_note(ctx, planned, of_annex=False)
        if planned.withheld:
            shown = shown_title(planned, ctx.lang, ctx.text)
            text = xml(f"{ctx.t('annex_n', n=planned.label)} — {shown}")
            if planned.annex.public_title:
                text += f" <i>({xml(ctx.t('withheld'))})</i>"
        else:
            text = xml(annex_title(ctx, planned.label, planned.annex.title))
            if note:
                text += f" <i>({xml(note)})</i>"
        out.append(LinkedLine(text, s.toc_sub, page, page_uri(page)))
    return out
