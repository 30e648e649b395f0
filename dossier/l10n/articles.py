"""Names with their article in running text, after prepositions, in en, fr and es.

An organisation (or a country) is recorded with the article it takes in running text and,
for French and Spanish, its grammatical gender:

>>> phrase("Fédération des syndicats du Kirghizistan", "fr", article="la", form="par")
'par la Fédération des syndicats du Kirghizistan'
>>> phrase("Syndicat des travailleurs du secteur minier", "fr", article="le", form="de")
'du Syndicat des travailleurs du secteur minier'
>>> phrase("Sindicato de Trabajadores", "es", article="el", form="a")
'al Sindicato de Trabajadores'

Forms: ``bare`` (the name alone), ``subject`` (with its article), ``de`` (of), ``a`` (to,
dative), ``par`` (by), ``en`` (in; for countries see countries.py, which knows the French
locative rules). French contracts de/à with le/les (du, des, au, aux) and elides le/la
before a vowel (l'); Spanish contracts de/a with el (del, al).

The module also holds the agreement words the templates need: fr "présentée"/"présenté",
"s'est associée"/"s'est associé"; es "presentada"/"presentado", "se asoció".
Sources: SOURCES.md, section "Articles and agreement".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, get_args

Lang = Literal["en", "fr", "es"]
Gender = Literal["m", "f"]
Form = Literal["bare", "subject", "de", "a", "par", "en"]

LANGS: Final[tuple[Lang, ...]] = get_args(Lang)
FORMS: Final[tuple[Form, ...]] = get_args(Form)

#: The dossier's house style (data/i18n.yaml) prints the typographic apostrophe in French.
APOSTROPHE: Final = "\u2019"

_VOWELS: Final = frozenset("aeiouyàâäéèêëîïôöùûüœæ")
#: Names without article whose h is mute in French (d'Haïti); the recorded article decides
#: for every other h-initial name (le Honduras, la Hongrie, l'Hôpital...).
_H_MUET: Final = ("haïti", "haiti")
_APOSTROPHES: Final = ("'", "\u2019")

#: Articles accepted as recorded, per language, with the number they imply.
_ARTICLES: Final[dict[Lang, dict[str, bool]]] = {
    "en": {"the": False},
    "fr": {"le": False, "la": False, "l'": False, "les": True},
    "es": {"el": False, "la": False, "los": True, "las": True},
}

_PREPOSITIONS: Final[dict[Lang, dict[str, str]]] = {
    "en": {"de": "of", "a": "to", "par": "by", "en": "in"},
    "fr": {"de": "de", "a": "à", "par": "par", "en": "en"},
    "es": {"de": "de", "a": "a", "par": "por", "en": "en"},
}


class GrammarError(ValueError):
    """A recorded article, gender or form that the rules cannot use."""


def check_lang(lang: str) -> Lang:
    """``lang`` as a :data:`Lang`, or GrammarError."""
    for known in LANGS:
        if lang == known:
            return known
    raise GrammarError(f"unsupported language {lang!r}; expected one of {', '.join(LANGS)}")


def check_form(form: str) -> Form:
    for known in FORMS:
        if form == known:
            return known
    raise GrammarError(f"unknown form {form!r}; expected one of {', '.join(FORMS)}")


def normalise_article(article: str | None) -> str | None:
    """``"L’"`` -> ``"l'"``, ``" The "`` -> ``"the"``, ``""`` -> None."""
    if article is None:
        return None
    text = article.strip().lower()
    for mark in _APOSTROPHES:
        text = text.replace(mark, "'")
    return text or None


def starts_with_vowel(word: str) -> bool:
    """True when ``word`` begins with a vowel letter (accents ignored); ``h`` is not a vowel.

    Whether a French ``h`` is mute (l'hôpital) or aspirated (le Honduras) cannot be told
    from spelling: for such names the recorded article decides.
    """
    stripped = word.lstrip("\"«“‘'( \u00a0")
    if not stripped:
        return False
    first = unicodedata.normalize("NFD", stripped[0].lower())[0]
    return first in _VOWELS


def default_article(name: str, lang: str, gender: Gender, *, plural: bool = False) -> str:
    """The definite article a name takes when none is recorded: fr le/la/l'/les, es el/la/..."""
    code = check_lang(lang)
    if code == "en":
        return "the"
    if code == "fr":
        if plural:
            return "les"
        if starts_with_vowel(name):
            return "l'"
        return "le" if gender == "m" else "la"
    if plural:
        return "los" if gender == "m" else "las"
    return "el" if gender == "m" else "la"


def _check_article(article: str | None, lang: Lang, name: str) -> str | None:
    art = normalise_article(article)
    if art is None:
        return None
    if art not in _ARTICLES[lang]:
        known = ", ".join(repr(a) for a in _ARTICLES[lang])
        raise GrammarError(f"article {article!r} is not a {lang} definite article ({known})")
    if lang == "fr" and art in ("le", "la") and starts_with_vowel(name):
        return "l'"  # "le Ouzbékistan" is never right; an h-initial name keeps its record
    return art


def _join(article: str, name: str) -> str:
    return f"{article}{name}" if article.endswith("'") else f"{article} {name}"


def _fr(name: str, art: str | None, form: Form) -> str:
    if form == "bare":
        return name
    if art is None:
        if form == "subject":
            return name
        if form == "de":
            elide = starts_with_vowel(name) or name.lower().startswith(_H_MUET)
            return f"d'{name}" if elide else f"de {name}"
        prep = _PREPOSITIONS["fr"][form]
        return f"{prep} {name}"
    subject = _join(art, name)
    if form == "subject":
        return subject
    if form == "par":
        return f"par {subject}"
    if form == "en":
        # The locative of a named body keeps its article ("dans la ..."); countries.py
        # applies the country rules (en France, au Kirghizistan, aux Philippines).
        return f"dans {subject}"
    if form == "de":
        return {"le": f"du {name}", "les": f"des {name}"}.get(art, f"de {subject}")
    return {"le": f"au {name}", "les": f"aux {name}"}.get(art, f"à {subject}")


def _es(name: str, art: str | None, form: Form) -> str:
    if form == "bare":
        return name
    subject = name if art is None else f"{art} {name}"
    if form == "subject":
        return subject
    prep = _PREPOSITIONS["es"][form]
    if art == "el" and form in ("de", "a"):
        return f"{prep}l {name}"  # del, al
    return f"{prep} {subject}"


def _en(name: str, art: str | None, form: Form) -> str:
    if form == "bare":
        return name
    subject = name if art is None else f"{art} {name}"
    if form == "subject":
        return subject
    return f"{_PREPOSITIONS['en'][form]} {subject}"


def capitalise(text: str) -> str:
    """First letter upper case, the rest untouched (``du Syndicat`` -> ``Du Syndicat``)."""
    return text[:1].upper() + text[1:]


def set_apostrophe(text: str, apostrophe: str) -> str:
    """Every apostrophe in ``text`` written as ``apostrophe`` (straight or typographic)."""
    for mark in _APOSTROPHES:
        text = text.replace(mark, apostrophe)
    return text


def phrase(
    name: str,
    lang: str,
    *,
    article: str | None = None,
    form: str = "subject",
    capitalize: bool = False,
    apostrophe: str = APOSTROPHE,
) -> str:
    """``name`` with its recorded ``article`` after the preposition of ``form``.

    ``article`` is the word printed before the name in running text, as recorded for the
    organisation (fr "le", "la", "l'", "les"; es "el", "la", "los", "las"; en "the"), or
    None when the name takes no article. ``capitalize`` is for the start of a sentence.
    """
    code = check_lang(lang)
    shape = check_form(form)
    name = name.strip()
    if not name:
        raise GrammarError("empty name")
    art = _check_article(article, code, name)
    if code == "fr":
        text = _fr(name, art, shape)
    elif code == "es":
        text = _es(name, art, shape)
    else:
        text = _en(name, art, shape)
    text = set_apostrophe(text, apostrophe)
    return capitalise(text) if capitalize else text


@dataclass(frozen=True)
class Named:
    """A name as recorded for one language: its article (None: no article) and gender."""

    name: str
    lang: Lang
    article: str | None = None
    gender: Gender | None = None

    @property
    def plural(self) -> bool:
        art = normalise_article(self.article)
        return bool(art and _ARTICLES[self.lang].get(art, False))

    def form(self, form: str = "subject", *, capitalize: bool = False) -> str:
        return phrase(self.name, self.lang, article=self.article, form=form, capitalize=capitalize)


# ---- gender from the head noun ---------------------------------------------------------------

#: Head nouns of organisation names and their gender: a fallback for records with no gender.
HEAD_NOUN_GENDER: Final[dict[Lang, dict[str, Gender]]] = {
    "fr": {
        "fédération": "f", "confédération": "f", "union": "f", "internationale": "f",
        "centrale": "f", "association": "f", "organisation": "f", "alliance": "f",
        "coordination": "f", "chambre": "f", "commission": "f", "intersyndicale": "f",
        "syndicat": "m", "congrès": "m", "conseil": "m", "comité": "m", "bureau": "m",
        "mouvement": "m", "front": "m", "ministère": "m", "gouvernement": "m",
        "tribunal": "m", "parlement": "m", "service": "m",
    },
    "es": {
        "federación": "f", "confederación": "f", "unión": "f", "internacional": "f",
        "central": "f", "asociación": "f", "organización": "f", "alianza": "f",
        "coordinadora": "f", "cámara": "f", "comisión": "f", "corte": "f",
        "sindicato": "m", "congreso": "m", "consejo": "m", "comité": "m", "frente": "m",
        "movimiento": "m", "ministerio": "m", "gobierno": "m", "tribunal": "m",
        "parlamento": "m", "servicio": "m",
    },
}  # fmt: skip


def guess_gender(name: str, lang: str) -> Gender | None:
    """Gender of the head noun (first word) of an organisation name, or None if unknown."""
    code = check_lang(lang)
    if code == "en" or not name.strip():
        return None
    head = name.strip().split()[0].lower().strip("«»\"“”'’(")
    return HEAD_NOUN_GENDER[code].get(head)


# ---- agreement words -------------------------------------------------------------------------

AgreementKey = Literal["presented", "associated", "willing", "ratified", "examined"]

#: Words that agree with the subject: key -> lang -> (m sg, f sg, m pl, f pl).
AGREEMENT: Final[dict[str, dict[Lang, tuple[str, str, str, str]]]] = {
    "presented": {
        "en": ("presented", "presented", "presented", "presented"),
        "fr": ("présenté", "présentée", "présentés", "présentées"),
        "es": ("presentado", "presentada", "presentados", "presentadas"),
    },
    "associated": {  # "X associated itself with the complaint"
        "en": ("associated itself", "associated itself",
               "associated themselves", "associated themselves"),
        "fr": ("s'est associé", "s'est associée", "se sont associés", "se sont associées"),
        "es": ("se asoció", "se asoció", "se asociaron", "se asociaron"),
    },
    "willing": {  # "X is open to voluntary conciliation"
        "en": ("is open", "is open", "are open", "are open"),
        "fr": ("est disposé", "est disposée", "sont disposés", "sont disposées"),
        "es": ("está abierto", "está abierta", "están abiertos", "están abiertas"),
    },
    "ratified": {  # agrees with the Convention: fr la convention (f), es el Convenio (m)
        "en": ("ratified", "ratified", "ratified", "ratified"),
        "fr": ("ratifié", "ratifiée", "ratifiés", "ratifiées"),
        "es": ("ratificado", "ratificada", "ratificados", "ratificadas"),
    },
    "examined": {
        "en": ("examined", "examined", "examined", "examined"),
        "fr": ("examiné", "examinée", "examinés", "examinées"),
        "es": ("examinado", "examinada", "examinados", "examinadas"),
    },
}  # fmt: skip

#: Gender of the word for "Convention" in running text.
CONVENTION_GENDER: Final[dict[Lang, Gender]] = {"en": "m", "fr": "f", "es": "m"}


def agree(
    key: str,
    lang: str,
    gender: Gender | None,
    *,
    plural: bool = False,
    apostrophe: str = APOSTROPHE,
) -> str:
    """The form of ``key`` that agrees with a subject of ``gender`` (and number).

    ``gender`` None (not recorded) falls back to the masculine, the unmarked form in French
    and Spanish; callers should record the gender rather than rely on this.
    """
    code = check_lang(lang)
    try:
        forms = AGREEMENT[key][code]
    except KeyError:
        raise GrammarError(f"no agreement entry {key!r}") from None
    index = (2 if plural else 0) + (1 if gender == "f" else 0)
    return set_apostrophe(forms[index], apostrophe)


# ---- labels that depend on what is named -------------------------------------------------------

Kind = Literal["person", "organisation", "group"]

_AFFECTED: Final[dict[Lang, dict[str, str]]] = {
    "en": {"person": "Affected:", "organisation": "Affected:", "mixed": "Affected:"},
    "fr": {
        "person": "Personnes visées\u00a0:",
        "organisation": "Organisations visées\u00a0:",
        "mixed": "Personnes et organisations visées\u00a0:",
    },
    "es": {
        "person": "Personas afectadas:",
        "organisation": "Organizaciones afectadas:",
        "mixed": "Personas y organizaciones afectadas:",
    },
}


def affected_label(kinds: Iterable[str], lang: str) -> str:
    """The label before the victims of an allegation, fitted to what they are.

    fr "Personnes visées :" only for people; "Organisations visées :" for organisations;
    both words when the list mixes them. Groups of people count as persons.
    """
    code = check_lang(lang)
    seen = {"person" if kind == "group" else kind for kind in kinds}
    unknown = seen - {"person", "organisation"}
    if unknown:
        raise GrammarError(f"unknown kind(s): {', '.join(sorted(unknown))}")
    if seen == {"organisation"}:
        key = "organisation"
    elif seen == {"person"} or not seen:
        key = "person"
    else:
        key = "mixed"
    return _AFFECTED[code][key]
