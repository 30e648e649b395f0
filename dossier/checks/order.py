"""FACT-08: the numbered paragraphs read in order — no paragraph speaks of a person whom only a
later paragraph introduces (as a victim or perpetrator), as "his arrest" before the arrest.

The paragraphs are those of each draft, in the dossier's order (:func:`dossier.plan.
order_allegations`). A person is mentioned where a paragraph's facts or title hold the surname
of the person's name or of an alias (whole word, any case).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Problem, problem
from ..load import CaseBundle
from ..models import Person
from ..plan import order_allegations
from . import Context
from .common import drafts, reported_allegations


def _surnames(person: Person) -> set[str]:
    names = [person.name, *(alias.name for alias in person.aliases)]
    return {name.split()[-1] for name in names if len(name.split()) > 1}


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    persons = [p for p in bundle.parties.persons if not p.confidential]
    patterns = {
        person.id: re.compile(
            r"\b(?:" + "|".join(re.escape(s) for s in sorted(names)) + r")\b", re.IGNORECASE
        )
        for person in persons
        if (names := _surnames(person))
    }
    seen: set[tuple[str, str]] = set()
    for sub in drafts(bundle):
        ordered = order_allegations(reported_allegations(bundle, sub))
        introduced: dict[str, int] = {}
        for number, allegation in enumerate(ordered, start=1):
            for party_id in (*allegation.victims, *allegation.perpetrators):
                introduced.setdefault(party_id, number)
        for number, allegation in enumerate(ordered, start=1):
            text = f"{allegation.title}\n{allegation.facts}"
            for party_id, pattern in patterns.items():
                first = introduced.get(party_id)
                if first is None or first <= number or not pattern.search(text):
                    continue
                if (allegation.id, party_id) in seen:
                    continue
                seen.add((allegation.id, party_id))
                later = ordered[first - 1]
                yield problem(
                    "FACT-08",
                    bundle.at("allegation", allegation.id, "facts"),
                    f"paragraph {number} speaks of '{party_id}', whom paragraph {first} "
                    f"('{later.id}') introduces",
                    "date the events so that they read in order, or give the allegation a "
                    "'sequence' (see the schema)",
                )
