"""SENT-01: records and annexes a sent submission used must not change afterwards.

A submission marked sent (``dossier submission mark-sent``) keeps ``submissions/<id>.sent.json``
pinning the content hash of every record and the sha256 of every annex file its dossier used.
An edit made since is reported where it was made, naming the sent submission, so the officer
either undoes it or reports the change in the next submission: once a later sent submission has
used the record as it is now, the change is settled and no longer reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from ..digest import sha256_file
from ..errors import Problem, problem
from ..load import CaseBundle
from ..load.frozen import Frozen, record_hash
from . import Context

_FIX = (
    "a sent dossier cannot change: undo the edit, or keep it and report the change in the next "
    "submission ('dossier diff' shows what changed)"
)


def _record(bundle: CaseBundle, kind: str, record_id: str) -> BaseModel | None:
    if kind == "case":
        return bundle.case if bundle.case and str(bundle.case.case_no) == record_id else None
    lookup = {
        "party": bundle.party,
        "annex": bundle.annex,
        "allegation": bundle.allegation,
        "submission": bundle.submission,
    }.get(kind)
    return lookup(record_id) if lookup else None


def _latest_pins(
    frozen: list[Frozen],
) -> tuple[dict[str, tuple[str, Frozen]], dict[str, tuple[str, Frozen]]]:
    """Each record's and annex file's pin by the last sent submission that used it.

    A change reported in a later submission (which then pinned the new content) is settled.
    """
    records: dict[str, tuple[str, Frozen]] = {}
    files: dict[str, tuple[str, Frozen]] = {}
    for item in sorted(frozen, key=lambda f: (f.sent_on, f.submission)):
        for key, pinned in item.records.items():
            records[key] = (pinned, item)
        for annex_id, sha in item.annex_files.items():
            if sha is not None:
                files[annex_id] = (sha, item)
    return records, files


def _sent(frozen: Frozen) -> str:
    return f"submission '{frozen.submission}' (sent on {frozen.sent_on})"


def _changes(bundle: CaseBundle, frozen: list[Frozen]) -> Iterator[Problem]:
    records, files = _latest_pins(frozen)
    for key, (pinned, by) in records.items():
        kind, _, record_id = key.partition(":")
        if (kind, record_id) in bundle.unloaded:
            continue  # the loading problem is reported already
        current = _record(bundle, kind, record_id)
        if current is None:
            yield problem(
                "SENT-01",
                bundle.at("submission", by.submission, "sent"),
                f"{kind} '{record_id}' used by sent {_sent(by)} no longer exists",
                "restore the record; the sent dossier cites it",
            )
        elif record_hash(current) != pinned:
            yield problem(
                "SENT-01",
                bundle.at(kind, record_id),
                f"{kind} '{record_id}' has changed since it was used by sent {_sent(by)}",
                _FIX,
            )
    for annex_id, (pinned_file, by) in files.items():
        annex = bundle.annex(annex_id)
        if annex is None or annex.file is None:
            continue
        path = bundle.root / "annexes" / annex.file
        if not path.is_file():
            continue  # ANX-02 reports the missing file
        if sha256_file(path) != pinned_file:
            yield problem(
                "SENT-01",
                bundle.at("annex", annex_id, "file"),
                f"annexes/{annex.file} has changed since it was sent as part of {_sent(by)}",
                "restore the file as sent; add a corrected document as a new annex",
            )


def changed_since(bundle: CaseBundle, frozen: Frozen) -> list[Problem]:
    """What changed in the records and annex files that ``frozen`` pinned, against its own pins
    (a later submission that used the change does not settle it: building ``frozen``'s
    submission from the records as they are now would not give the dossier it sent)."""
    return list(_changes(bundle, [frozen]))


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    yield from _changes(bundle, list(bundle.frozen.values()))
