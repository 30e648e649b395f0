"""Allegations: one dated event each, with its evidence."""

from __future__ import annotations

import datetime as dt
import enum
import re

from pydantic import Field, field_validator

from .common import DateRange, Record, Slug, When, when_bounds
from .compilation import compilation
from .texts import LocalText


class Category(enum.StrEnum):
    """What an allegation is about, following the chapters and sections of the CFA's
    Compilation of decisions (``dossier/data/principles.yaml`` maps each to its sections)."""

    RIGHT_TO_LIFE_SECURITY = "right_to_life_security"
    ARREST_DETENTION = "arrest_detention"
    CHARGES_DUE_PROCESS = "charges_due_process"
    FREEDOM_OF_MOVEMENT = "freedom_of_movement"
    ASSEMBLY_DEMONSTRATION = "assembly_demonstration"
    EXPRESSION_OPINION = "expression_opinion"
    PREMISES_PROPERTY = "premises_property"
    STATE_OF_EMERGENCY = "state_of_emergency"
    RIGHT_TO_ORGANISE = "right_to_organise"
    REFUSAL_OF_REGISTRATION = "refusal_of_registration"
    CONSTITUTIONS_RULES = "constitutions_rules"
    ELECTIONS = "elections"
    ADMINISTRATION_FINANCES = "administration_finances"
    TRADE_UNION_ACTIVITIES = "trade_union_activities"
    DISSOLUTION_SUSPENSION = "dissolution_suspension"
    FEDERATIONS_CONFEDERATIONS = "federations_confederations"
    INTERNATIONAL_AFFILIATION = "international_affiliation"
    ANTI_UNION_DISCRIMINATION = "anti_union_discrimination"
    DISMISSAL = "dismissal"
    INTERFERENCE = "interference"
    COLLECTIVE_BARGAINING = "collective_bargaining"
    STRIKES = "strikes"
    CONSULTATION = "consultation"
    OTHER = "other"


def legacy_category(value: object) -> str | None:
    """The category now of a category name that earlier records used, or None."""
    if isinstance(value, str) and value not in Category.__members__.values():
        return compilation().migration.get(value)
    return None


class Precision(enum.StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"


class UrgencyGround(enum.StrEnum):
    """The four grounds the CFA treats as urgent (cfa-brief §1.5)."""

    HUMAN_LIFE = "human_life"
    PERSONAL_FREEDOM = "personal_freedom"
    LIFE_OR_PERSONAL_FREEDOM = "life_or_personal_freedom"
    """Both of the above (the ground as the Office states it)."""
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


class ConventionRef(Record):
    """A Convention (and article) the facts concern, with where that was stated."""

    ref: str = Field(min_length=1, description="Convention and article: 'C087' or 'C087 art. 3'.")
    source: str = Field(
        min_length=1,
        description="Where it is stated that the facts concern it (a letter, a report).",
    )


def event_key(a: Allegation) -> tuple[int, int, int, int, dt.date, str]:
    """Chronological order of events: by the start of the date; an event known only to the
    month (or year) after the dated events of that month (or year), unless its ``sequence``
    places it; ties by the end of the date, then by id (never by file order)."""
    start = a.date.start if isinstance(a.date, DateRange) else a.date
    seq = a.sequence if a.sequence is not None else 0
    if start.precision == "day":
        head = (start.year, start.month or 0, start.day or 0, seq)
    elif start.precision == "month":
        head = (start.year, start.month or 0, 32 if a.sequence is None else 0, seq)
    else:
        head = (start.year, 13 if a.sequence is None else 0, 0, seq)
    return (*head, when_bounds(a.date)[1], a.id)


def convention_ref(item: str | ConventionRef) -> str:
    """The Convention reference of a ``conventions`` item, whichever form it takes."""
    return item.ref if isinstance(item, ConventionRef) else item


class Allegation(Record):
    """Content of one ``allegations/*.yaml`` file."""

    id: Slug = Field(description="Stable id; by convention the file name without .yaml.")
    title: LocalText = Field(
        description="One line, e.g. 'Detention of six leaders' (or one per language: "
        "{en: …, fr: …, es: …})."
    )
    date: When = Field(description="ISO date, 2023-10, 2023, or {from, to}.")
    precision: Precision = Field(
        default=Precision.EXACT, description="exact, or approximate when the source is vague."
    )
    date_note: str | None = Field(
        default=None, description="How the date was derived, e.g. 'earlier this week' on 25 Oct."
    )
    place: LocalText | None = Field(default=None, description="Where it happened.")
    category: Category = Field(
        description="What the allegation is about: a chapter or section family of the CFA's "
        "Compilation of decisions (data/principles.yaml)."
    )
    facts: LocalText = Field(
        description="Markdown: the facts, stated as allegations (or one text per language)."
    )
    victims: tuple[Slug, ...] = Field(default=(), description="Party ids of those affected.")
    perpetrators: tuple[Slug, ...] = Field(default=(), description="Party ids of those acting.")
    legal_basis: tuple[str, ...] = Field(
        default=(), description="National acts cited, e.g. 'Criminal Code art. 336(2)'."
    )
    conventions: tuple[str | ConventionRef, ...] = Field(
        default=(),
        description="Conventions (and articles) the facts concern: 'C087 art. 3', or "
        "{ref: 'C087 art. 3', source: '…'} to say where that was stated (an article needs one).",
    )
    principles: tuple[str, ...] = Field(
        default=(),
        description="Compilation section ids from data/principles.yaml, e.g. "
        "'civil-liberties.arrest-detention'.",
    )
    evidence: tuple[Evidence, ...] = Field(default=(), description="Annex pinpoint references.")
    sequence: int | None = Field(
        default=None,
        ge=0,
        description="Order among the events of one day, month or year when the date does not "
        "settle it (0, 1, 2 …). An event known only to the month or year comes after the dated "
        "events of that month or year, unless a sequence puts it first (in sequence order).",
    )
    first_reported: Slug | None = Field(
        default=None, description="Submission id that first reported it."
    )
    urgency_ground: UrgencyGround | None = Field(
        default=None, description="Ground for urgent examination, if any."
    )
    source: str = Field(min_length=1, description="Where the fact was stated, e.g. a seed line.")
    notes: str | None = Field(default=None, description="Internal notes (never printed).")

    @field_validator("category", mode="before")
    @classmethod
    def _legacy_category(cls, value: object) -> object:
        """Earlier category names are read as the category they became (check says so)."""
        return legacy_category(value) or value
