"""What people get wrong, answered in words: "did you mean …", unambiguous dates, one code per
kind of problem, and the new checks (FORM-13, MAIL-02, ANX-13, ANX-15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefiles import ALLEGATION, SUB, TODAY, edit, line, minimal_copy
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dossier.checks import check_case
from dossier.cli import cli, totals
from dossier.errors import CODES, Problem, Severity
from dossier.load import load_case
from dossier.load.suggest import closest
from dossier.models.common import date_hint, parse_partial_date


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return minimal_copy(tmp_path)


def found(case: Path) -> list[tuple[str, Severity, str, str, str]]:
    return [
        (p.code, p.severity, p.field, p.message, p.fix)
        for p in check_case(load_case(case), today=TODAY)
    ]


# ---- did you mean -----------------------------------------------------------------------------


def test_misspelt_field_gets_the_known_name(case: Path) -> None:
    edit(case / ALLEGATION, "perpetrators:", "perpertrators:")
    (problem,) = [p for p in found(case) if p[0] == "YAML-02"]
    assert problem[2:] == (
        "perpertrators",
        "unknown field 'perpertrators'",
        "did you mean 'perpetrators'?",
    )


def test_misspelt_nested_field_gets_the_name_of_its_own_record(case: Path) -> None:
    edit(case / SUB, "  signed: true", "  sigend: true")
    (problem,) = [p for p in found(case) if p[0] == "YAML-02"]
    assert problem[2:] == ("signatory.sigend", "unknown field 'sigend'", "did you mean 'signed'?")


def test_misspelt_id_gets_the_known_id(case: Path) -> None:
    edit(case / ALLEGATION, "perpetrators: [government]", "perpetrators: [govenment]")
    assert ("REF-01", Severity.ERROR, "perpetrators[0]", "unknown party 'govenment'",
            "did you mean 'government'?") in found(case)  # fmt: skip


def test_misspelt_value_gets_the_allowed_value(case: Path) -> None:
    edit(case / ALLEGATION, "category: premises_property", "category: premises_propperty")
    (problem,) = [p for p in found(case) if p[0] == "YAML-03"]
    assert problem[3:] == (
        "'premises_propperty' is not one of the allowed values",
        "did you mean 'premises_property'?",
    )


def test_a_name_nothing_like_any_other_gets_the_list(case: Path) -> None:
    edit(case / ALLEGATION, "category: premises_property", "category: zzz")
    (problem,) = [p for p in found(case) if p[0] == "YAML-03"]
    assert problem[4].startswith("use one of 'right_to_life_security', 'arrest_detention'")


@given(st.sampled_from(["perpetrators", "victims", "evidence", "legal_basis", "conventions"]))
def test_closest_finds_a_name_with_one_letter_dropped(name: str) -> None:
    known = ["perpetrators", "victims", "evidence", "legal_basis", "conventions", "facts"]
    assert closest(name[:3] + name[4:], known) == name


# ---- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("12/06/2023", "write 2023-06-12 for 12 June or 2023-12-06 for 6 December"),
        ("13/06/2023", "write 2023-06-13 for 13 June"),
        ("06/13/2023", "write 2023-06-13 for 13 June"),
        ("5.5.2023", "write 2023-05-05 for 5 May"),
        ("2023/06/12", "write 2023-06-12 for 12 June"),
    ],
)
def test_a_date_is_never_guessed(typed: str, hint: str) -> None:
    assert date_hint(typed) == hint
    with pytest.raises(ValueError, match=f"'{typed}' is not a date; {hint}"):
        parse_partial_date(typed)


def test_a_letter_date_typed_the_european_way(case: Path) -> None:
    edit(case / SUB, "date: 2024-02-01", "date: 01/02/2024")
    (problem,) = [p for p in found(case) if p[0] == "YAML-03"]
    assert problem[2:] == (
        "date",
        "'01/02/2024' is not a date",
        "write 2024-02-01 for 1 February or 2024-01-02 for 2 January",
    )


# ---- the text output --------------------------------------------------------------------------


def test_totals_have_correct_plurals() -> None:
    one = Problem("a", 1, "", "FORM-13", Severity.WARNING, "m")
    two = Problem("a", 2, "", "FORM-01", Severity.ERROR, "m")
    assert totals([]) == "0 errors, 0 warnings, 0 notes"
    assert totals([one]) == "0 errors, 1 warning, 0 notes"
    assert totals([one, one, two]) == "1 error, 2 warnings, 0 notes"


def test_each_line_names_its_severity() -> None:
    for code, (severity, _) in CODES.items():
        line = Problem("f.yaml", 3, "x", code, severity, "what", "fix").format()
        assert line == f"f.yaml:3: {severity.word}: x: what — fix [{code}]"
    assert Problem("f", 0, "", "FACT-05", Severity.INFO, "m").format() == "f: note: m [FACT-05]"


def test_check_prints_totals_on_stdout(case: Path) -> None:
    edit(case / SUB, "  email: ilo@ilo.org\n", "")
    result = CliRunner().invoke(cli, ["check", str(case)])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "1 warning",
        f"{case}/{SUB}:{line(case / SUB, 'addressee:')}: warning: addressee.email: e-mail address"
        " of the addressee to be supplied; `dossier build --eml` needs it — add 'email:' to the "
        "addressee (or to the party it names) [MAIL-02]",
        "",
        f"{case}: 0 errors, 1 warning, 0 notes",
    ]


# ---- the new checks ---------------------------------------------------------------------------


def test_submission_id_naming_another_date(case: Path) -> None:
    edit(case / SUB, "date: 2024-02-01", "date: 2024-02-02")
    assert found(case) == [
        (
            "FORM-13",
            Severity.WARNING,
            "date",
            "the id '2024-02-01-complaint' names 2024-02-01, but the letter is dated 2024-02-02",
            "correct whichever is wrong: the date of the letter, or the id (and the file name, "
            "and every record that names it)",
        )
    ]


def test_photo_given_a_text_language(case: Path) -> None:
    edit(case / "annexes.yaml", "    kind: document", "    kind: photo")
    assert found(case) == [
        (
            "ANX-15",
            Severity.WARNING,
            "annexes[0].language",
            "a photograph given the language 'en'",
            "write 'language: zxx' (no linguistic content); if the picture shows a text, set "
            "'kind: document' and keep its language",
        )
    ]
    edit(case / "annexes.yaml", "    language: en", "    language: zxx")
    assert found(case) == []


def test_unregistered_file_gives_the_command_that_adds_it(case: Path) -> None:
    (case / "annexes" / "scans").mkdir()
    (case / "annexes" / "scans" / "order of 5 May.pdf").write_bytes(b"%PDF-1.7\n")
    (case / "annexes" / ".DS_Store").write_bytes(b"\0")  # hidden files are no evidence
    result = CliRunner().invoke(cli, ["check", str(case)])
    assert result.exit_code == 0
    path = case / "annexes" / "scans" / "order of 5 May.pdf"
    assert result.stdout.splitlines()[1] == (
        f"{path}: warning: this file is in annexes/ but no annex record names it — register "
        f"it: dossier annex add {case} '{path}' (or move it out of annexes/) [ANX-13]"
    )


def test_missing_and_unpinned_files_are_two_codes(case: Path) -> None:
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    pin = text.split("sha256: ")[1].split()[0]
    edit(case / "annexes.yaml", f"    sha256: {pin}\n", "")
    assert [p[:2] for p in found(case)] == [("ANX-06", Severity.WARNING)]
    (case / "annexes" / "search-note.txt").unlink()
    assert [p[:2] for p in found(case)] == [("ANX-02", Severity.ERROR)]
