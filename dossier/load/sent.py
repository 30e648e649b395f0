"""The submissions over the life of a case: which is built, what each presents and numbers.

A sent submission with a frozen record (``CaseBundle.frozen``) presents what it presented when
sent and keeps its annex numbers; later ones keep those numbers and continue after the highest.
Submissions marked sent without a frozen record (letters sent before the tool, such as the seed
letters of Case 3386) count through their ``allegations`` list or ``first_reported``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

from ..digest import sha256_file
from ..errors import BuildError, RecordError, UsageError
from ..models import Allegation, Annex, Submission
from ..plan import number_annexes, order_allegations
from .bundle import CaseBundle
from .frozen import Frozen, frozen_path
from .records import load_case


def select_submission(bundle: CaseBundle, submission_id: str | None) -> Submission:
    """The submission asked for, or the latest one not yet sent."""
    if submission_id is not None:
        found = bundle.submission(submission_id)
        if found is None:
            known = ", ".join(sorted(s.id for s in bundle.submissions)) or "none"
            raise UsageError(f"unknown submission '{submission_id}' (known: {known})")
        return found
    drafts = [s for s in bundle.submissions if not s.sent]
    if not drafts:
        raise UsageError(
            "every submission is marked sent; add a draft in submissions/ or give --submission ID"
        )
    return max(drafts, key=lambda s: (s.date is not None, s.date, s.id))


def annexes_by_number(
    bundle: CaseBundle, submission: Submission, numbers: Mapping[str, int]
) -> dict[str, Annex]:
    """The annex records of ``numbers`` in number order; an unknown id is a record error."""
    out: dict[str, Annex] = {}
    for annex_id in sorted(numbers, key=numbers.__getitem__):
        annex = bundle.annex(annex_id)
        if annex is None:
            raise RecordError(f"unknown annex '{annex_id}' cited by submission '{submission.id}'")
        out[annex_id] = annex
    return out


def _order(sub: Submission, frozen: Mapping[str, Frozen]) -> tuple[dt.date, dt.date, str]:
    sent_on = frozen[sub.id].sent_on if sub.id in frozen else None
    date = sub.date or sent_on or dt.date.min
    return (date, sent_on or date, sub.id)


def earlier_sent(bundle: CaseBundle, submission: Submission) -> list[Submission]:
    """Sent submissions before ``submission`` (every sent one, for a draft), oldest first."""
    frozen = bundle.frozen
    sent = [s for s in bundle.submissions if s.sent and s.id != submission.id]
    if submission.sent:
        mine = _order(submission, frozen)
        sent = [s for s in sent if _order(s, frozen) < mine]
    return sorted(sent, key=lambda s: _order(s, frozen))


def _reported_by(bundle: CaseBundle, sub: Submission, frozen: Mapping[str, Frozen]) -> list[str]:
    ids = [a.id for a in bundle.allegations if a.first_reported == sub.id]
    if isinstance(sub.allegations, tuple):
        ids += list(sub.allegations)
    if sub.id in frozen:
        ids += list(frozen[sub.id].allegations)
    return list(dict.fromkeys(ids))


def reported_before(bundle: CaseBundle, submission: Submission) -> dict[str, Submission]:
    """Allegation id -> the earliest earlier sent submission that reported it."""
    frozen = bundle.frozen
    out: dict[str, Submission] = {}
    for sub in earlier_sent(bundle, submission):
        for allegation_id in _reported_by(bundle, sub, frozen):
            out.setdefault(allegation_id, sub)
    return out


def selected_allegations(bundle: CaseBundle, submission: Submission) -> list[Allegation]:
    """The allegations a submission presents, in no particular order.

    A frozen submission presents what it presented when sent. ``new``: those no earlier sent
    submission reported, and not reserved for another submission by ``first_reported``;
    ``all``: every allegation; a list: those ids (unknown ones are a UsageError).
    """
    frozen = bundle.frozen.get(submission.id)
    if frozen is not None:
        wanted = set(frozen.allegations)
        return [a for a in bundle.allegations if a.id in wanted]
    if submission.allegations == "all":
        return list(bundle.allegations)
    if submission.allegations == "new":
        before = reported_before(bundle, submission)
        return [
            a
            for a in bundle.allegations
            if a.id not in before and a.first_reported in (None, submission.id)
        ]
    out = []
    for allegation_id in submission.allegations:
        found = bundle.allegation(allegation_id)
        if found is None:
            raise UsageError(
                f"submission '{submission.id}' lists unknown allegation '{allegation_id}'"
            )
        out.append(found)
    return out


def prior_numbers(bundle: CaseBundle, submission: Submission) -> dict[str, int]:
    """Annex numbers a submission must keep: its own when frozen, then earlier sent ones'."""
    frozen = bundle.frozen
    out: dict[str, int] = (
        dict(frozen[submission.id].annex_numbers) if submission.id in frozen else {}
    )
    for sub in earlier_sent(bundle, submission):
        if sub.id in frozen:
            for annex_id, number in frozen[sub.id].annex_numbers.items():
                out.setdefault(annex_id, number)
    return out


def translations(bundle: CaseBundle) -> dict[str, str]:
    """Translation id -> the annex it translates, in the order of annexes.yaml: the original
    at the end of a chain (a translation of a translation); none for a chain that loops or
    names an annex the register does not have (REF-02)."""
    by_id = {a.id: a for a in bundle.annexes}
    out: dict[str, str] = {}
    for annex in bundle.annexes:
        seen = {annex.id}
        original = annex.translation_of
        while original is not None and original in by_id and original not in seen:
            seen.add(original)
            if by_id[original].translation_of is None:
                out[annex.id] = original
                break
            original = by_id[original].translation_of
    return out


def annex_numbers(bundle: CaseBundle, submission: Submission) -> dict[str, int]:
    """The annex numbers of a submission: stable across the case, new ones after the highest;
    a translation has its original's number (it is printed as Annex 6a)."""
    allegations = order_allegations(selected_allegations(bundle, submission))
    prior = prior_numbers(bundle, submission)
    return number_annexes(allegations, submission.annexes_extra, prior, translations(bundle))


def first_reported(bundle: CaseBundle, submission: Submission) -> dict[str, dt.date | None]:
    """For the render: allegation id -> date of the earlier sent submission first reporting it.

    An addendum's paragraph says "first reported on 30 August 2023" for these.
    """
    return {key: sub.date for key, sub in reported_before(bundle, submission).items()}


@contextmanager
def frozen_case(
    bundle: CaseBundle, submission_id: str, *, with_annexes: bool = True
) -> Iterator[Path]:
    """A temporary case folder holding the records as they were when ``submission_id`` was sent.

    With ``with_annexes``, the annex files are copied in; a file the sent dossier used that has
    changed since is a BuildError (the sent dossier can no longer be rebuilt from it).
    """
    frozen = bundle.frozen.get(submission_id)
    if frozen is None:
        raise UsageError(
            f"submission '{submission_id}' has no frozen record; "
            f"mark it sent first: dossier submission mark-sent CASE {submission_id} --date D"
        )
    with TemporaryDirectory(prefix="dossier-frozen-") as tmp:
        root = Path(tmp) / bundle.root.name
        for name, text in frozen.snapshot.items():
            path = root / name
            if not path.resolve().is_relative_to(root.resolve()) or ".." in Path(name).parts:
                raise RecordError(
                    f"{frozen_path(bundle.root, submission_id)}: snapshot file '{name}' is "
                    "outside the case folder; restore the frozen record from version control"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for sub in bundle.submissions:
            source = frozen_path(bundle.root, sub.id)
            where = bundle.where[("submission", sub.id)].file.relative_to(bundle.root)
            if sub.sent and source.is_file() and where.as_posix() in frozen.snapshot:
                shutil.copyfile(source, frozen_path(root, sub.id))
        if with_annexes:
            _copy_annexes(bundle, frozen, root)
        yield root


def _copy_annexes(bundle: CaseBundle, frozen: Frozen, root: Path) -> None:
    then = load_case(root)
    for annex in then.annexes:
        if annex.file is None:
            continue
        source = bundle.root / "annexes" / annex.file
        pinned = frozen.annex_files.get(annex.id)
        if annex.id in frozen.annex_files and (
            not source.is_file() or sha256_file(source) != pinned
        ):
            raise BuildError(
                f"annexes/{annex.file} (annex '{annex.id}') has changed since submission "
                f"'{frozen.submission}' was sent on {frozen.sent_on}; restore the file "
                f"(sha256 {pinned}) to rebuild the sent dossier"
            )
        if source.is_file():
            dest = root / "annexes" / annex.file
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
