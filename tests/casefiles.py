"""Helpers for tests that break a copy of a case and read what `dossier check` says."""

from __future__ import annotations

import re
from pathlib import Path

_PROBLEM_LINE = re.compile(r" \[[A-Z]{3,5}-\d{2}\]$")


def problem_lines(stdout: str) -> list[str]:
    """The problem lines of ``dossier check`` (without the per-file headers and blank lines)."""
    if stdout.startswith("["):  # --format json: unchanged
        return stdout.splitlines()
    return [text for text in stdout.splitlines() if _PROBLEM_LINE.search(text)]


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` by ``new``; ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` holding ``needle``."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
