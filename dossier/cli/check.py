"""``dossier check``: validate a case and print its problems, grouped by file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..checks import check_case, has_errors
from ..load import load_case
from . import CASE, cli, echo_lines, handle_errors, problem_lines, terminal, totals


@cli.command()
@CASE
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@handle_errors
def check(case: Path, strict: bool, fmt: str) -> None:
    """Validate every record of CASE and print every problem.

    Errors first, then warnings, then notes; each line names its severity, the file, line and
    field, what is wrong, the fix and the check code (docs/checks.md). Every annex file is
    opened as the build opens it, so a case that passes check builds.

    Exit code 0: no errors (and no warnings with --strict); 1: problems.

    \b
    Example:
      dossier check cases/3386 --strict
    """
    bundle = load_case(case)
    problems = check_case(bundle)
    failed = has_errors(problems, strict)
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        _, color = terminal()
        lines = problem_lines(problems, color)
        echo_lines([*lines, ""] if lines else [], color)
        click.echo(f"{case}: {totals(problems)}")
    if failed:
        sys.exit(1)
