"""``dossier letters fill``: seed 000 (the BWI model letter) filled once per union, as PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from dossier.checks.thresholds import load_data
from dossier.cli import cli
from dossier.commands.letters import Signatory, fill_letters, fill_text
from dossier.load import load_case

MODEL = "letters/undated-bwi-affiliate-president-model.txt"
HEADER = "union,signatory,title,date,place,country\n"
# fictional unions and people: the letters' content comes from the seed, not from these rows
ROWS = (
    "Example Builders' Union,Maria Example,President,2020-07-02,Oslo,Norway\n"
    "Sample Timber Workers (STW),Jan Sample,General Secretary,2020-07-03,,\n"
)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "unions.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def _placeholders(text: str) -> list[str]:
    return [m.group() for p in load_data().placeholders for m in p.regex.finditer(text)]


def test_the_seed_is_a_model_letter_with_placeholders(case_dir: Path) -> None:
    model = (case_dir / "annexes" / MODEL).read_text(encoding="utf-8")
    assert "(your union)" in _placeholders(model)
    assert "(if applicable)" in _placeholders(model)


def test_one_filled_dated_pdf_per_union(runner: CliRunner, case_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "letters"
    csv = _csv(tmp_path, HEADER + ROWS)
    result = runner.invoke(
        cli, ["letters", "fill", str(case_dir), MODEL, "--signatories", str(csv), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    first, second = (
        out / "2020-07-02-example-builders-union.pdf",
        out / "2020-07-03-sample-timber-workers-stw.pdf",
    )
    assert sorted(out.iterdir()) == [first, second]
    assert result.stdout.splitlines() == ["Wrote 2 letter(s):", f"  {first}", f"  {second}"]
    text = " ".join(_text(first).split())
    assert "Oslo, 2 July 2020" in text
    assert "I am writing on behalf of Example Builders' Union to express our opposition" in text
    assert (
        "cc: Embassy of Norway in Kyrgyzstan" in text and "Embassy of Kyrgyzstan in Norway" in text
    )
    assert text.endswith("Yours sincerely, Maria Example President Example Builders' Union")
    assert "Kanatbek Osmonov" in text  # the seed's own facts are carried over unchanged
    assert _placeholders(text) == [] and "your union" not in text.lower()
    other = " ".join(_text(second).split())
    assert other.startswith("3 July 2020")
    assert "on behalf of Sample Timber Workers (STW)" in other
    assert "Embassy" not in other  # no country: the "(if applicable)" lines are dropped
    assert _placeholders(other) == []
    assert PdfReader(first).metadata.title == "Letter of Example Builders' Union"


def test_a_csv_missing_the_union_column_is_refused_with_form_11(
    runner: CliRunner, case_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "letters"
    csv = _csv(tmp_path, "signatory,title,date\nMaria Example,President,2020-07-02\n")
    result = runner.invoke(
        cli, ["letters", "fill", str(case_dir), MODEL, "--signatories", str(csv), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error: 1 of 1 letter(s) cannot be filled; none written" in result.stderr
    assert (
        f"{csv}:2: error: row 1: template placeholder(s) '(your union)' left in the letter"
        " — add the column(s) 'union' to the CSV and fill them for this row [FORM-11]"
    ) in result.stderr.splitlines()
    assert not out.exists()


def test_one_bad_row_refuses_every_letter_and_names_the_row(
    runner: CliRunner, case_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "letters"
    csv = _csv(tmp_path, HEADER + ROWS + ",Anna Nobody,President,2020-07-04,,\n")
    result = runner.invoke(
        cli, ["letters", "fill", str(case_dir), MODEL, "--signatories", str(csv), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert f"{csv}:4: error: row 3: template placeholder(s) '(your union)'" in result.stderr
    assert "[FORM-11]" in result.stderr
    assert not out.exists()


def test_a_bad_date_names_the_row(runner: CliRunner, case_dir: Path, tmp_path: Path) -> None:
    csv = _csv(tmp_path, HEADER + "Example Builders' Union,Maria Example,President,2 July,,\n")
    result = runner.invoke(
        cli, ["letters", "fill", str(case_dir), MODEL, "--signatories", str(csv)]
    )
    assert result.exit_code == 1
    assert "row 1 (Example Builders' Union): '2 July' is not a date" in result.stderr


def test_register_adds_each_letter_as_an_annex(
    runner: CliRunner, case_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    csv = _csv(tmp_path, HEADER + ROWS)
    before = {a.id for a in load_case(case_dir).annexes}
    result = runner.invoke(
        cli, ["letters", "fill", str(case_dir), MODEL, "--signatories", str(csv), "--register"]
    )
    assert result.exit_code == 0, result.output
    written = sorted((case_dir / "build" / "letters").glob("*.pdf"))
    assert len(written) == 2
    bundle = load_case(case_dir)
    new = [a for a in bundle.annexes if a.id not in before]
    assert [a.title for a in new] == [
        "Letter of Example Builders' Union, signed by Maria Example",
        "Letter of Sample Timber Workers (STW), signed by Jan Sample",
    ]
    assert [str(a.date) for a in new] == ["2020-07-02", "2020-07-03"]
    for annex, pdf in zip(new, written, strict=True):
        assert annex.file is not None
        assert (case_dir / "annexes" / annex.file).read_bytes() == pdf.read_bytes()
    assert f"Added annex(es): {', '.join(a.id for a in new)}" in result.stdout


def test_the_date_defaults_to_today(case_dir: Path) -> None:
    rows = [Signatory(2, {"union": "Example Builders' Union", "signatory": "Maria Example"})]
    (letter,) = fill_letters("On behalf of (your union).", rows, "u.csv", dt.date(2026, 11, 24))
    assert letter.text.startswith("24 November 2026\n\nOn behalf of Example Builders' Union.")


@settings(max_examples=50, deadline=None)
@given(
    union=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
    ).filter(lambda s: s.strip() == s and s and not _placeholders(s))
)
def test_any_union_name_fills_every_placeholder(union: str) -> None:
    template = "From (your union) [your union] {{ union }}.\ncc: your country (if applicable)\nEnd"
    filled = fill_text(template, Signatory(2, {"union": union}))
    assert filled == f"From {union} {union} {union}.\nEnd"
    assert _placeholders(filled) == []
