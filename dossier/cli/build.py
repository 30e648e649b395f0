"""``dossier build`` and ``dossier open``: the dossier PDF, its volumes and e-mail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..load import load_case
from . import CASE, cli, counted, handle_errors


class _ProgressBar:
    """Build progress on stderr, one click progress bar per stage; silent when not a TTY."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.enabled = sys.stderr.isatty()

    def stage(self, label: str, total: int) -> None:
        self.close()
        if self.enabled and total > 0:
            self.bar = click.progressbar(length=total, label=f"{label:<17}", file=sys.stderr)
            self.bar.__enter__()

    def advance(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} kB"


@cli.command()
@CASE
@click.option("--submission", "submission_id", metavar="ID", help="Default: latest not sent.")
@click.option(
    "--edition",
    type=click.Choice(["full", "public", "both"]),
    default="full",
    show_default=True,
    help="Full, public (confidential parts withheld) or both.",
)
@click.option("--lang", type=click.Choice(["en", "fr", "es"]), help="Default: the submission's.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: CASE/build/<submission>/, wherever it is run.",
)
@click.option(
    "--max-size",
    metavar="SIZE",
    help="Also split into volumes of at most SIZE (e.g. 20MB) at annex boundaries.",
)
@click.option(
    "--max-dpi",
    type=click.IntRange(72, 1200),
    default=200,
    show_default=True,
    help="With --max-size: downsample finer scanned images in the volumes to this resolution.",
)
@click.option(
    "--late",
    is_flag=True,
    help="Append the draft's new annexes to the dossier last sent, numbered on (no renumbering).",
)
@click.option(
    "--eml",
    is_flag=True,
    help="Also write submission.eml beside the PDF: To/Cc, subject, the dossier attached.",
)
@click.option(
    "--ocr",
    is_flag=True,
    help="Add an invisible text layer to image-only annex pages (needs the [ocr] extra).",
)
@click.option(
    "--page-size",
    type=click.Choice(["a4"]),
    default=None,
    help="Put every annex page on this sheet (landscape pages on the landscape sheet).",
)
@click.option(
    "--final",
    is_flag=True,
    help="The copy to send: no DRAFT mark; refused while anything is to be supplied.",
)
@click.option(
    "--sign",
    "sign_file",
    metavar="FILE.p12",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --final: sign it (PAdES) with the signatory's PKCS#12 certificate. The "
    "password comes from DOSSIER_SIGN_PASSWORD or a hidden prompt.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    help="Processes making the public edition's pages. Default: one per core.",
)
@handle_errors
def build(
    case: Path,
    submission_id: str | None,
    edition: str,
    lang: str | None,
    out: Path | None,
    max_size: str | None,
    max_dpi: int,
    late: bool,
    eml: bool,
    ocr: bool,
    page_size: str | None,
    final: bool,
    sign_file: Path | None,
    jobs: int | None,
) -> None:
    """Build the numbered, stamped dossier PDF of CASE and its manifest.json.

    Without --final the dossier is a draft: every page we typeset is marked DRAFT. With
    --final it is the copy to send, without any mark; it is refused (exit 1, nothing
    written) while anything it would print is a placeholder: 'dossier check CASE --final'
    lists the same. --sign FILE.p12 signs that copy digitally (PAdES) in the cover letter's
    signature block, dated the letter's date; the password is read from the environment
    variable DOSSIER_SIGN_PASSWORD, or asked for on a terminal, never from the command line.

    A sent submission (--submission ID) is built only from the records it was sent with;
    after an edit, 'dossier submission rebuild' builds it as it was sent.

    Exit code 0: written; 1: the records have errors; 2: usage (or a certificate that cannot
    sign); 3: the build failed (e.g. an unreadable annex). A failed build leaves the previous
    output untouched.

    With --eml, also writes submission.eml beside the PDF: To and Cc from the addressee and
    copies (their e-mail is needed), the case number in the subject, the dossier (or each
    volume) attached, ready to open in a mail client.

    With --ocr, scanned (image-only) annex pages get an invisible text layer, so Russian and
    Kyrgyz documents become searchable (pip install 'dossier[ocr]' and Debian's tesseract-ocr,
    tesseract-ocr-rus, tesseract-ocr-kir).

    Every page is stamped on a white band at its bottom edge (case, annex and its own page
    number, "Page X of Y"); an annex page whose content reaches into that band is scaled down
    so that nothing is covered (manifest.json lists those pages). With --page-size a4, every
    annex page is put on A4.

    The public edition (--edition public or both) shows every annex page as a picture with each
    confidential name under a labelled black box; scans are read with Tesseract (results kept in
    CASE/build/.cache/ocr); a page that cannot be read needs public_review in annexes.yaml.

    \b
    Examples:
      dossier build cases/3386 --submission 2026-11-24-additional-information
      dossier build cases/3386 --page-size a4
      dossier build cases/3386 --final --sign officer.p12 --eml
    """
    from ..commands.build import build_dossier, parse_size

    limit = parse_size(max_size) if max_size else None
    if eml:
        _check_recipients(case, submission_id)  # before anything is built
    if late:
        if limit is not None or edition != "full" or ocr or page_size or sign_file is not None:
            raise click.UsageError(
                "--late builds the full edition, without --max-size, --ocr, --page-size or --sign"
            )
        from ..commands.late import build_late

        added = build_late(case, submission_id=submission_id, out_dir=out, final=final)
        numbers = ", ".join(str(n) for n in added.appended)
        click.echo(f"Sent dossier '{added.base}' with Annex(es) {numbers} appended")
        click.echo(f"  {added.pages} pages, sha256 {added.sha256[:12]}…")
        click.echo(f"  {added.pdf}")
        click.echo(f"  {added.manifest}")
        if eml:
            _write_eml(case, submission_id, added.pdf)
        return
    signing = signing_of(sign_file) if sign_file is not None else None
    bar = _ProgressBar()
    try:
        result = build_dossier(
            case,
            submission_id=submission_id,
            edition=edition,
            language=lang,
            out_dir=out,
            progress=bar,
            ocr=ocr,
            max_size=limit,
            max_dpi=max_dpi,
            page_size=page_size,
            final=final,
            signing=signing,
            map_jobs=_workers(jobs, edition),
        )
    finally:
        bar.close()
    kind = result.kind
    if result.signature is not None:
        kind = f"final, signed by {result.signature['signer']}"
    click.echo(f"Case No. {result.case_no} — {result.submission} ({kind})")
    click.echo(
        f"  {result.pages} pages, {result.annexes} annexes, {_size(result.size)}, "
        f"{result.seconds:.1f} s"
    )
    click.echo(f"  {result.pdf}")
    if result.public_pdf is not None:
        click.echo(f"  {result.public_pdf}")
    click.echo(f"  {result.manifest}")
    if result.fitted:
        click.echo(
            f"  {result.fitted} annex pages fitted so that the stamp covers none of their "
            "content (see manifest.json)"
        )
    if result.removed:
        click.echo(f"  removed from annexes ({len(result.removed)}):")
        for item in result.removed[:8]:
            click.echo(f"    {item}")
    if result.warnings:
        click.echo(f"  {counted(len(result.warnings), 'warning')}:")
        for item in result.warnings[:8]:
            click.echo(f"    {item}")
    if result.record_warnings or result.record_notes:
        click.echo(
            f"  records: 0 errors, {counted(len(result.record_warnings), 'warning')}, "
            f"{counted(result.record_notes, 'note')} (details: dossier check {case})"
        )
    if result.kind == "draft":
        click.echo(f"  a draft, marked DRAFT; the copy to send: dossier build {case} --final")
    if limit is not None:
        if not result.volume_table:
            click.echo(f"  fits in one volume of at most {max_size}")
        for volume, path in zip(result.volume_table, result.volumes, strict=True):
            click.echo(
                f"  volume {volume.number}: pages {volume.first_page}–{volume.last_page}, "
                f"{_size(volume.size)}  {path}"
            )
    if eml:
        full = [p for p in result.volumes if p.name.startswith("dossier-vol")]
        _write_eml(case, result.submission, full or [result.pdf])


def _check_recipients(case: Path, submission_id: str | None) -> None:
    """``build --eml`` without an addressee e-mail fails before the PDF is built."""
    from ..commands.eml import recipients
    from ..load.sent import select_submission

    bundle = load_case(case)
    recipients(bundle, select_submission(bundle, submission_id))


def _workers(jobs: int | None, edition: str) -> Any:
    """Worker processes for the public edition's pages (see dossier/commands/workers.py)."""
    if edition == "full":
        return None
    from ..commands.workers import MAX_WORKERS, cores, process_map

    count = jobs if jobs is not None else min(cores(), MAX_WORKERS)
    return process_map(count) if count > 1 else None


def signing_of(file: Path) -> Any:
    """The PKCS#12 file and its password (environment, or a hidden prompt on a terminal)."""
    import os

    from ..commands.certificate import password_from_env_or_prompt
    from ..commands.sign import Signing

    def ask() -> str:
        return str(click.prompt(f"Password of {file}", hide_input=True, err=True))

    password = password_from_env_or_prompt(os.environ, ask if sys.stdin.isatty() else None)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {file} ({exc.strerror})", param_hint="--sign"
        ) from None
    return Signing(data, password, str(file))


def _write_eml(case: Path, submission_id: str | None, pdfs: Path | list[Path]) -> None:
    """``build --eml``: submission.eml beside the PDF just built (each volume attached)."""
    from ..commands.eml import write_eml
    from ..load.sent import select_submission

    bundle = load_case(case)
    path = write_eml(bundle, select_submission(bundle, submission_id), pdfs)
    click.echo(f"  {path}")


@cli.command("open")
@CASE
@click.option("--submission", "submission_id", metavar="ID", help="Default: the last built.")
@click.option(
    "--edition",
    type=click.Choice(["full", "public"]),
    help="Which edition. Default: the full one, if it was built.",
)
@click.option("--print", "print_only", is_flag=True, help="Only print the PDF's path.")
@handle_errors
def open_command(
    case: Path, submission_id: str | None, edition: str | None, print_only: bool
) -> None:
    """Open the dossier PDF last built for CASE in the system's PDF viewer.

    The last build is found in CASE/build/, wherever the command is run. Prints its path
    instead with --print, when the output is not a terminal, or when no viewer can be
    started. Exit code 2 when nothing was built yet.

    \b
    Examples:
      dossier open cases/3386
      dossier open cases/3386 --edition public --print
    """
    from ..commands.outputs import last_build

    pdf = last_build(case, submission_id, edition)
    if print_only or not sys.stdout.isatty():
        click.echo(str(pdf))
        return
    if click.launch(str(pdf)) != 0:
        click.echo(f"No PDF viewer could be started; the dossier is at: {pdf}")
        return
    click.echo(f"Opened {pdf}")
