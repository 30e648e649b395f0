"""Texts in the records' language, or in several: ``title: …`` or ``title: {en: …, fr: …}``.

Any free-text field the dossier prints (titles, facts, requests, subject, organisation names and
their article…) is a :data:`LocalText`: a plain string, written in the case's language
(``case.yaml`` ``language``), or a mapping from ``en``, ``fr`` and ``es`` to the text in each.

A mapping is read as a :class:`Texts`: a ``str`` whose value is the text in the records'
language (the loader passes it as validation context; else the first of en, fr, es given), so
that code which reads a field as text reads it in the records' language. The render stage asks
for the dossier's language with :func:`in_language`; the checks list what has no text in a
language with :func:`has_language` (FORM-16).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

LANGUAGES = ("en", "fr", "es")
"""The languages a dossier is written in (the ILO's working languages)."""

LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish"}


class Texts(str):
    """A text given in several languages; as a ``str``, the text in the records' language."""

    texts: Mapping[str, str]
    """Language -> text, in the order en, fr, es."""

    def __new__(cls, texts: Mapping[str, str], primary: str | None = None) -> Texts:
        ordered = {lang: texts[lang] for lang in LANGUAGES if lang in texts}
        if not ordered:
            raise ValueError("a text in no language")
        first = primary if primary in ordered else next(iter(ordered))
        made = super().__new__(cls, ordered[first])
        made.texts = ordered
        return made

    @property
    def primary(self) -> str:
        """The language the ``str`` value is in."""
        return next(lang for lang, text in self.texts.items() if text == str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Texts, (dict(self.texts), self.primary))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Texts):
            return dict(self.texts) == dict(other.texts)
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __repr__(self) -> str:
        return f"Texts({dict(self.texts)!r})"


def texts_of(value: str, records: str) -> dict[str, str]:
    """Language -> text of a field's value; a plain string is in ``records``, the case's
    language."""
    if isinstance(value, Texts):
        return dict(value.texts)
    return {records: value}


def has_language(value: str | None, lang: str, records: str) -> bool:
    """Whether ``value`` is given in ``lang`` (None and empty values need no text)."""
    if value is None or not str(value).strip():
        return True
    return lang in texts_of(value, records)


def in_language(value: str, lang: str, records: str) -> tuple[str, str]:
    """The text of ``value`` in ``lang`` and the language it is in: ``lang`` when given, else
    the records' language, else the first given (the caller marks such a fallback)."""
    found = texts_of(value, records)
    for choice in (lang, records, *found):
        if choice in found:
            return found[choice], choice
    return str(value), records  # pragma: no cover - a Texts always holds one language


def only_in(value: str | None, lang: str, records: str) -> str | None:
    """The text of ``value`` in ``lang`` exactly, or None: for words that must never print in
    another language (the article of a name)."""
    if value is None:
        return None
    return texts_of(value, records).get(lang)


def variants(value: str) -> list[tuple[str | None, str]]:
    """``[(None, text)]`` for a plain string; ``[(lang, text), …]`` for a mapping: every text a
    check must read, with the key it has in the YAML."""
    if isinstance(value, Texts):
        return list(value.texts.items())
    return [(None, value)]


def _validator(min_length: int) -> Any:
    def validate(value: Any, info: ValidationInfo) -> str:
        if isinstance(value, str):
            if len(value.strip()) < min_length:
                raise PydanticCustomError("string_too_short", "the text is empty")
            return value
        if not isinstance(value, dict):
            raise PydanticCustomError(
                "local_text", "expected a text, or one per language: {{en: …, fr: …, es: …}}"
            )
        if not value:
            raise PydanticCustomError("local_text", "give the text in at least one language")
        for key, text in value.items():
            if key not in LANGUAGES:
                raise PydanticCustomError(
                    "local_text_language",
                    "'{key}' is not a language of the dossier (en, fr or es)",
                    {"key": str(key)},
                )
            if not isinstance(text, str) or len(text.strip()) < min_length:
                raise PydanticCustomError(
                    "local_text_value", "the {key} text is empty or not text", {"key": str(key)}
                )
        context = info.context if isinstance(info.context, dict) else {}
        return Texts(value, context.get("language"))

    return validate


def _serialize(value: str) -> Any:
    return dict(value.texts) if isinstance(value, Texts) else str(value)


def _schema(min_length: int) -> dict[str, Any]:
    text: dict[str, Any] = {"type": "string"}
    if min_length:
        text["minLength"] = min_length
    return {
        "anyOf": [
            text,
            {
                "type": "object",
                "description": "The text in each language of the dossier.",
                "properties": {
                    lang: {**text, "description": f"In {LANGUAGE_NAMES[lang]}."}
                    for lang in LANGUAGES
                },
                "additionalProperties": False,
                "minProperties": 1,
            },
        ]
    }


LocalText = Annotated[
    str, PlainValidator(_validator(1)), PlainSerializer(_serialize), WithJsonSchema(_schema(1))
]
"""A non-empty text in the records' language, or ``{en: …, fr: …, es: …}``."""

LocalWord = Annotated[
    str, PlainValidator(_validator(0)), PlainSerializer(_serialize), WithJsonSchema(_schema(0))
]
"""Like :data:`LocalText`, but a language's text may be empty: an article a name does not take
in that language (``article: {en: the, fr: ''}``)."""


ARTICLES = {
    "en": ("the",),
    "fr": ("le", "la", "l'", "l’", "les"),
    "es": ("el", "la", "los", "las"),
}
"""The definite articles a name may take in running text, per language."""


def check_article(value: str | None, info: ValidationInfo) -> str | None:
    """An article as recorded: in each language one of :data:`ARTICLES`, or '' for none; a
    plain word is in the records' language (the validation context)."""
    if value is None:
        return None
    context = info.context if isinstance(info.context, dict) else {}
    for lang, word in texts_of(value, str(context.get("language") or "en")).items():
        allowed = ARTICLES.get(lang, ())
        if word.strip() and word.strip().casefold() not in allowed:
            raise ValueError(
                f"'{word}' is not a definite article in {LANGUAGE_NAMES.get(lang, lang)}: write "
                + ", ".join(repr(a) for a in allowed)
                + ", or '' when the name takes none"
            )
    return value
