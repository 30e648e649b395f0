"""The documentation is kept true: every command has help with an example and is documented, the
user guide's shell examples run (with the output it shows), and checks.md lists every check code."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from certificates import PASSWORD, make_p12, valid_around
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from dossier import __version__
from dossier.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "user-guide.md"
CHECKS = ROOT / "docs" / "checks.md"
README = ROOT / "README.md"


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path + " ")


COMMANDS = list(_commands(cli))


def test_there_are_commands() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"init", "check", "list", "timeline", "annex add", "party new"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example(
    runner: CliRunner, name: str, command: click.Command
) -> None:
    result = runner.invoke(cli, [*name.split(), "--help"], prog_name="dossier")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: dossier {name} ")
    assert command.help and len(command.help.split()) >= 5, f"{name} has no real help text"
    assert re.search(r"^\s+Examples?:$", result.stdout, re.M), f"{name} --help has no example"
    assert f"dossier {name}" in command.help.split("Example")[1]


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_every_command_is_documented(name: str) -> None:
    text = GUIDE.read_text(encoding="utf-8") + README.read_text(encoding="utf-8")
    assert f"dossier {name}" in text, f"'dossier {name}' is not in README.md or the user guide"


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"], prog_name="dossier")
    assert result.exit_code == 0
    assert result.stdout == f"dossier, version {__version__}\n"


# ---- the user guide's shell examples ----------------------------------------------------------


def examples(text: str) -> list[tuple[int, str, list[str]]]:
    """``(line, command, expected output lines)`` of every ``$ dossier`` in console blocks."""
    out: list[tuple[int, str, list[str]]] = []
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            in_block = line.strip() == "```console"
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            out.append((number, line[2:], []))
        elif out:
            out[-1][2].append(line)
    return out


EXIT_LINE = re.compile(r"^\[exit (\d)\]$")
"""A last expected line ``[exit 1]``: the command exits with that code (not part of the output)."""


def expected_exit(lines: list[str]) -> tuple[list[str], int]:
    """The expected output lines without a last ``[exit N]`` line, and N (default 0)."""
    if lines and (match := EXIT_LINE.match(lines[-1])):
        return lines[:-1], int(match.group(1))
    return lines, 0


def expected_pattern(lines: list[str]) -> re.Pattern[str]:
    """``YYYY-MM-DD`` matches any date, ``...`` any text; a line ``...`` any number of lines."""
    parts = []
    for line in lines:
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*")
            continue
        pieces = re.split(r"(YYYY-MM-DD|\.\.\.)", line)
        regex = "".join(
            r"\d{4}-\d{2}-\d{2}"
            if piece == "YYYY-MM-DD"
            else r"[^\n]*"
            if piece == "..."
            else re.escape(piece)
            for piece in pieces
        )
        parts.append(regex + r"\n")
    return re.compile("".join(parts))


def _make_inputs(args: list[str]) -> None:
    """Create the files an example names: the scans of ``annex add``, and the certificate of
    ``--sign`` (``anna-holm.p12``: Anna Holm's, valid today; the reader has their own)."""
    if "--sign" in args:
        p12 = Path(args[args.index("--sign") + 1])
        if not p12.exists():
            name = p12.stem.replace("-", " ").title()
            start, end = valid_around(dt.date.today())
            p12.write_bytes(make_p12(name, start=start, end=end))
    if args[:2] != ["annex", "add"]:
        return
    for arg in args[3:]:
        if arg.startswith("-"):
            break
        path = Path(arg)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = PdfWriter()
            writer.add_blank_page(595, 842)
            writer.add_blank_page(595, 842)
            with path.open("wb") as handle:
                writer.write(handle)


def test_examples_are_found() -> None:
    found = examples(GUIDE.read_text(encoding="utf-8"))
    commands = {" ".join(shlex.split(cmd)[1:3]) for _, cmd, _ in found}
    assert {"init cases/9999", "check cases/9999", "annex add", "build cases/9999"} <= commands


def test_user_guide_examples_run(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("DOSSIER_SIGN_PASSWORD", PASSWORD.decode())  # the guide's terminal prompt
    today = dt.date.today().isoformat()
    for number, command, shown in examples(GUIDE.read_text(encoding="utf-8")):
        args = shlex.split(command.replace("YYYY-MM-DD", today))
        assert args[0] == "dossier", f"user-guide.md:{number}: not a dossier command"
        _make_inputs(args[1:])
        result = runner.invoke(cli, args[1:], prog_name="dossier")
        where = f"user-guide.md:{number}: {command}"
        expected, code = expected_exit(shown)
        assert result.exit_code == code, f"{where}\n{result.output}"
        if expected:
            pattern = expected_pattern(expected)
            assert pattern.fullmatch(result.output), (
                f"{where}: output differs from the guide\n--- guide\n"
                + "\n".join(expected)
                + f"\n--- actual\n{result.output}"
            )

    addendum = json.loads(
        next(tmp_path.glob("cases/9999/build/*-additional-information/manifest.json")).read_text(
            "utf-8"
        )
    )
    assert [(a["id"], a["number"]) for a in addendum["annexes"]] == [("witness-statement", 2)]
    public = sorted(tmp_path.glob("cases/*/build/*/dossier-public.pdf"))
    assert public, "the guide builds a public edition"
    text = "\n".join(page.extract_text() for page in PdfReader(public[-1]).pages)
    assert "Annex 2 — withheld (confidential); available to the Office on request" in text
    assert "Eva Lind" not in text and "Statement of Witness A" not in text


def test_expected_pattern() -> None:
    pattern = expected_pattern(["a YYYY-MM-DD b", "...", "c ... d"])
    assert pattern.fullmatch("a 2024-03-01 b\nx\ny\nc 1 2 d\n")
    assert pattern.fullmatch("a 2024-03-01 b\nc  d\n")
    assert not pattern.fullmatch("a 2024-3-1 b\nc d\n")
    assert not pattern.fullmatch("a 2024-03-01 b\nc d\nextra\n")


# ---- checks.md --------------------------------------------------------------------------------


def _codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "dossier").rglob("*.py"):
        codes.update(re.findall(r"\"([A-Z]{3,5}-\d{2})\"", path.read_text(encoding="utf-8")))
    return codes


def test_checks_md_explains_every_code() -> None:
    documented = set(re.findall(r"^\| `([A-Z]{3,5}-\d{2})` \|", CHECKS.read_text("utf-8"), re.M))
    emitted = _codes_in_source()
    assert emitted, "no codes found in the source"
    assert sorted(emitted - documented) == [], "codes without an entry in docs/checks.md"
    assert sorted(documented - emitted) == [], "docs/checks.md documents codes nobody emits"


def test_shell_completion_as_documented(runner: CliRunner) -> None:
    assert "_DOSSIER_COMPLETE=bash_source dossier" in GUIDE.read_text(encoding="utf-8")
    script = runner.invoke(cli, [], prog_name="dossier", env={"_DOSSIER_COMPLETE": "bash_source"})
    assert script.exit_code == 0 and "_dossier_completion()" in script.stdout
    env = {"_DOSSIER_COMPLETE": "bash_complete", "COMP_WORDS": "dossier annex a", "COMP_CWORD": "2"}
    result = runner.invoke(cli, [], prog_name="dossier", env=env)
    assert result.stdout.splitlines() == ["plain,add"]
