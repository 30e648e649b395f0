"""Parties: organisations, persons and unnamed groups, with every name variant as an alias."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field, field_validator

from .common import PartialDateField, Record, Slug
from .texts import LocalText, LocalWord, check_article


class Alias(Record):
    """Another spelling or script of a name, e.g. a Russian form or a seed's misspelling."""

    name: str = Field(min_length=1, description="The variant exactly as written.")
    lang: str | None = Field(default=None, description="BCP 47 language/script, e.g. ru, ky, en.")
    source: str | None = Field(default=None, description="Where this spelling occurs.")


class Role(Record):
    """An office held over a period, e.g. Chair of a union."""

    title: str = Field(description="Office as printed, e.g. 'Deputy Chair'.")
    organisation: Slug | None = Field(default=None, description="Party id of the organisation.")
    start: PartialDateField | None = Field(
        default=None, alias="from", description="When the office began, if known."
    )
    end: PartialDateField | None = Field(
        default=None, alias="to", description="When it ended, if known."
    )
    note: str | None = Field(default=None, description="E.g. 'voluntary basis'.")
    source: str | None = Field(default=None, description="Where this role is stated.")


class OrgKind(enum.StrEnum):
    UNION = "union"
    FEDERATION = "federation"
    GLOBAL_UNION = "global_union"
    CONFEDERATION = "confederation"
    GOVERNMENT = "government"
    STATE_BODY = "state_body"
    LEGISLATURE = "legislature"
    COURT = "court"
    POLICE = "police"
    ILO = "ilo"
    OTHER = "other"


class PartyBase(Record):
    """Fields common to every kind of party."""

    id: Slug = Field(description="Stable id used by other records.")
    name: LocalText = Field(
        description="Canonical name as it should be printed; an organisation's name may be given "
        "per language: {en: …, fr: …, es: …}."
    )
    aliases: tuple[Alias, ...] = Field(default=(), description="Other spellings, any script.")
    address: str | None = Field(
        default=None, description="Postal address; null when no source gives it (check warns)."
    )
    email: str | None = Field(default=None, description="E-mail address for correspondence.")
    confidential: bool = Field(
        default=False, description="Never printed in the public edition; pseudonym used instead."
    )
    pseudonym: str | None = Field(
        default=None, description="Name printed in place of a confidential party."
    )
    source: str | None = Field(default=None, description="Where this party is named.")
    notes: str | None = Field(default=None, description="Internal notes (never printed).")


class Organisation(PartyBase):
    """A union, a federation, a state body, the ILO…"""

    acronym: str | None = Field(default=None, description="Short form, e.g. FTUK.")
    article: LocalWord | None = Field(
        default=None,
        description="Article printed before the name in running text, per language: "
        "{en: the, fr: la, es: la} (the Federation…, la Fédération…, par la Fédération…); a "
        "plain word is in the records' language; '' for a language that takes none.",
        examples=["the", {"en": "the", "fr": "la", "es": "la"}],
    )
    gender: Literal["m", "f"] | None = Field(
        default=None,
        description="Grammatical gender of the name in French and Spanish (m or f), for the "
        "words that agree with it ('s'est associée'), when its article does not show it.",
    )
    kind: OrgKind = Field(default=OrgKind.OTHER, description="What sort of organisation.")
    country: str | None = Field(default=None, description="Country, for national bodies.")
    url: str | None = Field(default=None, description="Web site.")
    affiliated_to: tuple[Slug, ...] = Field(
        default=(), description="Party ids of the federations/global unions it belongs to."
    )
    consultative_status: bool = Field(
        default=False,
        description="International organisation with ILO consultative status (REC-02).",
    )
    part_of: Slug | None = Field(
        default=None, description="Parent organisation, e.g. a branch of the ILO."
    )

    _article = field_validator("article")(check_article)


class Person(PartyBase):
    """A natural person; may be protected by ``confidential`` and ``pseudonym``."""

    roles: tuple[Role, ...] = Field(default=(), description="Offices held, dated.")
    gender: Literal["male", "female"] | None = Field(
        default=None,
        description="As a source records it (Mr, Ms), for the salutation of a letter addressed "
        "to this person: 'Monsieur le Directeur général,', 'Dear Ms …,'. Leave it out when no "
        "source says.",
    )
    identity_uncertain: bool = Field(
        default=False, description="The sources disagree on who this is (e.g. name or gender)."
    )


class Group(PartyBase):
    """An unnamed set of people, e.g. 'members of the FTUK Council under prosecution'."""

    members_of: Slug | None = Field(default=None, description="Organisation they belong to.")


class Parties(Record):
    """Content of ``parties.yaml``."""

    organisations: tuple[Organisation, ...] = Field(default=(), description="Organisations.")
    persons: tuple[Person, ...] = Field(default=(), description="Natural persons.")
    groups: tuple[Group, ...] = Field(default=(), description="Unnamed groups of people.")

    def all(self) -> tuple[PartyBase, ...]:
        return (*self.organisations, *self.persons, *self.groups)
