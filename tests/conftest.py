"""Shared fixtures: a CLI runner and a scratch copy of Case 3386."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CASE_3386 = ROOT / "cases" / "3386"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A copy of cases/3386 that a test may break."""
    dest = tmp_path / "3386"
    shutil.copytree(CASE_3386, dest)
    return dest
