"""Submissions: every communication sent, or to be sent."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Literal

from pydantic import Field

from .allegation import UrgencyGround
from .common import Record, Slug
from .texts import LocalText


class SubmissionKind(enum.StrEnum):
    COMPLAINT = "complaint"
    ADDITIONAL_INFORMATION = "additional_information"
    REPLY_COMMENT = "reply_comment"
    URGENT_INTERVENTION = "urgent_intervention"
    """A letter to the ILO Director-General asking for his intervention."""
    SOLIDARITY_LETTER = "solidarity_letter"
    """A union's letter of solidarity to a government or head of state."""
    LETTER_TO_GOVERNMENT = "letter_to_government"
    """A letter to a government, a head of state or a ministry (not a CFA submission)."""
    MODEL_LETTER = "model_letter"
    """A model for others to fill in and send: never a final letter."""


CFA_KINDS = frozenset(
    {
        SubmissionKind.COMPLAINT,
        SubmissionKind.ADDITIONAL_INFORMATION,
        SubmissionKind.REPLY_COMMENT,
        SubmissionKind.URGENT_INTERVENTION,
    }
)


class Addressee(Record):
    """Who a letter goes to."""

    party: Slug | None = Field(default=None, description="Party id of the person or body.")
    office: LocalText | None = Field(
        default=None,
        description="E.g. 'Director-General'; the offices the tool knows (Director-General, Chief "
        "of the Freedom of Association Branch…) are printed in the dossier's language.",
    )
    name: LocalText | None = Field(
        default=None,
        description="Name exactly as printed on a sent letter, or of a body with no party "
        "record (one per language: {en: …, fr: …}).",
    )
    organisation: Slug | None = Field(default=None, description="Party id, e.g. ilo.")
    address: str | None = Field(default=None, description="Postal address as printed.")
    email: str | None = Field(default=None, description="E-mail address.")


class Signatory(Record):
    """Who signs, and whether the signed original exists."""

    party: Slug | None = Field(default=None, description="Party id of the person.")
    title: LocalText | None = Field(
        default=None, description="Office, e.g. 'General Secretary' (or one per language)."
    )
    organisation: Slug | None = Field(default=None, description="Organisation signed for.")
    signed: bool = Field(default=False, description="True when a signed original exists.")
    signature_image: str | None = Field(default=None, description="Path to a signature image.")


class Urgency(Record):
    """Request for urgent examination (cfa-brief §1.5)."""

    requested: bool = Field(default=False, description="Ask the Committee to treat as urgent.")
    ground: UrgencyGround | None = Field(default=None, description="One of the four grounds.")
    justification: LocalText | None = Field(
        default=None, description="Why, in one or two sentences (or one text per language)."
    )


class Submission(Record):
    """Content of one ``submissions/*.yaml`` file."""

    id: Slug = Field(description="Stable id, e.g. 2023-12-11-urgent-intervention.")
    date: dt.date | None = Field(default=None, description="Date of the letter (FORM-03).")
    kind: SubmissionKind = Field(description="complaint, additional_information, …")
    language: Literal["en", "fr", "es"] = Field(
        default="en", description="Language the dossier is built in (build --lang overrides it)."
    )
    sender: Slug = Field(description="Party id of the organisation sending.")
    place: LocalText | None = Field(
        default=None, description="Place of the date line, e.g. Geneva (Genève, Ginebra)."
    )
    reference: str | None = Field(default=None, description="Internal reference, e.g. PERC/HTUR.")
    addressee: Addressee = Field(description="Recipient (FORM-01/02).")
    cc: tuple[Addressee, ...] = Field(default=(), description="Copies.")
    signatory: Signatory = Field(description="Signature block (FORM-06/07).")
    subject: LocalText | None = Field(
        default=None, description="Subject line (FORM-10), or one per language."
    )
    salutation: LocalText | None = Field(
        default=None,
        description="The salutation when the usual one does not fit, e.g. 'Dear Mr. President,' "
        "(a salutation line at the top of the Markdown letter does the same).",
    )
    urgency: Urgency = Field(default_factory=Urgency, description="Urgency request (URG-01).")
    letter: LocalText | None = Field(
        default=None,
        description="Path of a Markdown body beside this file, e.g. x.md; or one per language: "
        "{en: x.md, fr: x.fr.md}.",
    )
    requests: tuple[LocalText, ...] = Field(
        default=(), description="Lettered requests to the CFA (each a text, or one per language)."
    )
    allegations: Literal["new", "all"] | tuple[Slug, ...] = Field(
        default="new", description="'new' (first reported here), 'all', or a list of ids."
    )
    annexes_extra: tuple[Slug, ...] = Field(
        default=(), description="Annex ids included although no allegation cites them."
    )
    references: tuple[Slug, ...] = Field(
        default=(), description="Earlier submissions this one refers to (TIME-02)."
    )
    bodies: tuple[Literal["cfa", "ceacr"], ...] = Field(
        default=("cfa",), description="Supervisory bodies the communication is addressed to."
    )
    conciliation: bool | None = Field(
        default=None, description="Open to voluntary conciliation (CONC-01)."
    )
    sent: bool = Field(default=False, description="True once sent; then it is frozen.")
    annex: Slug | None = Field(
        default=None, description="For a sent letter: annex id that keeps its text as sent."
    )
    source: str | None = Field(default=None, description="Where this communication is recorded.")
    notes: str | None = Field(default=None, description="Internal notes (never printed).")
