"""Helpers for tests that break a copy of a case and read what `dossier check` says."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from dossier.checks import check_case
from dossier.cli import cli
from dossier.errors import Problem
from dossier.load import load_case

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


# ---- the minimal case (tests/cases/minimal): one draft complaint, one allegation, one annex ----

MINIMAL = Path(__file__).parent / "cases" / "minimal"
SUB = "submissions/2024-02-01-complaint.yaml"
LETTER = "submissions/2024-02-01-complaint.md"
ALLEGATION = "allegations/2024-01-05-search.yaml"
TODAY = dt.date(2024, 6, 1)
"""The day the minimal case is checked on (its letter is of 1 February 2024)."""


def minimal_copy(tmp_path: Path) -> Path:
    """A copy of the minimal case that a test may break."""
    dest = tmp_path / "minimal"
    shutil.copytree(MINIMAL, dest)
    return dest


def new_case_with(tmp_path: Path, *files: Path) -> Path:
    """A case fresh from `dossier init` with ``files`` given to `dossier annex add`."""
    runner = CliRunner()
    case = tmp_path / "case"
    made = runner.invoke(cli, ["init", str(case), "--case", "9990", "--country", "Chile"])
    assert made.exit_code == 0, made.output
    for file in files:
        added = runner.invoke(cli, ["annex", "add", str(case), str(file)])
        assert added.exit_code == 0, added.output + (added.stderr or "")
    return case


def problems(case: Path, today: dt.date = TODAY) -> list[Problem]:
    """Every problem ``dossier check`` finds in ``case``, checked on ``today``."""
    return check_case(load_case(case), today=today)
