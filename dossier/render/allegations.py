"""The statement of allegations: numbered paragraphs of facts, then the law they engage."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from ..plan import Paragraph as PlanParagraph
from . import i18n
from .context import Ctx
from .doc import Anchor
from .history import first_reported_dates, first_reported_note
from .markdown import blocks, xml

_NAMED_CONVENTIONS = frozenset({"conv_C087", "conv_C098"})
"""Conventions whose full title is in data/i18n.yaml; others print as "Convention No. N"."""

_CONVENTION_RE = re.compile(r"^\s*C0*(\d+)\s*(?:,?\s*art(?:icle|\.)?\s*(\S+))?\s*$", re.I)


def date_text(ctx: Ctx, paragraph: PlanParagraph) -> str:
    a = paragraph.allegation
    return i18n.when(a.date, ctx.lang, a.precision)


def _paragraph(
    ctx: Ctx, paragraph: PlanParagraph, reported: dt.date | None = None
) -> list[Flowable]:
    s = ctx.styles
    a = paragraph.allegation
    head = f"<b>{xml(date_text(ctx, paragraph))} — {xml(ctx.redact(a.title))}</b>"
    if a.place:
        head += f" ({xml(ctx.redact(a.place))})"
    facts = blocks(a.facts, s, body_style=s.numbered, transform=ctx.redact)
    out: list[Flowable] = [
        Anchor(f"paragraph:{paragraph.number}"),
        Paragraph(head, s.numbered_left, bulletText=f"{paragraph.number}."),
    ]
    refs = ctx.refs_xml(paragraph)
    if facts:
        last = facts[-1]
        plain = isinstance(last, Paragraph) and last.style is s.numbered
        if refs and plain and not getattr(last, "bulletText", None):
            bullet = getattr(last, "bulletText", None)
            facts[-1] = Paragraph(f"{last.text} {refs}", last.style, bulletText=bullet)
            refs = ""
        out.extend(facts)
    details: list[str] = []
    if a.victims:
        names = ", ".join(xml(ctx.name(v)) for v in a.victims)
        details.append(f"{xml(ctx.t('victims'))} {names}.")
    if a.perpetrators:
        names = ", ".join(xml(ctx.name(p)) for p in a.perpetrators)
        details.append(f"{xml(ctx.t('perpetrators'))} {names}.")
    if refs:
        details.append(refs)
    note = first_reported_note(ctx, reported)  # an addendum: when it was first reported
    if note:
        details.append(xml(note))
    if details:
        out.append(Paragraph(" ".join(details), s.numbered_left))
    out.append(Spacer(1, 4))
    return [KeepTogether(out[:3]), *out[3:]]


def _convention(ctx: Ctx, text: str) -> tuple[str, str | None] | None:
    match = _CONVENTION_RE.match(text)
    if not match:
        return None
    return f"C{int(match.group(1)):03d}", match.group(2)


def law_paragraphs(ctx: Ctx, start: int) -> list[Flowable]:
    """Paragraphs linking the facts to Conventions and Compilation principles, numbered on."""
    s = ctx.styles
    by_article: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    by_principle: dict[str, list[int]] = defaultdict(list)
    by_text: dict[str, list[int]] = defaultdict(list)
    for p in ctx.plan.paragraphs:
        for conv in p.allegation.conventions:
            key = _convention(ctx, conv)
            bucket = by_text[conv.strip()] if key is None else by_article[key]
            if p.number not in bucket:
                bucket.append(p.number)
        for principle in p.allegation.principles:
            if p.number not in by_principle[principle]:
                by_principle[principle].append(p.number)
    ratified = {r.convention: r.year for r in ctx.case.ratified}
    texts: list[str] = []
    for (conv, article), numbers in sorted(
        by_article.items(), key=lambda kv: (kv[0][0], _num(kv[0][1]))
    ):
        name_key = f"conv_{conv}"
        named = name_key in _NAMED_CONVENTIONS
        convention = ctx.t(name_key) if named else ctx.t("conv_other", n=int(conv[1:]))
        year = ratified.get(conv)
        rat = ctx.t("ratified", country=ctx.case.country, year=year) if year else ""
        paras = ctx.paragraph_list(numbers)
        if article:
            art = ctx.t("article", n=article)
            texts.append(
                ctx.t(
                    "law_convention", paras=paras, article=art, convention=convention, ratified=rat
                )
            )
        else:
            texts.append(
                ctx.t("law_convention_whole", paras=paras, convention=convention, ratified=rat)
            )
    for ref, numbers in sorted(by_text.items()):
        texts.append(ctx.t("law_other", paras=ctx.paragraph_list(numbers), ref=ctx.redact(ref)))
    for principle, numbers in sorted(by_principle.items()):
        texts.append(
            ctx.t(
                "law_principle",
                paras=ctx.paragraph_list(numbers),
                section=ctx.t("section", id=principle),
            )
        )
    if not texts:
        return []
    out: list[Flowable] = [Paragraph(xml(ctx.t("law_heading")), s.h2)]
    for offset, text in enumerate(texts):
        out.append(Paragraph(xml(text), s.numbered, bulletText=f"{start + offset}."))
    return out


def _num(article: str | None) -> tuple[int, str]:
    if not article:
        return (0, "")
    digits = re.match(r"\d+", article)
    return (int(digits.group()) if digits else 10**6, article)


def allegations_part(ctx: Ctx) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = [Paragraph(xml(ctx.t("allegations")), s.h1)]
    if not ctx.plan.paragraphs:
        out.append(Paragraph(xml(ctx.t("no_allegations")), s.body))
        return out
    out.append(Paragraph(xml(ctx.t("facts_heading")), s.h2))
    reported = first_reported_dates(ctx)
    for paragraph in ctx.plan.paragraphs:
        out.extend(_paragraph(ctx, paragraph, reported.get(paragraph.allegation.id)))
    out.extend(law_paragraphs(ctx, len(ctx.plan.paragraphs) + 1))
    return out
