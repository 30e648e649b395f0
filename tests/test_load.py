"""Loading: YAML defects are problems with a file and a line, all at once, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import cli
from dossier.load import load_case

MINIMAL = Path(__file__).parent / "cases" / "minimal"
CASE_HEAD = "case_no: 9999\ncountry: Kyrgyzstan\ngovernment: government\n"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    dest = tmp_path / "minimal"
    shutil.copytree(MINIMAL, dest)
    return dest


def errors(runner: CliRunner, case: Path) -> list[str]:
    result = runner.invoke(cli, ["check", str(case)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    # the problem lines, without the headers ("1 error") and the totals
    return [line for line in result.stdout.splitlines() if re.search(r" \[[A-Z]+-\d+\]$", line)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            CASE_HEAD + "case_no: 9998\n",
            "case.yaml:4: error: duplicate key — remove one of the two entries [YAML-01]",
        ),
        (
            CASE_HEAD + "complainants:\n\t- party: union\n",
            "case.yaml:5: error: tab character used for indentation — indent with spaces [YAML-01]",
        ),
        (
            CASE_HEAD + "complainants: &c\n  - {party: union, role: complainant}\nratified: *c\n",
            "case.yaml:6: error: YAML anchors and aliases are not allowed in records"
            " — write the value out [YAML-04]",
        ),
        (
            CASE_HEAD + "title: [unclosed\n",
            "case.yaml:5: error: YAML syntax error: did not find expected ',' or ']'"
            " — fix the YAML syntax at this line [YAML-01]",
        ),
    ],
    ids=["duplicate-key", "tab", "anchors", "syntax"],
)
def test_yaml_defects_in_case_yaml(
    runner: CliRunner, case: Path, content: str, expected: str
) -> None:
    (case / "case.yaml").write_text(content, encoding="utf-8")
    assert errors(runner, case) == [f"{case}/{expected}"]


def test_not_utf8(runner: CliRunner, case: Path) -> None:
    (case / "case.yaml").write_bytes(CASE_HEAD.encode() + b"title: Kyrg\xffz\n")
    assert errors(runner, case) == [
        f"{case}/case.yaml:4: error: the file is not UTF-8 text — save it as UTF-8 [YAML-04]"
    ]


def test_impossible_calendar_day(runner: CliRunner, case: Path) -> None:
    path = case / "allegations" / "2024-01-05-search.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("date: 2024-01-05", "date: 2023-02-30"),
        encoding="utf-8",
    )
    assert errors(runner, case) == [
        f"{case}/allegations/2024-01-05-search.yaml:3: error: date: '2023-02-30' is not a real"
        " calendar day — correct the value [YAML-03]"
    ]


def test_several_files_broken_at_once(runner: CliRunner, case: Path) -> None:
    (case / "case.yaml").write_text(CASE_HEAD + "case_no: 1\n", encoding="utf-8")
    with (case / "parties.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - id: extra\n    name: Someone\n    rank: high\n")
    out = errors(runner, case)
    assert out == [
        f"{case}/case.yaml:4: error: duplicate key — remove one of the two entries [YAML-01]",
        f"{case}/parties.yaml:30: error: persons[2].rank: unknown field 'rank'"
        " — remove it or check its spelling [YAML-02]",
    ]


def test_a_record_that_fails_is_not_a_dangling_reference(case: Path) -> None:
    """References to a record that could not be loaded are not reported again as REF-xx."""
    annexes = case / "annexes.yaml"
    annexes.write_text(
        annexes.read_text(encoding="utf-8").replace("language: en", "language: English"),
        encoding="utf-8",
    )
    bundle = load_case(case)
    assert ("annex", "search-note") in bundle.unloaded
    from dossier.checks import check_case

    assert [p.code for p in check_case(bundle)] == ["YAML-03"]


def test_missing_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
