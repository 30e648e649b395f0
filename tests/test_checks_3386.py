"""`dossier check` on Case 3386 as recorded, and on ten broken copies of it (issue 3, "Done when").

Each broken copy reintroduces one defect into a scratch copy of ``cases/3386`` and expects exit 1
with the exact one-line message naming file, line, field and code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from casefiles import edit, line, problem_lines
from click.testing import CliRunner

from dossier.cli import cli
from dossier.load import load_case

CASE_3386 = Path(__file__).resolve().parent.parent / "cases" / "3386"

pytestmark = pytest.mark.skipif(not CASE_3386.is_dir(), reason="cases/3386 is not there")


def check(runner: CliRunner, case: Path, *args: str) -> tuple[int, list[str]]:
    result = runner.invoke(cli, ["check", str(case), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, problem_lines(result.stdout)


def draft(case: Path) -> tuple[Path, Path]:
    """The yaml and the Markdown letter of the draft submission."""
    bundle = load_case(case)
    sub = next(s for s in bundle.submissions if not s.sent and s.letter)
    yaml_file = bundle.where[("submission", sub.id)].file
    assert sub.letter is not None
    return yaml_file, yaml_file.parent / sub.letter


def expect(runner: CliRunner, case: Path, wanted: str) -> None:
    code, out = check(runner, case, "--format", "json")
    assert code == 1
    found = [p for p in json.loads("\n".join(out)) if p["severity"] == "error"]
    code, out = check(runner, case)
    assert code == 1
    lines = [o for o in out if o.endswith(tuple(f"[{p['code']}]" for p in found))]
    assert wanted in lines, "\n".join(lines)
    assert len(found) == 1, found


# ---- the real case ----------------------------------------------------------------------------


def test_case_3386_has_no_errors(runner: CliRunner) -> None:
    code, out = check(runner, CASE_3386, "--format", "json")
    assert code == 0
    problems = json.loads("\n".join(out))
    assert [p for p in problems if p["severity"] == "error"] == []
    for p in problems:
        assert set(p) == {"file", "line", "field", "code", "severity", "message", "fix"}
        assert p["file"].startswith(str(CASE_3386))


def test_case_3386_reports_the_seed_defects_as_warnings_on_the_annexes(
    runner: CliRunner,
) -> None:
    _, out = check(runner, CASE_3386, "--format", "json")
    annex_warnings = {
        (Path(p["file"]).name, p["code"])
        for p in json.loads("\n".join(out))
        if p["severity"] == "warning" and "/annexes/" in p["file"]
    }
    assert ("2020-06-18-ituc-president.txt", "CONS-02") in annex_warnings
    notes = {(Path(p["file"]).name, p["code"], p["severity"]) for p in json.loads("\n".join(out))}
    # the model letter's placeholder is caught, as a placeholder the dossier prints marked
    assert ("undated-bwi-affiliate-president-model.txt", "FORM-11", "info") in notes
    assert ("2023-12-11-industriall-dg.txt", "FORM-02") in annex_warnings


# ---- ten broken copies -------------------------------------------------------------------------


def test_bad_yaml(runner: CliRunner, case_dir: Path) -> None:
    path = case_dir / "annexes.yaml"
    end = len(path.read_text(encoding="utf-8").splitlines()) + 2  # where the parser stops
    with path.open("a", encoding="utf-8") as handle:
        handle.write("  - id: [unclosed\n")
    expect(
        runner,
        case_dir,
        f"{case_dir}/annexes.yaml:{end}: error: YAML syntax error: did not find expected ',' or "
        "']' "
        "— fix the YAML syntax at this line [YAML-01]",
    )


def test_unknown_key(runner: CliRunner, case_dir: Path) -> None:
    persons = load_case(case_dir).parties.persons
    index = next(i for i, p in enumerate(persons) if p.id == "tadjibaev")
    path = case_dir / "parties.yaml"
    edit(path, "    name: Eldar Tadjibaev\n", "    name: Eldar Tadjibaev\n    nickname: Eldar\n")
    expect(
        runner,
        case_dir,
        f"{case_dir}/parties.yaml:{line(path, 'nickname')}: error: persons[{index}].nickname: "
        "unknown field 'nickname' — remove it or check its spelling [YAML-02]",
    )


def test_dangling_id(runner: CliRunner, case_dir: Path) -> None:
    path = case_dir / "allegations" / "2023-12-06-detentions.yaml"
    edit(path, "perpetrators: [gknb]", "perpetrators: [kgb]")
    expect(
        runner,
        case_dir,
        f"{case_dir}/allegations/2023-12-06-detentions.yaml:{line(path, 'perpetrators')}: "
        "error: perpetrators[0]: unknown party 'kgb' — add it to parties.yaml or fix the id "
        "[REF-01]",
    )


def test_missing_file(runner: CliRunner, case_dir: Path) -> None:
    path = case_dir / "annexes.yaml"
    edit(path, "file: letters/2020-06-18-ituc-president.txt", "file: a7.pdf")
    expect(
        runner,
        case_dir,
        f"{case_dir}/annexes.yaml:{line(path, 'a7.pdf')}: error: annexes[1].file: 'a7.pdf' not "
        "found"
        " — add the file or fix the path [ANX-02]",
    )


def test_wrong_hash(runner: CliRunner, case_dir: Path) -> None:
    with (case_dir / "annexes" / "letters" / "2023-12-11-industriall-dg.txt").open("ab") as f:
        f.write(b"\n")
    annexes = load_case(case_dir).annexes
    index = next(i for i, a in enumerate(annexes) if a.file and "2023-12-11" in a.file)
    pin = annexes[index].sha256
    assert pin is not None
    now = hashlib.sha256(
        (case_dir / "annexes" / "letters" / "2023-12-11-industriall-dg.txt").read_bytes()
    ).hexdigest()
    expect(
        runner,
        case_dir,
        f"{case_dir}/annexes.yaml:{line(case_dir / 'annexes.yaml', pin)}: error: "
        f"annexes[{index}].sha256: annex '{annexes[index].id}' ({annexes[index].file}) no longer "
        f"matches its pinned sha256 (the file is now {now[:12]}…) — if the file changed on "
        f"purpose, pin the new hash: 'sha256: {now}'; otherwise restore the file [ANX-07]",
    )


def test_cyrillic_homoglyph(runner: CliRunner, case_dir: Path) -> None:
    path = case_dir / "parties.yaml"
    edit(path, "name: Council of the Federation", "name: \u0421ouncil of the Federation")
    organisations = load_case(case_dir).parties.organisations
    index = next(i for i, o in enumerate(organisations) if o.name.startswith("\u0421"))
    expect(
        runner,
        case_dir,
        f"{case_dir}/parties.yaml:{line(path, 'ouncil of the Federation')}: "
        f"error: organisations[{index}].name: '\u0421ouncil' is a Latin word with a Cyrillic "
        "letter "
        "(U+0421 CYRILLIC CAPITAL LETTER ES) — retype the word in one script (a look-alike "
        "letter breaks search and names) [CONS-02]",
    )


def test_misspelt_director_general(runner: CliRunner, case_dir: Path) -> None:
    path = case_dir / "parties.yaml"
    edit(path, "name: Gilbert F. Houngbo", "name: Gilbert F. Hougbo")
    persons = load_case(case_dir).parties.persons
    index = next(i for i, p in enumerate(persons) if p.id == "houngbo")
    expect(
        runner,
        case_dir,
        f"{case_dir}/parties.yaml:{line(path, 'name: Gilbert F. Hougbo')}: error: "
        f"persons[{index}].name:"
        " 'Hougbo' misspells the Director-General's name — write 'Houngbo' (Gilbert F. Houngbo,"
        " Director-General from 2022-10-01 in office); keep the wrong form as an alias if a"
        " source has it [FORM-02]",
    )


def test_placeholder(runner: CliRunner, case_dir: Path) -> None:
    _, letter = draft(case_dir)
    edit(
        letter,
        "According to the information we have received since then:",
        "(your union) has learnt since then:",
    )
    expect(
        runner,
        case_dir,
        f"{letter}:{line(letter, '(your union)')}: error: letter: template placeholder '(your "
        "union)'"
        " left in the text — replace it with the real value, or delete it [FORM-11]",
    )


def test_future_date(runner: CliRunner, case_dir: Path) -> None:
    yaml_file, _ = draft(case_dir)
    old = next(
        t for t in yaml_file.read_text(encoding="utf-8").splitlines() if t.startswith("date:")
    )
    edit(yaml_file, old + "\n", "date: 2099-01-01\n")
    expect(
        runner,
        case_dir,
        f"{yaml_file}:{line(yaml_file, 'date: 2099')}: error: date: date 2099-01-01 is in the "
        "future "
        f"(today is {dt.date.today()}) — date the letter on the day it is sent [FORM-03]",
    )


def test_undated_letter(runner: CliRunner, case_dir: Path) -> None:
    yaml_file, _ = draft(case_dir)
    old = next(
        t for t in yaml_file.read_text(encoding="utf-8").splitlines() if t.startswith("date:")
    )
    edit(yaml_file, old + "\n", "")
    expect(
        runner,
        case_dir,
        f"{yaml_file}:1: error: date: the letter is undated — add 'date: YYYY-MM-DD' [FORM-03]",
    )


def test_two_defects_are_both_reported(runner: CliRunner, case_dir: Path) -> None:
    edit(case_dir / "annexes.yaml", "file: letters/2020-06-18-ituc-president.txt", "file: a7.pdf")
    edit(case_dir / "parties.yaml", "name: Gilbert F. Houngbo", "name: Gilbert F. Hougbo")
    code, out = check(runner, case_dir, "--format", "json")
    assert code == 1
    assert sorted(p["code"] for p in json.loads("\n".join(out)) if p["severity"] == "error") == [
        "ANX-02",
        "FORM-02",
    ]


def test_strict_fails_on_the_warnings_of_the_real_case(runner: CliRunner) -> None:
    code, _ = check(runner, CASE_3386, "--strict")
    assert code == 1


def test_misspelt_dg_in_the_draft_email_is_an_error_but_a_warning_when_sent(
    runner: CliRunner, case_dir: Path
) -> None:
    yaml_file, _ = draft(case_dir)
    text = yaml_file.read_text(encoding="utf-8")
    old = next(t for t in text.splitlines() if t.startswith("  email:"))
    edit(yaml_file, old + "\n", "  email: Hougbo@ilo.org\n")
    code, out = check(runner, case_dir, "--format", "json")
    assert code == 1
    found = {
        (Path(p["file"]).name, p["field"], p["severity"])
        for p in json.loads("\n".join(out))
        if p["code"] == "FORM-02" and p["file"].endswith(".yaml")
    }
    assert (yaml_file.name, "addressee.email", "error") in found
    assert ("2023-12-11-urgent-intervention.yaml", "addressee.email", "warning") in found
