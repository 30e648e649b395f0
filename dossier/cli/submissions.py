"""Over the life of a case: ``submission new / mark-sent / rebuild`` and ``diff``."""

from __future__ import annotations

from pathlib import Path

import click

from . import CASE, cli, handle_errors


@cli.group()
def submission() -> None:
    """Manage the submissions (letters to the ILO) of a case: freeze what was sent.

    \b
    Example:
      dossier submission mark-sent cases/3386 2026-11-24-additional-information --date 2026-11-24
    """


@submission.command("new")
@CASE
@click.option(
    "--kind",
    type=click.Choice(["additional_information", "reply_comment", "urgent_intervention"]),
    default="additional_information",
    show_default=True,
    help="What the new letter is.",
)
@click.option("--date", help="Date of the new letter (default: today).")
@handle_errors
def submission_new(case: Path, kind: str, date: str | None) -> None:
    """Start the next draft submission of CASE (an addendum) from the latest one.

    Addressee, copies, sender, signatory and language are copied; the new draft presents the
    allegations not reported before ('allegations: new'), refers to the latest sent letter, and
    gets its own Markdown letter. Refuses while another draft exists.

    \b
    Example:
      dossier submission new cases/3386 --kind additional_information
    """
    from ..commands.drafts import new_submission

    path = new_submission(case, kind, date)
    click.echo(f"Wrote {case / 'submissions' / path.name}")
    click.echo(f"Wrote {case / 'submissions' / path.with_suffix('.md').name}")


@submission.command("mark-sent")
@CASE
@click.argument("submission_id", metavar="ID")
@click.option("--date", "sent_on", required=True, help="Date it was sent, e.g. 2026-11-24.")
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="manifest.json of the final build that was sent. Default: CASE/build/ID/manifest.json.",
)
@click.option(
    "--without-pdf",
    is_flag=True,
    help="The letter was sent outside dossier: record no PDF (the letter is dated --date).",
)
@handle_errors
def submission_mark_sent(
    case: Path, submission_id: str, sent_on: str, manifest: Path | None, without_pdf: bool
) -> None:
    """Mark submission ID of CASE as sent on --date and freeze it.

    Needs the final build that was sent ('dossier build CASE --final', found in CASE/build/ID/
    from any directory): the sha256 of its PDF is recorded, with its annex numbers (kept by
    later submissions); it is refused when there is none, when the last build is a draft, or
    when the records changed since it was built. --without-pdf records a letter sent outside
    the tool instead.

    Sets 'sent: true' in its YAML (comments kept; the letter keeps the date it bears) and
    writes submissions/ID.sent.json: the hashes of every record and annex file it used and a
    copy of the records, so the sent dossier can be rebuilt byte for byte. 'dossier check'
    then reports later edits to what it used [SENT-01], and 'dossier build --submission ID'
    refuses to build it from edited records.

    \b
    Example:
      dossier submission mark-sent cases/3386 2026-11-24-additional-information --date 2026-11-24
    """
    import datetime as dt

    from ..commands.sent import mark_sent

    try:
        day = dt.date.fromisoformat(sent_on)
    except ValueError:
        raise click.BadParameter(
            f"'{sent_on}' is not a date; write 2026-11-24", param_hint="--date"
        ) from None
    result = mark_sent(case, submission_id, day, manifest=manifest, without_pdf=without_pdf)
    click.echo(f"Marked '{result.submission}' sent on {result.sent_on:%Y-%m-%d}")
    folder = case / "submissions"  # as the user typed the case's path
    click.echo(f"  {folder / result.yaml.name}: sent: true, date: {result.letter_date:%Y-%m-%d}")
    click.echo(f"  {folder / result.frozen.name}: frozen record")
    if result.pdf is not None:
        pdf = result.pdf
        click.echo(f"  PDF sent: {case / pdf['file']} ({pdf['kind']}), sha256 {pdf['sha256']}")
    else:
        click.echo("  no PDF recorded (--without-pdf): the letter was sent outside dossier")
    numbers = ", ".join(f"{n} {a}" for a, n in sorted(result.annexes.items(), key=lambda i: i[1]))
    click.echo(
        f"  {result.allegations} allegations, {len(result.annexes)} annexes "
        f"(numbers from the {result.numbers_from}){': ' + numbers if numbers else ''}"
    )


@submission.command("rebuild")
@CASE
@click.argument("submission_id", metavar="ID")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: CASE/build/ID/.",
)
@click.option(
    "--sign",
    "sign_file",
    metavar="FILE.p12",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sign it again, as the copy sent was signed (password: DOSSIER_SIGN_PASSWORD).",
)
@handle_errors
def submission_rebuild(
    case: Path, submission_id: str, out: Path | None, sign_file: Path | None
) -> None:
    """Rebuild sent submission ID of CASE from its frozen records, as it was sent.

    Later edits to the records do not change it; an annex file changed since is an error.
    Says whether the PDF is byte for byte the one recorded as sent; a signed copy is
    reproduced with --sign and the same certificate (an RSA key signs the same bytes).

    \b
    Example:
      dossier submission rebuild cases/3386 2026-11-24-additional-information
    """
    from ..commands.sent import rebuild_sent, sent_pdf
    from .build import signing_of

    signing = signing_of(sign_file) if sign_file is not None else None
    result = rebuild_sent(case, submission_id, out, signing)
    click.echo(f"Case No. {result.case_no} — {result.submission} (as sent)")
    click.echo(f"  {result.pages} pages, {result.annexes} annexes, sha256 {result.sha256}")
    click.echo(f"  {result.pdf}")
    recorded = sent_pdf(case, submission_id)
    if recorded is None:
        click.echo("  no PDF was recorded when it was marked sent: nothing to compare with")
    elif recorded["sha256"] == result.sha256:
        click.echo(f"  identical to the PDF sent ({recorded['kind']})")
    else:
        hint = (
            " (rebuild with --sign and the same certificate)"
            if recorded["kind"] == "signed"
            else ""
        )
        click.echo(
            f"  differs from the PDF sent ({recorded['kind']}, sha256 {recorded['sha256']}){hint}"
        )


@cli.command("diff")
@CASE
@click.argument("from_id", metavar="FROM")
@click.argument("to_id", metavar="TO")
@handle_errors
def diff_command(case: Path, from_id: str, to_id: str) -> None:
    """Print what changed between submissions FROM and TO of CASE.

    New allegations, new annexes (with their numbers), and allegations or annexes reported
    before whose facts have changed. A sent submission is taken as it was sent.

    \b
    Example:
      dossier diff cases/3386 2023-12-11-urgent-intervention 2026-11-24-additional-information
    """
    from ..commands.diff import diff_lines, diff_submissions

    for line in diff_lines(diff_submissions(case, from_id, to_id)):
        click.echo(line)
