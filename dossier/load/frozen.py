"""Frozen records of sent submissions: ``submissions/<id>.sent.json``.

Marking a submission sent (``dossier submission mark-sent``) freezes it. The file keeps

* ``pins``: the content hash of every record the dossier used (its allegations, annex entries,
  parties, the case record, the submission itself) and the sha256 of every annex file it used,
  so ``dossier check`` can report later edits (``checks/frozen.py``, SENT-01);
* ``annex_numbers``: the numbers its annexes got, which later submissions keep (stable numbering);
* ``allegations``: the allegations it reported, so ``allegations: new`` selects only the others;
* ``records``: the text of every record file at the time, so the sent dossier can be rebuilt
  byte for byte and compared with a later one (``dossier diff``);
* ``sent_pdf``: the final PDF that was sent (its file, sha256, size and kind: final or signed),
  or null for a letter recorded with ``--without-pdf`` (sent outside the tool).

:func:`~dossier.load.load_case` reads these files once, into ``CaseBundle.frozen``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import RecordError

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
    sent_pdf: Mapping[str, Any] | None = None
    """The final PDF sent: ``file`` (relative to the case folder), ``sha256``, ``size``,
    ``kind``; None when it was sent outside the tool (``mark-sent --without-pdf``)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "submission": self.submission,
            "date": self.date.isoformat() if self.date else None,
            "sent_on": self.sent_on.isoformat(),
            "allegations": list(self.allegations),
            "annex_numbers": dict(self.annex_numbers),
            "numbers_from": self.numbers_from,
            "sent_pdf": dict(self.sent_pdf) if self.sent_pdf is not None else None,
            "pins": {"records": dict(self.records), "annex_files": dict(self.annex_files)},
            "snapshot": dict(self.snapshot),
        }


def read_frozen(path: Path) -> Frozen:
    """Read a frozen record; a damaged one is a RecordError naming the file."""
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
            sent_pdf=dict(data["sent_pdf"]) if data.get("sent_pdf") else None,
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RecordError(
            f"{path}: frozen record of a sent submission cannot be read ({exc}); "
            "restore it from version control"
        ) from None
