"""Allegations: one dated event each, with its evidence."""

from __future__ import annotations

import enum
import re

from pydantic import Field, field_validator

from .common import Record, Slug, When


class Category(enum.StrEnum):
    ARREST_DETENTION = "arrest_detention"
    HOUSE_ARREST = "house_arrest"
    CRIMINAL_PROSECUTION = "criminal_prosecution"
    INTERROGATION = "interrogation"
    SEARCH_OF_PREMISES = "search_of_premises"
    SEIZURE_OF_DOCUMENTS = "seizure_of_documents"
    CONTROL_OF_FINANCES = "control_of_finances"
    INTERFERENCE_INTERNAL_AFFAIRS = "interference_internal_affairs"
    LEGISLATIVE_INTERFERENCE = "legislative_interference"
    DISSOLUTION_LIQUIDATION = "dissolution_liquidation"
    PRESSURE_TO_RESIGN = "pressure_to_resign"
    MEDIA_DISCREDIT = "media_discredit"
    OTHER = "other"


class Precision(enum.StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"


class UrgencyGround(enum.StrEnum):
    """The four grounds the CFA treats as urgent (cfa-brief §1.5)."""

    LIFE_OR_PERSONAL_FREEDOM = "life_or_personal_freedom"
    MOVEMENT_AS_A_WHOLE = "movement_as_a_whole"
    STATE_OF_EMERGENCY = "state_of_emergency"
    DISSOLUTION = "dissolution"


_PAGES_RE = re.compile(r"^\d+(-\d+)?(,\s*\d+(-\d+)?)*$")


class Evidence(Record):
    """A pinpoint reference into an annex, in the annex's own page numbers."""

    annex: Slug = Field(description="Annex id from annexes.yaml.")
    pages: str | None = Field(
        default=None, description="Annex's own pages, e.g. '3' or '27-28' or '2, 5'."
    )

    @field_validator("pages", mode="before")
    @classmethod
    def _pages(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and not _PAGES_RE.match(value.strip()):
            raise ValueError(f"'{value}' is not a page list; write '3', '27-28' or '2, 5'")
        return value

    def page_numbers(self) -> list[int]:
        """First page of each item, e.g. '27-28, 31' -> [27, 31]."""
        if not self.pages:
            return [1]
        return [int(item.split("-")[0]) for item in self.pages.split(",")]


class Allegation(Record):
    """Content of one ``allegations/*.yaml`` file."""

    id: Slug = Field(description="Stable id; by convention the file name without .yaml.")
    title: str = Field(min_length=1, description="One line, e.g. 'Detention of six leaders'.")
    date: When = Field(description="ISO date, 2023-10, 2023, or {from, to}.")
    precision: Precision = Field(
        default=Precision.EXACT, description="exact, or approximate when the source is vague."
    )
    date_note: str | None = Field(
        default=None, description="How the date was derived, e.g. 'earlier this week' on 25 Oct."
    )
    place: str | None = Field(default=None, description="Where it happened.")
    category: Category = Field(description="Controlled category of the act.")
    facts: str = Field(min_length=1, description="Markdown: the facts, stated as allegations.")
    victims: tuple[Slug, ...] = Field(default=(), description="Party ids of those affected.")
    perpetrators: tuple[Slug, ...] = Field(default=(), description="Party ids of those acting.")
    legal_basis: tuple[str, ...] = Field(
        default=(), description="National acts cited, e.g. 'Criminal Code art. 336(2)'."
    )
    conventions: tuple[str, ...] = Field(
        default=(), description="Convention articles, e.g. 'C087 art. 3'."
    )
    principles: tuple[str, ...] = Field(
        default=(), description="Compilation section ids from data/principles.yaml."
    )
    evidence: tuple[Evidence, ...] = Field(default=(), description="Annex pinpoint references.")
    first_reported: Slug | None = Field(
        default=None, description="Submission id that first reported it."
    )
    urgency_ground: UrgencyGround | None = Field(
        default=None, description="Ground for urgent examination, if any."
    )
    source: str = Field(min_length=1, description="Where the fact was stated, e.g. a seed line.")
    notes: str | None = Field(default=None, description="Internal notes (never printed).")
