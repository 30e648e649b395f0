"""Edit a case folder: ``init``, ``annex add``, ``party new``, ``allegation new``."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from . import CASE, cli, handle_errors


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
    submission with its letter, a copy of the JSON Schemas for editor completion, and a
    .gitignore that keeps the case's build/ folder (what dossier builds) out of version control.
    Refuses a folder that is not empty.

    \b
    Example:
      dossier init cases/9999 --case 9999 --country Ruritania \\
          --complainant "Ruritanian Miners' Union" --acronym RMU
    """
    from ..commands.init import CaseSpec, init_case

    spec = CaseSpec(
        case_no, country, complainant, acronym, kind, language, address, email, signatory, title
    )
    files = init_case(folder, spec)
    click.echo(f"Created {folder} (Case No. {case_no}, {country}):")
    for path in files:
        if path.parent.name != "schemas" and path.name not in (".gitkeep", ".gitignore"):
            click.echo(f"  {path}")
    click.echo(f"  {folder / 'schemas'}/ (JSON Schemas for your editor)")
    click.echo(f"Next: fill in what is 'to be supplied', then run: dossier check {folder}")


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
    help="Annex id of the original this file translates (sets --kind translation); the "
    "dossier prints it right after its original, as Annex 6a.",
)
@click.option("--translator", help="With --translation-of: who translated it (party id or name).")
@click.option(
    "--certified",
    is_flag=True,
    help="With --translation-of: a certified translation (default: unofficial).",
)
@click.option(
    "--no-include",
    is_flag=True,
    help="Do not list it in the latest draft submission's annexes_extra.",
)
@click.option(
    "--attachments",
    is_flag=True,
    help="For an e-mail (.eml, .msg): also add each attachment as an annex of its own.",
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
    translator: str | None,
    certified: bool,
    no_include: bool,
    attachments: bool,
) -> None:
    """Copy FILES into CASE/annexes/, pin their sha256 and register them in annexes.yaml.

    FILES may be PDFs, Word or OpenDocument documents (.docx .doc .odt .rtf; converted with
    LibreOffice), spreadsheets (.xlsx .xls .ods), e-mails (.eml, Outlook .msg), JPEG/PNG/TIFF
    images, or .md/.txt texts. Each file is opened as the build opens it: one the build would
    refuse (damaged beyond repair, encrypted without its password, LibreOffice missing…) is
    refused at once, with the line 'dossier check' would print, and nothing is written.

    Comments and order in annexes.yaml are kept. Each new annex is also listed in the latest
    draft submission's annexes_extra, unless --no-include. Without --language, the language is
    read from the document's text (py3langid); when the text does not say (a scan, a few words),
    the case's language is recorded and the output asks to check it. A photo gets language zxx
    (no linguistic content).

    \b
    Examples:
      dossier annex add cases/3386 gknb-request.pdf --date 2023-10 --language ru
      dossier annex add cases/3386 photo1.jpg photo2.jpg --kind photo --no-include
      dossier annex add cases/3386 request-en.pdf --translation-of gknb-request --language en
      dossier annex add cases/3386 request-fr.pdf --translation-of gknb-request --language fr \\
          --translator "A. Translator" --certified
      dossier annex add cases/3386 minutes.docx
      dossier annex add cases/3386 message.eml --attachments
    """
    from ..commands.annex_add import NO_LANGUAGE, AnnexOptions, add_annexes

    options = AnnexOptions(
        title,
        date,
        language,
        issuer,
        kind,
        confidential,
        not no_include,
        translation_of,
        attachments,
        translator,
        certified,
    )
    result = add_annexes(case, list(files), options)
    for added in result.added:
        how = "copied to" if added.copied else "already in"
        converted = f", converted from {added.origin}" if added.origin else ""
        said = ", read from its text" if added.read else ""
        if not (added.read or language or added.language == NO_LANGUAGE):
            said = ", the case's: check it"
        click.echo(
            f"Added annex '{added.id}' ({how} annexes/{added.file}, "
            f"sha256 {added.sha256[:12]}…, language {added.language}{said}{converted})"
        )
        if added.attachments:
            names = ", ".join(added.attachments)
            again = shlex.join(
                ["dossier", "annex", "add", str(case), str(case / "annexes" / added.file)]
            )
            click.echo(f"  attachments not added yet ({names}): {again} --attachments")
    for skipped in result.skipped:
        click.echo(f"Attachment left out: {skipped}")
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
    from ..commands.records import new_party

    party_id = new_party(case, name, kind, acronym, confidential, pseudonym, address, email)
    click.echo(f"Added {kind} '{party_id}' to {case / 'parties.yaml'}")


def _categories() -> list[str]:
    from ..models import Category

    return [c.value for c in Category]


@cli.group()
def allegation() -> None:
    """Manage the allegations (one dated event per file) of a case.

    \b
    Example:
      dossier allegation new cases/3386 --title "Search of the union office" \\
          --date 2023-10 --category premises_property
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
@click.option(
    "--principle",
    "principles",
    multiple=True,
    metavar="SECTION",
    help="Compilation section cited, e.g. civil-liberties.arrest-detention (repeatable); "
    "the file lists the sections of its category.",
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
    principles: tuple[str, ...],
) -> None:
    """Write a new allegation file in CASE/allegations/ with the next free id.

    What is not given (facts, source, victims…) is left 'to be supplied': edit the file, then
    run 'dossier check'.

    \b
    Examples:
      dossier allegation new cases/3386 --title "Detention of six union leaders" \\
          --date 2023-12-06 --category arrest_detention --place Bishkek \\
          --principle civil-liberties.arrest-detention
      dossier allegation new cases/3386 --title "Search of the union office" \\
          --date 2023-10 --approximate --category premises_property \\
          --perpetrator gknb --victim ftuk --evidence gknb-request:1
    """
    from ..commands.records import AllegationSpec, new_allegation

    spec = AllegationSpec(
        title,
        date,
        category,
        place,
        approximate,
        facts,
        source,
        victims,
        perpetrators,
        evidence,
        principles,
    )
    path = new_allegation(case, spec)
    click.echo(f"Wrote {case / 'allegations' / path.name}")
