"""The head of a letter: letterhead, date line, addressee block, and the salutation and
closing formulae that go with the addressee's office and gender (cfa-brief §5.2)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.flowables import HRFlowable

from ..l10n import letters
from ..models import Addressee, PartyBase, Person, SubmissionKind
from ..models.placeholders import placeholders
from ..models.texts import in_language
from .context import Ctx
from .markdown import xml
from .names import display_acronym
from .styles import RULE_COLOR


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
    """``Geneva, 24 November 2026`` / ``Genève, le 24 novembre 2026`` / ``Ginebra, 24 de …``."""
    sub = ctx.plan.submission
    place = None
    if sub.place:  # Geneva / Genève / Ginebra; any other place as the records give it
        raw = in_language(sub.place, ctx.lang, ctx.records_lang)[0]
        known = letters.known_place(raw)
        place = letters.place_name(raw, ctx.lang) if known else ctx.text(sub.place)
    if sub.date is not None:
        text = letters.date_line(sub.date, ctx.lang, place)
    else:
        text = f"{place}, {ctx.t('date_missing')}" if place else ctx.t("date_missing")
    out: list[Flowable] = [Paragraph(marked(ctx, text), ctx.styles.right)]
    if sub.reference:
        ref = f"{ctx.t('ref')} {ctx.redact(sub.reference)}"
        out.append(Paragraph(xml(ref), ctx.styles.right))
    return out


def address_block(ctx: Ctx, who: Addressee) -> list[str]:
    lines: list[str] = []
    person = ctx.party(who.party)
    org_id = who.organisation or (getattr(person, "part_of", None) if person else None)
    org = ctx.party(org_id)
    name = ctx.name(who.party) if person else ctx.text(who.name)
    if name:
        lines.append(name)
    if who.office:
        lines.append(office_title(ctx, who))
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


def _gender(ctx: Ctx, who: Addressee) -> str:
    """The addressee's gender as recorded on the person (``male``/``female``/``unknown``)."""
    person = ctx.party(who.party)
    return getattr(person, "gender", None) or "unknown" if isinstance(person, Person) else "unknown"


def office_title(ctx: Ctx, who: Addressee) -> str:
    """The addressee's office: a title the tool knows in the dossier's language (``Directeur
    général``), else as the records give it."""
    key = letters.office_key(who.office)
    known = letters.office_title(key, ctx.lang, _gender(ctx, who))
    return known if known is not None else ctx.text(who.office)


def _surname(ctx: Ctx, who: Addressee) -> str | None:
    """The surname for "Dear Ms Curtis,": the last word of the name; none when the gender is
    not recorded (no Mr or Ms to put) or the person is shown by a pseudonym."""
    person = ctx.party(who.party)
    if not isinstance(person, Person) or _gender(ctx, who) == "unknown":
        return None
    if ctx.name(person.id) != str(person.name):
        return None
    return str(person.name).split()[-1]


def formulae(ctx: Ctx, own: str | None) -> tuple[str, str]:
    """The salutation and the closing that goes with it, for the addressee's office and
    gender as recorded (``Monsieur le Directeur général,`` … ``Veuillez agréer, Monsieur le
    Directeur général, …``); ``own``: a salutation the letter gives itself."""
    who = ctx.plan.submission.addressee
    office = letters.office_key(who.office)
    gender = _gender(ctx, who)
    surname = _surname(ctx, who)
    closing = letters.closing(ctx.lang, office, gender, surname=surname, appel=own)
    if own is not None:
        return own, closing
    return letters.salutation(ctx.lang, office, gender, surname=surname), closing


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
    for line in address_block(ctx, sub.addressee):
        out.append(Paragraph(marked(ctx, line), s.plain))
    for cc in sub.cc:
        block = address_block(ctx, cc)
        if block:
            out.append(Spacer(1, 2 * mm))
            out.append(Paragraph(marked(ctx, f"{ctx.t('cc')} " + ", ".join(block)), s.small))
    out.append(Spacer(1, 6 * mm))
    return out
