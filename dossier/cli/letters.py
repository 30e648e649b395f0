"""``dossier letters fill``: supporting letters from affiliates, filled from a model letter."""

from __future__ import annotations

from pathlib import Path

import click

from . import CASE, cli, handle_errors


@cli.group()
def letters() -> None:
    """Supporting letters from affiliates, filled from a model letter.

    \b
    Example:
      dossier letters fill cases/3386 letters/undated-bwi-affiliate-president-model.txt \\
          --signatories unions.csv
    """


@letters.command("fill")
@CASE
@click.argument("template", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--signatories",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with a header row: union, signatory, title, date, place, country….",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PDFs. Default: CASE/build/letters/.",
)
@click.option(
    "--register",
    is_flag=True,
    help="Also add each letter as an annex (copied to annexes/, listed in the draft).",
)
@handle_errors
def letters_fill(
    case: Path, template: Path, signatories: Path, out: Path | None, register: bool
) -> None:
    """Fill the model letter TEMPLATE once per row of --signatories: one dated PDF per union.

    TEMPLATE (a path, or one under CASE/annexes/) holds placeholders such as '(your union)':
    '(your X)' and '{{X}}' take column X of the row; a line marked '(if applicable)' is kept,
    with 'your country' filled, when the row has a 'country', else dropped. The letter is dated
    ('date', default today) at 'place' and signed with 'signatory', 'title' and 'union'. Any
    placeholder left refuses the whole run, naming the row [FORM-11]; nothing is written.

    \b
    Examples:
      dossier letters fill cases/3386 letters/undated-bwi-affiliate-president-model.txt \\
          --signatories unions.csv
      dossier letters fill cases/3386 model.txt --signatories unions.csv --register
    """
    from ..commands.letters import fill

    result = fill(case, template, signatories, out, register)
    click.echo(f"Wrote {len(result.written)} letter(s):")
    for path in result.written:
        click.echo(f"  {path}")
    if result.registered:
        click.echo(f"Added annex(es): {', '.join(result.registered)}")
