"""How one name of a party can be written: its parts, their forms, their orders, initials.

:func:`name_shape` splits a name on whitespace into *parts* (a part may hold several words:
``Султанова-Иванова``; a patronymic particle is joined to the name before it: ``Асан уулу``),
guesses which part is the surname (the Russian dictionary's ``Surn`` tag, or the endings
-ов/-ова/-ев/-ева/-ин/-ина/-ский…, their Latin spellings, a ``уулу``/``кызы`` patronymic) and
lists the *variants* the matcher accepts, each a sequence of *slots*:

* the order as given, surname first (``Султанова Айда``, ``Жээналиев Бакыт Асанович``) and
  surname last; for three parts or more also without the middle ones (``Бакыт Жээналиев``);
* in each, any of the parts other than the surname as an initial (``А. Султанова``,
  ``Султанова А.``, ``Жээналиев Б. А.``); Latin digraph initials (``Zh.``) are accepted too;
  next to an initial the surname keeps its recorded gender (``А. Султанов`` is a man);
* when no part, or more than one, looks like a surname, the first and the last part are each
  tried as one;
* for a name of two parts, the given name's initial may be followed by any other initial (the
  patronymic's, unknown to the record): ``А.Б. Султанова``, ``Султанова А. Б.``;
* a name of one part is that part alone; an acronym (``KTUS``) also matches spelt with dots
  (``K.T.U.S.``) and is never declined;
* reordering and initials apply to a person's name only: two to four capitalised parts. Any
  other name (``Кыргызстан эркин профсоюзу``, ``Free Trade Union of X``) is matched in its own
  order, each word declined.

A part's words are declined independently (:func:`.inflect.word_forms`). The surname alone or
the given name alone is not a variant: list it as an alias of the party to match it alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .fold import token_regex
from .inflect import dictionary_roles, own_gender_forms, word_forms
from .kyrgyz import PARTICLES

SlotKind = Literal["word", "initial", "any-initial", "acronym"]

_SURNAME_ENDINGS = (
    *("ов", "ова", "ев", "ева", "ёв", "ёва", "ин", "ина", "ын", "ына"),
    *("ский", "ская", "цкий", "цкая", "енко"),
    *(
        "ov",
        "ova",
        "ev",
        "eva",
        "in",
        "ina",
        "yn",
        "yna",
        "sky",
        "skiy",
        "skaya",
        "enko",
    ),
)
_PATRONYMIC_ENDINGS = (
    "ович",
    "евич",
    "овна",
    "евна",
    "ична",
    "ovich",
    "evich",
    "ovna",
    "evna",
)
_DIGRAPHS = ("zh", "ch", "sh", "kh", "ts", "yu", "ya", "yo", "ye", "dzh")
_MAX_ACRONYM = 8
_MAX_PERSON_PARTS = 4


@dataclass(frozen=True)
class Slot:
    """One position of a variant: a word with its forms, an initial, any initial (the unknown
    patronymic's), or an acronym."""

    kind: SlotKind
    forms: frozenset[str]
    """Unfolded lower-case spellings: word forms, or the letter(s) of an initial."""


@dataclass(frozen=True)
class NameShape:
    """The slots of one name and the sequences of slot indices that spell it."""

    slots: tuple[Slot, ...]
    variants: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class _Part:
    words: tuple[str, ...]
    compound: bool  # "Асан уулу": never an initial


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return 2 <= len(letters) <= _MAX_ACRONYM and all(ch.isupper() for ch in letters)


def _parts(name: str) -> list[_Part]:
    parts: list[_Part] = []
    for chunk in name.split():
        words = tuple(m.group() for m in token_regex().finditer(chunk))
        if not words:
            continue
        if len(words) == 1 and words[0].lower() in PARTICLES and parts:
            parts[-1] = _Part((*parts[-1].words, words[0]), compound=True)
        else:
            parts.append(_Part(words, compound=False))
    return parts


def _looks_like_surname(part: _Part) -> bool:
    """A patronymic compound; a word the dictionary knows as a surname; or, unless it knows the
    word as a first name only (Ирина, Марина), a surname ending."""
    if part.compound:
        return True
    last = part.words[-1].lower()
    roles = dictionary_roles(last)
    if "Surn" in roles:
        return True
    if "Name" in roles:
        return False
    return last.endswith(_SURNAME_ENDINGS) and len(last) > 4


def _is_patronymic(part: _Part) -> bool:
    return not part.compound and part.words[-1].lower().endswith(_PATRONYMIC_ENDINGS)


def _initials(part: _Part) -> frozenset[str]:
    first = part.words[0].lower()
    letters = {ch for ch in first[:1] if ch.isalpha()}
    letters.update(d for d in _DIGRAPHS if first.startswith(d))
    return frozenset(letters)


def _surname_options(parts: list[_Part]) -> list[int]:
    if len(parts) < 2:
        return []
    flagged = [i for i, p in enumerate(parts) if _looks_like_surname(p) and not _is_patronymic(p)]
    return flagged if len(flagged) == 1 else [len(parts) - 1, 0]


def _orders(parts: list[_Part], surname: int) -> list[tuple[int, ...]]:
    others = [i for i in range(len(parts)) if i != surname]
    orders = [tuple(range(len(parts))), (surname, *others), (*others, surname)]
    if len(others) >= 2:
        given = next((i for i in others if not _is_patronymic(parts[i])), others[0])
        orders += [(given, surname), (surname, given)]
    return list(dict.fromkeys(orders))


class _Builder:
    def __init__(self) -> None:
        self.slots: list[Slot] = []
        self.index: dict[Slot, int] = {}

    def slot(self, kind: SlotKind, forms: frozenset[str]) -> int:
        key = Slot(kind, forms)
        if key not in self.index:
            self.index[key] = len(self.slots)
            self.slots.append(key)
        return self.index[key]


def _person_like(parts: list[_Part]) -> bool:
    """Two to four parts, each capitalised (or a patronymic particle), no acronym: a person's
    name, whose parts may be reordered and shortened to initials. Anything else (``Кыргызстан
    эркин профсоюзу``) is only matched in its own order."""
    return 2 <= len(parts) <= _MAX_PERSON_PARTS and all(
        p.words[0][:1].isupper() and not _is_acronym(p.words[0]) for p in parts
    )


def _word_slots(build: _Builder, part: _Part, *, both_genders: bool = True) -> tuple[int, ...]:
    if part.compound:  # "Асан уулу": only the particle is declined
        head = [build.slot("word", frozenset({w.lower()})) for w in part.words[:-1]]
        return (*head, build.slot("word", word_forms(part.words[-1])))
    if len(part.words) == 1 and len(part.words[0]) == 1:  # an initial in the record itself
        return (build.slot("initial", _initials(part)),)
    slots = []
    for word in part.words:
        if _is_acronym(word):
            slots.append(build.slot("acronym", word_forms(word, acronym=True)))
        else:
            forms = word_forms(word) if both_genders else own_gender_forms(word)
            slots.append(build.slot("word", forms))
    return tuple(slots)


def _person_variants(
    build: _Builder, parts: list[_Part], full: list[tuple[int, ...]]
) -> Iterator[tuple[int, ...]]:
    """Orders and initials; next to an initial, a surname only in the gender it is recorded
    in (the given name that would tell the gender is gone)."""
    initial = [None if p.compound else build.slot("initial", _initials(p)) for p in parts]
    unknown = build.slot("any-initial", frozenset())
    for surname in _surname_options(parts):
        same = _word_slots(build, parts[surname], both_genders=False)
        for order in _orders(parts, surname):
            choices = [[False, True] if i != surname and initial[i] else [False] for i in order]
            for combo in itertools.product(*choices):
                slots: list[int] = []
                for i, as_initial in zip(order, combo, strict=True):
                    init = initial[i]
                    if as_initial and init is not None:
                        slots.append(init)
                    else:
                        slots.extend(same if i == surname and any(combo) else full[i])
                yield tuple(slots)
        given = initial[1 - surname] if len(parts) == 2 else None
        if given is not None:  # "А.Б. Султанова", "Султанова А.Б.": a patronymic's initial
            yield (given, unknown, *same)
            yield (*same, given, unknown)


def name_shape(name: str) -> NameShape | None:
    """Slots and variants of ``name`` (see the module docstring); ``None`` without a word."""
    parts = _parts(name)
    if not parts:
        return None
    build = _Builder()
    full = [_word_slots(build, part) for part in parts]
    variants: list[tuple[int, ...]] = [tuple(s for slots in full for s in slots)]
    word = parts[0].words[0]
    if len(parts) == 1 and len(parts[0].words) == 1 and _is_acronym(word) and len(word) >= 3:
        variants.append(tuple(build.slot("initial", frozenset({c.lower()})) for c in word))
    if _person_like(parts):
        variants += _person_variants(build, parts, full)
    return NameShape(tuple(build.slots), tuple(dict.fromkeys(variants)))
