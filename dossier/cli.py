"""The ``dossier`` command: parse, call the library, print. No logic lives here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .checks import check_case, has_errors
from .errors import DossierError, Severity
from .load import load_case
from .schema import write_schemas

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


@cli.command()
@CASE
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@handle_errors
def check(case: Path, strict: bool, fmt: str) -> None:
    """Validate every record of CASE and print every problem.

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
        for problem in problems:
            click.echo(problem.format())
        counts = {s: sum(p.severity == s for p in problems) for s in Severity}
        click.echo(
            f"{case}: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
            f"{counts[Severity.INFO]} notes",
            err=True,
        )
    if failed:
        sys.exit(1)


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder for the *.schema.json files.",
)
def schema(out: Path) -> None:
    """Write the JSON Schemas of the records (for editors and review).

    \b
    Example:
      dossier schema --out schemas/
    """
    for path in write_schemas(out):
        click.echo(str(path))
