"""FORM-01, 03..08, 10: the form of each submission (cfa-brief §1.3, §1.9).

Drafts get the full severity; sent submissions cannot be changed, so their defects are warnings
(same code). Data the records mark as to be supplied (a null address, ``signed: false`` on a
draft) is a warning that says so. The checks over the whole case (FORM-02, 09, 11, 12) are in
``form_case.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Problem, Severity, problem
from ..l10n.countries import UnknownCountry, country_name
from ..load import CaseBundle
from ..models import (
    CFA_KINDS,
    Organisation,
    Person,
    Submission,
)
from ..models.common import TO_BE_SUPPLIED
from ..models.submission import SubmissionKind
from ..models.texts import LANGUAGES, variants
from . import Context
from .common import (
    UPDATE_KINDS,
    for_submission,
    is_ilo,
    submission_text,
)
from .procedure import parties_unknown
from .thresholds import CheckData, normalise

# ---- per submission -------------------------------------------------------------------------


def _office_is_dg(office: str | None, data: CheckData) -> bool:
    return office is not None and normalise(office) in {normalise(o) for o in data.ilo_offices}


def _addressed_to_dg(bundle: CaseBundle, sub: Submission, data: CheckData) -> bool:
    if _office_is_dg(sub.addressee.office, data):
        return True
    party = bundle.party(sub.addressee.party) if sub.addressee.party else None
    return isinstance(party, Person) and any(_office_is_dg(r.title, data) for r in party.roles)


def _form01(bundle: CaseBundle, sub: Submission, ctx: Context) -> Iterator[Problem]:
    if sub.kind not in CFA_KINDS or parties_unknown(bundle):
        return
    full = Severity.ERROR if sub.kind is SubmissionKind.COMPLAINT else Severity.WARNING
    severity = for_submission(sub, full)
    a = sub.addressee
    ilo = is_ilo(bundle, a.party) or is_ilo(bundle, a.organisation)
    if not ilo or not _addressed_to_dg(bundle, sub, ctx.data):
        yield problem(
            "FORM-01",
            bundle.at("submission", sub.id, "addressee"),
            "not addressed to the ILO Director-General",
            "address it to the Director-General, International Labour Office, Geneva",
            severity=severity,
        )
    elif a.address is not None and not any(k in a.address for k in ctx.data.ilo_hq_keywords):
        yield problem(
            "FORM-01",
            bundle.at("submission", sub.id, "addressee", "address"),
            "address is not ILO headquarters",
            "use 4 route des Morillons, CH-1211 Genève 22, Switzerland",
            severity=severity,
        )


def _form03(bundle: CaseBundle, sub: Submission, ctx: Context) -> Iterator[Problem]:
    severity = for_submission(sub, Severity.ERROR)
    if sub.date is None:
        yield problem(
            "FORM-03",
            bundle.at("submission", sub.id, "date"),
            "the letter is undated",
            "add 'date: YYYY-MM-DD'",
            severity=severity,
        )
        return
    if sub.date > ctx.today:
        yield problem(
            "FORM-03",
            bundle.at("submission", sub.id, "date"),
            f"date {sub.date} is in the future (today is {ctx.today})",
            "date the letter on the day it is sent",
            severity=severity,
        )


_DATED_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-|$)")


def _form13(bundle: CaseBundle, sub: Submission) -> Iterator[Problem]:
    """FORM-13: an id that starts with a date names the submission's own date."""
    match = _DATED_ID.match(sub.id)
    if match is None or sub.date is None or match.group(1) == sub.date.isoformat():
        return
    yield problem(
        "FORM-13",
        bundle.at("submission", sub.id, "date"),
        f"the id '{sub.id}' names {match.group(1)}, but the letter is dated {sub.date}",
        "correct whichever is wrong: the date of the letter, or the id (and the file name, and "
        "every record that names it)",
    )


def _form04_05(bundle: CaseBundle, sub: Submission, ctx: Context) -> Iterator[Problem]:
    sender = bundle.party(sub.sender)
    if sender is None:
        return  # REF-01
    severity = for_submission(sub, Severity.ERROR)
    if not isinstance(sender, Organisation):
        yield problem(
            "FORM-04",
            bundle.at("submission", sub.id, "sender"),
            f"sender '{sender.id}' is not an organisation",
            "only organisations of workers or employers may write to the CFA",
            severity=severity,
        )
        return
    if sender.acronym and normalise(sender.name) == normalise(sender.acronym):
        yield problem(
            "FORM-04",
            bundle.at("submission", sub.id, "sender"),
            f"the sender is named only by its acronym '{sender.acronym}'",
            f"write the full name in parties.yaml ({sender.id}.name)",
            severity=severity,
        )
    if sub.sent:
        return  # the address is the party's; reported on the drafts that will print it
    if sub.kind in CFA_KINDS and sender.address is None:
        yield problem(
            "FORM-05",
            bundle.at("submission", sub.id, "sender"),
            f"permanent address of '{sender.id}' {TO_BE_SUPPLIED}",
            f"add 'address' to party '{sender.id}' in parties.yaml",
            severity=ctx.placeholder("submission", sub.id, Severity.WARNING),
        )
    elif sub.kind in CFA_KINDS and sender.address is not None and not sender.address.strip():
        full = Severity.ERROR if sub.kind is SubmissionKind.COMPLAINT else Severity.WARNING
        yield problem(
            "FORM-05",
            bundle.at("submission", sub.id, "sender"),
            f"permanent address of '{sender.id}' is empty",
            f"add 'address' to party '{sender.id}' in parties.yaml",
            severity=for_submission(sub, full),
        )


def _signatory_title(bundle: CaseBundle, sub: Submission) -> str | None:
    if sub.signatory.title:
        return sub.signatory.title
    person = bundle.party(sub.signatory.party) if sub.signatory.party else None
    if isinstance(person, Person):
        org = sub.signatory.organisation or sub.sender
        titles = [r.title for r in person.roles if r.organisation in (org, None)]
        return titles[0] if titles else None
    return None


def no_copy_held(sub: Submission) -> bool:
    """A sent letter known only from other letters: its form cannot be checked (ANX-02 warns)."""
    return sub.sent and sub.annex is None and sub.letter is None


def _form06_07(bundle: CaseBundle, sub: Submission, ctx: Context) -> Iterator[Problem]:
    if no_copy_held(sub):
        return
    severity = for_submission(sub, Severity.ERROR)
    sig = sub.signatory
    person = bundle.party(sig.party) if sig.party else None
    if sig.party is None:
        yield problem(
            "FORM-06",
            bundle.at("submission", sub.id, "signatory"),
            "no named person signs the letter",
            "set signatory.party to the person who signs",
            severity=severity,
        )
    elif person is not None and not isinstance(person, Person):
        yield problem(
            "FORM-06",
            bundle.at("submission", sub.id, "signatory", "party"),
            f"signatory '{sig.party}' is not a person",
            "a named officer signs: use a person's id",
            severity=severity,
        )
    title = _signatory_title(bundle, sub)
    if title is None:
        yield problem(
            "FORM-06",
            bundle.at("submission", sub.id, "signatory"),
            "the signatory's title is missing",
            "set signatory.title, e.g. 'General Secretary'",
            severity=severity,
        )
    elif sub.kind in CFA_KINDS and normalise(title) not in ctx.data.signatory_titles:
        yield problem(
            "FORM-07",
            bundle.at(
                "submission",
                sub.id,
                *("signatory", "title") if sig.title else ("signatory", "party"),
            ),
            f"'{title}' is not an office listed as able to bind the organisation",
            "have the President or General Secretary sign, or extend "
            "dossier/data/signatory_titles.yaml",
        )
    if sig.signature_image is not None:
        loc = bundle.where.get(("submission", sub.id))
        base = loc.file.parent if loc else bundle.root
        image = (base / sig.signature_image).resolve()
        if not image.is_file() or not image.is_relative_to(bundle.root.resolve()):
            yield problem(
                "FORM-06",
                bundle.at("submission", sub.id, "signatory", "signature_image"),
                f"signature image '{sig.signature_image}' not found in the case folder",
                "add the image or fix the path",
                severity=severity,
            )
    elif not sig.signed and not (ctx.final is not None and ctx.final.digital_signature):
        final = ctx.placeholder("submission", sub.id, Severity.WARNING) is Severity.ERROR
        yield problem(
            "FORM-06",
            bundle.at("submission", sub.id, "signatory", "signed"),
            f"signature {TO_BE_SUPPLIED}" if not sub.sent else "no signed original is held",
            "set 'signed: true' once the original is signed, or add signature_image"
            + (", or sign it digitally (--sign FILE.p12)" if final else ""),
            severity=Severity.INFO if sub.sent else Severity.ERROR if final else Severity.WARNING,
        )


def _country_names(bundle: CaseBundle) -> list[str]:
    """The country and its Government as a letter may name them, in English, French and
    Spanish (the records' forms, and the Office's names of the country: Kirghizistan…)."""
    case = bundle.case
    if case is None:
        return []
    names = [text for _, text in variants(case.country)]
    for name in list(names):
        try:
            names += [country_name(name, lang) for lang in LANGUAGES]
        except UnknownCountry:
            continue
    gov = bundle.party(case.government)
    if gov is not None:
        names += [text for _, text in variants(gov.name)] + [a.name for a in gov.aliases]
    return list(dict.fromkeys(names))


def _form08(bundle: CaseBundle, sub: Submission, ctx: Context) -> Iterator[Problem]:
    if sub.kind is not SubmissionKind.COMPLAINT or bundle.case is None:
        return
    text = submission_text(bundle, sub, ctx.sources)
    if text is None:
        return  # the cover letter is generated, with the statement
    body = " ".join(f"{sub.subject or ''}\n{text.text}".split())
    countries = [re.escape(c) for c in _country_names(bundle)]
    says_complaint = re.search(r"\b(?:complaint|plainte|queja)\b", body, re.IGNORECASE)
    names_cfa = re.search(
        r"Committee on Freedom of Association|Comité de la liberté syndicale|"
        r"Comité de Libertad Sindical|\bCFA\b|\bCLS\b",
        body,
        re.IGNORECASE,
    )
    names_gov = re.search(
        rf"(?:Government of (?:the )?|gouvernement (?:de la |de l[’']|des |du |de )|"
        rf"Gobierno (?:de la |de los |de las |del |de ))(?:{'|'.join(countries) or 'X'})",
        body,
        re.IGNORECASE,
    )
    if not (says_complaint and names_cfa and names_gov):
        yield problem(
            "FORM-08",
            text.at(bundle, 0),
            "the letter does not state that it is a complaint to the Committee on Freedom of "
            "Association against the Government of "
            + (bundle.case.country if bundle.case else "the country"),
            "say so expressly in the first paragraph",
            severity=for_submission(sub, Severity.ERROR),
        )


_CASE_REF = re.compile(r"\b(?:Case|Complaint)\s+(?:No\.?\s*)?(\d{3,5})\b", re.IGNORECASE)


def _form10(bundle: CaseBundle, sub: Submission, ctx: Context) -> Iterator[Problem]:
    if sub.kind not in UPDATE_KINDS or bundle.case is None:
        return
    number = str(bundle.case.case_no)
    severity = for_submission(sub, Severity.ERROR)
    if no_copy_held(sub):
        pass
    elif not sub.subject:
        yield problem(
            "FORM-10",
            bundle.at("submission", sub.id, "subject"),
            "no subject line",
            f"add 'subject: Case No. {number} ({bundle.case.country}) — additional information'",
            severity=severity,
        )
    elif not re.search(rf"\b{number}\b", sub.subject):
        yield problem(
            "FORM-10",
            bundle.at("submission", sub.id, "subject"),
            f"the subject does not cite Case No. {number}",
            f"put 'Case No. {number}' in the subject",
            severity=severity,
        )
    else:
        for match in _CASE_REF.finditer(sub.subject):
            if match.group(1) != number:
                yield problem(
                    "FORM-10",
                    bundle.at("submission", sub.id, "subject"),
                    f"the subject cites case {match.group(1)}, but this is Case No. {number}",
                    f"write {number}",
                    severity=severity,
                )
    text = submission_text(bundle, sub, ctx.sources)
    if text is None:
        return
    if not re.search(rf"\b{number}\b", text.text):
        yield problem(
            "FORM-10",
            text.at(bundle, 0),
            f"the letter never cites Case No. {number}",
            f"refer to 'Case No. {number}' in the first paragraph",
            severity=severity,
        )
    for match in _CASE_REF.finditer(text.text):
        if match.group(1) != number:
            yield problem(
                "FORM-10",
                text.at(bundle, match.start(1)),
                f"cites case {match.group(1)}, but this is Case No. {number}",
                f"write {number}",
                severity=severity,
            )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for sub in bundle.submissions:
        if sub.kind is SubmissionKind.MODEL_LETTER:
            continue  # a model for others to fill in and send: its gaps are the point
        yield from _form01(bundle, sub, ctx)
        yield from _form03(bundle, sub, ctx)
        yield from _form13(bundle, sub)
        yield from _form04_05(bundle, sub, ctx)
        yield from _form06_07(bundle, sub, ctx)
        yield from _form08(bundle, sub, ctx)
        yield from _form10(bundle, sub, ctx)
