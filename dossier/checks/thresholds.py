"""The thresholds of the checks, read once from the YAML files shipped in ``dossier/data/``.

Keeping them in data files lets a legal officer update a Director-General's term, the list of
offices that may sign, or a ratification without touching code.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

from ..models.common import parse_partial_date
from ..models.placeholders import Placeholder, placeholders


@dataclass(frozen=True)
class DirectorGeneral:
    """One Director-General of the ILO and the term of office (``end`` None: in office)."""

    name: str
    surname: str
    start: dt.date | None
    end: dt.date | None
    aliases: tuple[str, ...]
    misspellings: tuple[str, ...]
    source: str

    def in_office(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def term(self) -> str:
        start = f"from {self.start}" if self.start else ""
        end = f"to {self.end}" if self.end else "in office"
        return " ".join(part for part in (start, end) if part)


@dataclass(frozen=True)
class CheckData:
    """Everything the checks read from ``dossier/data``."""

    directors_general: tuple[DirectorGeneral, ...]
    signatory_titles: frozenset[str]
    ratifications: dict[str, dict[str, tuple[int, str]]]
    """Normalised country name (and aliases) -> convention (C087) -> (year, source)."""
    placeholders: tuple[Placeholder, ...]
    urgency_grounds: dict[str, str]
    urgency_suggest: dict[str, str]
    ilo_offices: tuple[str, ...]
    ilo_hq_keywords: tuple[str, ...]
    ilo_email_domains: tuple[str, ...]

    def director_general_on(self, day: dt.date) -> DirectorGeneral | None:
        return next((d for d in self.directors_general if d.in_office(day)), None)

    def ratified(self, country: str) -> dict[str, tuple[int, str]] | None:
        return self.ratifications.get(normalise(country))


def normalise(text: str) -> str:
    """Lower case, hyphens and dots as spaces, single spaces: for comparing titles and names."""
    return " ".join(re.sub(r"[-‐‑–.]", " ", text).lower().split())


def _read(name: str) -> Any:
    text = (resources.files("dossier") / "data" / name).read_text(encoding="utf-8")
    return YAML(typ="safe", pure=True).load(text)


def _date(value: Any) -> dt.date | None:
    return None if value is None else parse_partial_date(value).first_day()


@functools.cache
def load_data() -> CheckData:
    """Read the data files (once per process)."""
    dgs = tuple(
        DirectorGeneral(
            name=str(d["name"]),
            surname=str(d["surname"]),
            start=_date(d.get("from")),
            end=_date(d.get("to")),
            aliases=tuple(str(a) for a in d.get("aliases") or ()),
            misspellings=tuple(str(m) for m in d.get("misspellings") or ()),
            source=str(d.get("source", "")),
        )
        for d in _read("directors_general.yaml")["directors_general"]
    )
    titles = frozenset(normalise(str(t)) for t in _read("signatory_titles.yaml")["allowed"])
    ratifications: dict[str, dict[str, tuple[int, str]]] = {}
    for country, entry in _read("ratifications.yaml")["countries"].items():
        table = {
            str(r["convention"]): (int(r["year"]), str(r.get("source", "")))
            for r in entry["ratified"]
        }
        for name in (country, *(entry.get("aliases") or ())):
            ratifications[normalise(str(name))] = table
    urgency = _read("urgency.yaml")
    ilo = _read("ilo.yaml")
    return CheckData(
        directors_general=dgs,
        signatory_titles=titles,
        ratifications=ratifications,
        placeholders=placeholders(),
        urgency_grounds={str(k): str(v) for k, v in urgency["grounds"].items()},
        urgency_suggest={str(k): str(v) for k, v in urgency["suggest"].items()},
        ilo_offices=tuple(str(o) for o in ilo["addressee_offices"]),
        ilo_hq_keywords=tuple(str(k) for k in ilo["headquarters_keywords"]),
        ilo_email_domains=tuple(str(d).lower() for d in ilo["email_domains"]),
    )
