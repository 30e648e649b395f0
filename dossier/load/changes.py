"""What changed between two submissions of a case (``dossier diff``, the cover letter's summary).

A sent submission is seen as it was sent (its frozen snapshot, see :mod:`dossier.load.frozen`);
a draft as the records are now. The result lists the allegations first reported in TO, the
annexes it adds (with their numbers), and the allegations and annexes already reported whose
facts changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from ..errors import UsageError
from ..models import Allegation, Annex, Submission
from ..models.allegation import event_key
from .bundle import CaseBundle
from .records import load_case
from .sent import (
    annex_numbers,
    frozen_case,
    prior_numbers,
    reported_before,
    selected_allegations,
)

ALLEGATION_FIELDS = (
    "title",
    "date",
    "precision",
    "place",
    "category",
    "facts",
    "victims",
    "perpetrators",
    "legal_basis",
    "conventions",
    "evidence",
)
ANNEX_FIELDS = ("title", "date", "issuer", "language", "file", "sha256", "confidential")


@dataclass(frozen=True)
class _View:
    """One submission as it stands (frozen or current)."""

    submission: Submission
    frozen: bool
    selected: tuple[str, ...]
    known: frozenset[str]
    """Allegations reported by it or before it."""
    numbers: dict[str, int]
    all_numbers: dict[str, int]
    """Annex numbers given by it or before it."""
    allegations: dict[str, Allegation]
    annexes: dict[str, Annex]


def _view(bundle: CaseBundle, submission: Submission, frozen: bool) -> _View:
    selected = [a.id for a in selected_allegations(bundle, submission)]
    # a letter marked sent before the tool (no frozen record) sent no numbered annexes
    legacy = submission.sent and not frozen
    numbers = {} if legacy else annex_numbers(bundle, submission)
    return _View(
        submission=submission,
        frozen=frozen,
        selected=tuple(selected),
        known=frozenset(selected) | frozenset(reported_before(bundle, submission)),
        numbers=numbers,
        all_numbers={**prior_numbers(bundle, submission), **numbers},
        allegations={a.id: a for a in bundle.allegations},
        annexes={a.id: a for a in bundle.annexes},
    )


def _state(bundle: CaseBundle, submission_id: str) -> _View:
    submission = bundle.submission(submission_id)
    if submission is None:
        known = ", ".join(sorted(s.id for s in bundle.submissions)) or "none"
        raise UsageError(f"unknown submission '{submission_id}' (known: {known})")
    if submission_id not in bundle.frozen:
        return _view(bundle, submission, False)
    with frozen_case(bundle, submission_id, with_annexes=False) as root:
        then = load_case(root)
        then_sub = then.submission(submission_id)
        assert then_sub is not None  # the snapshot holds the submission's own file
        return _view(then, then_sub, True)


@dataclass(frozen=True)
class Change:
    """A record reported before whose content differs now."""

    id: str
    title: str
    fields: tuple[str, ...]
    number: int | None = None
    texts: tuple[tuple[str, str], ...] = ()
    """``(old, new)`` text of each field in ``fields``, as a reader would compare them."""


@dataclass(frozen=True)
class SubmissionDiff:
    before: Submission
    after: Submission
    before_frozen: bool
    after_frozen: bool
    new_allegations: tuple[Allegation, ...]
    new_annexes: tuple[tuple[int, Annex], ...]
    changed_allegations: tuple[Change, ...]
    changed_annexes: tuple[Change, ...]
    withdrawn: tuple[str, ...]
    """Allegations reported by FROM that no longer exist."""

    @property
    def empty(self) -> bool:
        return not (
            self.new_allegations
            or self.new_annexes
            or self.changed_allegations
            or self.changed_annexes
            or self.withdrawn
        )


def _changed(
    old: BaseModel, new: BaseModel, fields: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The fields that differ, and their old and new text."""
    dump_old = old.model_dump(mode="json")
    dump_new = new.model_dump(mode="json")
    names = tuple(f for f in fields if dump_old.get(f) != dump_new.get(f))
    return names, tuple((_text(dump_old.get(f)), _text(dump_new.get(f))) for f in names)


def _text(value: object) -> str:
    """A field's value as text: lists joined with '; ', mappings as ``key: value``."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if v is not None)
    return str(value)


def diff_bundle(bundle: CaseBundle, from_id: str, to_id: str) -> SubmissionDiff:
    """What was reported after FROM up to TO, and what changed in what FROM (or before) reported.

    New allegations and annexes are those known by TO (reported by it or by a sent submission
    before it) and not by FROM; changed ones compare FROM's state with TO's. The cover letter's
    summary ("Since our letter of …") and ``dossier diff`` use it.
    """
    if from_id == to_id:
        raise UsageError("give two different submissions: dossier diff CASE FROM TO")
    before = _state(bundle, from_id)
    after = _state(bundle, to_id)
    new = [after.allegations[i] for i in after.known - before.known if i in after.allegations]
    new.sort(key=event_key)
    new_annexes = sorted(
        (number, after.annexes[annex_id])
        for annex_id, number in after.all_numbers.items()
        if annex_id not in before.all_numbers and annex_id in after.annexes
    )
    changed: list[Change] = []
    for allegation_id in sorted(before.known):
        old = before.allegations.get(allegation_id)
        now = after.allegations.get(allegation_id)
        if old is None or now is None:
            continue
        fields, texts = _changed(old, now, ALLEGATION_FIELDS)
        if fields:
            changed.append(Change(allegation_id, now.title, fields, texts=texts))
    changed_annexes: list[Change] = []
    numbers = {**before.all_numbers, **after.all_numbers}
    for annex_id in sorted(before.all_numbers, key=lambda i: (numbers[i], i)):
        old_annex = before.annexes.get(annex_id)
        now_annex = after.annexes.get(annex_id)
        if old_annex is None or now_annex is None:
            continue
        fields, texts = _changed(old_annex, now_annex, ANNEX_FIELDS)
        if fields:
            number = numbers.get(annex_id)
            changed_annexes.append(Change(annex_id, now_annex.title, fields, number, texts))
    withdrawn = tuple(i for i in before.selected if i not in after.allegations)
    return SubmissionDiff(
        before=before.submission,
        after=after.submission,
        before_frozen=before.frozen,
        after_frozen=after.frozen,
        new_allegations=tuple(new),
        new_annexes=tuple(new_annexes),
        changed_allegations=tuple(changed),
        changed_annexes=tuple(changed_annexes),
        withdrawn=withdrawn,
    )
