"""Broken and hostile annex files (tests/corpus/files/*) through `check` and `build`.

Each file replaces the text annex of the small confidential case (with its sha256 re-pinned, so
the records are valid): `build` must fail with its own one-line error and exit 3, never a
traceback, and write nothing; repairable files build and the repair is reported.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from dossier.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
LABEL = "annex 'union-note' (evidence{suffix})"

BUILD_ERRORS = {
    "empty.pdf": "the file is empty (0 bytes) — supply the document again",
    "not-a-pdf.pdf": "not a PDF file (it starts with 44 65 61 72 20 53 69 72) — "
    "check the file, or give it the right extension",
    "truncated.pdf": "the PDF is truncated (it ends without %%EOF after 0.7 kB), and qpdf "
    "cannot read it either (unable to find trailer dictionary while recovering damaged file) — "
    "copy or download the document again",
    "bomb-deflate.pdf": "decompresses to more than 200 times its size of 19.9 kB "
    "(a 'PDF bomb'?) — re-create the PDF, or raise max_decompression_ratio in "
    "dossier/data/limits.yaml",
    "bomb-many-pages.pdf": "more than 5,000 pages — split the document into several annexes, "
    "or raise max_pages_per_annex in dossier/data/limits.yaml",
    "bomb-page-tree.pdf": "the page tree refers to object 42 more than once "
    "(a loop, or a 'page bomb') — re-save it from a PDF viewer",
    "loop-page-tree.pdf": "the page tree refers to object 3 more than once "
    "(a loop, or a 'page bomb') — re-save it from a PDF viewer",
    "page-wrong-type.pdf": "the page tree holds a /Pagx object where a page should be "
    "(object 4) — re-save it from a PDF viewer",
    "bad-header.png": "not a readable image (unknown or damaged header) — "
    "open it in an image viewer and save it again",
    "bad-header.jpg": "not a readable image (unknown or damaged header) — "
    "open it in an image viewer and save it again",
    "truncated.png": "not a readable image (image file is truncated) — "
    "open it in an image viewer and save it again",
}


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args}") from result.exception
    return result


def case_with(tmp_path: Path, corpus_file: str) -> tuple[Path, str]:
    """The confidential case whose 'union-note' annex is the corpus file (hash re-pinned)."""
    case = tmp_path / "case"
    shutil.copytree(CORPUS / "confidential", case)
    data = (CORPUS / "files" / corpus_file).read_bytes()
    name = "evidence" + Path(corpus_file).suffix
    (case / "annexes" / name).write_bytes(data)
    register = case / "annexes.yaml"
    text = re.sub(
        r"file: union-note.txt\n    sha256: [0-9a-f]{64}",
        f"file: {name}\n    sha256: {hashlib.sha256(data).hexdigest()}",
        register.read_text(encoding="utf-8"),
    )
    register.write_text(text, encoding="utf-8")
    return case, Path(corpus_file).suffix


def test_every_corpus_file_has_an_expectation() -> None:
    names = {p.name for p in (CORPUS / "files").iterdir()}
    expected = set(BUILD_ERRORS) | {"good.pdf", "blank.pdf", "broken-xref.pdf", "dangling-refs.pdf"}
    expected |= {"zero-pages.pdf", "latin1.txt", "page-without-type.pdf"}
    assert names == expected


def _problem_line(case: Path, suffix: str, corpus_file: str) -> str:
    label = LABEL.format(suffix=suffix)
    where = f"{case}/annexes.yaml:17: error: annexes[1].file"
    return f"{where}: {label}: {BUILD_ERRORS[corpus_file]} [ANX-05]"


@pytest.mark.parametrize("corpus_file", sorted(BUILD_ERRORS))
def test_check_reports_what_the_build_refuses(corpus_file: str, tmp_path: Path) -> None:
    """`check` opens every annex file as `build` does: it fails first, with the same line."""
    case, suffix = case_with(tmp_path, corpus_file)
    line = _problem_line(case, suffix, corpus_file)
    check = invoke("check", case)
    assert check.exit_code == 1
    assert line in check.stdout.splitlines()
    out = tmp_path / "out"
    result = invoke("build", case, "--out", out, "--edition", "both")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[1:] == [line]
    assert not out.exists() or not any(out.iterdir())


def test_zero_page_pdf_is_refused_by_check_and_build(tmp_path: Path) -> None:
    case, _ = case_with(tmp_path, "zero-pages.pdf")
    result = invoke("check", case)
    assert result.exit_code == 1
    assert "(evidence.pdf): the PDF has no pages — supply the document again" in result.stdout
    out = tmp_path / "out"
    assert invoke("build", case, "--out", out).exit_code == 3
    assert not out.exists()


def test_non_utf8_text_annex(tmp_path: Path) -> None:
    case, _ = case_with(tmp_path, "latin1.txt")
    message = "annex 'union-note' (evidence.txt): not UTF-8 text"
    check = invoke("check", case)
    assert check.exit_code == 1 and message in check.stdout
    out = tmp_path / "out"
    result = invoke("build", case, "--out", out)
    assert result.exit_code == 3
    assert message in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_repairable_xref_is_repaired_and_reported(tmp_path: Path) -> None:
    case, _ = case_with(tmp_path, "broken-xref.pdf")
    out = tmp_path / "out"
    result = invoke("build", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    repair = (
        "annex 'union-note': repaired: the cross-reference table was broken; "
        "objects were found by scanning"
    )
    assert f"    {repair}" in result.stdout.splitlines()
    assert result.stderr == ""  # pypdf's own log lines do not leak to the terminal
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert repair in manifest["warnings"]
    # the objects pypdf found by scanning are still there when the pages are copied
    (annex,) = [a for a in manifest["annexes"] if a["id"] == "union-note"]
    page = PdfReader(out / "dossier.pdf").pages[annex["first_page"] - 1]
    assert "Repaired page" in page.extract_text()


def test_failed_build_keeps_the_previous_dossier(tmp_path: Path) -> None:
    case, _ = case_with(tmp_path, "good.pdf")
    out = tmp_path / "out"
    assert invoke("build", case, "--out", out, "--edition", "both").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bomb = (CORPUS / "files" / "bomb-deflate.pdf").read_bytes()
    (case / "annexes" / "evidence.pdf").write_bytes(bomb)
    register = case / "annexes.yaml"
    text = re.sub(
        r"(file: evidence.pdf\n    sha256: )[0-9a-f]{64}",
        rf"\g<1>{hashlib.sha256(bomb).hexdigest()}",
        register.read_text(encoding="utf-8"),
    )
    register.write_text(text, encoding="utf-8")
    assert invoke("build", case, "--out", out, "--edition", "both").exit_code == 3
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_dangling_references_are_reported_not_printed(tmp_path: Path) -> None:
    case, _ = case_with(tmp_path, "dangling-refs.pdf")
    out = tmp_path / "out"
    result = invoke("build", case, "--out", out, "--edition", "both")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert "    an annex was read despite a defect: Object 9 0 not defined." in lines


def test_page_without_type_is_repaired_and_reported(tmp_path: Path) -> None:
    case, _ = case_with(tmp_path, "page-without-type.pdf")
    out = tmp_path / "out"
    result = invoke("build", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert (
        "    annex 'union-note': repaired: a page without /Type was taken as a page"
        in result.stdout.splitlines()
    )


@pytest.mark.parametrize("file", ["../case.yaml", "/etc/passwd", "link.txt"])
def test_assemble_never_opens_a_file_outside_annexes(tmp_path: Path, file: str) -> None:
    """Even a caller that skips `check` cannot make the assemble stage read outside annexes/."""
    from dossier.intake.sources import open_sources
    from dossier.models import Annex

    case = tmp_path / "case"
    shutil.copytree(CORPUS / "confidential", case)
    (case / "annexes" / "link.txt").symlink_to(case / "case.yaml")
    annex = Annex(id="x", title="X", language="en", file=file)
    failure = open_sources(case, [annex]).failed["x"]
    assert failure.missing and "annex 'x'" in failure.message
