"""CONS-01..03: names consistent, one script per word, Conventions with their ratification year.

CONS-02 looks in every string of every record, in the Markdown letters (errors) and in the text
annexes (warnings: annexes are evidence, kept byte for byte, e.g. seed 001 as sent); besides
mixed scripts and invisible characters it reports characters lost on the way (U+FFFD, or
``&#0;``, which would print as one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..errors import Problem, Severity, problem
from ..load import CaseBundle
from ..models import Person, convention_ref
from . import Context
from .common import (
    annex_text,
    drafts,
    for_submission,
    iter_strings,
    records,
    submission_text,
)
from .final import is_placeholder
from .thresholds import normalise

INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u00ad"]
)
"""Zero-width, joiner, bidirectional control, word-joiner, BOM and soft-hyphen characters."""

LOST = "\ufffd"
"""U+FFFD, what a copy or an encoding conversion leaves where it lost a character."""
_CHARACTER_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,8}));")
"""A numeric character reference, which the Markdown of texts and letters resolves."""

_WORD = re.compile(r"[^\W\d_]+")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((s for s in _SCRIPTS if name.startswith(s)), None)


def script_defects(text: str) -> Iterator[tuple[int, str, str]]:
    """``(offset, token, message)`` for every mixed-script word, invisible character and lost
    character (U+FFFD, or a character reference to no character, printed as U+FFFD)."""
    if "&#" in text:
        for match in _CHARACTER_REF.finditer(text):
            code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
            if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                yield match.start(), match.group(), f"'{match.group()}' is no character"
    if text.isascii():
        return
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        counts: dict[str, int] = {}
        for char in word:
            script = _script(char)
            if script is not None:
                counts[script] = counts.get(script, 0) + 1
        if len(counts) > 1:
            main = max(counts, key=lambda s: (counts[s], s == "LATIN"))
            char = next(c for c in word if _script(c) not in (None, main))
            odd = _script(char) or "?"
            yield (
                match.start(),
                word,
                f"'{word}' is a {main.capitalize()} word with a {odd.capitalize()} letter "
                f"(U+{ord(char):04X} {unicodedata.name(char, '?')})",
            )
    for offset, char in enumerate(text):
        if char == LOST:
            yield offset, char, "U+FFFD REPLACEMENT CHARACTER: a character lost in a copy"
        elif char in INVISIBLE:
            yield (
                offset,
                char,
                f"invisible character U+{ord(char):04X} {unicodedata.name(char, 'CONTROL')}",
            )


SCRIPT_FIX = "retype the word in one script (a look-alike letter breaks search and names)"
INVISIBLE_FIX = "delete the invisible character"
LOST_FIX = "retype the character as the source has it"


def _fix(token: str) -> str:
    if token == LOST or token.startswith("&#"):
        return LOST_FIX
    return INVISIBLE_FIX if token in INVISIBLE else SCRIPT_FIX


def _cons02(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for kind, rid, model in records(bundle):
        for path, value in iter_strings(model):
            for _offset, token, message in script_defects(value):
                yield problem(
                    "CONS-02", bundle.at(kind, rid, *path, needle=token), message, _fix(token)
                )
    letters = set()
    for sub in bundle.submissions:
        text = submission_text(bundle, sub, ctx.sources)
        if text is None or text.in_annex:
            continue
        letters.add(text.file)
        for offset, token, message in script_defects(text.text):
            severity = for_submission(sub, Severity.ERROR)
            yield problem(
                "CONS-02", text.at(bundle, offset), message, _fix(token), severity=severity
            )
    for annex in bundle.annexes:
        text = annex_text(ctx.sources, annex)
        if text is None or text.file in letters:
            continue
        for offset, _token, message in script_defects(text.text):
            yield problem(
                "CONS-02",
                text.at(bundle, offset),
                f"{message} in annex '{annex.id}' (kept as evidence)",
                "keep the annex as it is; never copy this word into the records",
                severity=Severity.WARNING,
            )


# ---- CONS-01: names -------------------------------------------------------------------------


def _edit1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long)):
        if long[:i] + long[i + 1 :] == short:
            return True
    return False


def _cons01(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for group, parties in (
        ("organisations", bundle.parties.organisations),
        ("persons", bundle.parties.persons),
        ("groups", bundle.parties.groups),
    ):
        del group
        for party in parties:
            variants = [(("name",), party.name)] + [
                (("aliases", i, "name"), a.name) for i, a in enumerate(party.aliases)
            ]
            own: set[str] = set()
            for path, name in variants:
                key = normalise(name)
                if key in own or is_placeholder(name):  # not a name yet: FORM-14 reports it
                    continue
                if key in own:
                    continue
                own.add(key)
                other = seen.get(key)
                if other is not None and other != party.id:
                    yield problem(
                        "CONS-01",
                        bundle.at("party", party.id, *path),
                        f"'{name}' also names party '{other}'",
                        "make each name or alias belong to one party",
                    )
                else:
                    seen[key] = party.id
    known: set[str] = set()
    person_words: dict[str, str] = {}
    for any_party in bundle.parties.all():
        for name in [any_party.name, *(a.name for a in any_party.aliases)]:
            for word in _WORD.findall(name):
                known.add(word.lower())
                if isinstance(any_party, Person) and len(word) >= 6 and word[0].isupper():
                    person_words.setdefault(word.lower(), any_party.id)
    if not person_words:
        return
    by_initial: dict[str, list[str]] = {}
    for word in person_words:
        by_initial.setdefault(word[0], []).append(word)

    def near(word: str) -> str | None:
        low = word.lower()
        if low in known or len(low) < 6 or not word[0].isupper():
            return None
        return next((k for k in by_initial.get(low[0], ()) if _edit1(low, k)), None)

    for allegation in bundle.allegations:
        for path, value in (("title",), allegation.title), (("facts",), allegation.facts):
            for match in _WORD.finditer(value):
                hit = near(match.group())
                if hit is not None:
                    yield problem(
                        "CONS-01",
                        bundle.at("allegation", allegation.id, *path, needle=match.group()),
                        f"'{match.group()}' looks like a variant of the name of party "
                        f"'{person_words[hit]}'",
                        "use the canonical name, or add this spelling as an alias",
                    )
    for sub in drafts(bundle):
        text = submission_text(bundle, sub, ctx.sources)
        if text is None:
            continue
        for match in _WORD.finditer(text.text):
            hit = near(match.group())
            if hit is not None:
                yield problem(
                    "CONS-01",
                    text.at(bundle, match.start()),
                    f"'{match.group()}' looks like a variant of the name of party "
                    f"'{person_words[hit]}'",
                    "use the canonical name, or add this spelling as an alias",
                )


# ---- CONS-03: ratifications -----------------------------------------------------------------

_CONVENTION = re.compile(r"^C0*(\d{1,3})\b")
_RATIFIED_TEXT = re.compile(
    r"Convention\s+(?:No\.?\s*)?(\d{2,3})\b[^.]{0,120}?\bratified\b[^.]{0,80}?\b(1[89]\d\d|20\d\d)\b",
    re.IGNORECASE,
)


def _cons03(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    if bundle.case is None:
        return
    case = bundle.case
    table = ctx.data.ratified(case.country)
    if table is None:
        return
    cid = str(case.case_no)
    for i, r in enumerate(case.ratified):
        expected = table.get(r.convention)
        if expected is not None and expected[0] != r.year:
            yield problem(
                "CONS-03",
                bundle.at("case", cid, "ratified", i, "year"),
                f"{case.country} ratified {r.convention} in {expected[0]}, not {r.year}",
                f"write {expected[0]} (source: {expected[1]})",
            )
    for allegation in bundle.allegations:
        for i, item in enumerate(allegation.conventions):
            cited = convention_ref(item)
            match = _CONVENTION.match(cited.strip())
            if match is None:
                yield problem(
                    "CONS-03",
                    bundle.at("allegation", allegation.id, "conventions", i),
                    f"'{cited}' does not name a Convention",
                    "write it as 'C087 art. 3'",
                )
                continue
            number = f"C{int(match.group(1)):03d}"
            if number not in table:
                yield problem(
                    "CONS-03",
                    bundle.at("allegation", allegation.id, "conventions", i),
                    f"{number} is not recorded as ratified by {case.country}",
                    "check NORMLEX; the CFA applies its principles even so, but say so",
                )
            if re.search(r"\bart", cited, re.IGNORECASE) and isinstance(item, str):
                yield problem(
                    "FACT-07",
                    bundle.at("allegation", allegation.id, "conventions", i),
                    f"'{cited}' cites an article without saying where that was stated",
                    f"write {{ref: '{cited}', source: '<letter, report or line>'}}, or cite the "
                    "Convention alone",
                )
    for sub in bundle.submissions:
        text = submission_text(bundle, sub, ctx.sources)
        if text is None:
            continue
        for match in _RATIFIED_TEXT.finditer(text.text):
            number = f"C{int(match.group(1)):03d}"
            year = int(match.group(2))
            expected = table.get(number)
            if expected is not None and expected[0] != year:
                yield problem(
                    "CONS-03",
                    text.at(bundle, match.start(2)),
                    f"{case.country} ratified {number} in {expected[0]}, not {year}",
                    f"write {expected[0]}",
                )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    yield from _cons02(bundle, ctx)
    yield from _cons01(bundle, ctx)
    yield from _cons03(bundle, ctx)
