"""The records' texts in the dossier's language, and the country and names as a sentence needs
them: with their article, after a preposition, with the words that agree with them.

A record's text missing in the dossier's language is printed in the language it has, marked
``[en]`` before it, so that a draft shows what is still to be translated (``dossier check
--lang`` lists each, FORM-16; a final build refuses them).
"""

from __future__ import annotations

import re

from ..l10n.articles import Gender, GrammarError, agree, guess_gender, normalise_article, phrase
from ..l10n.countries import UnknownCountry, country_name
from ..models import Case
from ..models.texts import in_language, only_in

_BLOCK_START = re.compile(r"^\s*([-*+>#]|\d+[.)])")
"""A Markdown text starting with a list, quote or heading: the mark goes on a line of its own."""


def mark(text: str, lang: str, *, markdown: bool = False) -> str:
    """``[en] text``: a text printed in another language than the dossier's."""
    label = f"[{lang}]"
    if markdown and _BLOCK_START.match(text):
        return f"{label}\n\n{text}"
    return f"{label} {text}"


def localised(value: str | None, lang: str, records: str, *, markdown: bool = False) -> str:
    """``value`` in ``lang``; in another language (marked) when it has no text in ``lang``."""
    if value is None:
        return ""
    text, found = in_language(value, lang, records)
    return text if found == lang else mark(text, found, markdown=markdown)


def is_localised(value: str | None, lang: str, records: str) -> bool:
    """Whether ``value`` prints in ``lang`` without a fallback."""
    return value is None or in_language(value, lang, records)[1] == lang


def with_article(
    name: str,
    lang: str,
    article: str | None,
    form: str = "subject",
    *,
    capitalize: bool = False,
) -> str:
    """``name`` in running text: ``par le Kirghizistan``, ``of the Federation``, ``del Sindicato``.
    A name printed in another language (marked ``[en]``) takes no article of this one."""
    if name.startswith("["):
        article = None
    try:
        return phrase(name, lang, article=article or None, form=form, capitalize=capitalize)
    except GrammarError:  # an article the rules cannot use (check reports it): none
        return phrase(name, lang, article=None, form=form, capitalize=capitalize)


def gender_of(name: str, lang: str, article: str | None, recorded: str | None) -> Gender:
    """The grammatical gender of an organisation's name: as recorded, else as its article or
    its head noun shows, else feminine (une organisation)."""
    if recorded in ("m", "f"):
        return "m" if recorded == "m" else "f"
    art = normalise_article(article)
    if art in ("le", "el"):
        return "m"
    if art == "la":
        return "f"
    return guess_gender(name, lang) or "f"


def agreement(key: str, lang: str, genders: list[Gender]) -> str:
    """The word ``key`` agreeing with one or several subjects (feminine plural only when every
    subject is feminine)."""
    plural = len(genders) > 1
    gender: Gender = "f" if genders and all(g == "f" for g in genders) else "m"
    if lang == "en":
        return agree(key, "en", None, plural=plural)
    return agree(key, lang, gender, plural=plural)


def country(case: Case, lang: str, form: str = "bare") -> str:
    """The country of the case in ``lang``: as the Office names it (``Kirghizistan``,
    ``par le Kirghizistan``); a country the tool does not know as the records give it."""
    for name in (str(case.country), *getattr(case.country, "texts", {}).values()):
        try:
            return country_name(name, lang, form=form)  # type: ignore[arg-type]
        except UnknownCountry:
            continue
    text = localised(case.country, lang, case.language)
    if form == "bare":
        return text
    return with_article(text, lang, only_in(case.country_article, lang, case.language), form)


def country_known(case: Case) -> bool:
    """Whether the tool names the case's country itself in every language."""
    for name in (str(case.country), *getattr(case.country, "texts", {}).values()):
        try:
            country_name(name, "en")
            return True
        except UnknownCountry:
            continue
    return False
