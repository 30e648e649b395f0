"""FACT-01..07, FACT-09, REF-06: each allegation dated (before the letters that report it), placed,
with actors, evidence, legal basis and the principles of the CFA's Compilation it falls under."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ..errors import Problem, Severity, problem
from ..load import CaseBundle
from ..models import Allegation, DateRange, PartialDate, Precision, when_bounds
from ..models.compilation import compilation
from . import Context
from .common import drafts, for_submission, reported_allegations

_RELATIVE = re.compile(
    r"\b(?:yesterday|today|tomorrow|the day before|the other day|a few days ago|recently|"
    r"(?:earlier |later )?this (?:week|month|year)|last (?:week|month|year)|next (?:week|month)|"
    r"in (?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b(?!,?\s+(?:of\s+)?\d{4}))",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"\d")
_LEGISLATIVE = re.compile(
    r"\b(?:laws?(?! enforcement)|bill|act|code|decree|resolution|regulation|ordinance|"
    r"amendments?)\b",
    re.IGNORECASE,
)


def _printed(bundle: CaseBundle) -> set[str]:
    """Ids of the allegations some draft submission will print."""
    return {a.id for sub in drafts(bundle) for a in reported_allegations(bundle, sub)}


def _fact01(bundle: CaseBundle, a: Allegation, printed: set[str]) -> Iterator[Problem]:
    missing = [
        what
        for what, present in (
            ("place", a.place),
            ("perpetrators", a.perpetrators),
            ("victims", a.victims),
        )
        if not present
    ]
    if not missing:
        return

    def state(what: str) -> str:
        marked = bundle.at("allegation", a.id, what).field == what  # the key is written
        if marked and "to be supplied" in bundle.field_line("allegation", a.id, what):
            return f"{what} to be supplied"
        return f"no {what} recorded"

    yield problem(
        "FACT-01",
        bundle.at("allegation", a.id, missing[0]),
        "; ".join(state(what) for what in missing),
        "add what a source gives (the CFA asks for facts in detail)",
        severity=Severity.WARNING if a.id in printed else Severity.INFO,
    )


def _fact02(bundle: CaseBundle, a: Allegation) -> Iterator[Problem]:
    if a.precision is Precision.APPROXIMATE or a.date_note:
        return
    match = _RELATIVE.search(a.facts)
    if match is not None:
        yield problem(
            "FACT-02",
            bundle.at("allegation", a.id, "facts", needle=match.group()),
            f"relative date '{match.group()}' in the facts of an exactly dated allegation",
            "write the absolute date, or set 'precision: approximate' with a date_note",
        )


def _show(when: PartialDate | DateRange) -> str:
    if isinstance(when, DateRange):
        return f"{when.start} to {when.end}"
    return str(when)


def _fact06(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    """FACT-06: an event dated after a submission that reports it, or after today."""
    for sub in bundle.submissions:
        if sub.date is None:
            continue  # FORM-03
        for allegation in reported_allegations(bundle, sub):
            start = when_bounds(allegation.date)[0]
            if start > sub.date:
                yield problem(
                    "FACT-06",
                    bundle.at("allegation", allegation.id, "date"),
                    f"dated {_show(allegation.date)}, after submission '{sub.id}' "
                    f"({sub.date}) that reports it",
                    "correct the event date, or the date of the letter",
                    severity=for_submission(sub, Severity.ERROR),
                )
    for allegation in bundle.allegations:
        if when_bounds(allegation.date)[0] > ctx.today:
            yield problem(
                "FACT-06",
                bundle.at("allegation", allegation.id, "date"),
                f"dated {_show(allegation.date)}, in the future (today is {ctx.today})",
                "correct the event date",
            )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    yield from _fact06(bundle, ctx)
    printed = _printed(bundle)
    for a in bundle.allegations:
        yield from _fact01(bundle, a, printed)
        yield from _fact02(bundle, a)
        if not a.evidence:
            yield problem(
                "FACT-03",
                bundle.at(
                    "allegation",
                    a.id,
                    *("evidence",) if ("evidence",) in _keys(bundle, a) else ("id",),
                ),
                f"no evidence annex cited (only the source '{a.source}')",
                "cite an annex: evidence: [{annex: <id>, pages: '1'}]",
                severity=Severity.WARNING if a.id in printed else Severity.INFO,
            )
        if _LEGISLATIVE.search(a.title) and not any(
            _ARTICLE.search(basis) for basis in a.legal_basis
        ):
            yield problem(
                "FACT-04",
                bundle.at("allegation", a.id, *("legal_basis",) if a.legal_basis else ("title",)),
                "an allegation about a law, resolution or decree without the act and its number "
                "or article",
                "cite it, e.g. legal_basis: ['Resolution No. 1293-VII of the Jogorku Kenesh']",
            )
        yield from _principles(bundle, a, printed)


def _principles(bundle: CaseBundle, a: Allegation, printed: set[str]) -> Iterator[Problem]:
    """REF-06 / FACT-09: cited sections exist and can be printed; FACT-05: one is cited."""
    taxonomy = compilation()
    for index, section_id in enumerate(a.principles):
        section = taxonomy.sections.get(section_id)
        if section is None:
            near = difflib.get_close_matches(section_id, list(taxonomy.sections), n=1)
            yield problem(
                "REF-06",
                bundle.at("allegation", a.id, "principles", index),
                f"unknown Compilation section '{section_id}'",
                f"did you mean '{near[0]}'?"
                if near
                else "use a section id of data/principles.yaml",
            )
        elif not section.headings:
            yield problem(
                "FACT-09",
                bundle.at("allegation", a.id, "principles", index),
                f"no source confirmed the heading of section '{section_id}': it is not printed",
                "cite a section whose heading is confirmed (docs/principles-sources.md)",
            )
    info = taxonomy.categories.get(str(a.category))
    if info is not None and info.expects_principles and not a.principles:
        sections = [i for i in info.sections if taxonomy.sections[i].headings]
        yield problem(
            "FACT-05",
            bundle.at("allegation", a.id, "category"),
            f"an allegation in category '{a.category}' that cites no principle of the Compilation",
            f"add principles: [{sections[0]}]" if sections else "add principles: [<section id>]",
            severity=Severity.WARNING if a.id in printed else Severity.INFO,
        )


def _keys(bundle: CaseBundle, a: Allegation) -> set[tuple[str | int, ...]]:
    loc = bundle.where.get(("allegation", a.id))
    if loc is None:
        return set()
    return set(bundle.sources.lines.get(loc.file, {}))
