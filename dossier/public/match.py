"""Finding the names of confidential parties in text, and replacing them by pseudonyms.

:func:`pseudonymise` (and :func:`redact_names`) replace names in free text with the same matching
as the leak scan (``public_scan.py``): the render stage (``render.names.redact_text``) and the
bookmarks (``assemble/outline.py``) use it, so what is redacted and what the scan finds can never
disagree.

Matching (:func:`fold`): NFKC, case folding, combining marks and invisible format characters
removed, Cyrillic/Greek look-alikes of Latin letters mapped to them, runs of whitespace collapsed.
A name matches where it starts a word; extra whitespace, line breaks and hyphenation inside it are
tolerated. Short names (under four letters) must also end a word, so "Ali" does not match "Alice".
A name of several words whose first word has three letters or more matches even glued to what
precedes it ("xAida Sultanova" still shows the name to a reader); the price is that "Baida
Sultanova" counts as a hit too. An initial ("A. Sultanova") must start a word, or "Dina Sultanova"
would match.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..load import CaseBundle
from ..models import PartyBase

_LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "һ": "h",
        "ӏ": "l",
        "ԛ": "q",
        "ԝ": "w",
        "ο": "o",
        "α": "a",
        "ν": "v",
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=\w)[-\u00ad\u2010\u2011]\s*\n\s*(?=\w)")
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011.,'\u2019_]+")
_SHORT = 4
"""Names with fewer letters than this must match a whole word."""


@functools.cache
def _invisible() -> dict[int, None]:
    """Combining marks and format characters (ZWSP, bidi controls…): deleted by :func:`fold`."""
    return {
        code: None
        for code in range(sys.maxunicode + 1)
        if unicodedata.combining(chr(code)) or unicodedata.category(chr(code)) == "Cf"
    }


def fold(text: str) -> str:
    """Normalise text for matching: see the module docstring. Idempotent."""
    text = _HYPHEN_BREAK.sub("", text)
    if text.isascii():
        return _SPACES.sub(" ", text.lower())
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFD", text).translate(_invisible())
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    return _SPACES.sub(" ", text)


# ---- who must not appear -------------------------------------------------------------------


@dataclass(frozen=True)
class Protected:
    """A confidential party: its id, pseudonym and every spelling of its name."""

    party_id: str
    pseudonym: str
    names: tuple[str, ...]


WITHHELD_NAME = "[name withheld]"
"""Printed for a confidential party that has no pseudonym (check reports the missing pseudonym)."""


def pseudonym_of(party: PartyBase) -> str:
    """The name printed for a confidential party in the public edition."""
    return party.pseudonym or WITHHELD_NAME


def protected_parties(bundle: CaseBundle) -> list[Protected]:
    """Every party marked confidential, with its name and all its aliases (any script)."""
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


# ---- matching -------------------------------------------------------------------------------


def _token_pattern(token: str, loose: bool) -> str:
    if not loose:
        return re.escape(token)
    return r"\s?".join(re.escape(ch) for ch in token)


def _name_pattern(name: str) -> str | None:
    folded = fold(name).strip()
    tokens = [t for t in _SEPARATORS.split(folded) if t]
    if not tokens:
        return None
    letters = sum(len(t) for t in tokens)
    loose = letters >= _SHORT
    body = r"[\s\-\u2010\u2011.,'\u2019_]*".join(_token_pattern(t, loose) for t in tokens)
    end = "" if loose else r"(?!\w)"
    glued = loose and len(tokens) > 1 and len(tokens[0]) >= 3  # not after an initial: "A. X"
    start = "" if glued else r"(?<!\w)"
    return rf"{start}{body}{end}"


class Matcher:
    """Finds which protected parties a text names. Build once, use on many texts."""

    def __init__(self, parties: Iterable[Protected]) -> None:
        self.parties = list(parties)
        groups = []
        self._ids: dict[str, str] = {}
        for index, party in enumerate(self.parties):
            longest_first = sorted(party.names, key=lambda n: len(fold(n)), reverse=True)
            patterns = [p for p in (_name_pattern(n) for n in longest_first) if p]
            if not patterns:
                continue
            group = f"p{index}"
            self._ids[group] = party.party_id
            groups.append(f"(?P<{group}>{'|'.join(patterns)})")
        self._regex = re.compile("|".join(groups)) if groups else None

    def __bool__(self) -> bool:
        return self._regex is not None

    def find(self, text: str) -> set[str]:
        """Ids of the protected parties named in ``text``."""
        if self._regex is None or not text:
            return set()
        found: set[str] = set()
        folded = fold(text)
        for match in self._regex.finditer(folded):
            group = match.lastgroup
            if group is not None:
                found.add(self._ids[group])
        return found

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, party id)`` of every name in ``text``, as offsets into ``text``.

        Each character is folded on its own (so offsets map back); whitespace is kept as it is,
        which the patterns tolerate. A hyphenated line break inside a name is not undone here.
        """
        if self._regex is None or not text:
            return []
        pieces = [_fold_char(ch) for ch in text]
        folded = "".join(pieces)
        owner: list[int] = [i for i, piece in enumerate(pieces) for _ in piece]
        out = []
        for match in self._regex.finditer(folded):
            if match.lastgroup is None or match.end() == match.start():
                continue
            start, end = owner[match.start()], owner[match.end() - 1] + 1
            while end < len(text) and not pieces[end]:  # marks and invisibles after the name
                end += 1
            out.append((start, end, self._ids[match.lastgroup]))
        return out


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    if ch.isspace():
        return " "
    folded = unicodedata.normalize("NFKC", ch).casefold()
    folded = unicodedata.normalize("NFD", folded).translate(_invisible())
    return unicodedata.normalize("NFC", folded).translate(_LOOKALIKES)


# ---- replacing names -----------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def matcher_for(parties: tuple[Protected, ...]) -> Matcher:
    """One :class:`Matcher` per set of protected parties, kept for the many texts of a build."""
    return Matcher(parties)


def pseudonymise(text: str, bundle: CaseBundle, matcher: Matcher | None = None) -> str:
    """Replace every spelling of every confidential party's name in ``text`` by its pseudonym.

    For generated text whose words come from free text in the records (the leak scan still runs
    on the result). Matching is the scanner's (:class:`Matcher`): case, accents, width, extra
    spaces and line breaks, invisible characters and look-alike letters do not hide a name.
    ``matcher`` defaults to the cached one of the bundle's protected parties.
    """
    if matcher is None:
        matcher = matcher_for(tuple(protected_parties(bundle)))
    return replace_names(text, matcher)


def redact_names(text: str, parties: Iterable[Protected]) -> str:
    """:func:`pseudonymise` for callers that hold the protected parties, not the bundle
    (the assemble stage: ``Plan.protected``)."""
    parties = tuple(parties)
    return replace_names(text, matcher_for(parties)) if parties else text


def replace_names(text: str, matcher: Matcher) -> str:
    """``text`` with every name ``matcher`` finds replaced by its party's pseudonym."""
    if not matcher or not text:
        return text
    pseudonyms = {p.party_id: p.pseudonym for p in matcher.parties}
    out, last = [], 0
    for start, end, party_id in matcher.spans(text):
        if start < last:
            continue
        out += [text[last:start], pseudonyms[party_id]]
        last = end
    out.append(text[last:])
    return "".join(out)
