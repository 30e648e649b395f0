"""Freezing what was sent: ``dossier submission mark-sent`` and ``submission rebuild``.

Marking a submission sent writes its frozen record (``submissions/<id>.sent.json``, see
:mod:`dossier.load.frozen`) and sets ``sent: true`` in its YAML; rebuilding builds the dossier
again from the frozen records, byte for byte as it was sent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
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
from .edit import dump, read_roundtrip, with_status
from .editions import share_conversions
from .sign import Signing


def _pins(
    bundle: CaseBundle, submission: Submission, letter_date: dt.date
) -> tuple[dict[str, str], dict[str, Any]]:
    allegations = selected_allegations(bundle, submission)
    numbers = annex_numbers(bundle, submission)
    records: dict[str, str] = {f"submission:{submission.id}": record_hash(submission)}
    if not submission.sent or submission.date != letter_date:
        as_sent = submission.model_copy(update={"sent": True, "date": letter_date})
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


@dataclass(frozen=True)
class SentPdf:
    """The final build that was sent: its annex numbers and its PDF."""

    numbers: dict[str, int]
    record: dict[str, Any]
    """``file`` (relative to the case folder), ``sha256``, ``size``, ``kind``."""


def _final_build(manifest: Path, root: Path, submission_id: str, case: str) -> SentPdf:
    """The final build of ``submission_id`` that ``manifest`` describes, checked: final (not a
    draft), its PDF as built, and built from the records as they are now (UsageError, exit 2,
    saying what to do, otherwise)."""
    build = f"dossier build {case} --submission {submission_id} --final"
    outside = "or, for a letter sent outside dossier, mark it sent with --without-pdf"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        built_for = data["submission"]["id"]
        kind = data.get("kind", "draft")
        output = data["output"]
        inputs = [(str(i["file"]), str(i["sha256"])) for i in data["inputs"]]
        numbers = {str(a["id"]): int(a["number"]) for a in data["annexes"]}
    except FileNotFoundError:
        raise UsageError(
            f"no final build of '{submission_id}' to record ({manifest} not found): build the "
            f"copy you send with '{build}', send it, then mark it sent; {outside}"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{manifest}: not a build manifest ({exc}); {outside}") from None
    if built_for != submission_id:
        raise UsageError(f"{manifest} is the manifest of '{built_for}', not '{submission_id}'")
    if kind not in ("final", "signed"):
        raise UsageError(
            f"the last build of '{submission_id}' is a draft (marked DRAFT), not the copy to "
            f"send: build it with '{build}', send that PDF, then mark it sent; {outside}"
        )
    for name, sha in inputs:
        path = root / name
        if not path.is_file() or sha256_file(path) != sha:
            raise UsageError(
                f"{name} has changed since the final build of '{submission_id}' "
                f"({manifest}): the PDF no longer shows the records; build it again with "
                f"'{build}' and send that"
            )
    pdf = manifest.parent / str(output["file"])
    if not pdf.is_file() or sha256_file(pdf) != output["sha256"]:
        raise UsageError(
            f"{pdf} is not the PDF its manifest describes (missing, or changed since the "
            f"build): build it again with '{build}'"
        )
    try:
        relative = pdf.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = str(pdf.resolve())
    record = {"file": relative, "sha256": output["sha256"], "size": output["size"], "kind": kind}
    return SentPdf(numbers, record)


@dataclass(frozen=True)
class MarkSent:
    submission: str
    sent_on: dt.date
    frozen: Path
    yaml: Path
    annexes: dict[str, int]
    allegations: int
    numbers_from: str
    letter_date: dt.date | None = None
    pdf: dict[str, Any] | None = None
    """The final PDF recorded as sent (None with ``without_pdf``)."""


def mark_sent(
    case_path: str | Path,
    submission_id: str,
    sent_on: dt.date,
    *,
    manifest: Path | None = None,
    without_pdf: bool = False,
) -> MarkSent:
    """Set ``sent: true`` in the submission's YAML and write its frozen record.

    The final build that was sent (``manifest``, default: ``CASE/build/<id>/manifest.json``)
    is required: its PDF's sha256 is recorded, its annex numbers are kept, and the letter
    keeps the date it bears (``sent_on`` is when it was sent). It must be a final build, of the
    records as they are now. ``without_pdf`` records a letter sent outside the tool: no PDF,
    numbers from the plan, and the letter dated ``sent_on``.
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
    sent = None
    if not without_pdf:
        if manifest is None:
            manifest = output_folder(bundle.root, submission.id) / "manifest.json"
        sent = _final_build(manifest, bundle.root, submission.id, str(case_path))
        if submission.date is not None and sent_on < submission.date:
            raise UsageError(
                f"--date {sent_on} is before the letter's date {submission.date}: give the day "
                "it was sent"
            )
    letter_date = submission.date if sent is not None and submission.date else sent_on
    numbers = sent.numbers if sent is not None else annex_numbers(bundle, submission)
    allegations = sorted(a.id for a in selected_allegations(bundle, submission))
    records, files = _pins(bundle, submission, letter_date)
    yaml_file = bundle.where[("submission", submission.id)].file
    data = read_roundtrip(yaml_file)
    data["date"] = letter_date
    data["sent"] = True
    status = f"sent on {sent_on} (frozen in {target.name}: do not change what it used)."
    text = with_status(dump(data), status)
    texts = snapshot(bundle.root)
    texts[yaml_file.relative_to(bundle.root).as_posix()] = text
    frozen = Frozen(
        submission=submission.id,
        date=letter_date,
        sent_on=sent_on,
        allegations=tuple(allegations),
        annex_numbers=dict(sorted(numbers.items(), key=lambda kv: kv[1])),
        records=records,
        annex_files=files,
        snapshot=texts,
        numbers_from="manifest" if sent is not None else "plan",
        sent_pdf=sent.record if sent is not None else None,
    )
    payload = json.dumps(frozen.as_json(), indent=1, ensure_ascii=False) + "\n"
    write_atomic(target, payload)
    try:
        write_atomic(yaml_file, text)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return MarkSent(
        submission.id,
        sent_on,
        target,
        yaml_file,
        dict(numbers),
        len(allegations),
        frozen.numbers_from,
        letter_date,
        sent.record if sent is not None else None,
    )


def rebuild_sent(
    case_path: str | Path,
    submission_id: str,
    out_dir: Path | None = None,
    signing: Signing | None = None,
) -> BuildResult:
    """Build a sent submission's dossier from its frozen records (the dossier as it was sent).

    ``signing``: sign it again, as the final sent was signed (same certificate, same signing
    time: the same bytes with an RSA key). Default output: ``CASE/build/<id>/``.
    """
    bundle = load_case(case_path)
    if out_dir is None:
        out_dir = output_folder(Path(case_path), submission_id)
    with frozen_case(bundle, submission_id) as root:
        share_conversions(bundle.root, root)
        return build_dossier(
            root, submission_id=submission_id, out_dir=out_dir, final=True, signing=signing
        )


def sent_pdf(case_path: str | Path, submission_id: str) -> Mapping[str, Any] | None:
    """What the frozen record says of the PDF sent (None: not recorded)."""
    frozen = load_case(case_path).frozen.get(submission_id)
    return frozen.sent_pdf if frozen is not None else None
