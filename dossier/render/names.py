"""The one place where a party's name becomes printed text.

Every name the render stage prints goes through :func:`display_name`, so that the public edition
(``edition == "public"``) shows a confidential party only by its pseudonym. :func:`redact_text`
applies the same rule to free text (facts, letter bodies) that may spell a protected name.
"""

from __future__ import annotations

import re
import unicodedata

from ..load import CaseBundle
from ..models import PartyBase

WITHHELD_NAME = "[name withheld]"
"""Printed for a confidential party that has no pseudonym."""


def _hidden(party: PartyBase, edition: str) -> bool:
    return edition == "public" and party.confidential


def pseudonym(party: PartyBase) -> str:
    return party.pseudonym or WITHHELD_NAME


def display_name(bundle: CaseBundle, party_id: str | None, edition: str) -> str:
    """Canonical name of a party, its pseudonym when protected; free text is returned as given."""
    if not party_id:
        return ""
    party = bundle.party(party_id)
    if party is None:
        return party_id
    if _hidden(party, edition):
        return pseudonym(party)
    return party.name


def display_acronym(bundle: CaseBundle, party_id: str | None, edition: str) -> str:
    """The acronym of an organisation (empty when none or when the party is protected)."""
    party = bundle.party(party_id) if party_id else None
    if party is None or _hidden(party, edition):
        return ""
    return str(getattr(party, "acronym", None) or "")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def redact_text(bundle: CaseBundle, text: str, edition: str) -> str:
    """Replace every name and alias of a protected party in ``text`` by its pseudonym.

    Matching ignores case and accents. Only the public edition is redacted.
    """
    if edition != "public":
        return text
    out = unicodedata.normalize("NFC", text)
    for party in bundle.parties.all():
        if not party.confidential:
            continue
        names = sorted({party.name, *(a.name for a in party.aliases)}, key=len, reverse=True)
        for name in names:
            out = _replace_folded(out, unicodedata.normalize("NFC", name), pseudonym(party))
    return out


def _replace_folded(text: str, name: str, replacement: str) -> str:
    """Replace ``name`` in ``text`` ignoring case and accents (character positions kept)."""
    if not name.strip():
        return text
    folded_chars = [_fold(c) for c in text]
    folded = "".join(folded_chars)
    # map each folded offset back to the original character index
    index: list[int] = []
    for i, chars in enumerate(folded_chars):
        index.extend([i] * len(chars))
    index.append(len(text))
    pieces: list[str] = []
    last = 0
    for match in re.finditer(re.escape(_fold(name)), folded):
        start, end = index[match.start()], index[match.end()]
        if start < last:
            continue
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
