"""REF-xx: every id a record names exists; records nobody uses are reported."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem, Severity, problem
from ..load import CaseBundle
from ..load.suggest import did_you_mean
from . import Context


class _Known(set[str]):
    """Ids that exist, plus those of records that failed to load (not dangling: the load
    problem is reported already). When a whole file or list of a kind could not be read (not
    YAML, or not the shape of its records), every id counts."""

    def __init__(self, ids: set[str], bundle: CaseBundle, kind: str) -> None:
        super().__init__(ids | {rid for k, rid in bundle.unloaded if k == kind})
        self.unreadable = kind in bundle.unread

    def __contains__(self, item: object) -> bool:
        return self.unreadable or super().__contains__(item)


Ref = tuple[str, str, tuple[str | int, ...], str]
"""A reference found in a record: (record kind, record id, field path, id it names)."""

_TARGETS = {
    # target kind: (code, fix)
    "party": ("REF-01", "add it to parties.yaml or fix the id"),
    "annex": ("REF-02", "add it to annexes.yaml or fix the id"),
    "submission": ("REF-03", "use the id of a file in submissions/"),
    "allegation": ("REF-03", "use the id of a file in allegations/"),
}


def _references(bundle: CaseBundle) -> Iterator[tuple[str, Ref]]:
    """Every id any record names, with the kind of record it must name."""
    if bundle.case is not None:
        cid = str(bundle.case.case_no)
        yield "party", ("case", cid, ("government",), bundle.case.government)
        for i, c in enumerate(bundle.case.complainants):
            yield "party", ("case", cid, ("complainants", i, "party"), c.party)
    for a in bundle.allegations:
        for field_name in ("victims", "perpetrators"):
            for i, pid in enumerate(getattr(a, field_name)):
                yield "party", ("allegation", a.id, (field_name, i), pid)
        for i, ev in enumerate(a.evidence):
            yield "annex", ("allegation", a.id, ("evidence", i, "annex"), ev.annex)
        if a.first_reported is not None:
            yield "submission", ("allegation", a.id, ("first_reported",), a.first_reported)
    for s in bundle.submissions:
        parties = [
            (("sender",), s.sender),
            (("addressee", "party"), s.addressee.party),
            (("signatory", "party"), s.signatory.party),
            *((("cc", i, "party"), cc.party) for i, cc in enumerate(s.cc)),
        ]
        for path, pid in parties:
            if pid is not None:
                yield "party", ("submission", s.id, path, pid)
        if not isinstance(s.allegations, str):
            for i, aid in enumerate(s.allegations):
                yield "allegation", ("submission", s.id, ("allegations", i), aid)
        for i, xid in enumerate(s.annexes_extra):
            yield "annex", ("submission", s.id, ("annexes_extra", i), xid)
        for i, rid in enumerate(s.references):
            yield "submission", ("submission", s.id, ("references", i), rid)
        if s.annex is not None:
            yield "annex", ("submission", s.id, ("annex",), s.annex)
    for an in bundle.annexes:
        if an.translation_of is not None:
            yield "annex", ("annex", an.id, ("translation_of",), an.translation_of)


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    known = {
        "party": _Known({p.id for p in bundle.parties.all()}, bundle, "party"),
        "annex": _Known({a.id for a in bundle.annexes}, bundle, "annex"),
        "submission": _Known({s.id for s in bundle.submissions}, bundle, "submission"),
        "allegation": _Known({a.id for a in bundle.allegations}, bundle, "allegation"),
    }
    for target, (kind, rid, path, value) in _references(bundle):
        if value not in known[target]:
            code, fix = _TARGETS[target]
            if (kind, path[-1]) == ("annex", "translation_of"):
                fix = "use the id of the original annex"
            fix = did_you_mean(value, known[target], fix)
            yield problem(
                code,
                bundle.at(kind, rid, *path),
                f"unknown {target} '{value}'",
                fix,
                severity=Severity.ERROR,
            )
    if not any(p.severity is Severity.ERROR for p in bundle.problems):
        yield from _unused(bundle)  # with records missing, "unused" would be noise


def _unused(bundle: CaseBundle) -> Iterator[Problem]:
    """REF-05: a party or annex no record refers to (a warning: maybe still to be cited)."""
    used: set[str] = set()
    if bundle.case is not None:
        used.add(bundle.case.government)
        used.update(c.party for c in bundle.case.complainants)
    for a in bundle.allegations:
        used.update(a.victims)
        used.update(a.perpetrators)
    for s in bundle.submissions:
        for who in (s.addressee, *s.cc):
            used.update(i for i in (who.party, who.organisation) if i)
        used.update(i for i in (s.sender, s.signatory.party, s.signatory.organisation) if i)
    for an in bundle.annexes:
        if an.issuer:
            used.add(an.issuer)
    for p in bundle.parties.all():
        for attr in ("affiliated_to",):
            used.update(getattr(p, attr, ()))
        for attr in ("part_of", "members_of"):
            value = getattr(p, attr, None)
            if value:
                used.add(value)
        for role in getattr(p, "roles", ()):
            if role.organisation:
                used.add(role.organisation)
    complainants = {c.party for c in bundle.case.complainants} if bundle.case else set()
    for org in bundle.parties.organisations:
        if complainants & set(org.affiliated_to):
            used.add(org.id)  # standing of a global union (REC-02)
    for p in bundle.parties.all():
        if p.id not in used:
            yield problem(
                "REF-05",
                bundle.at("party", p.id, "id"),
                f"party '{p.id}' is not referred to by any record",
                "cite it (victims, perpetrators, sender, issuer…) or remove it",
            )
    cited = {ev.annex for a in bundle.allegations for ev in a.evidence}
    for s in bundle.submissions:
        cited.update(s.annexes_extra)
        if s.annex:
            cited.add(s.annex)
    cited.update(an.translation_of for an in bundle.annexes if an.translation_of)
    cited.update(an.id for an in bundle.annexes if an.translation_of in cited)
    for an in bundle.annexes:
        if an.id not in cited:
            yield problem(
                "REF-05",
                bundle.at("annex", an.id, "id"),
                f"annex '{an.id}' is not cited by any allegation or submission",
                "cite it as evidence, list it in a submission's annexes_extra, or remove it",
            )
