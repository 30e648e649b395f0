"""Who must not appear in the public edition, and the one matcher that finds them.

:func:`protected_parties` lists every confidential party with its pseudonym and every spelling
of its name; :func:`matcher_for` builds (once per set of parties) the :class:`.match.NameMatcher`
that pseudonymisation (``render.names``), the PRIV checks, redaction of annex pages and the final
leak scan all use, so what is replaced, what is boxed and what the scan finds cannot disagree.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from ..load import CaseBundle
from ..models import PartyBase
from .match import NameMatcher, Protected

WITHHELD_NAME = "[name withheld]"
"""Printed for a confidential party that has no pseudonym (check reports the missing pseudonym)."""


def pseudonym_of(party: PartyBase) -> str:
    """The name printed for a confidential party in the public edition."""
    return party.pseudonym or WITHHELD_NAME


def protected_parties(bundle: CaseBundle) -> list[Protected]:
    """Every party marked confidential, with its name, all its aliases (any script) and its
    acronym."""
    out = []
    for party in bundle.parties.all():
        if not party.confidential:
            continue
        names = [party.name, *(alias.name for alias in party.aliases)]
        acronym = getattr(party, "acronym", None)
        if isinstance(acronym, str) and acronym:
            names.append(acronym)
        out.append(Protected(party.id, pseudonym_of(party), tuple(dict.fromkeys(names))))
    return out


@functools.lru_cache(maxsize=16)
def matcher_for(parties: tuple[Protected, ...]) -> NameMatcher:
    """One :class:`NameMatcher` per set of protected parties, kept for the many texts of a run."""
    return NameMatcher(parties)


def case_matcher(bundle: CaseBundle) -> NameMatcher:
    """The matcher of the case's confidential parties."""
    return matcher_for(tuple(protected_parties(bundle)))


def pseudonymise(text: str, bundle: CaseBundle, matcher: NameMatcher | None = None) -> str:
    """Every form of every confidential party's name in ``text`` replaced by its pseudonym
    (any inflection, word order, initials, look-alike letters, invisible characters)."""
    if not text:
        return text
    return (matcher or case_matcher(bundle)).replace(text)


def redact_names(text: str, parties: Iterable[Protected]) -> str:
    """:func:`pseudonymise` for callers that hold the protected parties, not the bundle."""
    parties = tuple(parties)
    return matcher_for(parties).replace(text) if parties and text else text


def label_of(parties: Iterable[Protected]) -> dict[str, str]:
    """Party id -> the label printed on its redaction boxes (its pseudonym)."""
    return {p.party_id: p.pseudonym for p in parties}
