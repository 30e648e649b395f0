"""`dossier check` on a tiny valid case and on broken copies of it: exit codes and exact lines."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

import click
import pytest
from casefiles import edit, line, problem_lines
from click.testing import CliRunner

from dossier.checks import check_case, families, has_errors
from dossier.cli import cli
from dossier.errors import Severity
from dossier.load import load_case

MINIMAL = Path(__file__).parent / "cases" / "minimal"
SUB = "submissions/2024-02-01-complaint.yaml"
LETTER = "submissions/2024-02-01-complaint.md"
ALLEGATION = "allegations/2024-01-05-search.yaml"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    dest = tmp_path / "minimal"
    shutil.copytree(MINIMAL, dest)
    return dest


def result_lines(runner: CliRunner, case: Path, *args: str) -> list[str]:
    return runner.invoke(cli, ["check", str(case), *args]).stdout.splitlines()


def unregistered(case: Path, name: str) -> str:
    """The ANX-13 line of a file under annexes/ that no record names any more."""
    path = case / "annexes" / name
    return (
        f"{path}: warning: this file is in annexes/ but no annex record names it — register it: "
        f"dossier annex add {case} {path} (or move it out of annexes/) [ANX-13]"
    )


def check(runner: CliRunner, case: Path, *args: str) -> tuple[int, list[str], str]:
    result = runner.invoke(cli, ["check", str(case), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, problem_lines(result.stdout), result.stderr


# ---- the valid case --------------------------------------------------------------------------


def test_minimal_case_passes_strict(runner: CliRunner) -> None:
    code, out, err = check(runner, MINIMAL, "--strict")
    assert code == 0
    assert out == []
    assert err == ""
    assert result_lines(runner, MINIMAL) == [f"{MINIMAL}: 0 errors, 0 warnings, 0 notes"]


def test_every_family_is_registered() -> None:
    names = {f.__module__.rsplit(".", 1)[1] for f in families()}
    assert names >= {
        "references",
        "form",
        "procedure",
        "facts",
        "annexes",
        "consistency",
        "privacy",
    }


# ---- the ten broken copies of the "Done when" ----------------------------------------


def test_bad_yaml(runner: CliRunner, case: Path) -> None:
    (case / "case.yaml").write_text("case_no: 9999\ncountry: [Kyrgyzstan\n", encoding="utf-8")
    code, out, _ = check(runner, case)
    assert code == 1
    assert [o for o in out if "[YAML-01]" in o] == [
        f"{case}/case.yaml:3: error: YAML syntax error: did not find expected ',' or ']'"
        " — fix the YAML syntax at this line [YAML-01]"
    ]


def test_unknown_key(runner: CliRunner, case: Path) -> None:
    edit(case / "annexes.yaml", "    kind: document\n", "    kind: document\n    colour: red\n")
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / "annexes.yaml", "colour")
    assert out == [
        f"{case}/annexes.yaml:{n}: error: annexes[0].colour: unknown field 'colour'"
        " — remove it or check its spelling [YAML-02]"
    ]


def test_dangling_id(runner: CliRunner, case: Path) -> None:
    edit(case / ALLEGATION, "perpetrators: [government]", "perpetrators: [police]")
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / ALLEGATION, "perpetrators")
    assert (
        f"{case}/{ALLEGATION}:{n}: error: perpetrators[0]: unknown party 'police'"
        " — add it to parties.yaml or fix the id [REF-01]"
    ) in out


def test_missing_file(runner: CliRunner, case: Path) -> None:
    edit(case / "annexes.yaml", "file: search-note.txt", "file: a7.pdf")
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / "annexes.yaml", "a7.pdf")
    assert out == [
        f"{case}/annexes.yaml:{n}: error: annexes[0].file: 'a7.pdf' not found"
        " — add the file or fix the path [ANX-02]",
        unregistered(case, "search-note.txt"),
    ]


def test_wrong_hash(runner: CliRunner, case: Path) -> None:
    with (case / "annexes" / "search-note.txt").open("a", encoding="utf-8") as handle:
        handle.write("One more line.\n")
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / "annexes.yaml", "sha256:")
    digest = hashlib.sha256((case / "annexes" / "search-note.txt").read_bytes()).hexdigest()
    assert out == [
        f"{case}/annexes.yaml:{n}: error: annexes[0].sha256: annex 'search-note' "
        f"(search-note.txt) no longer matches its pinned sha256 (the file is now {digest[:12]}…)"
        f" — if the file changed on purpose, pin the new hash: 'sha256: {digest}'; otherwise "
        "restore the file [ANX-07]"
    ]


def test_a_letter_saved_with_a_byte_order_mark_is_read_without_it(
    runner: CliRunner, case: Path
) -> None:
    """Windows Notepad starts a UTF-8 file with U+FEFF: an encoding mark, not a character of the
    letter (one inside the text is still reported)."""
    letter = case / LETTER
    letter.write_bytes(b"\xef\xbb\xbf" + letter.read_bytes())
    assert check(runner, case)[:2] == (0, [])
    letter.write_bytes(letter.read_bytes() + "Text\ufeff.\n".encode())
    code, out, _ = check(runner, case)
    assert code == 1 and len(out) == 1 and "U+FEFF" in out[0]


def test_cyrillic_homoglyph_in_a_record(runner: CliRunner, case: Path) -> None:
    edit(
        case / ALLEGATION, "title: Search of the union office", "title: Search of the Union Сouncil"
    )
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / ALLEGATION, "title:")
    assert out == [
        f"{case}/{ALLEGATION}:{n}: error: title: 'Сouncil' is a Latin word with a Cyrillic letter"
        " (U+0421 CYRILLIC CAPITAL LETTER ES) — retype the word in one script"
        " (a look-alike letter breaks search and names) [CONS-02]"
    ]


def test_cyrillic_homoglyph_inside_folded_facts_points_at_its_line(
    runner: CliRunner, case: Path
) -> None:
    edit(case / ALLEGATION, "and took its membership", "and took its membership Сouncil")
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / ALLEGATION, "Сouncil")
    assert n == line(case / ALLEGATION, "facts:") + 2
    assert [o.split(" — ")[0] for o in out] == [
        f"{case}/{ALLEGATION}:{n}: error: facts: 'Сouncil' is a Latin word with a Cyrillic letter"
        " (U+0421 CYRILLIC CAPITAL LETTER ES)"
    ]


def test_misspelt_director_general(runner: CliRunner, case: Path) -> None:
    edit(case / "parties.yaml", "name: Gilbert F. Houngbo", "name: Gilbert F. Hougbo")
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / "parties.yaml", "Hougbo")
    assert out == [
        f"{case}/parties.yaml:{n}: error: persons[0].name: 'Hougbo' misspells the "
        "Director-General's"
        " name — write 'Houngbo' (Gilbert F. Houngbo, Director-General from 2022-10-01 in office)"
        "; keep the wrong form as an alias if a source has it [FORM-02]"
    ]


def test_placeholder(runner: CliRunner, case: Path) -> None:
    edit(case / LETTER, "The Example Workers' Union hereby", "(your union) hereby")
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / LETTER, "(your union)")
    assert out == [
        f"{case}/{LETTER}:{n}: error: letter: template placeholder '(your union)' left in the text"
        " — replace it with the real value, or delete it [FORM-11]"
    ]


def test_future_date(runner: CliRunner, case: Path) -> None:
    edit(case / SUB, "date: 2024-02-01", "date: 2099-02-01")
    code, out, _ = check(runner, case)
    assert code == 1
    n = line(case / SUB, "date: 2099")
    assert out == [
        f"{case}/{SUB}:{n}: error: date: date 2099-02-01 is in the future (today is "
        f"{dt.date.today()}) — date the letter on the day it is sent [FORM-03]",
        f"{case}/{SUB}:{n}: warning: date: the id '2024-02-01-complaint' names 2024-02-01, but "
        "the letter is dated 2099-02-01 — correct whichever is wrong: the date of the letter, "
        "or the id (and the file name, and every record that names it) [FORM-13]",
    ]


def test_undated_letter(runner: CliRunner, case: Path) -> None:
    edit(case / SUB, "date: 2024-02-01\n", "")
    code, out, _ = check(runner, case)
    assert code == 1
    assert out == [
        f"{case}/{SUB}:1: error: date: the letter is undated — add 'date: YYYY-MM-DD' [FORM-03]"
    ]


# ---- several problems, formats, strictness ---------------------------------------------------


def test_all_problems_are_reported_at_once(runner: CliRunner, case: Path) -> None:
    edit(case / "annexes.yaml", "file: search-note.txt", "file: a7.pdf")
    edit(case / LETTER, "The Example Workers' Union hereby", "(your union) hereby")
    code, out, err = check(runner, case)
    assert code == 1
    assert [o.rsplit(" ", 1)[1] for o in out] == ["[ANX-02]", "[FORM-11]", "[ANX-13]"]
    assert err == ""
    assert result_lines(runner, case)[-1] == f"{case}: 2 errors, 1 warning, 0 notes"


def test_json_format(runner: CliRunner, case: Path) -> None:
    edit(case / "annexes.yaml", "file: search-note.txt", "file: a7.pdf")
    code, out, _ = check(runner, case, "--format", "json")
    assert code == 1
    data = json.loads("\n".join(out))
    assert data == [
        {
            "file": f"{case}/annexes.yaml",
            "line": line(case / "annexes.yaml", "a7.pdf"),
            "field": "annexes[0].file",
            "code": "ANX-02",
            "severity": "error",
            "message": "'a7.pdf' not found",
            "fix": "add the file or fix the path",
        },
        {
            "file": f"{case}/annexes/search-note.txt",
            "line": 0,
            "field": "",
            "code": "ANX-13",
            "severity": "warning",
            "message": "this file is in annexes/ but no annex record names it",
            "fix": f"register it: dossier annex add {case} {case}/annexes/search-note.txt "
            "(or move it out of annexes/)",
        },
    ]


def test_strict_fails_on_warnings(runner: CliRunner, case: Path) -> None:
    edit(case / "parties.yaml", "address: 1 Example Street, Bishkek", "address: null")
    code, out, _ = check(runner, case)
    assert code == 0
    n = line(case / SUB, "sender:")
    assert out == [
        f"{case}/{SUB}:{n}: warning: sender: permanent address of 'union' to be supplied"
        " — add 'address' to party 'union' in parties.yaml [FORM-05]"
    ]
    code, _, _ = check(runner, case, "--strict")
    assert code == 1


# ---- library level ---------------------------------------------------------------------------


def codes(case: Path, today: dt.date = dt.date(2024, 6, 1)) -> list[tuple[str, Severity]]:
    return [(p.code, p.severity) for p in check_case(load_case(case), today=today)]


def test_context_today_decides_the_future(case: Path) -> None:
    assert codes(case, dt.date(2024, 2, 1)) == []
    assert codes(case, dt.date(2024, 1, 31)) == [("FORM-03", Severity.ERROR)]


def test_event_dated_after_the_letter_that_reports_it(case: Path) -> None:
    edit(case / SUB, "date: 2024-02-01", "date: 2024-01-02")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity, p.file, p.field, p.message) for p in problems] == [
        (
            "FACT-06",
            Severity.ERROR,
            f"{case}/{ALLEGATION}",
            "date",
            "dated 2024-01-05, after submission '2024-02-01-complaint' (2024-01-02) that "
            "reports it",
        ),
        (
            "FORM-13",
            Severity.WARNING,
            f"{case}/{SUB}",
            "date",
            "the id '2024-02-01-complaint' names 2024-02-01, but the letter is dated 2024-01-02",
        ),
    ]


def test_event_in_the_future(case: Path) -> None:
    edit(case / ALLEGATION, "date: 2024-01-05", "date: 2034-01-05")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert ("FACT-06", "dated 2034-01-05, in the future (today is 2024-06-01)") in [
        (p.code, p.message) for p in problems
    ]


def test_sent_submission_defects_are_warnings(case: Path) -> None:
    edit(case / LETTER, "The Example Workers' Union hereby", "(your union) hereby")
    edit(case / SUB, "sent: false", "sent: true")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity) for p in problems] == [("FORM-11", Severity.WARNING)]
    assert not has_errors(problems)
    assert has_errors(problems, strict=True)


def test_unsigned_draft_is_to_be_supplied(case: Path) -> None:
    edit(case / SUB, "signed: true", "signed: false")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity, p.field, p.message) for p in problems] == [
        ("FORM-06", Severity.WARNING, "signatory.signed", "signature to be supplied")
    ]


def test_dg_for_the_date(case: Path) -> None:
    edit(case / SUB, "date: 2024-02-01", "date: 2022-09-30")
    edit(case / SUB, "email: ilo@ilo.org", "email: ilo@ilo.org\n  name: Gilbert F. Houngbo")
    edit(case / ALLEGATION, "date: 2024-01-05", "date: 2022-09-01")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.field, p.message) for p in problems if p.code != "FORM-13"] == [
        (
            "FORM-02",
            "addressee.name",
            "Gilbert F. Houngbo was not Director-General on 2022-09-30 (from 2022-10-01 in "
            "office); on 2022-09-30 it was Guy Ryder",
        )
    ]


def test_misspelt_dg_in_the_addressee_email(case: Path) -> None:
    edit(case / SUB, "email: ilo@ilo.org", "email: Hougbo@ilo.org")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("FORM-02", Severity.ERROR, "addressee.email")
    ]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Embassy of Kyrgyzstan in your country (if applicable)", "(if applicable)"),
        ("the decision of [...] of that day", "[...]"),
        ("the decision of […] of that day", "[…]"),
        ("the amount is TBD", "TBD"),
        ("decision No. XX of the court", "XX"),
    ],
)
def test_placeholders_from_the_data_file(case: Path, text: str, label: str) -> None:
    edit(case / LETTER, "Yours sincerely,", f"{text}\n\nYours sincerely,")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.message) for p in problems] == [
        ("FORM-11", f"template placeholder '{label}' left in the text")
    ]


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ],
)
def test_invisible_characters_in_records(case: Path, char: str, name: str) -> None:
    edit(case / "parties.yaml", "name: Ana Example", f"name: Ana{char} Example")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity, p.field, p.message) for p in problems] == [
        (
            "CONS-02",
            Severity.ERROR,
            "persons[1].name",
            f"invisible character U+{ord(char):04X} {name}",
        )
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Ana Ex\ufffdmple", "U+FFFD REPLACEMENT CHARACTER: a character lost in a copy"),
        ("Ana Ex&#0;mple", "'&#0;' is no character"),
        ("Ana Ex&#xD800;mple", "'&#xD800;' is no character"),
        ("Ana Ex&#1114112;mple", "'&#1114112;' is no character"),
    ],
)
def test_a_character_lost_in_a_copy_is_reported(case: Path, typed: str, message: str) -> None:
    """markdown-it prints each of these as U+FFFD; the officer retypes what the source has."""
    edit(case / "parties.yaml", "name: Ana Example", f"name: {typed}")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity, p.field, p.message, p.fix) for p in problems] == [
        (
            "CONS-02",
            Severity.ERROR,
            "persons[1].name",
            message,
            "retype the character as the source has it",
        )
    ]


def test_a_valid_character_reference_is_not_reported(case: Path) -> None:
    edit(case / "parties.yaml", "name: Ana Example", "name: Ana Ex&#97;mple &#x410;")
    assert check_case(load_case(case), today=dt.date(2024, 6, 1)) == []


def test_homoglyph_in_a_text_annex_is_a_warning(case: Path) -> None:
    note = case / "annexes" / "search-note.txt"
    note.write_text("Line one.\nThe FPKg Сouncil met.\n", encoding="utf-8")
    digest = hashlib.sha256(note.read_bytes()).hexdigest()
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    old = text.split("sha256: ")[1].split()[0]
    edit(case / "annexes.yaml", old, digest)
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.file, p.line, p.code, p.severity) for p in problems] == [
        (f"{case}/annexes/search-note.txt", 2, "CONS-02", Severity.WARNING)
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/etc/passwd", "'/etc/passwd' is an absolute path"),
        ("../case.yaml", "'../case.yaml' leaves the annexes/ folder"),
        ("outside.txt", "'outside.txt' is a link leading outside annexes/"),
    ],
)
def test_annex_paths_stay_inside_annexes(case: Path, value: str, message: str) -> None:
    (case / "annexes" / "outside.txt").symlink_to(case / "case.yaml")
    edit(case / "annexes.yaml", "file: search-note.txt", f"file: {value}")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity, p.field, p.message) for p in problems] == [
        ("ANX-02", Severity.ERROR, "annexes[0].file", message),
        # search-note.txt, no longer named (a link, outside.txt, is never reported)
        ("ANX-13", Severity.WARNING, "", "this file is in annexes/ but no annex record names it"),
    ]


def test_missing_pin_and_null_file_are_warnings(case: Path) -> None:
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    pin = "    sha256: " + text.split("sha256: ")[1].split()[0] + "\n"
    edit(case / "annexes.yaml", pin, "")
    assert codes(case) == [("ANX-06", Severity.WARNING)]
    edit(case / "annexes.yaml", "file: search-note.txt", "file: null")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.field, p.message) for p in problems] == [
        ("ANX-08", "annexes[0].file", "file to be supplied (cited by a draft)"),
        ("ANX-13", "", "this file is in annexes/ but no annex record names it"),
    ]


def test_unused_records(case: Path) -> None:
    with (case / "parties.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - id: bystander\n    name: Nobody Cited\n")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("REF-05", Severity.WARNING, "persons[2].id")
    ]


def test_urgency_needs_ground_and_justification(case: Path) -> None:
    edit(case / SUB, "conciliation: false", "conciliation: false\nurgency: {requested: true}")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.severity, p.message) for p in problems] == [
        ("URG-01", Severity.ERROR, "urgency is requested without a ground"),
        ("URG-01", Severity.ERROR, "urgency is requested without a justification"),
    ]


def test_confidential_person_named_in_the_letter(case: Path) -> None:
    with (case / "parties.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "  - id: witness\n    name: Bakyt Witness\n    confidential: true\n"
            "    pseudonym: Witness A\n"
        )
    edit(case / ALLEGATION, "victims: [union]", "victims: [union, witness]")
    edit(case / LETTER, "took our membership", "took, before BAKYT WITNESS, our membership")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.line, p.message) for p in problems] == [
        (
            "PRIV-01",
            line(case / LETTER, "BAKYT"),
            "the cover letter names confidential party 'Witness A'",
        )
    ]


def test_solidarity_letter_cannot_be_a_cfa_submission(case: Path) -> None:
    edit(
        case / SUB,
        "  party: dg\n  office: Director-General\n  organisation: ilo\n",
        "  party: government\n",
    )
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert ("SOL-01", Severity.ERROR) in [(p.code, p.severity) for p in problems]
    assert ("FORM-01", Severity.ERROR) in [(p.code, p.severity) for p in problems]


def test_wrong_ratification_year(case: Path) -> None:
    edit(case / "case.yaml", "year: 1992", "year: 1993")
    problems = check_case(load_case(case), today=dt.date(2024, 6, 1))
    assert [(p.code, p.field, p.message) for p in problems] == [
        ("CONS-03", "ratified[0].year", "Kyrgyzstan ratified C087 in 1992, not 1993")
    ]


def test_every_code_reported_by_the_code_is_documented() -> None:

    from dossier.errors import CODES

    root = Path(__file__).resolve().parent.parent / "dossier"
    files = list(root.rglob("*.py"))
    source = "\n".join(p.read_text(encoding="utf-8") for p in files)
    used = set(re.findall(r'"((?:YAML|REF|[A-Z]{3,4})-\d\d)"', source)) - {"UTF-8"}
    assert used <= set(CODES), used - set(CODES)


# ---- text output: grouped by file, severity visible -----------------------------------------


def test_text_output_errors_first_with_counts(runner: CliRunner, case: Path) -> None:
    edit(case / "annexes.yaml", "file: search-note.txt", "file: a7.pdf")
    edit(case / LETTER, "The Example Workers' Union hereby", "(your union) hereby")
    result = runner.invoke(cli, ["check", str(case)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    problems = problem_lines(result.stdout)
    assert lines == [
        "2 errors",
        problems[0],
        problems[1],
        "",
        "1 warning",
        problems[2],
        "",
        f"{case}: 2 errors, 1 warning, 0 notes",
    ]
    assert [p.split(": ")[1] for p in problems] == ["error", "error", "warning"]
    assert result.stderr == ""
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_problem_lines_counts_and_colours() -> None:
    from dossier.cli import problem_lines as grouped
    from dossier.errors import Problem, Severity

    found = [
        Problem("a.yaml", 1, "", "FACT-05", Severity.INFO, "note"),
        Problem("a.yaml", 5, "y", "FACT-01", Severity.WARNING, "vague"),
        Problem("b.yaml", 7, "z", "FACT-02", Severity.WARNING, "vaguer"),
        Problem("b.yaml", 3, "x", "FORM-01", Severity.ERROR, "bad", "fix it"),
    ]
    plain = grouped(found)
    assert plain == [
        "1 error",
        "b.yaml:3: error: x: bad — fix it [FORM-01]",
        "",
        "2 warnings",
        "a.yaml:5: warning: y: vague [FACT-01]",
        "b.yaml:7: warning: z: vaguer [FACT-02]",
        "",
        "1 note",
        "a.yaml:1: note: note [FACT-05]",
    ]
    coloured = grouped(found, color=True)
    assert coloured[1] == f"\x1b[31m{found[3].format()}\x1b[0m"  # error: red
    assert coloured[4].startswith("\x1b[33m")  # warning: yellow
    assert "\x1b[1m" in coloured[0]  # header: bold
    assert [click.unstyle(line) for line in coloured] == plain


def test_colour_only_on_a_terminal_without_no_color(
    runner: CliRunner, case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import click.testing

    edit(case / "annexes.yaml", "file: search-note.txt", "file: a7.pdf")
    # the runner's stdout plays a terminal
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = runner.invoke(cli, ["check", str(case)], color=True)
    assert "\x1b[31m" in result.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(cli, ["check", str(case)], color=True)
    assert "\x1b[" not in result.stdout
