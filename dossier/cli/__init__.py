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
from .errors import DossierError, Problem, Severity
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


_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def problem_lines(problems: list[Problem], color: bool = False) -> list[str]:
    """Problems grouped by file (in order of first appearance), each group under a header
    ``file — 1 error, 2 warnings``; the problem lines keep their one-line form. With ``color``
    the header is bold and each line is coloured by its severity (errors red, warnings yellow).
    """
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.file, []).append(problem)
    out: list[str] = []
    for file, group in groups.items():
        counts = [
            _counted(n, noun)
            for severity, noun in (
                (Severity.ERROR, "error"),
                (Severity.WARNING, "warning"),
                (Severity.INFO, "note"),
            )
            if (n := sum(p.severity == severity for p in group))
        ]
        header = f"{file or '(case)'} — {', '.join(counts)}"
        if out:
            out.append("")
        out.append(click.style(header, bold=True) if color else header)
        for problem in group:
            line = problem.format()
            out.append(click.style(line, fg=_SEVERITY_COLOUR[problem.severity]) if color else line)
    return out


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
        _, color = _terminal()
        _echo_lines(problem_lines(problems, color), color)
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
    help="Output folder. Default: build/<case>/<submission>/.",
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
) -> None:
    """Build the numbered, stamped dossier PDF of CASE and its manifest.json.

    Exit code 0: written; 1: the records have errors; 2: usage; 3: the build failed
    (e.g. an unreadable annex). A failed build leaves the previous output untouched.

    With --eml, also writes submission.eml beside the PDF: To and Cc from the addressee and
    copies (their e-mail is needed), the case number in the subject, the dossier (or each
    volume) attached, ready to open in a mail client.

    With --ocr, scanned (image-only) annex pages get an invisible text layer, so Russian and
    Kyrgyz documents become searchable (pip install 'dossier[ocr]' and Debian's tesseract-ocr,
    tesseract-ocr-rus, tesseract-ocr-kir).

    \b
    Examples:
      dossier build cases/3386 --submission 2026-11-24-additional-information
      dossier build cases/3386 --eml
    """
    from .build import build_dossier
    from .volumes import Volume, build_in_volumes, parse_size

    limit = parse_size(max_size) if max_size else None
    if late:
        if limit is not None or edition != "full" or ocr:
            raise click.UsageError("--late builds the full edition, without --max-size or --ocr")
        from .late import build_late

        added = build_late(case, submission_id=submission_id, out_dir=out)
        numbers = ", ".join(str(n) for n in added.appended)
        click.echo(f"Sent dossier '{added.base}' with Annex(es) {numbers} appended")
        click.echo(f"  {added.pages} pages, sha256 {added.sha256[:12]}…")
        click.echo(f"  {added.pdf}")
        click.echo(f"  {added.manifest}")
        if eml:
            _write_eml(case, submission_id, added.pdf)
        return
    bar = _ProgressBar()
    volumes: list[Volume] = []
    options: dict[str, Any] = {
        "submission_id": submission_id,
        "edition": edition,
        "language": lang,
        "out_dir": out,
        "progress": bar,
        "ocr": ocr,
    }
    try:
        if limit is None:
            result = build_dossier(case, **options)
        else:  # built twice: the references then name their volume
            result, volumes = build_in_volumes(case, limit, dpi=max_dpi, **options)
    finally:
        bar.close()
    click.echo(f"Case No. {result.case_no} — {result.submission}")
    click.echo(
        f"  {result.pages} pages, {result.annexes} annexes, {_size(result.size)}, "
        f"{result.seconds:.1f} s"
    )
    click.echo(f"  {result.pdf}")
    if result.public_pdf is not None:
        click.echo(f"  {result.public_pdf}")
    click.echo(f"  {result.manifest}")
    if result.removed:
        click.echo(f"  removed from annexes ({len(result.removed)}):")
        for item in result.removed[:8]:
            click.echo(f"    {item}")
    if result.warnings:
        click.echo(f"  {len(result.warnings)} warnings:")
        for item in result.warnings[:8]:
            click.echo(f"    {item}")
    if result.record_warnings:
        click.echo(
            f"  {len(result.record_warnings)} warnings about the records "
            f"(see 'dossier check {case}' or manifest.json)"
        )
    if limit is not None:
        if not volumes:
            click.echo(f"  fits in one volume of at most {max_size}")
        for volume in volumes:
            click.echo(
                f"  volume {volume.number}: pages {volume.first_page}–{volume.last_page}, "
                f"{_size(volume.size)}  {volume.file}"
            )
    if eml:
        _write_eml(case, result.submission, [v.file for v in volumes] or [result.pdf])


def _write_eml(case: Path, submission_id: str | None, pdfs: Path | list[Path]) -> None:
    """``build --eml``: submission.eml beside the PDF just built (each volume attached)."""
    from .build import select_submission
    from .eml import write_eml

    bundle = load_case(case)
    path = write_eml(bundle, select_submission(bundle, submission_id), pdfs)
    click.echo(f"  {path}")


# ---- case folder: init, list, timeline, annex add, party new, allegation new ------------------


def _terminal() -> tuple[int, bool]:
    """Width to format for, and whether to colour: only on a terminal, never with NO_COLOR."""
    import os
    import shutil

    tty = sys.stdout.isatty()
    width = min(max(shutil.get_terminal_size((80, 24)).columns, 60), 160) if tty else 80
    return width, tty and not os.environ.get("NO_COLOR")


def _echo_lines(lines: list[str], color: bool) -> None:
    for line in lines:
        click.echo(line, color=color)


def _load_note(case: Path, problems: int) -> None:
    if problems:
        click.echo(
            f"{case}: {problems} records could not be read; run 'dossier check {case}'", err=True
        )


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--case", "case_no", type=int, required=True, help="CFA case number, e.g. 3386.")
@click.option("--country", required=True, help="Country complained against, e.g. Kyrgyzstan.")
@click.option("--complainant", help="Full name of the complainant organisation.")
@click.option("--acronym", help="Acronym of the complainant, e.g. MMTUK.")
@click.option("--address", help="Permanent postal address of the complainant.")
@click.option("--email", help="E-mail address of the complainant.")
@click.option("--signatory", help="Name of the officer who signs the letters.")
@click.option(
    "--title", default="General Secretary", show_default=True, help="The signatory's office."
)
@click.option(
    "--kind",
    type=click.Choice(["additional_information", "complaint"]),
    default="additional_information",
    show_default=True,
    help="Kind of the first (draft) submission.",
)
@click.option(
    "--language",
    type=click.Choice(["en", "fr", "es"]),
    default="en",
    show_default=True,
    help="Language of the submissions.",
)
@handle_errors
def init(
    folder: Path,
    case_no: int,
    country: str,
    complainant: str | None,
    acronym: str | None,
    address: str | None,
    email: str | None,
    signatory: str | None,
    title: str,
    kind: str,
    language: str,
) -> None:
    """Create a new case folder FOLDER that passes 'dossier check' and builds.

    Writes case.yaml, parties.yaml, annexes.yaml, empty allegations/ and annexes/, one draft
    submission with its letter, and a copy of the JSON Schemas for editor completion.
    Refuses a folder that is not empty.

    \b
    Example:
      dossier init cases/9999 --case 9999 --country Ruritania \\
          --complainant "Ruritanian Miners' Union" --acronym RMU
    """
    from .scaffold import CaseSpec, init_case

    spec = CaseSpec(
        case_no, country, complainant, acronym, kind, language, address, email, signatory, title
    )
    files = init_case(folder, spec)
    click.echo(f"Created {folder} (Case No. {case_no}, {country}):")
    for path in files:
        if path.parent.name != "schemas" and path.name != ".gitkeep":
            click.echo(f"  {path}")
    click.echo(f"  {folder / 'schemas'}/ (JSON Schemas for your editor)")
    click.echo(f"Next: fill in what is 'to be supplied', then run: dossier check {folder}")


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
    from .tables import last_build_pages, list_lines, register_lines

    bundle = load_case(case)
    width, color = _terminal()
    if submissions:
        lines = register_lines(bundle, width, color, pages=last_build_pages(bundle))
    else:
        lines = list_lines(bundle, width, color)
    _echo_lines(lines, color)
    _load_note(case, len(bundle.problems))


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
    from .tables import timeline_lines

    bundle = load_case(case)
    width, color = _terminal()
    _echo_lines(timeline_lines(bundle, width, color), color)
    _load_note(case, len(bundle.problems))


@cli.group()
def annex() -> None:
    """Manage the annexes (evidence) of a case.

    \b
    Example:
      dossier annex add cases/3386 scans/gknb-request.pdf --date 2023-10 --language ru
    """


@annex.command("add")
@CASE
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--title", help="Title for the annex list (default: the file name).")
@click.option("--date", help="Date of the document: 2023-10-25, 2023-10 or 2023.")
@click.option("--language", help="BCP 47 language of the document (default: the case's).")
@click.option("--issuer", help="Party id or name of who issued the document.")
@click.option(
    "--kind",
    type=click.Choice(
        ["document", "letter", "photo", "note_of_uncopyable_document", "translation"]
    ),
    default="document",
    show_default=True,
    help="What sort of evidence it is.",
)
@click.option("--confidential", is_flag=True, help="Withhold it from the public edition.")
@click.option(
    "--translation-of",
    metavar="ANNEX",
    help="Annex id of the original this file translates (sets --kind translation).",
)
@click.option(
    "--no-include",
    is_flag=True,
    help="Do not list it in the latest draft submission's annexes_extra.",
)
@handle_errors
def annex_add(
    case: Path,
    files: tuple[Path, ...],
    title: str | None,
    date: str | None,
    language: str | None,
    issuer: str | None,
    kind: str,
    confidential: bool,
    translation_of: str | None,
    no_include: bool,
) -> None:
    """Copy FILES into CASE/annexes/, pin their sha256 and register them in annexes.yaml.

    Comments and order in annexes.yaml are kept. Each new annex is also listed in the latest
    draft submission's annexes_extra, unless --no-include.

    \b
    Examples:
      dossier annex add cases/3386 gknb-request.pdf --date 2023-10 --language ru
      dossier annex add cases/3386 photo1.jpg photo2.jpg --kind photo --no-include
      dossier annex add cases/3386 request-en.pdf --translation-of gknb-request --language en
    """
    from .records import AnnexOptions, add_annexes

    options = AnnexOptions(
        title, date, language, issuer, kind, confidential, not no_include, translation_of
    )
    result = add_annexes(case, list(files), options)
    for added in result.added:
        how = "copied to" if added.copied else "already in"
        click.echo(
            f"Added annex '{added.id}' ({how} annexes/{added.file}, "
            f"sha256 {added.sha256[:12]}…, language {result.language})"
        )
    if result.submission:
        click.echo(f"Listed in annexes_extra of submission '{result.submission}'")
    elif not no_include:
        click.echo("No draft submission: not listed in any annexes_extra")


@cli.group()
def party() -> None:
    """Manage the parties (organisations, persons, groups) of a case.

    \b
    Example:
      dossier party new cases/3386 --name "Ryskul Babayeva" --kind person
    """


@party.command("new")
@CASE
@click.option("--name", required=True, help="Name as it should be printed.")
@click.option(
    "--kind",
    type=click.Choice(["person", "organisation", "group"]),
    default="person",
    show_default=True,
    help="Kind of party.",
)
@click.option("--acronym", help="Acronym (organisations only); also used for the id.")
@click.option("--confidential", is_flag=True, help="Never print the name in the public edition.")
@click.option("--pseudonym", help="Name printed instead of a confidential party's.")
@click.option("--address", help="Postal address (for a complainant: its permanent address).")
@click.option("--email", help="E-mail address.")
@handle_errors
def party_new(
    case: Path,
    name: str,
    kind: str,
    acronym: str | None,
    confidential: bool,
    pseudonym: str | None,
    address: str | None,
    email: str | None,
) -> None:
    """Add a party to CASE/parties.yaml with the next free id (comments are kept).

    \b
    Examples:
      dossier party new cases/3386 --name "Ryskul Babayeva"
      dossier party new cases/3386 --name "Federation of Trade Unions of Kyrgyzstan" \\
          --kind organisation --acronym FTUK
      dossier party new cases/3386 --name "(real name)" --confidential --pseudonym "Witness A"
    """
    from .records import new_party

    party_id = new_party(case, name, kind, acronym, confidential, pseudonym, address, email)
    click.echo(f"Added {kind} '{party_id}' to {case / 'parties.yaml'}")


def _categories() -> list[str]:
    from .models import Category

    return [c.value for c in Category]


@cli.group()
def allegation() -> None:
    """Manage the allegations (one dated event per file) of a case.

    \b
    Example:
      dossier allegation new cases/3386 --title "Search of the union office" \\
          --date 2023-10 --category search_of_premises
    """


@allegation.command("new")
@CASE
@click.option("--title", required=True, help="One line, e.g. 'Detention of six leaders'.")
@click.option("--date", required=True, help="2023-12-06, 2023-10 or 2023.")
@click.option(
    "--category",
    required=True,
    type=click.Choice(_categories()),
    metavar="CATEGORY",
    help="Category of the act: " + ", ".join(_categories()) + ".",
)
@click.option("--place", help="Where it happened.")
@click.option("--approximate", is_flag=True, help="The source gives the date only vaguely.")
@click.option("--facts", help="The facts (Markdown), stated as allegations.")
@click.option("--source", help="Where the facts are stated, e.g. 'letter of 11 Dec 2023'.")
@click.option("--victim", "victims", multiple=True, help="Party id of a victim (repeatable).")
@click.option(
    "--perpetrator", "perpetrators", multiple=True, help="Party id of an actor (repeatable)."
)
@click.option(
    "--evidence",
    multiple=True,
    metavar="ANNEX[:PAGES]",
    help="Annex id and its own pages, e.g. detention-order:2-3 (repeatable).",
)
@handle_errors
def allegation_new(
    case: Path,
    title: str,
    date: str,
    category: str,
    place: str | None,
    approximate: bool,
    facts: str | None,
    source: str | None,
    victims: tuple[str, ...],
    perpetrators: tuple[str, ...],
    evidence: tuple[str, ...],
) -> None:
    """Write a new allegation file in CASE/allegations/ with the next free id.

    What is not given (facts, source, victims…) is left 'to be supplied': edit the file, then
    run 'dossier check'.

    \b
    Examples:
      dossier allegation new cases/3386 --title "Detention of six union leaders" \\
          --date 2023-12-06 --category arrest_detention --place Bishkek
      dossier allegation new cases/3386 --title "Search of the union office" \\
          --date 2023-10 --approximate --category search_of_premises \\
          --perpetrator gknb --victim ftuk --evidence gknb-request:1
    """
    from .records import AllegationSpec, new_allegation

    spec = AllegationSpec(
        title, date, category, place, approximate, facts, source, victims, perpetrators, evidence
    )
    path = new_allegation(case, spec)
    click.echo(f"Wrote {case / 'allegations' / path.name}")


# ---- over the life of a case: submission mark-sent / rebuild, diff ----------------------------


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
    from .drafts import new_submission

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
    help="manifest.json of the build that was sent. Default: build/<case>/<ID>/manifest.json.",
)
@handle_errors
def submission_mark_sent(
    case: Path, submission_id: str, sent_on: str, manifest: Path | None
) -> None:
    """Mark submission ID of CASE as sent on --date and freeze it.

    Sets 'sent: true' and the date in its YAML (comments kept) and writes
    submissions/ID.sent.json: the hashes of every record and annex file it used, its annex
    numbers (kept by later submissions) and a copy of the records, so the sent dossier can be
    rebuilt byte for byte. 'dossier check' then reports later edits to what it used [SENT-01].

    \b
    Example:
      dossier submission mark-sent cases/3386 2026-11-24-additional-information --date 2026-11-24
    """
    import datetime as dt

    from .register import mark_sent

    try:
        day = dt.date.fromisoformat(sent_on)
    except ValueError:
        raise click.BadParameter(
            f"'{sent_on}' is not a date; write 2026-11-24", param_hint="--date"
        ) from None
    result = mark_sent(case, submission_id, day, manifest=manifest)
    click.echo(f"Marked '{result.submission}' sent on {result.sent_on:%Y-%m-%d}")
    click.echo(f"  {result.yaml}: sent: true, date: {result.sent_on:%Y-%m-%d}")
    click.echo(f"  {result.frozen}: frozen record")
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
    help="Output folder. Default: build/<case>/<ID>/.",
)
@handle_errors
def submission_rebuild(case: Path, submission_id: str, out: Path | None) -> None:
    """Rebuild sent submission ID of CASE from its frozen records, as it was sent.

    Later edits to the records do not change it; an annex file changed since is an error.

    \b
    Example:
      dossier submission rebuild cases/3386 2026-11-24-additional-information
    """
    from .register import rebuild_sent

    result = rebuild_sent(case, submission_id, out)
    click.echo(f"Case No. {result.case_no} — {result.submission} (as sent)")
    click.echo(f"  {result.pages} pages, {result.annexes} annexes, sha256 {result.sha256}")
    click.echo(f"  {result.pdf}")


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
    from .diff import diff_lines, diff_submissions

    for line in diff_lines(diff_submissions(case, from_id, to_id)):
        click.echo(line)


# ---- open, letters ----------------------------------------------------------------------------


def _last_build(case: Path, submission_id: str | None) -> Path:
    """The dossier PDF last built for CASE (or for one submission), under build/<case>/."""
    from .build import select_submission
    from .errors import RecordError, UsageError

    bundle = load_case(case)
    if bundle.case is None:
        raise RecordError(f"{case}: case.yaml could not be read; run 'dossier check {case}'")
    root = Path("build") / str(bundle.case.case_no)
    folders = (
        [root / select_submission(bundle, submission_id).id]
        if submission_id
        else [p for p in root.iterdir() if p.is_dir()]
        if root.is_dir()
        else []
    )
    pdfs = [
        pdf
        for folder in folders
        for name in ("dossier.pdf", "dossier-public.pdf")
        if (pdf := folder / name).is_file()
    ]
    if not pdfs:
        which = f"submission '{submission_id}' of " if submission_id else ""
        raise UsageError(
            f"nothing built yet for {which}Case No. {bundle.case.case_no} (no dossier.pdf in "
            f"{root}/); run 'dossier build {case}' first"
        )
    return max(pdfs, key=lambda pdf: (pdf.stat().st_mtime_ns, pdf.name == "dossier.pdf"))


@cli.command("open")
@CASE
@click.option("--submission", "submission_id", metavar="ID", help="Default: the last built.")
@click.option("--print", "print_only", is_flag=True, help="Only print the PDF's path.")
@handle_errors
def open_command(case: Path, submission_id: str | None, print_only: bool) -> None:
    """Open the dossier PDF last built for CASE in the system's PDF viewer.

    Prints its path instead with --print, when the output is not a terminal, or when no viewer
    can be started. Exit code 2 when nothing was built yet.

    \b
    Examples:
      dossier open cases/3386
      dossier open cases/3386 --submission 2026-11-24-additional-information --print
    """
    pdf = _last_build(case, submission_id)
    if print_only or not sys.stdout.isatty():
        click.echo(str(pdf))
        return
    if click.launch(str(pdf)) != 0:
        click.echo(f"No PDF viewer could be started; the dossier is at: {pdf}")
        return
    click.echo(f"Opened {pdf}")


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
    help="Folder for the PDFs. Default: build/<case>/letters/.",
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
    from .letters import fill

    result = fill(case, template, signatories, out, register)
    click.echo(f"Wrote {len(result.written)} letter(s):")
    for path in result.written:
        click.echo(f"  {path}")
    if result.registered:
        click.echo(f"Added annex(es): {', '.join(result.registered)}")
