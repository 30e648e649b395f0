"""The language an annex is written in, read from its text, for ``dossier annex add``.

py3langid (a maintained langid.py: a naive Bayes model of 97 languages, Russian and Kyrgyz among
them) reads up to :data:`SAMPLE_CHARS` characters of the first :data:`SAMPLE_PAGES` pages. The
language is taken only when the text is long enough and the model sure of it; a scan without a
text layer, a form of a few words or a mixed page says nothing, and the caller falls back on the
case's language, saying so.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from .pagetext import page_text

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

    from .sources import Source

SAMPLE_PAGES = 5
SAMPLE_CHARS = 20_000
MIN_LETTERS = 100
"""Fewer letters than this (a photo caption, a stamp, a scan) tell no language."""
MIN_PROBABILITY = 0.95


@cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def sample_text(source: Source) -> str:
    """The first characters of the annex's text: a text annex's own, or its first pages'."""
    if source.text is not None:
        return source.text[:SAMPLE_CHARS]
    if source.reader is None:
        return ""
    parts: list[str] = []
    size = 0
    for page in source.reader.pages[:SAMPLE_PAGES]:
        text = page_text(page) or ""
        parts.append(text)
        size += len(text)
        if size >= SAMPLE_CHARS:
            break
    return "\n".join(parts)[:SAMPLE_CHARS]


def read_language(source: Source) -> str | None:
    """The annex's language (ISO 639-1, e.g. ``ru``, ``ky``) when its text says it plainly."""
    return language_of(sample_text(source))


def language_of(text: str) -> str | None:
    """The language ``text`` is written in, when it says it plainly (see the module)."""
    text = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return None
    language, probability = _identifier().classify(text)
    return str(language) if probability >= MIN_PROBABILITY else None
