"""Broken and hostile records (tests/corpus/records/*): each gives its own one-line problem and
exit 1 from `check` and from `build`, never a traceback, and `build` writes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dossier.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "confidential"

# defect -> (file:line as printed, the exact message and code after it)
EXPECTED = {
    "duplicate-keys": ("parties.yaml:3", "duplicate key — remove one of the two entries [YAML-01]"),
    "anchor-bomb": (
        "case.yaml:1",
        "YAML anchors and aliases are not allowed in records — write the value out [YAML-04]",
    ),
    "tabs": (
        "parties.yaml:28",
        "tab character used for indentation — indent with spaces [YAML-01]",
    ),
    "non-utf8": ("parties.yaml:28", "the file is not UTF-8 text — save it as UTF-8 [YAML-04]"),
    "bidi-name": (
        "parties.yaml:28",
        "persons[1].name: invisible character U+202E RIGHT-TO-LEFT OVERRIDE — "
        "delete the invisible character [CONS-02]",
    ),
    "zero-width-name": (
        "parties.yaml:28",
        "persons[1].name: invisible character U+200B ZERO WIDTH SPACE — "
        "delete the invisible character [CONS-02]",
    ),
    "february-30": (
        "allegations/2025-03-06-questioning.yaml:3",
        "date: '2023-02-30' is not a real calendar day — correct the value [YAML-03]",
    ),
    "absolute-annex-path": (
        "annexes.yaml:17",
        "annexes[1].file: '/etc/passwd' is an absolute path — "
        "add the file or fix the path [ANX-02]",
    ),
    "dotdot-annex-path": (
        "annexes.yaml:17",
        "annexes[1].file: '../../case.yaml' leaves the annexes/ folder — "
        "add the file or fix the path [ANX-02]",
    ),
    "null-bytes": (
        "parties.yaml:1",
        "the file holds a control character (U+0000) that YAML does not allow — "
        "remove it (it may come from a copy and paste) [YAML-04]",
    ),
    "deep-nesting": (
        "parties.yaml:1",
        "YAML nesting is too deep — simplify the structure [YAML-04]",
    ),
    "not-a-mapping": (
        "case.yaml:1",
        "expected the fields of case ('key: value' lines), found a list — see the schema [YAML-03]",
    ),
    "empty-case-file": (
        "case.yaml:1",
        "case_no: required field is missing — add this field [YAML-03]",
    ),
    "comment-only-case-file": (
        "case.yaml:1",
        "country: required field is missing — add this field [YAML-03]",
    ),
    "annexes-not-a-list": ("annexes.yaml:1", "annexes: expected a list — use '- ' [YAML-03]"),
    "syntax-error": (
        "parties.yaml:41",
        "YAML syntax error: did not find expected ',' or ']' — fix the YAML syntax at this line "
        "[YAML-01]",
    ),
}


def _has_build() -> bool:
    return "build" in getattr(cli, "commands", {})


def make_case(tmp_path: Path, defect: str) -> Path:
    case = tmp_path / defect
    shutil.copytree(BASE, case)
    overlay = CORPUS / "records" / defect
    if overlay.is_dir():
        shutil.copytree(overlay, case, dirs_exist_ok=True)
    return case


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args}") from result.exception
    return result


def assert_check_reports(case: Path, where: str, message: str) -> None:
    result = invoke("check", case)
    assert result.exit_code == 1
    assert f"{case}/{where}: error: {message}" in result.stdout.splitlines()


def assert_build_refuses(case: Path, tmp_path: Path) -> None:
    if not _has_build():
        return
    out = tmp_path / "out"
    result = invoke("build", case, "--out", out, "--edition", "both")
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.rglob("*.pdf"))


def test_a_file_that_is_not_the_shape_of_its_records_is_one_error_not_one_per_reference(
    tmp_path: Path,
) -> None:
    """Every reference to an annex would be 'unknown' once annexes.yaml cannot be read; the
    officer is told of annexes.yaml alone."""
    result = invoke("check", make_case(tmp_path, "annexes-not-a-list"))
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "annexes.yaml" in errors[0]


def test_every_overlay_has_an_expectation() -> None:
    assert sorted(p.name for p in (CORPUS / "records").iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("defect", sorted(EXPECTED))
def test_broken_record(defect: str, tmp_path: Path) -> None:
    case = make_case(tmp_path, defect)
    where, message = EXPECTED[defect]
    assert_check_reports(case, where, message)
    assert_build_refuses(case, tmp_path)


def test_ten_megabyte_yaml_string(tmp_path: Path) -> None:
    case = make_case(tmp_path, "big")
    parties = case / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    parties.write_text(text.replace("name: Ana Example", "name: " + "A" * 10_000_000), "utf-8")
    assert_check_reports(
        case,
        "parties.yaml",
        "file is 10,001,021 bytes, over the 2,000,000 allowed — "
        "split it or move long text into an annex [YAML-04]",
    )
    assert_build_refuses(case, tmp_path)


def test_symlink_leading_outside_the_case(tmp_path: Path) -> None:
    case = make_case(tmp_path, "symlink")
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the case folder", encoding="utf-8")
    note = case / "annexes" / "union-note.txt"
    note.unlink()
    os.symlink(secret, note)
    assert_check_reports(
        case,
        "annexes.yaml:17",
        "annexes[1].file: 'union-note.txt' is a link leading outside annexes/ — "
        "add the file or fix the path [ANX-02]",
    )
    assert_build_refuses(case, tmp_path)


def test_symlink_loop(tmp_path: Path) -> None:
    case = make_case(tmp_path, "loop")
    note = case / "annexes" / "union-note.txt"
    note.unlink()
    os.symlink(note, note)
    result = invoke("check", case)
    assert result.exit_code == 1
    assert "annexes[1].file: 'union-note.txt' is a broken link" in result.stdout
    assert_build_refuses(case, tmp_path)


def test_empty_record_file_is_reported(tmp_path: Path) -> None:
    case = make_case(tmp_path, "empty")
    (case / "allegations" / "2025-03-06-questioning.yaml").write_bytes(b"")
    result = invoke("check", case)
    assert result.exit_code == 1
    assert (
        f"{case}/allegations/2025-03-06-questioning.yaml:1: error: facts: required field is missing"
        " — add this field [YAML-03]"
    ) in result.stdout.splitlines()
