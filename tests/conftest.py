"""Shared fixtures: a CLI runner and a scratch copy of Case 3386.

Property tests draw new examples on every local run (that is how they find bugs); CI sets
``HYPOTHESIS_PROFILE=ci`` so that a run on a clean clone tries the same examples each time and a
red CI is reproducible. A bug found locally is pinned with ``@example`` next to its property.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from dossier.commands.init import CaseSpec, init_case

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
CASE_3386 = ROOT / "cases" / "3386"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A copy of cases/3386 that a test may break (without what `make dossier` built in it)."""
    dest = tmp_path / "3386"
    shutil.copytree(CASE_3386, dest, ignore=shutil.ignore_patterns("build"))
    return dest


@pytest.fixture
def new_case(tmp_path: Path) -> Path:
    """A case scaffolded by ``init_case`` (Case 3999, draft submission of 2024-03-01)."""
    folder = tmp_path / "case"
    spec = CaseSpec(3999, "Kyrgyzstan", "Mining and Metallurgy Trade Union of Kyrgyzstan", "MMTUK")
    init_case(folder, spec, today=dt.date(2024, 3, 1))
    return folder
