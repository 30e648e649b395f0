"""The ``dossier`` command: parse, call the library, print. No logic lives here.

The click group ``cli`` and the helpers its commands share live here; the commands live in one
module per theme (check, build, records, submissions, tables), each registering on ``cli``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__
from ..errors import DossierError, Problem, Severity

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn a DossierError into ``Error: …`` on stderr and its exit code; bugs keep tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DossierError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            for problem in exc.problems:
                click.echo(problem.format(), err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


CASE = click.argument("case", type=click.Path(file_okay=False, path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossier")
def cli() -> None:
    """Build numbered complaint dossiers for the ILO Committee on Freedom of Association.

    \b
    Examples:
      dossier check cases/3386
      dossier build cases/3386
    """


_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


_NOUNS = ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note"))


def totals(problems: list[Problem]) -> str:
    """``2 errors, 1 warning, 0 notes``."""
    return ", ".join(
        counted(sum(p.severity == severity for p in problems), noun) for severity, noun in _NOUNS
    )


def problem_lines(problems: list[Problem], color: bool = False) -> list[str]:
    """Problems errors first, then warnings, then notes, each kind under a header (``2 errors``)
    and sorted by file and line; each line names its severity in words. With ``color`` the
    headers are bold and each line is coloured by its severity (errors red, warnings yellow).
    """
    out: list[str] = []
    for severity, noun in _NOUNS:
        group = sorted(
            (p for p in problems if p.severity == severity),
            key=lambda p: (p.file, p.line, p.field, p.code, p.message),
        )
        if not group:
            continue
        if out:
            out.append("")
        header = counted(len(group), noun)
        out.append(click.style(header, bold=True) if color else header)
        for problem in group:
            line = problem.format()
            out.append(click.style(line, fg=_SEVERITY_COLOUR[problem.severity]) if color else line)
    return out


def terminal() -> tuple[int, bool]:
    """Width to format for, and whether to colour: only on a terminal, never with NO_COLOR."""
    import os
    import shutil

    tty = sys.stdout.isatty()
    width = min(max(shutil.get_terminal_size((80, 24)).columns, 60), 160) if tty else 80
    return width, tty and not os.environ.get("NO_COLOR")


def echo_lines(lines: list[str], color: bool) -> None:
    for line in lines:
        click.echo(line, color=color)


def load_note(case: Path, problems: int) -> None:
    if problems:
        click.echo(
            f"{case}: {problems} records could not be read; run 'dossier check {case}'", err=True
        )


# The commands register on ``cli`` when their modules are imported, after the helpers above.
from . import build, check, letters, records, submissions, tables, verify  # noqa: E402, F401
