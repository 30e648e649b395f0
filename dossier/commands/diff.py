"""``dossier diff CASE FROM TO``: what changed between two submissions, as readable lines.

Each changed field is shown as a word diff of its old and new text, as ``git diff
--word-diff`` marks them: ``[-removed words-]{+added words+}``; long unchanged stretches are
shortened to their first and last words around ``…``.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

from ..load import load_case
from ..load.changes import Change, SubmissionDiff, diff_bundle
from ..models import Submission

CONTEXT = 6
"""Unchanged words kept on each side of a change."""


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
            out += _field_lines(change)
    if diff.changed_annexes:
        out += ["", f"Changed annexes ({len(diff.changed_annexes)}):"]
        for change in diff.changed_annexes:
            label = f"Annex {change.number}: " if change.number else ""
            out.append(f"  ~ {label}{change.title} ({change.id}) [{', '.join(change.fields)}]")
            out += _field_lines(change)
    if diff.withdrawn:
        out += ["", f"No longer in the records ({len(diff.withdrawn)}):"]
        out += [f"  - {allegation_id}" for allegation_id in diff.withdrawn]
    return out


def _field_lines(change: Change) -> list[str]:
    return [
        f"      {name}: {word_diff(old, new)}"
        for name, (old, new) in zip(change.fields, change.texts, strict=True)
    ]


def word_diff(old: str, new: str, context: int = CONTEXT) -> str:
    """``old`` -> ``new`` word by word: ``[-removed-]`` and ``{+added+}``, unchanged words kept
    around each change (``context`` on each side; a longer stretch is cut with ``…``)."""
    a, b = old.split(), new.split()
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out: list[str] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            head = [] if first else words[:context]
            tail = [] if last else words[-context:]
            if len(words) <= len(head) + len(tail) + 1 or (first and last):
                out += words
            else:
                out += [*head, "…", *tail]
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)
