"""Kyrgyz case forms of a name, by rule: the five case suffixes with vowel harmony.

Kyrgyz declines a name by suffixes whose vowel follows the last vowel of the stem and whose
first consonant follows its last sound:

======== ======================== =========================== ===================
harmony  last vowel of the stem   high vowel (gen., acc.)     low vowel (dat., loc., abl.)
======== ======================== =========================== ===================
back     а, ы, я                  ы                           а
back-rd  о, ё                     у                           о
back-rd  у, ю                     у                           а (о tolerated)
front    е, э, и                  и                           е
front-rd ө, ү                     ү                           ө
======== ======================== =========================== ===================

====================== ============ ============ ========== ========== ==========
after                  genitive     accusative   dative     locative   ablative
====================== ============ ============ ========== ========== ==========
a vowel                -нЫн         -нЫ          -гА        -дА        -дАн
a voiced consonant     -дЫн         -дЫ          -гА        -дА        -дАн
a voiceless consonant  -тЫн         -тЫ          -кА        -тА        -тАн
====================== ============ ============ ========== ========== ==========

(Ы the high vowel, А the low one): Бакыт → Бакыттын, Бакытты, Бакытка, Бакытта, Бакыттан;
Айда → Айданын, Айданы, Айдага, Айдада, Айдадан; Жээналиев → Жээналиевдин, Жээналиевге…;
Айгүл → Айгүлдүн, Айгүлгө… Possessive stems (the patronymic particles *уулу* "son of" and
*кызы* "daughter of") take the pronominal forms: уулунун, уулун, уулуна, уулунда, уулунан.
Possessive suffixes on a name itself are not generated (rare in the documents at hand).

The same rules give the Latin spellings (``Bakyttyn``, ``Aidaga``, ``Zheenalievdin``); there
the rounded front vowels are written ``ö``/``ü`` or ``o``/``u`` and fold to ``o``/``u`` anyway,
and ``y`` or ``i`` may stand for ы, so both are produced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

PARTICLES = frozenset({"уулу", "кызы", "улы", "оглы", "uulu", "kyzy", "kizi", "uly", "ogly"})
"""Patronymic particles: "Асан уулу" (son of Asan) is one part of a name, declined on the
particle only."""


@dataclass(frozen=True)
class _Script:
    vowels: Mapping[str, tuple[str, str]]  # last vowel -> (high vowels, low vowels)
    voiceless: str
    consonants: Mapping[str, str]  # role -> letter: n, d, t, g, k


_CYRILLIC = _Script(
    vowels=MappingProxyType(
        {
            "а": ("ы", "а"),
            "ы": ("ы", "а"),
            "я": ("ы", "а"),
            "о": ("у", "о"),
            "ё": ("у", "о"),
            "у": ("у", "ао"),
            "ю": ("у", "ао"),
            "е": ("и", "е"),
            "э": ("и", "е"),
            "и": ("и", "е"),
            "ө": ("ү", "ө"),
            "ү": ("ү", "ө"),
        }
    ),
    voiceless="пфкштсчцхщ",
    consonants=MappingProxyType({"n": "н", "d": "д", "t": "т", "g": "г", "k": "к"}),
)
_LATIN = _Script(
    vowels=MappingProxyType(
        {
            "a": ("yi", "a"),
            "y": ("yi", "a"),
            "o": ("u", "o"),
            "u": ("u", "ao"),
            "e": ("i", "e"),
            "i": ("i", "e"),
        }
    ),
    voiceless="pfktsxhcq",
    consonants=MappingProxyType({"n": "n", "d": "d", "t": "t", "g": "g", "k": "k"}),
)
_LATIN_FOLD = MappingProxyType(
    str.maketrans({"ö": "o", "ü": "u", "ı": "i", "ä": "a", "ë": "e", "é": "e"})
)


def _script(word: str) -> _Script | None:
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        return _CYRILLIC
    if word.isascii() or word.translate(_LATIN_FOLD).isascii():
        return _LATIN
    return None


def _harmony(stem: str, script: _Script) -> tuple[str, str]:
    for ch in reversed(stem):
        if ch in script.vowels:
            return script.vowels[ch]
    return script.vowels["a" if script is _LATIN else "а"]


def case_forms(word: str) -> frozenset[str]:
    """The Kyrgyz genitive, accusative, dative, locative and ablative of ``word`` (lower case,
    Cyrillic or Latin), or of the particle of a patronymic (``уулу``, ``кызы``): see the
    module docstring. Empty for a word of another script or without a letter."""
    stem = word.lower()
    script = _script(stem)
    if script is None or not stem or not stem[-1].isalpha():
        return frozenset()
    probe = stem.translate(_LATIN_FOLD) if script is _LATIN else stem
    high, low = _harmony(probe, script)
    c = script.consonants
    if stem in PARTICLES:  # pronominal declension after the possessive -у/-ы
        return frozenset(
            {stem + c["n"] + h + c["n"] for h in high}
            | {stem + c["n"]}
            | {stem + c["n"] + v for v in low}
            | {stem + c["n"] + c["d"] + v for v in low}
            | {stem + c["n"] + v + c["n"] for v in low}
        )
    last = probe[-1]
    if last in script.vowels:
        first_high, first_dat, first_loc = c["n"], c["g"], c["d"]
    elif last in script.voiceless:
        first_high, first_dat, first_loc = c["t"], c["k"], c["t"]
    else:
        first_high, first_dat, first_loc = c["d"], c["g"], c["d"]
    if script is _LATIN and probe.endswith(("sh", "ch", "kh")):
        first_high, first_dat, first_loc = c["t"], c["k"], c["t"]
    forms: set[str] = set()
    for h in high:
        forms.add(stem + first_high + h + c["n"])  # genitive
        forms.add(stem + first_high + h)  # accusative
    for v in low:
        forms.add(stem + first_dat + v)  # dative
        forms.add(stem + first_loc + v)  # locative
        forms.add(stem + first_loc + v + c["n"])  # ablative
    return frozenset(forms)
