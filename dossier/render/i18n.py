"""Boilerplate strings (data/i18n.yaml) and dates with their precision, in en, fr or es."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from ruamel.yaml import YAML

from ..models import DateRange, PartialDate, Precision

LANGUAGES = ("en", "fr", "es")


@cache
def _strings() -> dict[str, dict[str, str]]:
    text = resources.files("dossier").joinpath("data/i18n.yaml").read_text(encoding="utf-8")
    data: Any = YAML(typ="safe").load(text)
    return {lang: {str(k): str(v) for k, v in table.items()} for lang, table in data.items()}


def _lang(lang: str) -> str:
    return lang if lang in _strings() else "en"


def t(lang: str, key: str, **values: object) -> str:
    """The boilerplate ``key`` in ``lang`` (English when missing), with ``{name}`` filled in."""
    table = _strings()[_lang(lang)]
    text = table.get(key, _strings()["en"][key])
    return text.format(**values) if values else text


def locale(lang: str) -> str:
    return t(lang, "locale")


def exact_date(value: dt.date, lang: str) -> str:
    """``6 December 2023`` / ``6 décembre 2023`` (``1er mars 2024``) / ``6 de diciembre de
    2023``."""
    text = format_date(value, "long", locale=locale(lang))
    if lang == "fr" and value.day == 1 and text.startswith("1 "):
        return f"1er {text[2:]}"
    return text


def partial_date(value: PartialDate, lang: str) -> str:
    """A date shown to the precision it is known: day, month or year."""
    if value.precision == "day":
        return exact_date(value.first_day(), lang)
    if value.precision == "month":
        return format_skeleton("yMMMM", value.first_day(), locale=locale(lang))
    return str(value.year)


def _range(start: PartialDate, end: PartialDate, lang: str) -> str:
    loc = locale(lang)
    if start.year == end.year and start.month is not None and end.month is not None:
        if start.precision == end.precision == "month":
            head = format_date(start.first_day(), "MMMM", locale=loc)
            return f"{head}–{partial_date(end, lang)}"
        if start.precision == end.precision == "day" and start.month == end.month:
            return f"{start.day}–{partial_date(end, lang)}"
    if start.precision == end.precision == "year":
        return f"{start.year}–{end.year}"
    return f"{partial_date(start, lang)} – {partial_date(end, lang)}"


def when(value: PartialDate | DateRange, lang: str, precision: Precision | None = None) -> str:
    """A date or period as a reader should see it, e.g. ``June 2020 (approx.)``."""
    if isinstance(value, DateRange):
        text = _range(value.start, value.end, lang)
    else:
        text = partial_date(value, lang)
    if precision == Precision.APPROXIMATE:
        text = f"{text} {t(lang, 'approx')}"
    return text


def on_date(value: PartialDate, lang: str) -> str:
    """``on 6 December 2023`` or ``in August 2020``: the preposition follows the precision."""
    key = "on_date" if value.precision == "day" else "in_date"
    return t(lang, key, date=partial_date(value, lang))


def optional_date(value: PartialDate | dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return exact_date(value, lang)
    return partial_date(value, lang)


def language_name(code: str, lang: str) -> str:
    """``ru`` -> ``Russian`` / ``russe`` / ``ruso``; unknown codes are shown as given; ``zxx``
    (no linguistic content: a photograph) as a dash."""
    base = code.split("-")[0]
    if base == "zxx":
        return "—"
    names = Locale.parse(locale(lang)).languages
    return str(names.get(base, code))


def number_ranges(numbers: list[int], lang: str) -> list[str]:
    """``[1, 2, 3, 4, 6, 7]`` -> ``["1 to 4", "6", "7"]``: runs of three or more as a range."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    out: list[str] = []
    for run in runs:
        if len(run) >= 3:
            out.append(t(lang, "range", first=run[0], last=run[-1]))
        else:
            out.extend(str(n) for n in run)
    return out


def join_list(items: list[str], lang: str) -> str:
    """``1, 2 and 3`` in the reader's language."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t(lang, 'and')} {items[-1]}"
