"""``dossier verify``: the signature of a built dossier, and the inputs its manifest lists."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import cli, handle_errors


@cli.command("verify")
@click.argument("target", metavar="PDF|CASE", type=click.Path(exists=True, path_type=Path))
@click.option("--submission", "submission_id", metavar="ID", help="With CASE: whose build.")
@click.option(
    "--edition",
    type=click.Choice(["full", "public"]),
    help="With CASE: which edition. Default: the full one.",
)
@click.option(
    "--case",
    "case_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The case folder the manifest's inputs are in. Default: the one the build is in.",
)
@handle_errors
def verify(
    target: Path, submission_id: str | None, edition: str | None, case_dir: Path | None
) -> None:
    """Check the digital signature of a dossier PDF, and that nothing it was built from changed.

    TARGET is a PDF, or a case folder (its last build, found in CASE/build/ from any
    directory). Reports whether the signature is valid and covers the whole file, who signed
    and when (the signing time the signer claims: the letter's date), and, with the
    manifest.json written beside the PDF, whether the PDF is the one it describes and whether
    every input file (records, annexes) still has the sha256 it was built with. No certificate
    is trusted by default: a valid signature by a certificate of unknown origin is reported
    as such. Exit code 0: signed, valid, whole and unchanged; 1: anything else.

    \b
    Examples:
      dossier verify cases/3386/build/2026-11-24-additional-information/dossier.pdf
      dossier verify cases/3386
    """
    from ..commands.outputs import last_build
    from ..commands.verify import verify_build

    pdf = last_build(target, submission_id, edition) if target.is_dir() else target
    report = verify_build(
        pdf, case_dir if case_dir is not None else (target if target.is_dir() else None)
    )
    sig = report.signature
    click.echo(str(pdf))
    if not sig.signed:
        why = sig.problems[0] if sig.problems else "the PDF has no signature"
        click.echo(f"  signature: none — {why}")
    else:
        state = "valid" if sig.valid else "NOT VALID"
        whole = (
            "covers the whole file" if sig.covers_whole_file else "does NOT cover the whole file"
        )
        click.echo(f"  signature: {state}, {whole}")
        click.echo(f"  signed by: {sig.signer or 'unknown'}")
        if sig.signing_time is not None:
            when = sig.signing_time.strftime("%Y-%m-%d %H:%M %Z").strip()
            click.echo(f"  signing time: {when} (as the signer states it; no timestamp)")
        trust = "trusted" if sig.trusted else "not checked against a trusted root (none is set)"
        click.echo(f"  certificate: {trust}")
    for problem in sig.problems:
        if sig.signed:
            click.echo(f"    {problem}")
    if report.manifest is None:
        click.echo("  manifest: none beside the PDF; inputs not checked")
    else:
        kind = f" ({report.kind})" if report.kind else ""
        same = (
            "the PDF is the one it describes"
            if report.pdf_matches
            else ("the PDF is NOT the one it describes (its sha256 differs)")
        )
        click.echo(f"  manifest: {report.manifest}{kind}: {same}")
        changed = [i for i in report.inputs if i.state != "ok"]
        if not changed:
            click.echo(f"  inputs: {len(report.inputs)} files, all as built")
        else:
            click.echo(f"  inputs: {len(changed)} of {len(report.inputs)} changed since the build:")
            for item in changed:
                click.echo(f"    {item.state}: {item.file}")
    click.echo("OK" if report.ok else "NOT OK")
    if not report.ok:
        sys.exit(1)
