"""PRIV-02: `dossier check` warns of a non-confidential annex that names a confidential person
(its public pages will show boxes over the name); PRIV-01 stays an error for our own texts."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from casefiles import new_case_with
from click.testing import CliRunner

from dossier.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
FIX = (
    "check the boxes over the name in the public edition (manifest-public.json lists them), or "
    "mark the annex confidential"
)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(CORPUS / "confidential", dest)
    return dest


def repin(case: Path, name: str) -> None:
    """Write a new annex file's sha256 into annexes.yaml (as `dossier annex add` would)."""
    register = case / "annexes.yaml"
    digest = hashlib.sha256((case / "annexes" / name).read_bytes()).hexdigest()
    text = register.read_text(encoding="utf-8")
    text = re.sub(
        rf"(file: {re.escape(name)}\n    sha256: )[0-9a-f]{{64}}", rf"\g<1>{digest}", text
    )
    register.write_text(text, encoding="utf-8")


def disclose(case: Path) -> None:
    """Make the confidential statement an ordinary annex (its content names both persons)."""
    register = case / "annexes.yaml"
    register.write_text(
        register.read_text(encoding="utf-8").replace("confidential: true", "confidential: false"),
        encoding="utf-8",
    )


def check(case: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", str(case)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, [line for line in result.stdout.splitlines() if "[PRIV-02]" in line]


def test_confidential_case_is_clean(case: Path) -> None:
    code, lines = check(case)
    assert code == 0
    assert lines == []


def test_pdf_annex_naming_a_confidential_person(case: Path) -> None:
    disclose(case)
    code, lines = check(case)
    assert code == 0  # a warning: the public edition redacts the annex
    assert len(lines) == 2  # both persons are named in the statement
    first = lines[0]
    assert first.startswith(f"{case}/annexes.yaml:8: warning: annexes[0].file: the annex names")
    assert "names confidential party 'Witness A' (page 1 text, bookmark" in first
    assert "covers each mention with a box labelled 'Witness A'" in first
    assert first.endswith(f"— {FIX} [PRIV-02]")
    assert "names confidential party 'Witness B' (page 1 text)" in lines[1]
    assert "Sultanova" not in "".join(lines) and "Oruzbaev" not in "".join(lines)


@pytest.mark.parametrize(
    "text",
    [
        "Bakyt\n   Oruzbaev was there",  # line break and indentation inside the name
        "Bakyt Oru\u200bzbaev was there",  # an invisible character inside the name
        "BAKYT ORUZBАEV was there",  # a Cyrillic А inside the Latin name
        "Bakyt Oruzbaev was there",
        "Орузбаев Бакыт was there",  # surname first, as official documents write it
        "встреча с Бакытом Орузбаевым",  # Russian instrumental case
    ],
)
def test_text_annex_spellings_the_matcher_finds(case: Path, text: str) -> None:
    parties = case / "parties.yaml"
    parties.write_text(
        parties.read_text(encoding="utf-8").replace(
            "name: Bakyt Oruzbaev\n",
            "name: Bakyt Oruzbaev\n    aliases: [{name: Бакыт Орузбаев}]\n",
        ),
        encoding="utf-8",
    )
    (case / "annexes" / "union-note.txt").write_text(text, encoding="utf-8")
    repin(case, "union-note.txt")
    code, lines = check(case)
    assert code == 0
    assert len(lines) == 1
    assert "annexes[1].file" in lines[0]
    assert "'Witness B' (text)" in lines[0]


def test_a_name_in_the_subject_is_an_error(case: Path) -> None:
    sub = case / "submissions" / "2025-04-01-complaint.yaml"
    text = sub.read_text(encoding="utf-8")
    sub.write_text(re.sub(r"subject: .*", "subject: Detention of Султановой Айды", text), "utf-8")
    result = CliRunner().invoke(cli, ["check", str(case)])
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "[PRIV-01]" in line)
    assert "subject: names confidential party 'Witness A'" in line


def test_confidential_pdf_annex_may_name_them(case: Path) -> None:
    # the statement names both persons, but it is withheld from the public edition
    code, lines = check(case)
    assert (code, lines) == (0, [])


def test_unreadable_pdf_annex_is_not_a_privacy_problem(case: Path) -> None:
    (case / "annexes" / "statement-a.pdf").write_bytes(b"%PDF-1.7\nbroken")
    repin(case, "statement-a.pdf")
    disclose(case)
    code, lines = check(case)
    assert lines == []


def test_encrypted_pdf_annex_is_read_with_its_password(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(case / "annexes" / "statement-a.pdf"))
    writer.encrypt("secret", algorithm="RC4-128")
    with (case / "annexes" / "statement-a.pdf").open("wb") as stream:
        writer.write(stream)
    repin(case, "statement-a.pdf")
    register = case / "annexes.yaml"
    text = register.read_text(encoding="utf-8").replace("confidential: true", "confidential: false")
    text = text.replace(
        "file: statement-a.pdf", "password_env: STATEMENT_PW\n    file: statement-a.pdf"
    )
    register.write_text(text, encoding="utf-8")
    monkeypatch.delenv("STATEMENT_PW", raising=False)
    assert check(case)[1] == []  # cannot be read without the password: the build says so
    monkeypatch.setenv("STATEMENT_PW", "secret")
    code, lines = check(case)
    assert code == 0
    assert [line.split("names confidential party ")[1][:12] for line in lines] == [
        "'Witness A' ",
        "'Witness B' ",
    ]


def test_an_email_annex_naming_a_confidential_person(case: Path) -> None:
    """An e-mail is typeset into a PDF: its text is searched like any PDF annex's."""
    import annexfiles

    (case / "annexes" / "union-note.txt").unlink()
    mail = annexfiles.eml("Questioning", "Aida Sultanova was questioned on 6 March.")
    (case / "annexes" / "note.eml").write_bytes(mail)
    register = case / "annexes.yaml"
    register.write_text(
        register.read_text(encoding="utf-8").replace("file: union-note.txt", "file: note.eml"),
        encoding="utf-8",
    )
    repin(case, "note.eml")
    code, lines = check(case)
    assert code == 0  # a warning: the public edition redacts the annex
    (line,) = lines
    assert "names confidential party 'Witness A' (page 1 text" in line


def priv05(case: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["check", str(case)])
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if "[PRIV-05]" in line]


def test_an_unreviewed_scan_is_named_before_the_public_build_refuses_it(case: Path) -> None:
    assert priv05(case) == []  # the photo was reviewed by a person
    register = case / "annexes.yaml"
    register.write_text(
        register.read_text(encoding="utf-8").replace(
            "    public_review: {by: Ana Example, date: 2025-04-01}\n", ""
        ),
        encoding="utf-8",
    )
    (line,) = priv05(case)
    assert line.startswith(f"{case}/annexes.yaml:")
    assert ": warning: annexes[2].file: page 1 of the annex is a scan without text" in line
    assert "public_review: {by: <name>, date: <date>}" in line


def test_with_no_confidential_party_an_unreadable_scan_does_not_stop_the_public_edition(
    tmp_path: Path,
) -> None:
    from PIL import Image

    noise = tmp_path / "noise.png"
    Image.effect_noise((400, 560), 90).convert("L").save(noise)
    case = new_case_with(tmp_path, noise)
    assert priv05(case) == []
    result = CliRunner().invoke(
        cli, ["build", str(case), "--edition", "public", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output + (result.stderr or "")
    assert (tmp_path / "o" / "dossier-public.pdf").exists()


def test_a_name_in_subset_font_text_is_found_in_the_page_text(case: Path) -> None:
    """A subset TrueType font stores glyph codes, not letters (reportlab keeps ASCII as it is,
    not Cyrillic): only the page text, read through its /ToUnicode map, shows the name, as in
    PDFs from LibreOffice or Word."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    font = Path(__file__).resolve().parents[1] / "dossier" / "fonts" / "DejaVuSans.ttf"
    pdfmetrics.registerFont(TTFont("SubsetSans", str(font)))
    out = io.BytesIO()
    pdf = Canvas(out, invariant=1)
    pdf.setFont("SubsetSans", 12)
    pdf.drawString(72, 720, "Записку написала Айда Султанова.")
    pdf.showPage()
    pdf.save()
    (case / "annexes" / "statement-a.pdf").write_bytes(out.getvalue())
    repin(case, "statement-a.pdf")
    disclose(case)
    code, lines = check(case)
    assert code == 0
    (line,) = lines
    assert "names confidential party 'Witness A' (page 1 text)" in line
