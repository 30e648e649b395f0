"""The case: number, country, complainants, prior reports, ratifications."""

from __future__ import annotations

import enum

from pydantic import Field, field_validator

from .common import PartialDateField, Record, Slug
from .texts import LocalText, LocalWord, check_article


class ComplainantRole(enum.StrEnum):
    COMPLAINANT = "complainant"
    ASSOCIATED = "associated"


class Complainant(Record):
    """An organisation that brought or joined the complaint, with the date it joined."""

    party: Slug = Field(description="Party id of the organisation.")
    role: ComplainantRole = Field(description="Original complainant or associated later.")
    joined: PartialDateField | None = Field(
        default=None, description="Date of its first communication in the case."
    )
    source: str | None = Field(default=None, description="Where this is recorded.")


class PriorReport(Record):
    """A CFA report that examined the case."""

    report: int = Field(description="Report number, e.g. 396.")
    date: PartialDateField | None = Field(default=None, description="Date of the report.")
    paragraphs: str | None = Field(default=None, description="Paragraphs, e.g. '453-'.")
    kind: str | None = Field(default=None, description="E.g. 'interim', 'kept informed'.")
    url: str | None = Field(default=None, description="NORMLEX address.")
    source: str | None = Field(default=None, description="Where this is recorded.")


class Ratification(Record):
    """An ILO Convention ratified by the country."""

    convention: str = Field(pattern=r"^C\d{3}$", description="E.g. C087.")
    year: int = Field(ge=1919, le=2100, description="Year of ratification.")
    source: str | None = Field(default=None, description="Where this is recorded.")


class Case(Record):
    """Content of ``case.yaml``."""

    case_no: int = Field(ge=1, description="CFA case number, e.g. 3386.")
    country: LocalText = Field(
        description="Country complained against, e.g. Kyrgyzstan (printed as the Office names "
        "it in each language: Kirghizistan, Kirguistán); a country the tool does not know is "
        "given per language: {en: Ruritania, fr: Ruritanie}."
    )
    country_article: LocalWord | None = Field(
        default=None,
        description="For a country the tool does not know: its article in running text, per "
        "language, e.g. {fr: la, es: ''} (du gouvernement de la Ruritanie).",
    )
    government: Slug = Field(description="Party id of the Government complained against.")
    title: str | None = Field(default=None, description="Short title of the case.")
    complainants: tuple[Complainant, ...] = Field(
        min_length=1, description="Complainants and associated organisations."
    )
    filed: PartialDateField | None = Field(default=None, description="Date of the complaint.")
    status: str = Field(default="active", description="E.g. active, follow-up, closed.")
    prior_reports: tuple[PriorReport, ...] = Field(default=(), description="CFA reports.")
    ratified: tuple[Ratification, ...] = Field(default=(), description="Conventions ratified.")
    language: str = Field(
        default="en",
        pattern="^(en|fr|es)$",
        description="Language the records are written in: a plain text of any record is in it; "
        "other languages are given as {en: …, fr: …, es: …}.",
    )
    sources: tuple[str, ...] = Field(default=(), description="Where the case data come from.")

    _article = field_validator("country_article")(check_article)
