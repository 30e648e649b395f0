"""Helpers shared by the check families: walking record strings, locating lines, reading texts.

Sent submissions are history that cannot be changed: :func:`for_submission` turns their errors
into warnings (same code), so the legal officer sees the defect and ``check`` still passes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ..errors import Place, Severity
from ..intake.sources import Sources
from ..load import CaseBundle, PathKey
from ..models import Allegation, Annex, Organisation, OrgKind, PartyBase, Person, Submission
from ..models.submission import SubmissionKind
from ..models.texts import Texts

INTERNAL_FIELDS = frozenset({"notes", "source", "sources", "date_note"})
"""Fields never printed in a dossier: placeholders there are not reported."""

UPDATE_KINDS = frozenset(
    {
        SubmissionKind.ADDITIONAL_INFORMATION,
        SubmissionKind.REPLY_COMMENT,
        SubmissionKind.URGENT_INTERVENTION,
    }
)
"""Communications on a case already registered ("U" in cfa-brief §1.9)."""


def for_submission(sub: Submission, severity: Severity) -> Severity:
    """Full severity for a draft; a sent submission's errors become warnings."""
    if sub.sent and severity is Severity.ERROR:
        return Severity.WARNING
    return severity


# ---- records and their strings ---------------------------------------------------------------


def records(bundle: CaseBundle) -> Iterator[tuple[str, str, BaseModel]]:
    """Every loaded record as ``(kind, id, model)`` (the keys of ``bundle.where``)."""
    if bundle.case is not None:
        yield "case", str(bundle.case.case_no), bundle.case
    for party in bundle.parties.all():
        yield "party", party.id, party
    for annex in bundle.annexes:
        yield "annex", annex.id, annex
    for allegation in bundle.allegations:
        yield "allegation", allegation.id, allegation
    for sub in bundle.submissions:
        yield "submission", sub.id, sub


def iter_strings(model: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every string value inside ``model`` with its YAML path (aliases such as ``from`` kept)."""
    for name, info in type(model).model_fields.items():
        yield from _walk(getattr(model, name), (*path, info.alias or name))


def _walk(value: object, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, enum.Enum):
        return
    if isinstance(value, Texts):  # {en: …, fr: …}: each language where the YAML has it
        for lang, text in value.texts.items():
            yield (*path, lang), text
    elif isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        yield from iter_strings(value, path)
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# ---- texts of submissions and annexes -------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text we check: a draft's Markdown letter, or the kept text of a sent letter."""

    file: Path
    text: str
    submission: Submission | None = None
    annex: Annex | None = None

    @property
    def in_annex(self) -> bool:
        return self.annex is not None

    def at(self, bundle: CaseBundle, offset: int) -> Place:
        """Where ``offset`` of the text is: its file, line, and which kind of text it is."""
        field = "annex text" if self.in_annex else "letter"
        return Place(bundle.display(self.file), line_of(self.text, offset), field)


def annex_text(sources: Sources, annex: Annex) -> Text | None:
    """The text of a ``.txt``/``.md`` annex as the intake stage read it, or None."""
    source = sources.get(annex.id)
    if source is None or source.text is None:
        return None
    return Text(source.path, source.text, annex=annex)


def letter_path(bundle: CaseBundle, sub: Submission) -> Path | None:
    loc = bundle.where.get(("submission", sub.id))
    if sub.letter is None or loc is None:
        return None
    return (loc.file.parent / sub.letter).resolve()


def submission_text(bundle: CaseBundle, sub: Submission, sources: Sources) -> Text | None:
    """A draft's Markdown letter; for a sent letter, the annex keeping its text."""
    if sub.id in bundle.letters:
        path = letter_path(bundle, sub)
        if path is not None:
            return Text(path, bundle.letters[sub.id], submission=sub)
    if sub.annex is not None:
        annex = bundle.annex(sub.annex)
        if annex is not None:
            text = annex_text(sources, annex)
            if text is not None:
                return Text(text.file, text.text, submission=sub, annex=annex)
    return None


def translated_letters(bundle: CaseBundle, sub: Submission) -> list[Text]:
    """A draft's Markdown letter in its other languages (``letter: {en: x.md, fr: x.fr.md}``):
    the texts :func:`submission_text` does not give."""
    loc = bundle.where.get(("submission", sub.id))
    if loc is None or not isinstance(sub.letter, Texts):
        return []
    out = []
    for lang, name in sub.letter.texts.items():
        text = bundle.letter_texts.get((sub.id, lang))
        if text is not None and name != str(sub.letter):
            out.append(Text((loc.file.parent / name).resolve(), text, submission=sub))
    return out


# ---- submissions, allegations, parties -------------------------------------------------------


def reported_allegations(bundle: CaseBundle, sub: Submission) -> list[Allegation]:
    """The allegations a submission reports (``new``, ``all`` or a list)."""
    if isinstance(sub.allegations, tuple):
        wanted = set(sub.allegations)
        return [a for a in bundle.allegations if a.id in wanted]
    if sub.allegations == "all" and not sub.sent:
        return list(bundle.allegations)
    return [a for a in bundle.allegations if a.first_reported == sub.id]


def drafts(bundle: CaseBundle) -> list[Submission]:
    return [s for s in bundle.submissions if not s.sent]


def party_names(party: PartyBase) -> list[str]:
    """Canonical name, acronym and every alias."""
    names = [party.name, *(a.name for a in party.aliases)]
    if isinstance(party, Organisation) and party.acronym:
        names.append(party.acronym)
    return names


def is_ilo(bundle: CaseBundle, party_id: str | None, depth: int = 0) -> bool:
    """True for the ILO, a part of it, or a person holding an office in it."""
    if party_id is None or depth > 8:
        return False
    party = bundle.party(party_id)
    if isinstance(party, Organisation):
        return party.kind is OrgKind.ILO or is_ilo(bundle, party.part_of, depth + 1)
    if isinstance(party, Person):
        return any(is_ilo(bundle, r.organisation, depth + 1) for r in party.roles)
    return False
