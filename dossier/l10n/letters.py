"""Salutations, closing formulae and letter layout (date line, subject label, quotes).

>>> salutation("fr", "director_general", "male")
'Monsieur le Directeur général,'
>>> closing("fr", "director_general", "male")
'Veuillez agréer, Monsieur le Directeur général, l’expression de notre haute considération.'
>>> salutation("en", "director_general", "male", surname="Houngbo")
'Dear Mr Director-General,'
>>> salutation("en", "fol_chief", "female", surname="Curtis")
'Dear Ms Curtis,'
>>> closing("en", "director_general", "male", surname="Houngbo")
'Yours sincerely,'
>>> salutation("es", "director_general", "female")
'Señora Directora General:'

The data and its sources are in letters.yaml; SOURCES.md summarises them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Literal, get_args

from babel.dates import format_date

from .articles import APOSTROPHE, GrammarError, Lang, capitalise, check_lang, set_apostrophe
from .data import load

Office = Literal["director_general", "fol_chief", "head_of_state", "minister", "generic"]
AddresseeGender = Literal["male", "female", "unknown"]

OFFICES: Final[tuple[Office, ...]] = get_args(Office)
GENDERS: Final[tuple[AddresseeGender, ...]] = get_args(AddresseeGender)


@cache
def _data() -> dict[str, Any]:
    data = load("letters.yaml")
    sources = data.get("sources", {})
    for office, langs in data.get("offices", {}).items():
        for lang, entry in langs.items():
            for src in entry.get("src", []):
                if src not in sources:
                    raise ValueError(f"letters.yaml: {office}.{lang}: unknown source {src!r}")
    return data


def _office(lang: str, office: str) -> tuple[Lang, dict[str, Any]]:
    code = check_lang(lang)
    offices: dict[str, Any] = _data()["offices"]
    if office not in offices:
        raise GrammarError(f"unknown office {office!r}; expected one of {', '.join(OFFICES)}")
    entry: dict[str, Any] = offices[office][code]
    return code, entry


def _gender(gender: str) -> AddresseeGender:
    for known in GENDERS:
        if gender == known:
            return known
    raise GrammarError(f"unknown gender {gender!r}; expected one of {', '.join(GENDERS)}")


def _full_name(surname: str | None, full_name: str | None) -> str | None:
    return (full_name or surname or "").strip() or None


def salutation(
    lang: str,
    office: str,
    gender: str = "unknown",
    *,
    surname: str | None = None,
    full_name: str | None = None,
    apostrophe: str = APOSTROPHE,
) -> str:
    """The salutation line for an addressee holding ``office``.

    English uses the name when it is known ("Dear Ms Curtis,"), except for offices addressed
    by title ("Dear Mr Director-General,"), else the title or
    "Dear Sir or Madam,". French never puts the name in the salutation; Spanish does only
    for offices without a title of their own ("Estimado Sr. López:").
    """
    code, entry = _office(lang, office)
    sex = _gender(gender)
    named = _full_name(surname, full_name)
    if code == "en":
        table = entry["named"] if named else entry["unnamed"]
    elif named and "named" in entry:
        table = entry["named"]
    else:
        table = entry["salutation"]
    template: str = table[sex]
    if "{surname}" in template and not (surname and surname.strip()):
        template = entry["salutation"][sex] if "salutation" in entry else "Dear {full_name},"
    text = template.format(surname=(surname or "").strip(), full_name=named or "")
    return set_apostrophe(text, apostrophe)


def closing(
    lang: str,
    office: str,
    gender: str = "unknown",
    *,
    surname: str | None = None,
    full_name: str | None = None,
    formal: bool = False,
    apostrophe: str = APOSTROPHE,
    appel: str | None = None,
) -> str:
    """The closing formula matching :func:`salutation` for the same arguments, or matching
    ``appel``, a salutation the letter gives itself (French repeats it: "Veuillez agréer,
    Cher Président, …").

    French repeats the salutation between commas ("Veuillez agréer, Madame la Directrice
    générale, l'expression..."); English closes "Yours sincerely," after a name and
    "Yours faithfully," otherwise. ``formal`` asks for the diplomatic closing where the
    data has one (head of state, minister); see letters.yaml for its verification status.
    """
    code, entry = _office(lang, office)
    if appel is None:
        appel = salutation(
            code, office, gender, surname=surname, full_name=full_name, apostrophe=apostrophe
        )
    elif code == "en":  # a salutation of the letter's own: "Dear Sir," or a name
        formal_appel = re.match(r"^(dear )?(sir|madam|sirs|sir or madam)\b", appel.strip(), re.I)
        return str(entry["closing_unnamed" if formal_appel else "closing_named"])
    appel = appel.strip().rstrip(",:")
    if formal and "closing_formal" in entry:
        template: str = entry["closing_formal"]
    elif code == "en":
        used_name = _full_name(surname, full_name) is not None and office != "head_of_state"
        template = entry["closing_named"] if used_name else entry["closing_unnamed"]
    else:
        template = entry["closing"]
    return set_apostrophe(template.format(appel=appel), apostrophe)


@dataclass(frozen=True)
class Formulae:
    salutation: str
    closing: str
    sources: tuple[str, ...]
    verified: bool


def formulae(
    lang: str,
    office: str,
    gender: str = "unknown",
    *,
    surname: str | None = None,
    full_name: str | None = None,
    formal: bool = False,
    apostrophe: str = APOSTROPHE,
) -> Formulae:
    """Salutation and closing together, with the sources and verification status."""
    _, entry = _office(lang, office)
    verified = bool(entry.get("v", True)) and not (formal and entry.get("v_formal") is False)
    return Formulae(
        salutation=salutation(
            lang, office, gender, surname=surname, full_name=full_name, apostrophe=apostrophe
        ),
        closing=closing(
            lang,
            office,
            gender,
            surname=surname,
            full_name=full_name,
            formal=formal,
            apostrophe=apostrophe,
        ),
        sources=tuple(entry.get("src", [])),
        verified=verified,
    )


# ---- layout ----------------------------------------------------------------------------------


def _layout(lang: str) -> dict[str, Any]:
    layout: dict[str, Any] = _data()["layout"][check_lang(lang)]
    return layout


def place_name(place: str, lang: str) -> str:
    """A place as written in ``lang`` (Geneva / Genève / Ginebra); unknown places unchanged."""
    code = check_lang(lang)
    for english, names in _data().get("places", {}).items():
        variants = {english, *(str(names[k]) for k in ("en", "fr", "es") if k in names)}
        if place.strip() in variants:
            return str(names.get(code, place))
    return place.strip()


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def office_key(text: str | None) -> Office:
    """The office of an addressee as recorded (``Director-General``, ``Directeur général``…):
    its key in letters.yaml, or ``generic`` for any other."""
    if text:
        wanted = _fold(text)
        for key, entry in _data().get("titles", {}).items():
            forms = [*entry.get("aliases", [])]
            for lang in ("en", "fr", "es"):
                forms.extend(entry.get(lang, {}).values())
            if wanted in {_fold(str(form)) for form in forms}:
                for office in OFFICES:
                    if office == key:
                        return office
    return "generic"


def office_title(office: str, lang: str, gender: str = "unknown") -> str | None:
    """The title of ``office`` in ``lang`` for an addressee of ``gender`` (``Directeur
    général``), or None when letters.yaml has no title for it."""
    entry = _data().get("titles", {}).get(office)
    if entry is None:
        return None
    return str(entry[check_lang(lang)][_gender(gender)])


def known_place(place: str) -> bool:
    """Whether letters.yaml names ``place`` (in any of its languages) in every language."""
    for english, names in _data().get("places", {}).items():
        if place.strip() in {english, *(str(names[k]) for k in ("en", "fr", "es") if k in names)}:
            return True
    return False


def letter_date(value: dt.date, lang: str) -> str:
    """``24 November 2026`` / ``24 novembre 2026`` (``1er``) / ``24 de noviembre de 2026``."""
    layout = _layout(lang)
    text = format_date(value, layout["date_format"], locale=layout["locale"])
    first = layout.get("first_day")
    if first and value.day == 1:
        text = f"{first}{text[1:]}" if text.startswith("1 ") else text
    return text


def date_line(value: dt.date, lang: str, place: str | None = None) -> str:
    """``Geneva, 24 November 2026`` / ``Genève, le 24 novembre 2026`` / ``Ginebra, 24 de ...``."""
    layout = _layout(lang)
    date = letter_date(value, lang)
    if place and place.strip():
        return str(layout["date_line"]).format(place=place_name(place, lang), date=date)
    return capitalise(str(layout["date_line_no_place"]).format(date=date))


def subject_label(lang: str) -> str:
    """``Subject:`` / ``Objet\u00a0:`` (no-break space) / ``Asunto:``."""
    return str(_layout(lang)["subject_label"])


def quote(text: str, lang: str, *, nested: bool = False) -> str:
    """``text`` between the quotation marks of ``lang`` (fr « … », es « … », en “ … ”)."""
    marks: list[str] = _layout(lang)["quotes"]
    start, end = (marks[2], marks[3]) if nested else (marks[0], marks[1])
    return f"{start}{text}{end}"


__all__ = [
    "GENDERS",
    "OFFICES",
    "AddresseeGender",
    "Formulae",
    "Office",
    "closing",
    "date_line",
    "formulae",
    "known_place",
    "letter_date",
    "office_key",
    "office_title",
    "place_name",
    "quote",
    "salutation",
    "subject_label",
]
