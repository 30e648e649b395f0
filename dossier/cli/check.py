"""``dossier check``: validate a case and print its problems, grouped by file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..checks import FinalBuild, check_case, has_errors
from ..load import load_case
from . import CASE, cli, echo_lines, handle_errors, problem_lines, terminal, totals


@cli.command()
@CASE
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--final",
    is_flag=True,
    help="Also what 'dossier build --final' refuses: placeholders the copy to send would print.",
)
@click.option(
    "--submission",
    "submission_id",
    metavar="ID",
    help="With --final: the submission to send. Default: the latest not sent.",
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(["en", "fr", "es"]),
    help="The language the dossier is built in: every text it prints must be given in it "
    "(FORM-16). Default: the case's language and each draft's.",
)
@click.option(
    "--sign",
    "sign_file",
    metavar="FILE.p12",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --final: it will be signed digitally (the certificate is checked by the build).",
)
@handle_errors
def check(
    case: Path,
    strict: bool,
    fmt: str,
    final: bool,
    submission_id: str | None,
    sign_file: Path | None,
    language: str | None,
) -> None:
    """Validate every record of CASE and print every problem.

    Errors first, then warnings, then notes; each line names its severity, the file, line and
    field, what is wrong, the fix and the check code (docs/checks.md). Every annex file is
    opened as the build opens it, so a case that passes check builds.

    With --lang, what a dossier in that language would print in another (a title, the facts, a
    request the records do not give in it) and the annexes without a translation into it.

    With --final, what a final build of the submission would print as a placeholder (still
    'to be supplied', an unknown language, a stand-in page for an annex file not supplied, an
    unsigned letter) or in another language than its own is an error: the errors listed are
    exactly what 'dossier build CASE --final' refuses (with the same --submission, --sign
    and --lang).

    Exit code 0: no errors (and no warnings with --strict); 1: problems.

    \b
    Examples:
      dossier check cases/3386 --strict
      dossier check cases/3386 --final --sign officer.p12
      dossier check cases/3386 --lang fr --final
    """
    if (submission_id or sign_file) and not final:
        raise click.UsageError("--submission and --sign go with --final")
    bundle = load_case(case)
    request = FinalBuild(submission_id, sign_file is not None, language) if final else None
    problems = check_case(bundle, final=request, languages=(language,) if language else None)
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
