"""``dossier submission new``: the next draft letter of a case, started from the latest one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import UsageError
from ..models import Submission
from ..write import write_atomic
from .edit import DRAFT_STATUS, dump, unique_id, with_status
from .init import subject_line, submission_letter
from .records import check_date, editable, latest_draft, open_case, validate_record

SUBMISSION_KINDS = ("additional_information", "reply_comment", "urgent_intervention", "complaint")


def new_submission(
    case: Path, kind: str = "additional_information", date: str | None = None
) -> Path:
    """Start the next draft: a copy of the latest submission to the ILO, reset for a new letter.

    Addressee, copies, sender, signatory, language and requests are kept (comments too); ``id``,
    ``date``, ``subject`` and ``letter`` are new; ``allegations: new``, no ``annexes_extra``,
    ``sent: false``, not yet signed, and ``references`` points at the latest sent submission.
    Refuses when a draft already exists (finish or send it first).
    """
    if kind not in SUBMISSION_KINDS:
        raise UsageError(f"--kind {kind}: use one of {', '.join(SUBMISSION_KINDS)}")
    when = check_date(date, "--date") if date else dt.date.today()
    if not isinstance(when, dt.date):
        raise UsageError(f"--date {date}: give the full date of the letter, e.g. 2024-03-01")
    bundle = open_case(case)
    draft = latest_draft(bundle)
    if draft is not None:
        raise UsageError(
            f"submission '{draft.id}' is still a draft; send it "
            "('dossier submission mark-sent') or delete it before starting another"
        )
    to_ilo = [s for s in bundle.submissions if s.kind.value in SUBMISSION_KINDS]
    if not to_ilo or bundle.case is None:
        raise UsageError(f"{case}: no earlier submission to the ILO to start from")
    model = max(to_ilo, key=lambda s: (s.date is not None, s.date, s.id))
    sent = [s for s in to_ilo if s.sent and s.date is not None]
    previous = max(sent, key=lambda s: (s.date, s.id)) if sent else None
    folder = bundle.root / "submissions"
    taken = {s.id for s in bundle.submissions} | {p.stem for p in folder.glob("*.yaml")}
    sub_id = unique_id(f"{when.isoformat()}-{kind.replace('_', '-')}", taken)
    source_file = bundle.where[("submission", model.id)].file
    data = editable(bundle, source_file)
    number, country = bundle.case.case_no, bundle.case.country
    values: dict[str, Any] = {
        "id": sub_id,
        "date": when,
        "kind": kind,
        "subject": subject_line(kind, model.language, number, country),
        "letter": f"{sub_id}.md",
        "allegations": "new",
        "annexes_extra": CommentedSeq(),
        "sent": False,
        "references": CommentedSeq([previous.id] if previous else []),
        "source": f"created by dossier submission new from {model.id}",
    }
    for key, value in values.items():
        data[key] = value
    data["annexes_extra"].fa.set_flow_style()
    data["references"].fa.set_flow_style()
    for key in ("annex", "notes", "reference"):
        data.pop(key, None)
    signatory = data.get("signatory")
    if isinstance(signatory, CommentedMap):
        signatory["signed"] = False
    text = submission_letter(
        kind, model.language, number, country, previous.date if previous else None
    )
    file = folder / f"{sub_id}.yaml"
    validate_record(Submission, _plain(data), sub_id)
    write_atomic(folder / f"{sub_id}.md", text)
    write_atomic(file, with_status(dump(data), DRAFT_STATUS))  # the model may be marked sent
    return file


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
