"""The submission register over the life of a case: what was sent, frozen, numbered and reported.

Marking a submission sent (:func:`mark_sent`) freezes it: ``submissions/<id>.sent.json`` keeps

* ``pins``: the content hash of every record the dossier used (its allegations, annex entries,
  parties, the case record, the submission itself) and the sha256 of every annex file it used,
  so ``dossier check`` can report later edits (``checks/frozen.py``, SENT-01);
* ``annex_numbers``: the numbers its annexes got, which later submissions keep (stable numbering);
* ``allegations``: the allegations it reported, so ``allegations: new`` selects only the others;
* ``records``: the text of every record file at the time, so the sent dossier can be rebuilt
  byte for byte (:func:`frozen_case`) and compared with a later one (``dossier diff``).

Submissions marked sent without a frozen record (letters sent before the tool, such as the seed
letters of Case 3386) count through their ``allegations`` list or ``first_reported``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .errors import BuildError, RecordError, Severity, UsageError
from .load import CaseBundle, load_case
from .models import Allegation, Submission
from .plan import number_annexes, order_allegations
from .write import sha256_file
from .yamlio import dump, read_roundtrip, write_atomic

if TYPE_CHECKING:
    from .build import BuildResult

FROZEN_SUFFIX = ".sent.json"
FORMAT = 1
RECORD_GLOBS = ("*.yaml", "allegations/*.yaml", "submissions/*.yaml", "submissions/*.md")
"""Record files of a case folder (the same set the build manifest lists)."""


def frozen_path(root: Path, submission_id: str) -> Path:
    return root / "submissions" / f"{submission_id}{FROZEN_SUFFIX}"


def record_hash(record: BaseModel) -> str:
    """sha256 of a record's content: comments and layout of its YAML do not count."""
    text = json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Frozen:
    """What ``submissions/<id>.sent.json`` holds."""

    submission: str
    date: dt.date | None
    sent_on: dt.date
    allegations: tuple[str, ...]
    annex_numbers: Mapping[str, int]
    records: Mapping[str, str]
    """``kind:id`` -> content hash of each record used."""
    annex_files: Mapping[str, str | None]
    """Annex id -> sha256 of its file as sent (None: to be supplied)."""
    snapshot: Mapping[str, str]
    """Record file (relative path) -> its text when sent."""
    numbers_from: str

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "submission": self.submission,
            "date": self.date.isoformat() if self.date else None,
            "sent_on": self.sent_on.isoformat(),
            "allegations": list(self.allegations),
            "annex_numbers": dict(self.annex_numbers),
            "numbers_from": self.numbers_from,
            "pins": {"records": dict(self.records), "annex_files": dict(self.annex_files)},
            "snapshot": dict(self.snapshot),
        }


_CACHE: dict[tuple[str, int, int], Frozen] = {}


def read_frozen(path: Path) -> Frozen:
    """Read a frozen record; a damaged one is a RecordError naming the file.

    Cached by path, size and modification time: a build asks for the same records often.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise RecordError(f"{path}: frozen record cannot be read ({exc.strerror})") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = _read_frozen(path)
    return _CACHE[key]


def _read_frozen(path: Path) -> Frozen:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        pins = data["pins"]
        return Frozen(
            submission=str(data["submission"]),
            date=dt.date.fromisoformat(data["date"]) if data["date"] else None,
            sent_on=dt.date.fromisoformat(data["sent_on"]),
            allegations=tuple(str(a) for a in data["allegations"]),
            annex_numbers={str(k): int(v) for k, v in data["annex_numbers"].items()},
            records={str(k): str(v) for k, v in pins["records"].items()},
            annex_files={str(k): v for k, v in pins["annex_files"].items()},
            snapshot={str(k): str(v) for k, v in data["snapshot"].items()},
            numbers_from=str(data.get("numbers_from", "plan")),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RecordError(
            f"{path}: frozen record of a sent submission cannot be read ({exc}); "
            "restore it from version control"
        ) from None


def frozen_records(bundle: CaseBundle) -> dict[str, Frozen]:
    """Frozen records of the submissions marked sent (others are ignored)."""
    out: dict[str, Frozen] = {}
    for sub in bundle.submissions:
        path = frozen_path(bundle.root, sub.id)
        if sub.sent and path.is_file():
            out[sub.id] = read_frozen(path)
    return out


def _order(sub: Submission, frozen: Mapping[str, Frozen]) -> tuple[dt.date, dt.date, str]:
    sent_on = frozen[sub.id].sent_on if sub.id in frozen else None
    date = sub.date or sent_on or dt.date.min
    return (date, sent_on or date, sub.id)


def earlier_sent(bundle: CaseBundle, submission: Submission) -> list[Submission]:
    """Sent submissions before ``submission`` (every sent one, for a draft), oldest first."""
    frozen = frozen_records(bundle)
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
    frozen = frozen_records(bundle)
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
    frozen = frozen_records(bundle).get(submission.id)
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
    frozen = frozen_records(bundle)
    out: dict[str, int] = (
        dict(frozen[submission.id].annex_numbers) if submission.id in frozen else {}
    )
    for sub in earlier_sent(bundle, submission):
        if sub.id in frozen:
            for annex_id, number in frozen[sub.id].annex_numbers.items():
                out.setdefault(annex_id, number)
    return out


def annex_numbers(bundle: CaseBundle, submission: Submission) -> dict[str, int]:
    """The annex numbers of a submission: stable across the case, new ones after the highest."""
    allegations = order_allegations(selected_allegations(bundle, submission))
    return number_annexes(allegations, submission.annexes_extra, prior_numbers(bundle, submission))


def first_reported(bundle: CaseBundle, submission: Submission) -> dict[str, dt.date | None]:
    """For the render: allegation id -> date of the earlier sent submission first reporting it.

    An addendum's paragraph says "first reported on 30 August 2023" for these.
    """
    return {key: sub.date for key, sub in reported_before(bundle, submission).items()}


# ---- freezing ---------------------------------------------------------------------------------


def _pins(
    bundle: CaseBundle, submission: Submission, sent_on: dt.date
) -> tuple[dict[str, str], dict[str, Any]]:
    allegations = selected_allegations(bundle, submission)
    numbers = annex_numbers(bundle, submission)
    records: dict[str, str] = {f"submission:{submission.id}": record_hash(submission)}
    if not submission.sent or submission.date != sent_on:
        as_sent = submission.model_copy(update={"sent": True, "date": sent_on})
        records[f"submission:{submission.id}"] = record_hash(as_sent)
    if bundle.case is not None:
        records[f"case:{bundle.case.case_no}"] = record_hash(bundle.case)
    party_ids = {submission.sender, submission.addressee.party, submission.signatory.party}
    for allegation in allegations:
        records[f"allegation:{allegation.id}"] = record_hash(allegation)
        party_ids.update(allegation.victims)
        party_ids.update(allegation.perpetrators)
    for party_id in sorted(p for p in party_ids if p):
        found = bundle.party(party_id)
        if found is not None:
            records[f"party:{party_id}"] = record_hash(found)
    files: dict[str, Any] = {}
    for annex_id in sorted(numbers):
        annex = bundle.annex(annex_id)
        if annex is None:
            raise RecordError(f"submission '{submission.id}' cites unknown annex '{annex_id}'")
        records[f"annex:{annex_id}"] = record_hash(annex)
        path = bundle.root / "annexes" / annex.file if annex.file else None
        if path is not None and not path.is_file():
            raise RecordError(f"annex '{annex_id}': file annexes/{annex.file} not found")
        files[annex_id] = sha256_file(path) if path is not None else None
    return records, files


def snapshot(root: Path) -> dict[str, str]:
    """Text of every record file of the case folder."""
    out: dict[str, str] = {}
    for pattern in RECORD_GLOBS:
        for path in sorted(root.glob(pattern)):
            out[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return dict(sorted(out.items()))


def _manifest_numbers(manifest: Path, root: Path, submission_id: str) -> dict[str, int] | None:
    """Annex numbers of the last build, if its manifest is of this submission and up to date."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data["submission"]["id"] != submission_id:
            return None
        for item in data["inputs"]:
            path = root / item["file"]
            if not path.is_file() or sha256_file(path) != item["sha256"]:
                return None
        return {str(a["id"]): int(a["number"]) for a in data["annexes"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class MarkSent:
    submission: str
    sent_on: dt.date
    frozen: Path
    yaml: Path
    annexes: dict[str, int]
    allegations: int
    numbers_from: str


def mark_sent(
    case_path: str | Path,
    submission_id: str,
    sent_on: dt.date,
    *,
    manifest: Path | None = None,
) -> MarkSent:
    """Set ``sent: true`` and ``date`` in the submission's YAML and write its frozen record.

    Annex numbers come from ``manifest`` (default: ``build/<case>/<id>/manifest.json``) when it
    is of this submission and every input it lists is unchanged; otherwise from the plan.
    """
    from .checks import check_case

    bundle = load_case(case_path)
    submission = bundle.submission(submission_id)
    if submission is None:
        known = ", ".join(sorted(s.id for s in bundle.submissions)) or "none"
        raise UsageError(f"unknown submission '{submission_id}' (known: {known})")
    target = frozen_path(bundle.root, submission.id)
    if submission.sent and target.exists():
        done = read_frozen(target)
        raise UsageError(
            f"submission '{submission.id}' was already marked sent on {done.sent_on}; "
            "it is frozen — make a new submission for anything new"
        )
    if submission.sent:
        raise UsageError(
            f"submission '{submission.id}' is already marked sent, without a frozen record "
            "(a letter sent before dossier kept one); there is no built dossier to freeze"
        )
    already = frozen_records(bundle)
    later = sorted((f.sent_on, key) for key, f in already.items() if f.sent_on > sent_on)
    if later:
        raise UsageError(
            f"{sent_on} is before {later[-1][0]}, when '{later[-1][1]}' was marked sent; "
            "mark submissions sent in the order they were sent"
        )
    errors = [p for p in check_case(bundle) if p.severity == Severity.ERROR]
    if errors:
        raise RecordError(
            f"{len(errors)} problem(s) in the records; fix them before marking "
            f"'{submission.id}' sent (see 'dossier check {case_path}')",
            errors,
        )
    numbers = annex_numbers(bundle, submission)
    numbers_from = "plan"
    if manifest is None and bundle.case is not None:
        manifest = Path("build") / str(bundle.case.case_no) / submission.id / "manifest.json"
    if manifest is not None and manifest.is_file():
        built = _manifest_numbers(manifest, bundle.root, submission.id)
        if built is not None:
            numbers, numbers_from = built, "manifest"
    allegations = sorted(a.id for a in selected_allegations(bundle, submission))
    records, files = _pins(bundle, submission, sent_on)
    yaml_file = bundle.where[("submission", submission.id)].file
    data = read_roundtrip(yaml_file)
    data["date"] = sent_on
    data["sent"] = True
    text = dump(data)
    texts = snapshot(bundle.root)
    texts[yaml_file.relative_to(bundle.root).as_posix()] = text
    frozen = Frozen(
        submission=submission.id,
        date=sent_on,
        sent_on=sent_on,
        allegations=tuple(allegations),
        annex_numbers=dict(sorted(numbers.items(), key=lambda kv: kv[1])),
        records=records,
        annex_files=files,
        snapshot=texts,
        numbers_from=numbers_from,
    )
    payload = json.dumps(frozen.as_json(), indent=1, ensure_ascii=False) + "\n"
    write_atomic(target, payload)
    try:
        write_atomic(yaml_file, text)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return MarkSent(
        submission.id, sent_on, target, yaml_file, dict(numbers), len(allegations), numbers_from
    )


# ---- the frozen state -------------------------------------------------------------------------


@contextmanager
def frozen_case(
    bundle: CaseBundle, submission_id: str, *, with_annexes: bool = True
) -> Iterator[Path]:
    """A temporary case folder holding the records as they were when ``submission_id`` was sent.

    With ``with_annexes``, the annex files are copied in; a file the sent dossier used that has
    changed since is a BuildError (the sent dossier can no longer be rebuilt from it).
    """
    frozen = frozen_records(bundle).get(submission_id)
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


def rebuild_sent(
    case_path: str | Path, submission_id: str, out_dir: Path | None = None
) -> BuildResult:
    """Build a sent submission's dossier from its frozen records (the dossier as it was sent).

    Returns the :class:`dossier.build.BuildResult`; default output: ``build/<case>/<id>/``.
    """
    from .build import build_dossier

    bundle = load_case(case_path)
    if bundle.case is not None and out_dir is None:
        out_dir = Path("build") / str(bundle.case.case_no) / submission_id
    with frozen_case(bundle, submission_id) as root:
        return build_dossier(root, submission_id=submission_id, out_dir=out_dir)
