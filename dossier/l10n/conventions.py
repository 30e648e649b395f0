"""Official short titles of ILO Conventions (conventions.yaml), in header or running-text form.

>>> title("C087", "es")
'Convenio sobre la libertad sindical y la protección del derecho de sindicación, 1948 (núm. 87)'
>>> title("C087", "fr", in_text=True)
'convention (n°\\xa087) sur la liberté syndicale et la protection du droit syndical, 1948'

Titles not verified on NORMLEX (``verified`` other than true) are refused unless the
caller accepts them with ``allow``; the dossier should then print "Convention No. 11".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Literal

from .articles import GrammarError, Lang, check_lang
from .data import load

Verification = Literal["true", "secondary", "partial", "false"]

_LEVELS: Final[dict[Verification, int]] = {"false": 0, "partial": 1, "secondary": 2, "true": 3}


class UnverifiedTitle(LookupError):
    """The title exists in conventions.yaml but below the verification level asked for."""


@dataclass(frozen=True)
class ConventionTitle:
    code: str
    lang: Lang
    title: str
    verified: Verification
    source: str | None
    note: str | None


def _verification(value: Any, where: str) -> Verification:
    text = str(value).lower()
    for level in _LEVELS:
        if text == level:
            return level
    raise ValueError(f"conventions.yaml: {where}: bad verified value {value!r}")


@cache
def _titles() -> dict[tuple[str, Lang], ConventionTitle]:
    data = load("conventions.yaml")
    out: dict[tuple[str, Lang], ConventionTitle] = {}
    for code, langs in data["conventions"].items():
        for lang, entry in langs.items():
            where = f"{code}.{lang}"
            level = _verification(entry["verified"], where)
            source = entry.get("source")
            if level != "false" and not source:
                raise ValueError(f"conventions.yaml: {where}: a verified title needs a source")
            language = check_lang(lang)
            out[(str(code), language)] = ConventionTitle(
                code=str(code),
                lang=language,
                title=str(entry["title"]),
                verified=level,
                source=str(source) if source else None,
                note=entry.get("note"),
            )
    return out


def normalise_code(code: str | int) -> str:
    """``87``, ``"87"``, ``"C87"``, ``"c087"`` -> ``"C087"``."""
    text = str(code).strip().upper().removeprefix("C")
    if not text.isdigit():
        raise GrammarError(f"not a Convention code: {code!r}")
    return f"C{int(text):03d}"


def codes() -> tuple[str, ...]:
    return tuple(sorted({code for code, _ in _titles()}))


def entry(code: str | int, lang: str) -> ConventionTitle:
    key = (normalise_code(code), check_lang(lang))
    try:
        return _titles()[key]
    except KeyError:
        raise LookupError(f"no title for {key[0]} in {key[1]}") from None


def _in_text(title: str, lang: Lang) -> str:
    if lang != "fr":
        return title
    # "Convention (n° 87) sur ..." -> "convention (n° 87) sur ..." with a no-break space.
    text = title[:1].lower() + title[1:]
    return re.sub(r"\(n[°º]\s*(\d+)\)", "(n°\u00a0\\1)", text)


def title(
    code: str | int,
    lang: str,
    *,
    in_text: bool = False,
    allow: Verification = "true",
) -> str:
    """The title of Convention ``code`` in ``lang``.

    ``in_text`` gives the form used inside a French sentence (lower-case "convention").
    ``allow`` is the lowest verification level accepted ("true" by default; "secondary",
    "partial" or "false" to accept weaker evidence); below it UnverifiedTitle is raised.
    """
    found = entry(code, lang)
    if _LEVELS[found.verified] < _LEVELS[allow]:
        raise UnverifiedTitle(
            f"{found.code} ({found.lang}) is verified={found.verified}, below {allow!r}"
        )
    return _in_text(found.title, found.lang) if in_text else found.title


def counts() -> dict[Verification, int]:
    """How many titles there are at each verification level."""
    out: dict[Verification, int] = {level: 0 for level in _LEVELS}
    for found in _titles().values():
        out[found.verified] += 1
    return out
