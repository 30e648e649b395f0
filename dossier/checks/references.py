"""REF-xx: every id a record names exists; records nobody uses are reported."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem, Severity
from ..load import CaseBundle
from . import Context

_FILES = {
    "party": ("parties.yaml",),
    "annex": ("annexes.yaml",),
    "allegation": ("allegations",),
    "submission": ("submissions",),
}


class _Known(set[str]):
    """Ids that exist, plus those of records that failed to load (not dangling: the load
    problem is reported already). When a whole file of a kind is unreadable, every id counts."""

    def __init__(self, ids: set[str], bundle: CaseBundle, kind: str) -> None:
        super().__init__(ids | {rid for k, rid in bundle.unloaded if k == kind})
        prefixes = [bundle.display(bundle.root / name) for name in _FILES[kind]]
        self.unreadable = any(
            p.code in ("YAML-01", "YAML-04") and p.file.startswith(tuple(prefixes))
            for p in bundle.problems
        )

    def __contains__(self, item: object) -> bool:
        return self.unreadable or super().__contains__(item)


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    party_ids = _Known({p.id for p in bundle.parties.all()}, bundle, "party")
    annex_ids = _Known({a.id for a in bundle.annexes}, bundle, "annex")
    submission_ids = _Known({s.id for s in bundle.submissions}, bundle, "submission")
    allegation_ids = _Known({a.id for a in bundle.allegations}, bundle, "allegation")

    def party_ref(
        kind: str, rid: str, path: tuple[str | int, ...], value: str | None
    ) -> Iterator[Problem]:
        if value is not None and value not in party_ids:
            yield bundle.problem(
                "REF-01",
                Severity.ERROR,
                kind,
                rid,
                path,
                f"unknown party '{value}'",
                "add it to parties.yaml or fix the id",
            )

    if bundle.case is not None:
        cid = str(bundle.case.case_no)
        yield from party_ref("case", cid, ("government",), bundle.case.government)
        for i, c in enumerate(bundle.case.complainants):
            yield from party_ref("case", cid, ("complainants", i, "party"), c.party)
    for a in bundle.allegations:
        for field_name in ("victims", "perpetrators"):
            for i, pid in enumerate(getattr(a, field_name)):
                yield from party_ref("allegation", a.id, (field_name, i), pid)
        for i, ev in enumerate(a.evidence):
            if ev.annex not in annex_ids:
                yield bundle.problem(
                    "REF-02",
                    Severity.ERROR,
                    "allegation",
                    a.id,
                    ("evidence", i, "annex"),
                    f"unknown annex '{ev.annex}'",
                    "add it to annexes.yaml or fix the id",
                )
        if a.first_reported is not None and a.first_reported not in submission_ids:
            yield bundle.problem(
                "REF-03",
                Severity.ERROR,
                "allegation",
                a.id,
                ("first_reported",),
                f"unknown submission '{a.first_reported}'",
                "use the id of a file in submissions/",
            )
    for s in bundle.submissions:
        yield from party_ref("submission", s.id, ("sender",), s.sender)
        yield from party_ref("submission", s.id, ("addressee", "party"), s.addressee.party)
        yield from party_ref("submission", s.id, ("signatory", "party"), s.signatory.party)
        for i, cc in enumerate(s.cc):
            yield from party_ref("submission", s.id, ("cc", i, "party"), cc.party)
        if not isinstance(s.allegations, str):
            for i, aid in enumerate(s.allegations):
                if aid not in allegation_ids:
                    yield bundle.problem(
                        "REF-03",
                        Severity.ERROR,
                        "submission",
                        s.id,
                        ("allegations", i),
                        f"unknown allegation '{aid}'",
                        "use the id of a file in allegations/",
                    )
        for i, xid in enumerate(s.annexes_extra):
            if xid not in annex_ids:
                yield bundle.problem(
                    "REF-02",
                    Severity.ERROR,
                    "submission",
                    s.id,
                    ("annexes_extra", i),
                    f"unknown annex '{xid}'",
                    "add it to annexes.yaml or fix the id",
                )
        for i, rid in enumerate(s.references):
            if rid not in submission_ids:
                yield bundle.problem(
                    "REF-03",
                    Severity.ERROR,
                    "submission",
                    s.id,
                    ("references", i),
                    f"unknown submission '{rid}'",
                    "use the id of a file in submissions/",
                )
        if s.annex is not None and s.annex not in annex_ids:
            yield bundle.problem(
                "REF-02",
                Severity.ERROR,
                "submission",
                s.id,
                ("annex",),
                f"unknown annex '{s.annex}'",
                "add it to annexes.yaml or fix the id",
            )
    for an in bundle.annexes:
        if an.translation_of is not None and an.translation_of not in annex_ids:
            yield bundle.problem(
                "REF-02",
                Severity.ERROR,
                "annex",
                an.id,
                ("translation_of",),
                f"unknown annex '{an.translation_of}'",
                "use the id of the original annex",
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
            yield bundle.problem(
                "REF-05",
                Severity.WARNING,
                "party",
                p.id,
                ("id",),
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
            yield bundle.problem(
                "REF-05",
                Severity.WARNING,
                "annex",
                an.id,
                ("id",),
                f"annex '{an.id}' is not cited by any allegation or submission",
                "cite it as evidence, list it in a submission's annexes_extra, or remove it",
            )
