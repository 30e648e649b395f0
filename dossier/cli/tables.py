"""``dossier list``, ``timeline`` and ``schema``: print what the records hold."""

from __future__ import annotations

from pathlib import Path

import click

from ..load import load_case
from ..models.schema import write_schemas
from . import CASE, cli, echo_lines, handle_errors, load_note, terminal


@cli.command("list")
@CASE
@click.option(
    "--submissions",
    is_flag=True,
    help="Show the submission register: date, kind, status, annexes, addressee, last build.",
)
@handle_errors
def list_records(case: Path, submissions: bool) -> None:
    """Print tables of the parties, allegations, annexes and submissions of CASE.

    \b
    Examples:
      dossier list cases/3386
      dossier list cases/3386 --submissions
    """
    from ..commands.tables import last_build_pages, list_lines, register_lines

    bundle = load_case(case)
    width, color = terminal()
    if submissions:
        lines = register_lines(bundle, width, color, pages=last_build_pages(bundle))
    else:
        lines = list_lines(bundle, width, color)
    echo_lines(lines, color)
    load_note(case, len(bundle.problems))


@cli.command()
@CASE
@handle_errors
def timeline(case: Path) -> None:
    """Print the chronology of CASE: every allegation by date, with its sources.

    Dates show their real precision, e.g. '2020-06 (approx.)' or '2020-02 – 2020-06'.

    \b
    Example:
      dossier timeline cases/3386
    """
    from ..commands.tables import timeline_lines

    bundle = load_case(case)
    width, color = terminal()
    echo_lines(timeline_lines(bundle, width, color), color)
    load_note(case, len(bundle.problems))


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
