"""The statement of allegations: numbered paragraphs of facts, then the law they engage."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Mapping

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from ..l10n import conventions
from ..l10n.articles import APOSTROPHE, affected_label, set_apostrophe
from ..models import Organisation, convention_ref
from ..models.compilation import compilation
from ..plan import Paragraph as PlanParagraph
from . import i18n
from .context import Ctx
from .doc import Anchor
from .history import first_reported_dates, first_reported_note
from .localise import mark
from .markdown import blocks, xml

_CONVENTION_RE = re.compile(r"^\s*C0*(\d+)\s*(?:,?\s*art(?:icle|\.)?\s*(\S+))?\s*$", re.I)


def date_text(ctx: Ctx, paragraph: PlanParagraph) -> str:
    a = paragraph.allegation
    return i18n.when(a.date, ctx.lang, a.precision)


def _paragraph(
    ctx: Ctx, paragraph: PlanParagraph, reported: dt.date | None = None
) -> list[Flowable]:
    s = ctx.styles
    a = paragraph.allegation
    head = f"<b>{xml(date_text(ctx, paragraph))} — {xml(ctx.text(a.title))}</b>"
    if a.place:
        head += f" ({xml(ctx.text(a.place))})"
    facts = blocks(ctx.text(a.facts, markdown=True), s, body_style=s.numbered)
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
        names = ", ".join(xml(ctx.name_in_list(v)) for v in a.victims)
        details.append(f"{xml(affected_label(_kinds(ctx, a.victims), ctx.lang))} {names}.")
    if a.perpetrators:
        names = ", ".join(xml(ctx.name_in_list(p)) for p in a.perpetrators)
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


def _kinds(ctx: Ctx, party_ids: tuple[str, ...]) -> list[str]:
    """What the victims are, for the label before them ("Organisations visées")."""
    kinds = []
    for party_id in party_ids:
        party = ctx.party(party_id)
        kinds.append("organisation" if isinstance(party, Organisation) else "person")
    return kinds


def convention_title(ctx: Ctx, code: str) -> str:
    """The Convention's official title in running text, where a source confirmed it in the
    dossier's language (docs/l10n-sources.md); else "Convention No. 11"."""
    try:
        return set_apostrophe(conventions.title(code, ctx.lang, in_text=True), APOSTROPHE)
    except LookupError:
        return ctx.t("conv_other", n=int(code[1:]))


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
        for item in p.allegation.conventions:
            conv = convention_ref(item)
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
        convention = convention_title(ctx, conv)
        year = ratified.get(conv)
        rat = ""
        if year:
            country, by_country = ctx.country("subject"), ctx.country("par")
            rat = ctx.t("ratified", country=country, country_par=by_country, year=year)
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
    principles = _principle_items(ctx, by_principle)
    if not texts and not principles:
        return []
    out: list[Flowable] = [Paragraph(xml(ctx.t("law_heading")), s.h2)]
    for offset, text in enumerate(texts):
        out.append(Paragraph(xml(text), s.numbered, bulletText=f"{start + offset}."))
    if principles:
        number = f"{start + len(texts)}."
        out.append(Paragraph(xml(ctx.t("law_principles")), s.numbered, bulletText=number))
        for index, item in enumerate(principles):
            end = "." if index == len(principles) - 1 else ctx.t("semicolon")
            out.append(Paragraph(xml(item + end), s.numbered_item, bulletText="–"))
    return out


def _principle_items(ctx: Ctx, by_principle: dict[str, list[int]]) -> list[str]:
    """One list item per set of facts paragraphs, naming the sections of the Compilation they
    fall under, in the order of the paragraphs. A heading that several chapters share ("General
    principles") says its chapter. Only headings and paragraph numbers that a source confirmed are
    printed."""
    taxonomy = compilation()
    order = {section_id: index for index, section_id in enumerate(taxonomy.sections)}
    counts = Counter(_pick(s.headings, ctx.lang) for s in taxonomy.sections.values())
    grouped: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for principle in sorted(by_principle, key=lambda i: order.get(i, len(order))):
        section = taxonomy.sections.get(principle)
        found = _pick(section.headings, ctx.lang) if section else None
        if section is None or found is None:
            continue  # unknown, or no source confirmed its heading: never printed (FACT-09)
        heading = _marked(found, ctx.lang)
        chapter_found = _pick(taxonomy.chapters.get(section.chapter or 0, {}), ctx.lang)
        if counts[found] > 1 and chapter_found is not None:
            chapter = _marked(chapter_found, ctx.lang)
            cited = ctx.t("section_of_chapter", heading=heading, chapter=chapter)
        else:
            cited = ctx.t("section", heading=heading)
        if section.paragraphs:  # only those a source printed
            cited += ctx.t("section_paras", paras=", ".join(map(str, section.paragraphs)))
        grouped[tuple(sorted(by_principle[principle]))].append(cited)
    return [
        ctx.t(
            "law_principle_item",
            paras=ctx.paragraph_list(list(numbers), "item_paragraph"),
            sections=i18n.join_list(sections, ctx.lang),
        )
        for numbers, sections in sorted(grouped.items())
    ]


def _pick(texts: Mapping[str, str], lang: str) -> tuple[str, str] | None:
    """A Compilation heading in ``lang`` when a source gave it, else in English (or the one
    language it is confirmed in): (text, its language). The tool translates no heading."""
    for choice in (lang, "en", *texts):
        if texts.get(choice):
            return texts[choice], choice
    return None


def _marked(found: tuple[str, str], lang: str) -> str:
    text, language = found
    return text if language == lang else mark(text, language)


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
