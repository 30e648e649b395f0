"""``dossier diff CASE FROM TO``: what changed between two submissions, as readable lines."""

from __future__ import annotations

from pathlib import Path

from ..load import load_case
from ..load.changes import SubmissionDiff, diff_bundle
from ..models import Submission


def diff_submissions(case_path: str | Path, from_id: str, to_id: str) -> SubmissionDiff:
    """:func:`dossier.load.changes.diff_bundle` of the case at ``case_path``."""
    return diff_bundle(load_case(case_path), from_id, to_id)


def _describe(sub: Submission, frozen: bool) -> str:
    date = sub.date.isoformat() if sub.date else "undated"
    status = "sent, frozen" if frozen else ("sent" if sub.sent else "draft")
    return f"{sub.id} ({date}, {status})"


def diff_lines(diff: SubmissionDiff) -> list[str]:
    """``dossier diff`` as readable lines."""
    out = [f"From {_describe(diff.before, diff.before_frozen)}"]
    out.append(f"  to {_describe(diff.after, diff.after_frozen)}")
    if diff.empty:
        return [*out, "", "No new allegations, no new annexes, no changed facts."]
    if diff.new_allegations:
        out += ["", f"New allegations ({len(diff.new_allegations)}):"]
        for a in diff.new_allegations:
            out.append(f"  + {a.id}: {a.title}")
    if diff.new_annexes:
        out += ["", f"New annexes ({len(diff.new_annexes)}):"]
        for number, annex in diff.new_annexes:
            out.append(f"  + Annex {number}: {annex.title} ({annex.id})")
    if diff.changed_allegations:
        out += ["", f"Changed facts ({len(diff.changed_allegations)}):"]
        for change in diff.changed_allegations:
            out.append(f"  ~ {change.id}: {change.title} [{', '.join(change.fields)}]")
    if diff.changed_annexes:
        out += ["", f"Changed annexes ({len(diff.changed_annexes)}):"]
        for change in diff.changed_annexes:
            label = f"Annex {change.number}: " if change.number else ""
            out.append(f"  ~ {label}{change.title} ({change.id}) [{', '.join(change.fields)}]")
    if diff.withdrawn:
        out += ["", f"No longer in the records ({len(diff.withdrawn)}):"]
        out += [f"  - {allegation_id}" for allegation_id in diff.withdrawn]
    return out
