"""The CFA's jurisprudence as the records cite it: the *Compilation of decisions of the Committee on
Freedom of Association* (6th edition, 2018), from ``dossier/data/principles.yaml``.

Each section has a stable id (``civil-liberties.arrest-detention``), its chapter, its heading in the
languages where a source was read, and the 2018 paragraph numbers that a source printed. Nothing
unverified is offered for printing: a heading or paragraph number marked ``verified: false`` in the
data file is left out here (see ``docs/principles-sources.md`` for every source). The allegation
categories follow the Compilation's chapters; ``migration`` maps the categories of earlier records.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ruamel.yaml import YAML


@dataclass(frozen=True)
class Section:
    """One section of the Compilation."""

    id: str
    chapter: int | None
    headings: dict[str, str]
    """Language -> heading as printed, only where a source was read."""
    paragraphs: tuple[int, ...]
    """2018 paragraph numbers that a source printed for this section."""

    def heading(self, language: str) -> str | None:
        return self.headings.get(language)


@dataclass(frozen=True)
class CategoryInfo:
    """An allegation category: what it covers and the sections it would cite."""

    id: str
    label: str
    sections: tuple[str, ...]
    expects_principles: bool


@dataclass(frozen=True)
class Compilation:
    chapters: dict[int, dict[str, str]]
    """Chapter number -> its heading by language, only where a source was read."""
    sections: dict[str, Section]
    categories: dict[str, CategoryInfo]
    migration: dict[str, str]
    """Category of earlier records -> category now."""
    title: dict[str, str]


def _verified(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("verified") is True


def _headings(entry: Any) -> dict[str, str]:
    if not _verified(entry):
        return {}
    out: dict[str, str] = {}
    for language in ("en", "fr", "es"):
        text = entry.get(f"{language}_display") or entry.get(language)
        if isinstance(text, str) and text:
            out[language] = text
    return out


@functools.cache
def compilation() -> Compilation:
    """The shipped taxonomy (read once per process)."""
    text = (resources.files("dossier") / "data" / "principles.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    chapters = {
        int(item["number"]): _headings(item.get("heading"))
        for item in data["chapters"]
        if item.get("number") is not None
    }
    sections = {}
    for item in data["sections"]:
        paragraphs = tuple(
            int(p["para"]) for p in item.get("para_2018") or () if p.get("verified") is True
        )
        sections[item["id"]] = Section(
            item["id"], item.get("chapter"), _headings(item.get("heading")), paragraphs
        )
    categories = {
        item["id"]: CategoryInfo(
            item["id"],
            item["label"],
            tuple(item.get("sections") or ()),
            bool(item.get("expects_principles")),
        )
        for item in data["categories"]
    }
    migration = {old: str(entry["to"]) for old, entry in data["migration"].items()}
    title = {k: v for k, v in data["publication"]["short_title"].items() if k in ("en", "fr", "es")}
    return Compilation(chapters, sections, categories, migration, title)
