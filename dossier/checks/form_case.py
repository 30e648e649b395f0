"""FORM-02, 09, 11, 12: the form checks over the whole case (cfa-brief §1.3, §1.9).

The Director-General's name wherever it is written (parties, addressees, letters), the government
complained against, template placeholders left in any record or letter, and annexes in a language
the ILO does not work in without a translation. The per-submission checks are in ``form.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Place, Problem, Severity, problem
from ..load import CaseBundle, PathKey
from ..models import (
    AnnexKind,
    Organisation,
    OrgKind,
)
from ..models.submission import SubmissionKind
from . import Context
from .common import (
    INTERNAL_FIELDS,
    for_submission,
    iter_strings,
    records,
    submission_text,
    translated_letters,
)
from .thresholds import CheckData, DirectorGeneral, normalise

_TOKEN = re.compile(r"[^\W\d_]+")


# ---- FORM-02: the Director-General's name ---------------------------------------------------


def _near(a: str, b: str) -> bool:
    """At most one edit apart (insertion, deletion, substitution)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def dg_mentions(
    text: str, data: CheckData, fuzzy: bool = True
) -> Iterator[tuple[int, str, DirectorGeneral, bool]]:
    """``(offset, token, dg, correct)`` for each Director-General surname in ``text``,
    spelt right (``correct``) or as a known or near misspelling."""
    for match in _TOKEN.finditer(text):
        token = match.group()
        low = token.lower()
        for dg in data.directors_general:
            surname = dg.surname.lower()
            if low == surname:
                yield match.start(), token, dg, True
            elif low in {m.lower() for m in dg.misspellings} or (
                fuzzy
                and len(low) >= 5
                and token[:1].isupper()
                and low[0] == surname[0]
                and _near(low, surname)
            ):
                yield match.start(), token, dg, False


def _dg_fix(dg: DirectorGeneral) -> str:
    return f"write '{dg.surname}' ({dg.name}, Director-General {dg.term()})"


def _form02(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    data = ctx.data
    for person in bundle.parties.persons:
        person_fields: list[tuple[PathKey, str]] = [
            (("name",), person.name),
            (("email",), person.email or ""),
        ]
        for path, value in person_fields:
            for _o, token, dg, correct in dg_mentions(value, data, fuzzy=path == ("name",)):
                if not correct:
                    yield problem(
                        "FORM-02",
                        bundle.at("party", person.id, *path),
                        f"'{token}' misspells the Director-General's name",
                        _dg_fix(dg) + "; keep the wrong form as an alias if a source has it",
                        severity=Severity.ERROR,
                    )
    for sub in bundle.submissions:
        severity = for_submission(sub, Severity.ERROR)
        due = data.director_general_on(sub.date) if sub.date else None
        fields: list[tuple[PathKey, str, bool]] = [
            (("addressee", "name"), sub.addressee.name or "", True),
            (("addressee", "email"), sub.addressee.email or "", False),
        ]
        party = bundle.party(sub.addressee.party) if sub.addressee.party else None
        if party is not None and sub.addressee.name is None:
            fields.append((("addressee", "party"), party.name, True))
        for path, value, fuzzy in fields:
            for _o, token, dg, correct in dg_mentions(value, data, fuzzy):
                if not correct:
                    if path[-1] == "party":
                        continue  # reported on the party itself
                    yield problem(
                        "FORM-02",
                        bundle.at("submission", sub.id, *path),
                        f"'{token}' misspells the Director-General's name",
                        _dg_fix(dg),
                        severity=severity,
                    )
                elif sub.date is not None and not dg.in_office(sub.date):
                    then = f"; on {sub.date} it was {due.name}" if due else ""
                    yield problem(
                        "FORM-02",
                        bundle.at("submission", sub.id, *path),
                        f"{dg.name} was not Director-General on {sub.date} ({dg.term()}){then}",
                        "address the Director-General in office on the letter's date",
                        severity=severity,
                    )
        text = submission_text(bundle, sub, ctx.sources)
        if text is not None:
            for offset, token, dg, correct in dg_mentions(text.text, data):
                if not correct:
                    yield problem(
                        "FORM-02",
                        text.at(bundle, offset),
                        f"'{token}' misspells the Director-General's name",
                        _dg_fix(dg),
                        severity=severity,
                    )


def _form09(bundle: CaseBundle) -> Iterator[Problem]:
    case = bundle.case
    if case is None:
        return
    gov = bundle.party(case.government)
    if gov is None:
        return  # REF-01
    cid = str(case.case_no)
    if not isinstance(gov, Organisation) or gov.kind is not OrgKind.GOVERNMENT:
        yield problem(
            "FORM-09",
            bundle.at("case", cid, "government"),
            f"'{gov.id}' is not a government (kind: government)",
            "name the Government complained against",
        )
        return
    country = normalise(case.country)
    names = [normalise(n) for n in (gov.name, *(a.name for a in gov.aliases))]
    same_country = gov.country is None or normalise(gov.country) == country
    if not same_country or not any(country in n for n in names + [normalise(gov.country or "")]):
        yield problem(
            "FORM-09",
            bundle.at("case", cid, "government"),
            f"government '{gov.id}' ({gov.name}) does not match the case country {case.country}",
            "use the Government of the country the case is against",
        )


# ---- FORM-11: placeholders, FORM-12: languages ----------------------------------------------


def _placeholders(text: str, data: CheckData) -> Iterator[tuple[int, str]]:
    for placeholder in data.placeholders:
        for match in placeholder.regex.finditer(text):
            yield match.start(), match.group()


def _form11(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    sent_only = _sent_only_records(bundle)
    models = {s.id for s in bundle.submissions if s.kind is SubmissionKind.MODEL_LETTER}
    for kind, rid, model in records(bundle):
        severity = Severity.WARNING if (kind, rid) in sent_only else Severity.ERROR
        in_model = kind == "submission" and rid in models
        for path, value in iter_strings(model):
            if any(str(p) in INTERNAL_FIELDS for p in path):
                continue
            for _o, found in _placeholders(value, ctx.data):
                place = bundle.at(kind, rid, *path, needle=found)
                yield _placeholder(place, found, severity, in_model)
    for sub in bundle.submissions:
        severity = for_submission(sub, Severity.ERROR)
        for text in [submission_text(bundle, sub, ctx.sources), *translated_letters(bundle, sub)]:
            if text is None:
                continue
            for offset, found in _placeholders(text.text, ctx.data):
                yield _placeholder(text.at(bundle, offset), found, severity, sub.id in models)


def _placeholder(place: Place, found: str, severity: Severity, in_model: bool) -> Problem:
    """FORM-11; in a model letter the placeholders are the point: a note, printed marked."""
    if in_model:
        return problem(
            "FORM-11",
            place,
            f"placeholder '{found}' of a model letter, for its sender to fill in",
            "nothing to do: the dossier prints it marked as a placeholder",
            severity=Severity.INFO,
        )
    return problem(
        "FORM-11",
        place,
        f"template placeholder '{found}' left in the text",
        "replace it with the real value, or delete it",
        severity=severity,
    )


def _sent_only_records(bundle: CaseBundle) -> set[tuple[str, str]]:
    """Sent submissions, and parties named only by sent submissions: history, not drafts."""
    out = {("submission", s.id) for s in bundle.submissions if s.sent}
    by_sent: set[str] = set()
    elsewhere: set[str] = set()
    for sub in bundle.submissions:
        ids = {sub.sender, sub.addressee.party, sub.signatory.party, *(c.party for c in sub.cc)}
        (by_sent if sub.sent else elsewhere).update(i for i in ids if i)
    if bundle.case is not None:
        elsewhere.add(bundle.case.government)
        elsewhere.update(c.party for c in bundle.case.complainants)
    for allegation in bundle.allegations:
        elsewhere.update(allegation.victims)
        elsewhere.update(allegation.perpetrators)
    out.update(("party", pid) for pid in by_sent - elsewhere)
    return out


_WORKING = frozenset({"en", "fr", "es"})


def _form12(bundle: CaseBundle) -> Iterator[Problem]:
    translated = {a.translation_of for a in bundle.annexes if a.translation_of}
    for annex in bundle.annexes:
        lang = annex.language.split("-")[0]
        if lang == "zxx" or annex.kind is AnnexKind.PHOTO:
            continue  # no text to translate (a photo given a language is ANX-15)
        if lang not in _WORKING and annex.id not in translated:
            yield problem(
                "FORM-12",
                bundle.at("annex", annex.id, "language"),
                ("annex in an undetermined language" if lang == "und" else f"annex in '{lang}'")
                + " has no translation or summary in English, French or Spanish",
                "add a translation annex with 'translation_of: " + annex.id + "'",
            )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    yield from _form02(bundle, ctx)
    yield from _form09(bundle)
    yield from _form11(bundle, ctx)
    yield from _form12(bundle)
