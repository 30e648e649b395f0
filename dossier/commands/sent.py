"""Freezing what was sent: ``dossier submission mark-sent`` and ``submission rebuild``.

Marking a submission sent writes its frozen record (``submissions/<id>.sent.json``, see
:mod:`dossier.load.frozen`) and sets ``sent: true`` in its YAML; rebuilding builds the dossier
again from the frozen records, byte for byte as it was sent.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..checks import check_case
from ..digest import sha256_file
from ..errors import RecordError, Severity, UsageError
from ..load import CaseBundle, load_case
from ..load.frozen import RECORD_GLOBS, Frozen, frozen_path, read_frozen, record_hash
from ..load.sent import annex_numbers, frozen_case, selected_allegations
from ..models import Submission
from ..write import output_folder, write_atomic
from .build import BuildResult, build_dossier
from .edit import dump, read_roundtrip
from .editions import share_conversions


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
    already = bundle.frozen
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
        manifest = output_folder(bundle.root, submission.id) / "manifest.json"
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


def rebuild_sent(
    case_path: str | Path, submission_id: str, out_dir: Path | None = None
) -> BuildResult:
    """Build a sent submission's dossier from its frozen records (the dossier as it was sent).

    Returns the :class:`dossier.build.BuildResult`; default output: ``build/<case>/<id>/``.
    """
    bundle = load_case(case_path)
    if out_dir is None:
        out_dir = output_folder(bundle.root, submission_id)
    with frozen_case(bundle, submission_id) as root:
        share_conversions(bundle.root, root)
        return build_dossier(root, submission_id=submission_id, out_dir=out_dir)
