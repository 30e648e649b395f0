"""The one place where a party's name becomes printed text.

Every name the render stage prints goes through :func:`display_name`, so that the public edition
(``edition == "public"``) shows a confidential party only by its pseudonym. :func:`redact_text`
applies the same rule to free text (facts, letter bodies, bookmark titles) that may spell a
protected name; it matches names exactly as the leak scan of the finished PDF does
(:func:`dossier.public.pseudonymise`, the single matcher), so case, accents, extra spaces, line
breaks and look-alike letters do not hide a name from it.
"""

from __future__ import annotations

from ..load import CaseBundle
from ..models import PartyBase
from ..public import WITHHELD_NAME, pseudonym_of, pseudonymise

__all__ = ["WITHHELD_NAME", "display_acronym", "display_name", "pseudonym", "redact_text"]


def _hidden(party: PartyBase, edition: str) -> bool:
    return edition == "public" and party.confidential


def pseudonym(party: PartyBase) -> str:
    return pseudonym_of(party)


def display_name(bundle: CaseBundle, party_id: str | None, edition: str) -> str:
    """Canonical name of a party, its pseudonym when protected; free text is redacted."""
    if not party_id:
        return ""
    party = bundle.party(party_id)
    if party is None:
        return redact_text(bundle, party_id, edition)
    if _hidden(party, edition):
        return pseudonym(party)
    return party.name


def display_acronym(bundle: CaseBundle, party_id: str | None, edition: str) -> str:
    """The acronym of an organisation (empty when none or when the party is protected)."""
    party = bundle.party(party_id) if party_id else None
    if party is None or _hidden(party, edition):
        return ""
    return str(getattr(party, "acronym", None) or "")


def redact_text(bundle: CaseBundle, text: str, edition: str) -> str:
    """Replace every name and alias of a protected party in ``text`` by its pseudonym.

    Only the public edition is redacted; the matching is the leak scanner's.
    """
    if edition != "public" or not text:
        return text
    return pseudonymise(text, bundle)
