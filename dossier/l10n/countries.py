"""Country names in running text, in en, fr and es, as the ILO writes them.

Names come from CLDR through babel, overridden where the ILO/UN designation differs
(countries.yaml: "Kirghizistan", not CLDR's "Kirghizstan"), with the article and gender
French and Spanish need inside a sentence:

>>> country_name("KG", "fr", form="par", apostrophe="'")
'par le Kirghizistan'
>>> country_name("Kyrgyzstan", "fr", form="de")
'du Kirghizistan'
>>> country_name("Peru", "es", form="de")
'del Perú'
>>> country_name("Venezuela", "en", form="subject")
'the Bolivarian Republic of Venezuela'

Forms: ``bare`` is the designation as NORMLEX prints it in headers and lists
("Venezuela (République bolivarienne du)"); the other forms use the running-text form
with its article: ``subject`` ("la République bolivarienne du Venezuela"), ``de``
("du Kirghizistan"), ``a`` (dative: "au Kirghizistan", "à la France", "aux Philippines"),
``par`` ("par le Kirghizistan"), and ``en`` (location: "en France", "au Kirghizistan",
"à Cuba"; Spanish "en el Perú"; English "in the Philippines").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import Any, Final, Literal

from babel import Locale

from .articles import (
    APOSTROPHE,
    LANGS,
    Gender,
    GrammarError,
    Lang,
    check_form,
    check_lang,
    normalise_article,
    phrase,
    set_apostrophe,
    starts_with_vowel,
)
from .articles import capitalise as _capitalise
from .data import load

CountryForm = Literal["bare", "subject", "de", "a", "par", "en"]

CLDR_LOCALES: Final[dict[Lang, str]] = {"en": "en", "fr": "fr", "es": "es"}


class UnknownCountry(KeyError):
    """No ILO member State answers to this code or name."""


@dataclass(frozen=True)
class CountryName:
    """One country in one language."""

    code: str
    lang: Lang
    name: str  # designation as NORMLEX prints it in headers and lists
    text: str  # form inside a sentence, without its article
    article: str | None
    gender: Gender | None
    prep: str | None  # fr locative preposition, when the rule gives the wrong one
    from_cldr: bool  # True when the name is CLDR's, unchanged
    verified: bool
    sources: tuple[str, ...]

    def form(
        self, form: str = "bare", *, capitalize: bool = False, apostrophe: str = APOSTROPHE
    ) -> str:
        shape = check_form(form)
        if shape == "bare":
            text = self.name
        elif shape == "en":
            text = _locative(self)
        else:
            text = phrase(self.text, self.lang, article=self.article, form=shape)
        text = set_apostrophe(text, apostrophe)
        return _capitalise(text) if capitalize else text


def _locative(country: CountryName) -> str:
    """en France, au Kirghizistan, aux Philippines, en Ouzbékistan, à Cuba; en el Perú."""
    if country.lang == "en":
        return phrase(country.text, "en", article=country.article, form="en")
    if country.lang == "es":
        subject = phrase(country.text, "es", article=country.article, form="subject")
        return f"en {subject}"
    art = normalise_article(country.article)
    if country.prep is not None:
        body = country.text if art is None else phrase(country.text, "fr", article=art)
        return f"{country.prep} {body}"
    if art is None:
        return f"à {country.text}"
    if art == "les":
        return f"aux {country.text}"
    if art == "le":
        return f"au {country.text}"
    return f"en {country.text}"  # la, l' (feminine, or masculine before a vowel)


# ---- data ------------------------------------------------------------------------------------


@cache
def _data() -> dict[str, Any]:
    data = load("countries.yaml")
    countries = data.get("countries")
    sources = data.get("sources")
    if not isinstance(countries, dict) or not isinstance(sources, dict):
        raise ValueError("countries.yaml: 'countries' and 'sources' must be mappings")
    for code, entry in countries.items():
        if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
            raise ValueError(f"countries.yaml: bad code {code!r}")
        if not isinstance(entry, dict) or set(entry) - {"en", "fr", "es"}:
            raise ValueError(f"countries.yaml: {code}: only en, fr, es may be given")
        for lang, fields in entry.items():
            _check_fields(code, lang, fields, sources)
    return data


_FIELDS: Final = frozenset({"name", "text", "art", "g", "prep", "v", "src"})


def _check_fields(code: str, lang: str, fields: Any, sources: dict[str, Any]) -> None:
    where = f"countries.yaml: {code}.{lang}"
    if not isinstance(fields, dict):
        raise ValueError(f"{where}: expected a mapping")
    extra = set(fields) - _FIELDS
    if extra:
        raise ValueError(f"{where}: unknown keys {sorted(extra)}")
    for key in ("name", "text", "art", "prep"):
        if key in fields and not isinstance(fields[key], str):
            raise ValueError(f"{where}.{key}: expected a string")
    if "g" in fields and fields["g"] not in ("m", "f"):
        raise ValueError(f"{where}.g: expected m or f")
    if "v" in fields and not isinstance(fields["v"], bool):
        raise ValueError(f"{where}.v: expected true or false")
    for src in fields.get("src", []):
        if src not in sources:
            raise ValueError(f"{where}.src: unknown source {src!r}")
    art = normalise_article(fields.get("art"))
    if lang in ("fr", "es") and art is not None and "g" not in fields:
        raise ValueError(f"{where}: an article needs a gender (g)")


def cldr_version() -> str:
    """Babel's version, which fixes the CLDR release the base names come from."""
    return version("babel")


def codes() -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes of the ILO member States, sorted."""
    return tuple(sorted(_data()["countries"]))


def _cldr(code: str, lang: Lang) -> str:
    return str(Locale.parse(CLDR_LOCALES[lang]).territories[code])


@cache
def country(code_or_name: str, lang: str) -> CountryName:
    """The country ``code_or_name`` (ISO code or a name in any of the three languages)."""
    code = resolve(code_or_name)
    language = check_lang(lang)
    fields: dict[str, Any] = _data()["countries"][code].get(language, {})
    cldr = _cldr(code, language)
    name = str(fields.get("name", cldr))
    art = normalise_article(fields.get("art"))
    gender: Gender | None = fields.get("g")
    return CountryName(
        code=code,
        lang=language,
        name=name,
        text=str(fields.get("text", name)),
        article=art,
        gender=gender,
        prep=fields.get("prep"),
        from_cldr="name" not in fields,
        verified=bool(fields.get("v", True)),
        sources=tuple(fields.get("src", ["cldr"] if "name" not in fields else [])),
    )


def country_name(
    code_or_english_name: str,
    lang: str,
    *,
    form: CountryForm = "bare",
    capitalize: bool = False,
    apostrophe: str = APOSTROPHE,
) -> str:
    """The country in ``lang``, in ``form`` (see the module docstring).

    ``code_or_english_name`` is an ISO 3166-1 alpha-2 code or a name as recorded in a case
    file ("Kyrgyzstan", "Kyrgyz Republic", "Kirghizistan", "Türkiye", "Turkey"...).
    Raises UnknownCountry for a name that matches no ILO member State.
    """
    return country(code_or_english_name, lang).form(
        form, capitalize=capitalize, apostrophe=apostrophe
    )


# ---- lookup by name --------------------------------------------------------------------------


def _key(text: str) -> str:
    """Case, accents and punctuation ignored: 'Côte d’Ivoire' -> 'cotedivoire'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


@cache
def _index() -> dict[str, str]:
    data = _data()
    index: dict[str, str] = {}

    def add(name: str, code: str) -> None:
        key = _key(name)
        if key and index.setdefault(key, code) != code:
            raise ValueError(f"countries: {name!r} names both {index[key]} and {code}")

    # Aliases and ILO forms first, so that CLDR's short names cannot shadow them.
    for code, names in (data.get("aliases") or {}).items():
        for name in names:
            add(str(name), str(code))
    for code, entry in data["countries"].items():
        for lang in ("en", "fr", "es"):
            fields = entry.get(lang, {})
            for key in ("name", "text"):
                if key in fields:
                    add(str(fields[key]), code)
    for code in data["countries"]:
        for lang in LANGS:
            key = _key(_cldr(code, lang))
            index.setdefault(key, code)  # CLDR "Congo" (es) must not override an alias
    return index


def resolve(code_or_name: str) -> str:
    """ISO code of an ILO member State from its code or any known name."""
    text = code_or_name.strip()
    if len(text) == 2 and text.isalpha() and text.upper() in _data()["countries"]:
        return text.upper()
    code = _index().get(_key(text))
    if code is None:
        raise UnknownCountry(code_or_name)
    return code


def unverified(lang: str | None = None) -> list[tuple[str, str]]:
    """(code, lang) of every entry marked ``v: false``: what to check before release."""
    out: list[tuple[str, str]] = []
    langs = ("en", "fr", "es") if lang is None else (check_lang(lang),)
    for code, entry in sorted(_data()["countries"].items()):
        for language in langs:
            if entry.get(language, {}).get("v") is False:
                out.append((code, language))
    return out


def overrides() -> list[tuple[str, str]]:
    """(code, lang) where the ILO name differs from CLDR's (apostrophe style ignored)."""
    out: list[tuple[str, str]] = []
    for code in codes():
        for lang in ("en", "fr", "es"):
            name = country(code, lang)
            if set_apostrophe(name.name, "'") != set_apostrophe(_cldr(code, name.lang), "'"):
                out.append((code, lang))
    return out


__all__ = [
    "CountryForm",
    "CountryName",
    "GrammarError",
    "UnknownCountry",
    "cldr_version",
    "codes",
    "country",
    "country_name",
    "overrides",
    "resolve",
    "starts_with_vowel",
    "unverified",
]
