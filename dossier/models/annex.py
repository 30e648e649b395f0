"""The annex register (annexes.yaml)."""

from __future__ import annotations

import datetime as dt
import enum

from pydantic import Field

from .common import PartialDateField, Record, Slug
from .texts import LocalText


class AnnexKind(enum.StrEnum):
    DOCUMENT = "document"
    LETTER = "letter"
    PHOTO = "photo"
    NOTE_OF_UNCOPYABLE_DOCUMENT = "note_of_uncopyable_document"
    TRANSLATION = "translation"


class PublicReview(Record):
    """A person read every page of an annex and confirms what the public edition shows."""

    by: str = Field(min_length=1, description="Who reviewed the annex's public pages.")
    date: dt.date = Field(description="When they reviewed them.")


class Annex(Record):
    """One piece of evidence. Numbers are not stored: the plan assigns them."""

    id: Slug = Field(description="Stable slug, e.g. gknb-request-2023-10.")
    title: LocalText = Field(
        description="Title as it should appear in the annex list (or one per language)."
    )
    date: PartialDateField | None = Field(default=None, description="Date of the document.")
    issuer: str | None = Field(default=None, description="Party id, or free text.")
    language: str = Field(
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", description="BCP 47, e.g. en, fr, es, ru, ky."
    )
    file: str | None = Field(
        default=None,
        description="Path inside annexes/ (PDF, JPEG/PNG/TIFF, .md/.txt); null = to be supplied.",
    )
    sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="Pinned hash of the file."
    )
    translation_of: Slug | None = Field(
        default=None,
        description="Annex id it translates: the dossier prints it right after its original, "
        "numbered with a letter (Annex 6a).",
    )
    translator: str | None = Field(
        default=None, description="For a translation: who translated it (party id or name)."
    )
    certified: bool = Field(
        default=False,
        description="For a translation: true for a certified translation, false for an "
        "unofficial one.",
    )
    kind: AnnexKind = Field(default=AnnexKind.DOCUMENT, description="What sort of evidence.")
    confidential: bool = Field(default=False, description="Withheld from the public edition.")
    public_title: str | None = Field(
        default=None,
        min_length=1,
        description="Title printed for a confidential annex in the public edition (otherwise "
        "it is shown by its number only, as withheld).",
    )
    public_review: PublicReview | None = Field(
        default=None,
        description="A person checked the pages whose text cannot be read with enough "
        "confidence (scans, photos): the public edition may show them.",
    )
    password_env: str | None = Field(
        default=None,
        pattern=r"^[A-Z_][A-Z0-9_]*$",
        description="Name of the environment variable holding an encrypted PDF's password.",
    )
    seen_by: str | None = Field(default=None, description="For notes: who saw the document.")
    seen_at: LocalText | None = Field(default=None, description="For notes: where it was seen.")
    seen_on: PartialDateField | None = Field(default=None, description="For notes: when.")
    source: str | None = Field(default=None, description="Where this annex comes from.")


class AnnexRegister(Record):
    """Content of ``annexes.yaml``."""

    annexes: tuple[Annex, ...] = Field(default=(), description="Every annex of the case.")
