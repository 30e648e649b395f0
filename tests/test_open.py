"""``dossier open``: the last build's PDF in the system viewer, or its path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
import click.testing
import pytest
from click.testing import CliRunner

from dossier.cli import cli

MINIMAL = Path(__file__).parent / "cases" / "minimal"


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINIMAL, tmp_path / "minimal")
    return Path("minimal")


def _built(submission: str, name: str = "dossier.pdf", age: int = 0) -> Path:
    """A stand-in for a build's output (opening does not read it), ``age`` seconds old."""
    pdf = Path("minimal") / "build" / submission / name
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7\n")
    stamp = 1_700_000_000 - age
    os.utime(pdf, (stamp, stamp))
    return pdf


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def launch(url: str, wait: bool = False, locate: bool = False) -> int:
        calls.append(url)
        return 0

    monkeypatch.setattr(click, "launch", launch)
    return calls


def _tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True)


def test_nothing_built_yet_is_exit_2(runner: CliRunner, case: Path, launched: list[str]) -> None:
    result = runner.invoke(cli, ["open", str(case)])
    assert result.exit_code == 2
    assert "no dossier built yet for Case No. 9999" in result.stderr
    assert "run 'dossier build minimal' first" in result.stderr
    assert launched == []


def test_unknown_submission_is_exit_2(runner: CliRunner, case: Path) -> None:
    _built("2024-02-01-complaint")
    result = runner.invoke(cli, ["open", str(case), "--submission", "nope"])
    assert result.exit_code == 2
    assert "unknown submission 'nope'" in result.stderr


def test_opens_the_most_recent_build_on_a_terminal(
    runner: CliRunner, case: Path, launched: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _built("2023-01-01-old", age=100)
    newest = _built("2024-02-01-complaint")
    _tty(monkeypatch)
    result = runner.invoke(cli, ["open", str(case)])
    assert result.exit_code == 0, result.output
    assert launched == [str(newest)]
    assert result.stdout == f"Opened {newest}\n"


def test_prints_the_path_when_not_a_terminal_or_with_print(
    runner: CliRunner, case: Path, launched: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = _built("2024-02-01-complaint")
    result = runner.invoke(cli, ["open", str(case)])
    assert (result.exit_code, result.stdout) == (0, f"{pdf}\n")
    _tty(monkeypatch)
    result = runner.invoke(cli, ["open", str(case), "--print"])
    assert (result.exit_code, result.stdout) == (0, f"{pdf}\n")
    assert launched == []


def test_submission_picks_its_own_build(
    runner: CliRunner, case: Path, launched: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    older = _built("2024-02-01-complaint", age=100)
    _built("2025-01-01-other")
    result = runner.invoke(cli, ["open", str(case), "--submission", "2024-02-01-complaint"])
    assert (result.exit_code, result.stdout) == (0, f"{older}\n")


def test_public_edition_alone_is_opened(runner: CliRunner, case: Path) -> None:
    pdf = _built("2024-02-01-complaint", "dossier-public.pdf")
    result = runner.invoke(cli, ["open", str(case)])
    assert (result.exit_code, result.stdout) == (0, f"{pdf}\n")


def test_edition_picks_the_full_or_the_public_one(runner: CliRunner, case: Path) -> None:
    """After --edition both, the full edition is opened unless --edition public is asked for,
    whichever of the two files was written last."""
    full = _built("2024-02-01-complaint", age=1)
    public = _built("2024-02-01-complaint", "dossier-public.pdf")
    assert runner.invoke(cli, ["open", str(case)]).stdout == f"{full}\n"
    asked = runner.invoke(cli, ["open", str(case), "--edition", "public"])
    assert (asked.exit_code, asked.stdout) == (0, f"{public}\n")
    assert runner.invoke(cli, ["open", str(case), "--edition", "full"]).stdout == f"{full}\n"
    full.unlink()
    none = runner.invoke(cli, ["open", str(case), "--edition", "full"])
    assert none.exit_code == 2 and "no full edition built yet" in none.stderr


def test_found_from_any_directory(
    runner: CliRunner, case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = _built("2024-02-01-complaint").resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(cli, ["open", "../minimal"])
    assert result.exit_code == 0 and Path(result.stdout.strip()).resolve() == pdf


def test_no_viewer_prints_the_path(
    runner: CliRunner, case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = _built("2024-02-01-complaint")
    monkeypatch.setattr(click, "launch", lambda url, wait=False, locate=False: 1)
    _tty(monkeypatch)
    result = runner.invoke(cli, ["open", str(case)])
    assert result.exit_code == 0
    assert result.stdout == f"No PDF viewer could be started; the dossier is at: {pdf}\n"
