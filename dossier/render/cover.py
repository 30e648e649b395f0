"""The cover letter (cfa-brief §5.2): letterhead, date, addressee, subject, standing, urgency,
body, pointer to the numbered paragraphs, lettered requests, closing, signature."""

from __future__ import annotations

import re

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from ..models import (
    CFA_KINDS,
    ComplainantRole,
    PartialDate,
    SubmissionKind,
)
from ..plan import PartKind
from . import i18n, localise
from .context import Ctx
from .head import (
    address_block,
    addressee,
    date_line,
    formulae,
    is_copy,
    is_model,
    letterhead,
    marked,
)
from .history import history_text, printed_letter
from .markdown import blocks, inline, xml
from .signature import SignatureSpace, signature_image

_SALUTATION_RE = re.compile(r"^\s*(dear|madame|monsieur|mesdames|estimad|señor|de nuestra)", re.I)
_CLOSING_RE = re.compile(
    r"^\s*(yours (sincerely|faithfully|truly)|sincerely|(with )?(best|kind) regards|"
    r"cordialement|veuillez agréer|atentamente|saludos cordiales)\b.*$",
    re.I,
)


def split_letter(body: str) -> tuple[str | None, str]:
    """The Markdown letter as (its own salutation line, the rest without a closing formula).

    The cover letter prints the salutation first, then the standing paragraph, the letter's
    text, the requests, and its own closing and signature: a salutation or closing typed in
    the letter must not appear twice or out of place.
    """
    lines = body.strip().splitlines()
    salutation = None
    if lines and _SALUTATION_RE.match(lines[0]):
        salutation = lines.pop(0).strip()
    while lines and (not lines[-1].strip() or _CLOSING_RE.match(lines[-1])):
        lines.pop()
    return salutation, "\n".join(lines).strip("\n")


def subject_text(ctx: Ctx) -> str:
    """The subject line: a CFA communication names the case; any other letter keeps its own
    subject (or none)."""
    sub = ctx.plan.submission
    case = ctx.case
    if sub.kind not in CFA_KINDS:
        return ctx.text(sub.subject) if sub.subject else ""
    if sub.subject:
        subject = ctx.text(sub.subject)
        if str(case.case_no) in subject:
            return subject
        return f"{ctx.case_label()}{ctx.t('label_sep')}{subject}"
    if sub.kind == SubmissionKind.COMPLAINT:
        return ctx.t("subject_complaint", country_de=ctx.country("de"))
    return ctx.t("subject_update", case_no=case.case_no, country=ctx.country())


def standing(ctx: Ctx) -> str | None:
    """Who writes about which case, and the case's history as known on the letter's date:
    complainants and reports of a later date are not cited. None for a letter that is not a
    communication to the Committee."""
    sub = ctx.plan.submission
    case = ctx.case
    if sub.kind not in CFA_KINDS:
        return None
    sender = ctx.name_in_text(sub.sender, sentence_start=True)
    if sub.kind == SubmissionKind.COMPLAINT:
        return ctx.t("standing_complaint", sender=sender, country_de=ctx.country("de"))
    sentences = [ctx.t("standing_case", case_no=case.case_no, country=ctx.country())]

    def known(day: PartialDate | None) -> bool:
        return day is None or sub.date is None or day.first_day() <= sub.date

    associated = []
    for comp in case.complainants:
        if not known(comp.joined):
            continue
        if comp.role != ComplainantRole.COMPLAINANT:
            associated.append(comp)
            continue
        by_name = ctx.name_in_text(comp.party, form="par")
        if comp.joined is None:
            sentences.append(ctx.t("history_complainant_nodate", by_name=by_name))
        else:
            date = i18n.partial_date(comp.joined, ctx.lang)
            sentences.append(ctx.t("history_complainant", by_name=by_name, date=date))
    genders = [ctx.gender(comp.party) for comp in associated]
    agreed = localise.agreement("associated", ctx.lang, genders)
    if len(associated) == 1 and associated[0].joined is not None:
        name = ctx.name_in_text(associated[0].party, sentence_start=True)
        date = i18n.on_date(associated[0].joined, ctx.lang)
        sentences.append(ctx.t("history_associated", name=name, date=date, associated=agreed))
    elif len(associated) == 1:
        name = ctx.name_in_text(associated[0].party, sentence_start=True)
        sentences.append(ctx.t("history_associated_nodate", name=name, associated=agreed))
    elif associated:
        names = []
        for index, comp in enumerate(associated):
            name = ctx.name_in_text(comp.party, sentence_start=index == 0)
            if comp.joined is not None:
                date = i18n.partial_date(comp.joined, ctx.lang)
                name = ctx.t("name_on_date", name=name, date=date)
            names.append(name)
        sentences.append(
            ctx.t(
                "history_associated_list",
                names=i18n.join_list(names, ctx.lang),
                associated=agreed,
            )
        )
    for report in case.prior_reports:
        if not known(report.date):
            continue
        bits = []
        if report.date is not None:
            bits.append(i18n.partial_date(report.date, ctx.lang))
        if report.paragraphs:
            paras = report.paragraphs.strip()
            if paras.endswith("-"):
                paras = ctx.t("following", first=paras.rstrip("-").strip())
            paras = paras.replace("-", "–")
            bits.append(ctx.t("report_paragraphs", paras=paras))
        detail = f" ({', '.join(bits)})" if bits else ""
        sentences.append(ctx.t("history_report", report=report.report, detail=detail))
    kind_key = f"kind_{sub.kind.value}"
    if kind_key in (
        "kind_additional_information",
        "kind_urgent_intervention",
        "kind_reply_comment",
    ):
        sentences.append(ctx.t(kind_key))
    return " ".join(sentences)


def urgency(ctx: Ctx) -> str | None:
    """The request for urgent examination, worded for its ground (CFA communications only)."""
    urg = ctx.plan.submission.urgency
    if not urg.requested or ctx.plan.submission.kind not in CFA_KINDS:
        return None
    text = ""
    if urg.ground is not None:
        text = ctx.t("urgency", ground=ctx.t(f"ground_{urg.ground.value}"))
    if urg.justification:
        text = f"{text} {ctx.text(urg.justification)}".strip()
    return text or None


def pointer(ctx: Ctx) -> str | None:
    count = len(ctx.plan.paragraphs)
    if not count:
        return None
    key = "pointer_one" if count == 1 else "pointer"
    return ctx.t(
        key,
        last=count,
        page=ctx.page_of(PartKind.ALLEGATIONS.value),
        annex_page=ctx.page_of(PartKind.ANNEX_LIST.value),
    )


def signature(ctx: Ctx, closing: str) -> list[Flowable]:
    sub = ctx.plan.submission
    s = ctx.styles
    sig = sub.signatory
    lines = [ctx.name(sig.party)] if sig.party else []
    if sig.title:
        lines.append(ctx.text(sig.title))
    if is_model(ctx):
        lines = [ctx.t("model_signatory"), ctx.t("model_sender")]
    else:
        lines.append(ctx.name(sig.organisation or sub.sender))
    image = None
    loc = ctx.bundle.where.get(("submission", sub.id))
    if sig.signature_image and loc is not None and ctx.edition == "full":
        image = signature_image(loc.file.parent / sig.signature_image)
    flow: list[Flowable] = []
    if sub.kind in CFA_KINDS or sub.kind is SubmissionKind.URGENT_INTERVENTION:
        flow.append(Paragraph(xml(ctx.t("further_info")), s.body))  # to the Office only
    flow += [
        Paragraph(xml(closing), s.body_left),
        SignatureSpace(image),  # where the letter is signed: by hand, image or digitally
    ]
    flow.extend(Paragraph(marked(ctx, line), s.plain) for line in lines if line)
    return [KeepTogether(flow)]


def _requests_intro(ctx: Ctx, sender: str, sender_in_text: str) -> str:
    """Requests go to the Committee, to the Director-General, or to whoever a letter is for.
    The sender opens the sentence (``sender``) or stands inside it (``sender_in_text``:
    "En consecuencia, el Sindicato …")."""
    kind = ctx.plan.submission.kind
    key = "requests_intro_letter"
    if kind is SubmissionKind.URGENT_INTERVENTION:
        key = "requests_intro_dg"
    elif kind in CFA_KINDS:
        key = "requests_intro"
    return ctx.t(key, sender=sender, sender_in_text=sender_in_text)


def copy_notice(ctx: Ctx) -> list[Flowable]:
    """A letter sent before the tool kept it: not composed again, but recorded as a copy of
    what was sent (its text as kept is an annex), with the addressee as printed."""
    s = ctx.styles
    sub = ctx.plan.submission
    date = i18n.exact_date(sub.date, ctx.lang) if sub.date else ctx.t("date_missing")
    to = f"{ctx.t('semicolon')} ".join(address_block(ctx, sub.addressee)) or ctx.t("date_missing")
    out: list[Flowable] = [Paragraph(xml(ctx.t("copy_title")), s.h1)]
    fields = ctx.t("copy_fields", date=date, sender=ctx.name(sub.sender), addressee=to)
    out.append(Paragraph(xml(ctx.redact(fields)), s.body))
    if sub.subject:
        out.append(Paragraph(xml(ctx.t("copy_subject", subject=ctx.text(sub.subject))), s.body))
    planned = next((a for a in ctx.plan.annexes if a.annex.id == sub.annex), None)
    if planned is not None:
        out.append(Paragraph(ctx.annex_link_text(planned.annex.id), s.body))
    elif sub.annex:
        out.append(Paragraph(xml(ctx.t("copy_text_record", id=sub.annex)), s.body))
    return out


def cover_letter(ctx: Ctx) -> list[Flowable]:
    if is_copy(ctx):
        return copy_notice(ctx)
    s = ctx.styles
    sub = ctx.plan.submission
    if is_model(ctx):
        sender_subject = sender_in_text = ctx.t("model_sender")
    else:
        sender_subject = ctx.name_in_text(sub.sender, sentence_start=True)
        sender_in_text = ctx.name_in_text(sub.sender)
    out = letterhead(ctx) + date_line(ctx)
    out.append(Spacer(1, 4 * mm))
    out += addressee(ctx)
    subject = subject_text(ctx)
    if subject:
        out.append(Paragraph(f"{xml(ctx.t('subject'))} {xml(subject)}", s.subject))
    own_salutation, body = split_letter(letter_body(ctx))
    if own_salutation is None and sub.salutation:
        own_salutation = ctx.text(sub.salutation)
    salutation, closing = formulae(ctx, ctx.redact(own_salutation) if own_salutation else None)
    out.append(Paragraph(xml(salutation), s.body_left))
    standing_text = standing(ctx)
    if standing_text:
        out.append(Paragraph(xml(standing_text), s.body))
    history = history_text(ctx)  # earlier letters by date; what is new since the last one
    if history:
        out.append(Paragraph(xml(history), s.body))
    urgent = urgency(ctx)
    if urgent:
        out.append(Paragraph(xml(urgent), s.body))
    if body.strip():
        out += blocks(body, s, transform=ctx.redact)
    point = pointer(ctx)
    if point:
        out.append(Paragraph(xml(point), s.body))
    if sub.requests:
        out.append(
            Paragraph(
                marked(ctx, _requests_intro(ctx, sender_subject, sender_in_text)), s.body_left
            )
        )
        for index, request in enumerate(sub.requests):
            letter = f"({_letter(index)})"
            out.append(Paragraph(inline(ctx.text(request)), s.lettered, bulletText=letter))
        out.append(Spacer(1, 3 * mm))
    if sub.conciliation:
        willing = localise.agreement("willing", ctx.lang, [ctx.gender(sub.sender)])
        text = ctx.t("conciliation", sender=sender_subject, willing=willing)
        out.append(Paragraph(xml(text), s.body))
    out += signature(ctx, closing)
    return out


def letter_body(ctx: Ctx) -> str:
    """The Markdown letter in the dossier's language; in the records' (marked) when it has not
    been given in that language."""
    text, language = printed_letter(ctx)
    if language == ctx.lang or not text.strip():
        return text
    salutation, body = split_letter(text)
    body = localise.mark(body, language, markdown=True)
    return f"{salutation}\n\n{body}" if salutation else body


def _letter(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa (the lettered form of CFA recommendations)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters
