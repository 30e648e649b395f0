"""The CLI layer alone: options reach the library as given, errors print one line and exit.

As mkdocs' cli_tests do, the core is replaced by a fake that records its call, so these tests
check parsing, printing and exit codes, not the build (tests/test_build.py builds for real).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dossier.commands.build as build_module
from dossier.cli import cli
from dossier.commands.build import BuildResult
from dossier.errors import BuildError, Problem, RecordError, Severity, UsageError


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def fake_build(case: Path, **options: Any) -> BuildResult:
        seen.append({"case": case, **options})
        pdf = tmp_path / "out" / "dossier.pdf"
        return BuildResult(
            case_no=9999,
            submission="2024-01-10-test",
            pdf=pdf,
            manifest=pdf.with_name("manifest.json"),
            pages=12,
            annexes=3,
            size=123_456,
            sha256="ab" * 32,
            seconds=0.5,
            warnings=["annex 'x': repaired: the end-of-file marker was missing"],
        )

    monkeypatch.setattr(build_module, "build_dossier", fake_build)
    return seen


def test_build_passes_every_option(runner: CliRunner, calls: list[dict[str, Any]]) -> None:
    result = runner.invoke(
        cli,
        [
            "build", "case", "--submission", "s1", "--edition", "both", "--lang", "fr",
            "--out", "o", "--max-size", "20MB", "--max-dpi", "150", "--ocr", "--final",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert call["case"] == Path("case")
    assert {k: call[k] for k in ("submission_id", "edition", "language", "ocr", "final")} == {
        "submission_id": "s1",
        "edition": "both",
        "language": "fr",
        "ocr": True,
        "final": True,
    }
    assert call["out_dir"] == Path("o")
    assert (call["max_size"], call["max_dpi"]) == (20_000_000, 150)
    lines = result.stdout.splitlines()
    assert lines[0] == "Case No. 9999 — 2024-01-10-test (draft)"
    assert lines[1].startswith("  12 pages, 3 annexes, 123 kB, ")
    assert "    annex 'x': repaired: the end-of-file marker was missing" in lines


def test_build_defaults(runner: CliRunner, calls: list[dict[str, Any]]) -> None:
    result = runner.invoke(cli, ["build", "case"])
    assert result.exit_code == 0
    (call,) = calls
    assert call["submission_id"] is None and call["edition"] == "full"
    assert call["language"] is None and call["out_dir"] is None and call["max_size"] is None
    assert call["final"] is False and call["signing"] is None
    assert "  a draft, marked DRAFT; the copy to send: dossier build case --final" in (
        result.stdout.splitlines()
    )


def test_the_password_comes_from_the_environment_never_the_command_line(
    runner: CliRunner, calls: list[dict[str, Any]], tmp_path: Path
) -> None:
    p12 = tmp_path / "officer.p12"
    p12.write_bytes(b"pkcs12 bytes")
    args = ["build", "case", "--final", "--sign", str(p12)]
    result = runner.invoke(cli, args, env={"DOSSIER_SIGN_PASSWORD": "hunter2"})
    assert result.exit_code == 0, result.output
    signing = calls[0]["signing"]
    assert (signing.p12, signing.password, signing.file) == (b"pkcs12 bytes", b"hunter2", str(p12))
    assert "hunter2" not in repr(signing) and "hunter2" not in result.output
    # no variable and no terminal to ask on: a usage error that says what to set
    unset = runner.invoke(cli, args, env={"DOSSIER_SIGN_PASSWORD": None})
    assert unset.exit_code == 2 and len(calls) == 1
    assert unset.stderr == (
        "Error: no password for the PKCS#12 file: set DOSSIER_SIGN_PASSWORD or run on a "
        "terminal to be asked for it\n"
    )
    missing = runner.invoke(cli, ["build", "case", "--final", "--sign", str(tmp_path / "no")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "case", "--edition", "secret"], "Invalid value for '--edition'"),
        (["build", "case", "--lang", "de"], "Invalid value for '--lang'"),
        (["build", "case", "--max-size", "big"], "'big' is not a size"),
        (["build", "case", "--max-size", "1kB"], "--max-size 1kB is too small"),
        (["build", "case", "--late", "--edition", "public"], "--late builds the full edition"),
    ],
)
def test_usage_errors_exit_2(
    runner: CliRunner, calls: list[dict[str, Any]], args: list[str], message: str
) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert calls == []


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (RecordError("2 problems in the records; fix them"), 1),
        (UsageError("unknown submission 'x' (known: a, b)"), 2),
        (BuildError("the dossier cannot be written"), 3),
    ],
)
def test_library_errors_print_one_line_and_their_exit_code(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, error: Exception, code: int
) -> None:
    def fail(case: Path, **options: Any) -> BuildResult:
        raise error

    monkeypatch.setattr(build_module, "build_dossier", fail)
    result = runner.invoke(cli, ["build", "case"])
    assert result.exit_code == code
    assert result.stderr == f"Error: {error}\n"
    assert result.stdout == ""


def test_problems_of_an_error_follow_it_one_per_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = Problem(
        "c/annexes.yaml", 4, "annexes[0].file", "ANX-02", Severity.ERROR, "gone", "add"
    )

    def fail(case: Path, **options: Any) -> BuildResult:
        raise RecordError("1 problem in the records", [problem])

    monkeypatch.setattr(build_module, "build_dossier", fail)
    result = runner.invoke(cli, ["build", "case"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: 1 problem in the records",
        "c/annexes.yaml:4: error: annexes[0].file: gone — add [ANX-02]",
    ]


def test_a_bug_keeps_its_traceback(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(case: Path, **options: Any) -> BuildResult:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(build_module, "build_dossier", bug)
    result = runner.invoke(cli, ["build", "case"])
    assert isinstance(result.exception, ZeroDivisionError)


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    import click

    def commands(group: click.Group, prefix: list[str]) -> list[list[str]]:
        out = []
        for name, command in group.commands.items():
            out.append([*prefix, name])
            if isinstance(command, click.Group):
                out.extend(commands(command, [*prefix, name]))
        return out

    for path in commands(cli, []):
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.stdout, path
