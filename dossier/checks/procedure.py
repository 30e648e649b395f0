"""REC-02, URG-01/02, TIME-02, SOL-01, MAIL-01, CONC-01: who may complain, urgency, earlier
letters, solidarity letters, e-mail addresses, conciliation (cfa-brief §1.2, §1.5, §1.9)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..errors import Problem, Severity, problem
from ..load import CaseBundle
from ..models import CFA_KINDS, Organisation, OrgKind, Submission, when_bounds
from ..models.submission import SubmissionKind
from . import Context
from .common import (
    UPDATE_KINDS,
    drafts,
    for_submission,
    is_ilo,
    party_names,
    reported_allegations,
    submission_text,
)
from .thresholds import normalise

_INTERNATIONAL = frozenset({OrgKind.GLOBAL_UNION})


def _rec02(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    case = bundle.case
    if case is None:
        return
    country = normalise(case.country)
    for i, complainant in enumerate(case.complainants):
        org = bundle.party(complainant.party)
        if not isinstance(org, Organisation):
            continue
        international = org.kind in _INTERNATIONAL or (
            org.kind is OrgKind.CONFEDERATION and org.country is None
        )
        if not international or org.consultative_status:
            continue
        affiliates = [
            p
            for p in bundle.parties.organisations
            if org.id in p.affiliated_to and normalise(p.country or case.country) == country
        ]
        if not affiliates:
            yield problem(
                "REC-02",
                bundle.at("case", str(case.case_no), "complainants", i, "party"),
                f"'{org.id}' is an international organisation without consultative status, and "
                f"no affiliate of it in {case.country} is recorded",
                f"add the affected affiliate to parties.yaml with 'affiliated_to: [{org.id}]'",
            )
            continue
        names = [n for a in affiliates for n in party_names(a)]
        for sub in drafts(bundle):
            if sub.kind not in CFA_KINDS or sub.sender != org.id:
                continue
            text = submission_text(bundle, sub, ctx.sources)
            if text is None:
                continue  # the generated standing paragraph names the affiliates
            if not any(n.lower() in text.text.lower() for n in names):
                yield problem(
                    "REC-02",
                    text.at(bundle, 0),
                    f"the letter does not name an affiliate of '{org.id}' in {case.country} "
                    f"(e.g. {affiliates[0].name})",
                    "state which affiliate in the country is directly affected",
                )


def _urgency(bundle: CaseBundle, sub: Submission, ctx: Context) -> Iterator[Problem]:
    if sub.kind not in CFA_KINDS:
        return
    urgency = sub.urgency
    severity = for_submission(sub, Severity.ERROR)
    if urgency.requested:
        if urgency.ground is None:
            grounds = ", ".join(ctx.data.urgency_grounds)
            yield problem(
                "URG-01",
                bundle.at("submission", sub.id, "urgency"),
                "urgency is requested without a ground",
                f"set urgency.ground to one of: {grounds}",
                severity=severity,
            )
        if not (urgency.justification or "").strip():
            yield problem(
                "URG-01",
                bundle.at("submission", sub.id, "urgency"),
                "urgency is requested without a justification",
                "add urgency.justification: why the case is urgent, in one or two sentences",
                severity=severity,
            )
        yield from _urg03(bundle, sub)
        return
    if sub.sent:
        return
    for allegation in reported_allegations(bundle, sub):
        ground = ctx.data.urgency_suggest.get(str(allegation.category))
        if ground is not None:
            yield problem(
                "URG-02",
                bundle.at("submission", sub.id, "urgency"),
                f"'{allegation.id}' ({allegation.category}) may justify urgent examination "
                f"({ctx.data.urgency_grounds.get(ground, ground)})",
                f"consider urgency: {{requested: true, ground: {ground}, justification: …}}",
            )
            return


STALE_DAYS = 365
"""Urgency asked on events older than this needs the letter to say what happened since."""


def _urg03(bundle: CaseBundle, sub: Submission) -> Iterator[Problem]:
    """URG-03: urgency asked on events more than a year before the letter."""
    if sub.sent or sub.date is None:
        return
    dates = [when_bounds(a.date)[1] for a in reported_allegations(bundle, sub)]
    if not dates or (sub.date - max(dates)).days <= STALE_DAYS:
        return
    latest = max(dates)
    yield problem(
        "URG-03",
        bundle.at("submission", sub.id, "urgency"),
        f"urgency is asked on events whose latest is of {latest:%-d %B %Y}, more than a year "
        "before the letter",
        "say what has happened since (record the later events), or do not ask for urgency",
    )


_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_EARLIER = re.compile(
    r"\bour (?:letters?|communications?|complaint)\b(?: to you)?\s+(?:of|from|dated)\s+"
    r"(?P<when>yesterday|(?:\d{1,2}(?:st|nd|rd|th)?(?:,?\s*(?:and|&)\s*|,\s*))*\d{1,2}"
    r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[A-Za-z]+)(?:\s+(?P<year>\d{4}))?)",
    re.IGNORECASE,
)


def _referred_dates(text: str, letter_date: dt.date) -> Iterator[tuple[int, dt.date]]:
    for match in _EARLIER.finditer(text):
        when = match.group("when")
        if when.lower() == "yesterday":
            yield match.start(), letter_date - dt.timedelta(days=1)
            continue
        month = _MONTHS.get((match.group("month") or "").lower())
        if month is None:
            continue
        year = int(match.group("year") or letter_date.year)
        if match.group("year") is None and month > letter_date.month:
            year -= 1
        days = re.findall(r"\d{1,2}(?=\D)", when.split(match.group("month"))[0] + " ")
        for day in days:
            try:
                yield match.start(), dt.date(year, month, int(day))
            except ValueError:
                continue


def _time02(bundle: CaseBundle, sub: Submission, ctx: Context) -> Iterator[Problem]:
    if sub.kind not in UPDATE_KINDS or sub.date is None:
        return
    text = submission_text(bundle, sub, ctx.sources)
    if text is None:
        return
    dates = {s.date for s in bundle.submissions if s.sender == sub.sender and s.id != sub.id}
    for offset, day in _referred_dates(text.text, sub.date):
        if day not in dates:
            yield problem(
                "TIME-02",
                text.at(bundle, offset),
                f"refers to an earlier letter of {day}, which is not among the submissions",
                f"add submissions/{day}-….yaml (sent: true; file: null if no copy is held)",
            )


def parties_unknown(bundle: CaseBundle) -> bool:
    """True when parties.yaml is missing or did not load (wholly, or a record of it): who is the
    ILO cannot be decided, so SOL-01 and FORM-01 stay silent (the load problem is reported)."""
    file = bundle.root / "parties.yaml"
    if not file.is_file() or any(kind == "party" for kind, _ in bundle.unloaded):
        return True
    shown = bundle.display(file)
    return any(p.code in _UNREADABLE and p.file == shown for p in bundle.problems)


_UNREADABLE = frozenset({"YAML-01", "YAML-03", "YAML-04"})
"""Load problems that leave parties.yaml (or one of its lists) unread."""


def _sol01(bundle: CaseBundle, sub: Submission) -> Iterator[Problem]:
    if parties_unknown(bundle):
        return
    to_ilo = is_ilo(bundle, sub.addressee.party) or is_ilo(bundle, sub.addressee.organisation)
    named = sub.addressee.party or sub.addressee.organisation
    if sub.kind in CFA_KINDS and named and not to_ilo:
        yield problem(
            "SOL-01",
            bundle.at("submission", sub.id, "kind"),
            f"a {sub.kind} addressed to '{named}', not to the ILO",
            "a letter to a head of state or embassy is 'kind: solidarity_letter'; "
            "it may be an annex of the dossier, not its cover letter",
            severity=for_submission(sub, Severity.ERROR),
        )
    if sub.kind is SubmissionKind.SOLIDARITY_LETTER and to_ilo:
        yield problem(
            "SOL-01",
            bundle.at("submission", sub.id, "kind"),
            "a solidarity letter addressed to the ILO",
            "use complaint, additional_information or urgent_intervention",
            severity=Severity.WARNING,
        )


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _mail01(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for party in bundle.parties.all():
        if party.email is not None and not _EMAIL.match(party.email):
            yield problem(
                "MAIL-01",
                bundle.at("party", party.id, "email"),
                f"'{party.email}' is not a valid e-mail address",
                "correct it or remove it",
            )
    for sub in bundle.submissions:
        targets = [(("addressee",), sub.addressee)] + [
            (("cc", i), cc) for i, cc in enumerate(sub.cc)
        ]
        for path, who in targets:
            email = who.email
            if email is None:
                continue
            if not _EMAIL.match(email):
                yield problem(
                    "MAIL-01",
                    bundle.at("submission", sub.id, *path, "email"),
                    f"'{email}' is not a valid e-mail address",
                    "correct it",
                )
            elif (
                sub.kind in CFA_KINDS
                and path == ("addressee",)
                and email.rsplit("@", 1)[1].lower() not in ctx.data.ilo_email_domains
            ):
                yield problem(
                    "MAIL-01",
                    bundle.at("submission", sub.id, *path, "email"),
                    f"'{email}' is not an ILO address",
                    "send CFA communications to an @ilo.org address",
                )


def _mail02(bundle: CaseBundle) -> Iterator[Problem]:
    """MAIL-02: a draft's addressee has an e-mail address (``build --eml`` refuses without)."""
    for sub in drafts(bundle):
        who = sub.addressee
        party = bundle.party(who.party) if who.party else None
        if who.email is None and (party is None or party.email is None):
            yield problem(
                "MAIL-02",
                bundle.at("submission", sub.id, "addressee", "email"),
                "e-mail address of the addressee to be supplied; `dossier build --eml` needs it",
                "add 'email:' to the addressee (or to the party it names)",
            )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    yield from _rec02(bundle, ctx)
    yield from _mail01(bundle, ctx)
    yield from _mail02(bundle)
    for sub in bundle.submissions:
        yield from _urgency(bundle, sub, ctx)
        yield from _time02(bundle, sub, ctx)
        yield from _sol01(bundle, sub)
        if sub.kind is SubmissionKind.COMPLAINT and sub.conciliation is None and not sub.sent:
            yield problem(
                "CONC-01",
                bundle.at("submission", sub.id, "kind"),
                "not recorded whether the complainant is open to voluntary conciliation",
                "set 'conciliation: true' or 'false'",
            )
