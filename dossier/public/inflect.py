"""Every written form of one word of a name: Russian cases, Kyrgyz cases, Latin endings.

:func:`word_forms` is the union of

* **pymorphy3** (with ``pymorphy3-dicts-ru``): when the analyser knows the word as a first name,
  surname or patronymic in the nominative, every singular form of its lexeme — for surnames the
  lexeme holds both genders (Султанов, Султанова, Султановой, Султанову, Султановым…);
* the **Russian rule set** below, which declines what the dictionary does not know (most Kyrgyz
  names: Айда → Айды, Айде, Айду, Айдой; Бакыт → Бакыта, Бакыту, Бакытом, Бакыте; surnames in
  -ов/-ев/-ин and -ова/-ева/-ина in both genders; -ский/-ская; patronymics in -ович/-овна);
* the **Kyrgyz** case forms of the nominative (and of the other gender's nominative for a
  surname): :mod:`.kyrgyz`;
* for a word in Latin letters, the **transliterated** Russian endings and the Kyrgyz ones.

If pymorphy3 cannot be imported the rule sets alone are used: they cover every form the tests
check; pymorphy3 adds the dictionary's irregular forms. Over-generation is cheap (a form only
matters next to the other words of the same name), so the rules err on the side of producing
too much; words of fewer than four letters get no Latin endings, and acronyms none at all.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from .kyrgyz import PARTICLES, case_forms

_MIN_LATIN_STEM = 4
_HUSHING = "жшчщц"
_VELAR_HUSHING = "гкхжшчщ"


@functools.cache
def _analyzer() -> Any | None:
    """The pymorphy3 analyser for Russian, or ``None`` when pymorphy3 is not installed."""
    try:
        import pymorphy3
    except ImportError:
        return None
    return pymorphy3.MorphAnalyzer(lang="ru")


def pymorphy_available() -> bool:
    """Whether :func:`word_forms` uses pymorphy3 (else the rule sets alone)."""
    return _analyzer() is not None


def dictionary_roles(word: str) -> frozenset[str]:
    """Which of first name (``Name``), surname (``Surn``), patronymic (``Patr``) the Russian
    dictionary reads ``word`` (nominative singular) as; empty without pymorphy3."""
    morph = _analyzer()
    if morph is None or not any("\u0400" <= ch <= "\u04ff" for ch in word):
        return frozenset()
    roles: set[str] = set()
    for parse in morph.parse(word.lower()):
        if parse.tag.case == "nomn" and parse.tag.number != "plur":
            roles.update({"Name", "Surn", "Patr"} & parse.tag.grammemes)
    return frozenset(roles)


def dictionary_forms(word: str) -> frozenset[str]:
    """Singular forms of every first name, surname or patronymic the Russian dictionary
    reads ``word`` (nominative) as; empty without pymorphy3 or for an unknown name."""
    morph = _analyzer()
    if morph is None:
        return frozenset()
    out: set[str] = set()
    for parse in morph.parse(word.lower()):
        tag = parse.tag
        if not ({"Name", "Surn", "Patr"} & tag.grammemes) or tag.case != "nomn":
            continue
        if tag.number == "plur":
            continue
        out.update(form.word for form in parse.lexeme if form.tag.number != "plur")
    return frozenset(out)


def _add(out: set[str], stem: str, endings: Iterable[str]) -> None:
    out.update(stem + ending for ending in endings)


def russian_forms(word: str) -> frozenset[str]:
    """Singular case forms of a Cyrillic name word by rule (lower case; see module doc).

    Surnames are given both genders: the nominative of the other gender is included."""
    w = word.lower()
    out = {w}
    if len(w) < 2:
        return frozenset(out)
    masc_surname = ("ов", "ев", "ёв", "ин", "ын")
    if w.endswith(tuple(s + "а" for s in masc_surname)):
        stem = w[:-1]
        _add(out, stem, ("ой", "у", "ою"))
        _add(out, stem, ("", "а", "у", "ым", "е"))
    elif w.endswith(masc_surname):
        _add(out, w, ("а", "у", "ым", "е", "ой", "ою"))
    elif w.endswith(("ский", "цкий", "ской", "цкой")):
        stem = w[:-2]
        _add(out, stem, ("ий", "ого", "ому", "им", "ом", "ая", "ой", "ую", "ою"))
    elif w.endswith(("ская", "цкая")):
        stem = w[:-2]
        _add(out, stem, ("ая", "ой", "ую", "ою", "ий", "ого", "ому", "им", "ом"))
    elif w.endswith(("ович", "евич", "ич")):
        _add(out, w, ("а", "у", "ем", "е"))
    elif w.endswith(("овна", "евна", "ична")):
        _add(out, w[:-1], ("ы", "е", "у", "ой", "ою"))
    elif w.endswith("ия"):
        _add(out, w[:-1], ("и", "ю", "ей", "ею"))
    elif w.endswith(("а", "я")):
        stem, soft = w[:-1], w.endswith("я") or w[-2] in _VELAR_HUSHING
        _add(out, stem, ("и" if soft else "ы", "е", "у" if w[-1] == "а" else "ю"))
        hush = w.endswith("я") or w[-2] in _HUSHING
        _add(out, stem, ("ей", "ею") if hush else ("ой", "ою"))
    elif w.endswith("й"):
        _add(out, w[:-1], ("я", "ю", "ем", "е", "и"))
    elif w.endswith("ь"):
        _add(out, w[:-1], ("я", "ю", "ем", "е", "и", "ью"))
    elif w[-1] not in "аеёиоуыэюяөү" and w[-1].isalpha():
        _add(out, w, ("а", "у", "ом", "ем" if w[-1] in _HUSHING else "ом", "е"))
    return frozenset(out)


_LATIN_SURNAME = ("ov", "ev", "in", "yn")


def latin_forms(word: str) -> frozenset[str]:
    """Transliterated Russian case endings of a Latin name word (lower case): Sultanova →
    Sultanovoy, Sultanovu, Sultanov, Sultanova…; Bakyt → Bakyta, Bakytu, Bakytom…

    Words shorter than four letters are returned unchanged (``Ali`` stays ``ali``)."""
    w = word.lower()
    out = {w}
    if len(w) < _MIN_LATIN_STEM or not w[-1].isalpha():
        return frozenset(out)
    fem_surname = tuple(s + "a" for s in _LATIN_SURNAME)
    if w.endswith(fem_surname):
        stem = w[:-1]
        _add(
            out,
            stem,
            ("oy", "oi", "oj", "oyu", "oju", "u", "", "a", "ym", "im", "e", "s"),
        )
    elif w.endswith(_LATIN_SURNAME):
        _add(out, w, ("a", "u", "ym", "im", "om", "e", "s", "oy", "oi", "oj"))
    elif w.endswith(("ovich", "evich", "ich")):
        _add(out, w, ("a", "u", "em", "om", "e"))
    elif w.endswith(("ovna", "evna", "ichna")):
        _add(out, w[:-1], ("y", "i", "e", "u", "oy", "oi"))
    elif w.endswith(("iya", "ia")):
        stem = w[:-1]
        _add(out, stem, ("i", "yu", "u", "ey", "ei", "eyu"))
    elif w.endswith("a"):
        _add(out, w[:-1], ("y", "i", "e", "u", "oy", "oi", "oj", "oyu", "ey", "ei"))
    elif w.endswith(("y", "i")) and w[-2] in "aeiou":
        _add(out, w, ("a", "u", "em", "e"))
        _add(out, w[:-1], ("ya", "yu", "ia", "iu", "em", "e"))
    elif w[-1] not in "aeiouy":
        _add(out, w, ("a", "u", "om", "em", "e"))
    return frozenset(out)


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f" for ch in word)


def _nominatives(word: str, forms: frozenset[str], cyrillic: bool) -> set[str]:
    """The word and, for a surname, its other gender: what Kyrgyz suffixes attach to."""
    w = word.lower()
    out = {w}
    ends = ("ов", "ев", "ёв", "ин", "ын") if cyrillic else _LATIN_SURNAME
    fem = "а" if cyrillic else "a"
    if w.endswith(tuple(e + fem for e in ends)):
        out.add(w[:-1])
    elif w.endswith(ends) and w + fem in forms:
        out.add(w + fem)
    return out


def word_forms(word: str, *, acronym: bool = False) -> frozenset[str]:
    """Every form of one word of a name, unfolded, lower case (see the module docstring).

    ``acronym``: the word is an abbreviation (``КСП``, ``FTUK``) and is not declined."""
    w = word.lower()
    if acronym or not any(ch.isalpha() for ch in w):
        return frozenset({w})
    if w in PARTICLES:
        return frozenset({w}) | case_forms(w)
    cyrillic = _is_cyrillic(w)
    rules: Callable[[str], frozenset[str]] = russian_forms if cyrillic else latin_forms
    forms = set(rules(w))
    if cyrillic:
        forms |= dictionary_forms(w)
    elif len(w) < _MIN_LATIN_STEM:
        return frozenset(forms)
    for nominative in _nominatives(w, frozenset(forms), cyrillic):
        forms |= case_forms(nominative)
    return frozenset(forms)


def _one_gender(nominative: str, cyrillic: bool) -> set[str]:
    """A surname's forms in the gender of ``nominative`` alone, by rule (with Kyrgyz cases)."""
    feminine = nominative.endswith("а" if cyrillic else "a")
    endings: tuple[str, ...]
    if cyrillic:
        endings = ("ой", "у", "ою") if feminine else ("а", "у", "ым", "е")
    elif feminine:
        endings = ("oy", "oi", "oj", "u", "oyu", "oju")
    else:
        endings = ("a", "u", "ym", "im", "om", "e")
    stem = nominative[:-1] if feminine else nominative
    return {nominative, *(stem + e for e in endings)} | case_forms(nominative)


def own_gender_forms(word: str) -> frozenset[str]:
    """:func:`word_forms` without the forms only the other gender of a surname in
    -ов/-ова/-ев/-ева/-ин/-ина (or their Latin spellings) has: ``А. Султанов`` is not
    Aida Sultanova. Every form, for any other word."""
    w = word.lower()
    forms = word_forms(w)
    cyrillic = _is_cyrillic(w)
    masculine = ("ов", "ев", "ёв", "ин", "ын") if cyrillic else _LATIN_SURNAME
    fem = "а" if cyrillic else "a"
    if w.endswith(tuple(m + fem for m in masculine)):
        other = w[:-1]
    elif w.endswith(masculine):
        other = w + fem
    else:
        return forms
    return forms - (_one_gender(other, cyrillic) - _one_gender(w, cyrillic))
