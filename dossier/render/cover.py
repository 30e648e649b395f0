"""The cover letter (cfa-brief §5.2): letterhead, date, addressee, subject, standing, urgency,
body, pointer to the numbered paragraphs, lettered requests, closing, signature."""

from __future__ import annotations

import re

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from reportlab.platypus.flowables import HRFlowable

from ..models import (
    CFA_KINDS,
    Addressee,
    ComplainantRole,
    PartialDate,
    PartyBase,
    SubmissionKind,
)
from ..models.placeholders import placeholders
from ..plan import PartKind
from . import i18n
from .context import Ctx
from .history import history_text
from .markdown import blocks, inline, xml
from .names import display_acronym
from .signature import SignatureSpace, signature_image
from .styles import RULE_COLOR

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


def is_copy(ctx: Ctx) -> bool:
    """A letter sent before the tool kept it (no frozen record): rebuilt only as a copy."""
    sub = ctx.plan.submission
    return sub.sent and sub.id not in ctx.bundle.frozen


def is_model(ctx: Ctx) -> bool:
    return ctx.plan.submission.kind is SubmissionKind.MODEL_LETTER


def marked(ctx: Ctx, text: str) -> str:
    """``text`` as markup; in a model letter its placeholders are highlighted for the reader."""
    markup = xml(ctx.redact(text))
    if not is_model(ctx):
        return markup
    for placeholder in placeholders():
        markup = placeholder.regex.sub(lambda m: _HIGHLIGHT.format(m.group(0)), markup)
    for own in ("model_signatory", "date_missing"):  # the gaps the model itself leaves
        gap = xml(ctx.t(own))
        markup = markup.replace(gap, _HIGHLIGHT.format(gap))
    return markup


_HIGHLIGHT = '<font backColor="#ffe38a">{}</font>'


def _lines(text: str | None) -> list[str]:
    if not text:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def letterhead(ctx: Ctx) -> list[Flowable]:
    s = ctx.styles
    sub = ctx.plan.submission
    sender = ctx.party(sub.sender)
    name = ctx.t("model_sender") if is_model(ctx) else ctx.name(sub.sender)
    out: list[Flowable] = [Paragraph(marked(ctx, name), s.letterhead)]
    small: list[str] = []
    acronym = display_acronym(ctx.bundle, sub.sender, ctx.edition)
    if acronym:
        small.append(xml(acronym))
    if sender is not None and not (sender.confidential and ctx.edition == "public"):
        small.extend(xml(line) for line in _lines(sender.address))
        if sender.email:
            small.append(xml(sender.email))
    for line in small:
        out.append(Paragraph(line, s.letterhead_small))
    out.append(Spacer(1, 2 * mm))
    out.append(HRFlowable(width="100%", thickness=0.8, color=RULE_COLOR, spaceAfter=8 * mm))
    return out


def date_line(ctx: Ctx) -> list[Flowable]:
    sub = ctx.plan.submission
    date = i18n.exact_date(sub.date, ctx.lang) if sub.date else ctx.t("date_missing")
    text = f"{ctx.redact(sub.place)}, {date}" if sub.place else date
    out: list[Flowable] = [Paragraph(marked(ctx, text), ctx.styles.right)]
    if sub.reference:
        ref = f"{ctx.t('ref')} {ctx.redact(sub.reference)}"
        out.append(Paragraph(xml(ref), ctx.styles.right))
    return out


def _address_block(ctx: Ctx, who: Addressee) -> list[str]:
    lines: list[str] = []
    person = ctx.party(who.party)
    org_id = who.organisation or (getattr(person, "part_of", None) if person else None)
    org = ctx.party(org_id)
    name = ctx.name(who.party) if person else (who.name or "")
    if name:
        lines.append(name)
    if who.office:
        lines.append(who.office)
    if org is not None and org.id != (person.id if person else None):
        if not _names_in(org, who.office):  # "President of the Republic of …" says it already
            lines.append(ctx.name(org.id))
    hidden = person is not None and person.confidential and ctx.edition == "public"
    address = who.address or (person.address if person and not hidden else None)
    address = address or (org.address if org else None)
    lines.extend(_lines(address))
    email = who.email or (person.email if person and not hidden else None)
    email = email or (org.email if org else None)
    if email:
        lines.append(f"{ctx.t('email')} {email}")
    return lines


def _names_in(org: PartyBase, office: str | None) -> bool:
    """Whether ``office`` already holds the organisation's name or one of its aliases."""
    if not office:
        return False
    text = office.casefold()
    return any(n.casefold() in text for n in (org.name, *(a.name for a in org.aliases)))


def addressee(ctx: Ctx) -> list[Flowable]:
    sub = ctx.plan.submission
    s = ctx.styles
    out: list[Flowable] = []
    for line in _address_block(ctx, sub.addressee):
        out.append(Paragraph(marked(ctx, line), s.plain))
    for cc in sub.cc:
        block = _address_block(ctx, cc)
        if block:
            out.append(Spacer(1, 2 * mm))
            out.append(Paragraph(marked(ctx, f"{ctx.t('cc')} " + ", ".join(block)), s.small))
    out.append(Spacer(1, 6 * mm))
    return out


def subject_text(ctx: Ctx) -> str:
    """The subject line: a CFA communication names the case; any other letter keeps its own
    subject (or none)."""
    sub = ctx.plan.submission
    case = ctx.case
    if sub.kind not in CFA_KINDS:
        return ctx.redact(sub.subject) if sub.subject else ""
    if sub.subject:
        subject = ctx.redact(sub.subject)
        if str(case.case_no) in subject:
            return subject
        return f"{ctx.case_label()}{ctx.t('label_sep')}{subject}"
    if sub.kind == SubmissionKind.COMPLAINT:
        return ctx.t("subject_complaint", country=case.country)
    return ctx.t("subject_update", case_no=case.case_no, country=case.country)


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
        return ctx.t("standing_complaint", sender=sender, country=case.country)
    sentences = [ctx.t("standing_case", case_no=case.case_no, country=case.country)]

    def known(day: PartialDate | None) -> bool:
        return day is None or sub.date is None or day.first_day() <= sub.date

    associated = []
    for comp in case.complainants:
        if not known(comp.joined):
            continue
        if comp.role != ComplainantRole.COMPLAINANT:
            associated.append(comp)
            continue
        name = ctx.name_in_text(comp.party)
        if comp.joined is None:
            sentences.append(ctx.t("history_complainant_nodate", name=name))
        else:
            date = i18n.partial_date(comp.joined, ctx.lang)
            sentences.append(ctx.t("history_complainant", name=name, date=date))
    if len(associated) == 1 and associated[0].joined is not None:
        name = ctx.name_in_text(associated[0].party, sentence_start=True)
        date = i18n.on_date(associated[0].joined, ctx.lang)
        sentences.append(ctx.t("history_associated", name=name, date=date))
    elif associated:
        names = []
        for index, comp in enumerate(associated):
            name = ctx.name_in_text(comp.party, sentence_start=index == 0)
            if comp.joined is not None:
                date = i18n.partial_date(comp.joined, ctx.lang)
                name = ctx.t("name_on_date", name=name, date=date)
            names.append(name)
        sentences.append(ctx.t("history_associated_list", names=i18n.join_list(names, ctx.lang)))
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
        text = f"{text} {ctx.redact(urg.justification)}".strip()
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


def signature(ctx: Ctx) -> list[Flowable]:
    sub = ctx.plan.submission
    s = ctx.styles
    sig = sub.signatory
    lines = [ctx.name(sig.party)] if sig.party else []
    if sig.title:
        lines.append(sig.title)
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
        Paragraph(xml(ctx.t("closing")), s.body_left),
        SignatureSpace(image),  # where the letter is signed: by hand, image or digitally
    ]
    flow.extend(Paragraph(marked(ctx, line), s.plain) for line in lines if line)
    return [KeepTogether(flow)]


def _requests_intro(ctx: Ctx, sender: str) -> str:
    """Requests go to the Committee, to the Director-General, or to whoever a letter is for."""
    kind = ctx.plan.submission.kind
    if kind is SubmissionKind.URGENT_INTERVENTION:
        return ctx.t("requests_intro_dg", sender=sender)
    if kind in CFA_KINDS:
        return ctx.t("requests_intro", sender=sender)
    return ctx.t("requests_intro_letter", sender=sender)


def copy_notice(ctx: Ctx) -> list[Flowable]:
    """A letter sent before the tool kept it: not composed again, but recorded as a copy of
    what was sent (its text as kept is an annex), with the addressee as printed."""
    s = ctx.styles
    sub = ctx.plan.submission
    date = i18n.exact_date(sub.date, ctx.lang) if sub.date else ctx.t("date_missing")
    to = "; ".join(_address_block(ctx, sub.addressee)) or ctx.t("date_missing")
    out: list[Flowable] = [Paragraph(xml(ctx.t("copy_title")), s.h1)]
    fields = ctx.t("copy_fields", date=date, sender=ctx.name(sub.sender), addressee=to)
    out.append(Paragraph(xml(ctx.redact(fields)), s.body))
    if sub.subject:
        out.append(Paragraph(xml(ctx.t("copy_subject", subject=ctx.redact(sub.subject))), s.body))
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
    sender = ctx.t("model_sender") if is_model(ctx) else ctx.name(sub.sender)
    out = letterhead(ctx) + date_line(ctx)
    out.append(Spacer(1, 4 * mm))
    out += addressee(ctx)
    subject = subject_text(ctx)
    if subject:
        out.append(Paragraph(f"{xml(ctx.t('subject'))} {xml(subject)}", s.subject))
    own_salutation, body = split_letter(ctx.bundle.letters.get(sub.id, ""))
    if own_salutation is not None or sub.salutation:
        salutation = ctx.redact(own_salutation or sub.salutation or "")
    else:
        office = sub.addressee.office
        salutation = ctx.t("salutation", office=office) if office else ctx.t("salutation_plain")
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
        out.append(Paragraph(marked(ctx, _requests_intro(ctx, sender)), s.body_left))
        for index, request in enumerate(sub.requests):
            letter = f"({_letter(index)})"
            out.append(Paragraph(inline(ctx.redact(request)), s.lettered, bulletText=letter))
        out.append(Spacer(1, 3 * mm))
    if sub.conciliation:
        out.append(Paragraph(xml(ctx.t("conciliation", sender=sender)), s.body))
    out += signature(ctx)
    return out


def _letter(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa (the lettered form of CFA recommendations)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters
