"""`dossier build --ocr`: image-only annex pages become searchable inside the dossier."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from test_ocr import CYRILLIC, _ocr_ready, _scanned_cyrillic_pdf, _words, use_annex
from test_ocr import case as case  # noqa: F401  (fixture)

from dossier.cli import cli
from dossier.commands.build import build_dossier


def _annex_pages(pdf: Path) -> list[str]:
    """Text of the dossier pages stamped as pages of Annex 1 (``Annex 1, p. 2``: not its
    divider, stamped ``Annex 1``)."""
    reader = PdfReader(pdf)
    texts = [page.extract_text() for page in reader.pages]
    stamp = re.compile(r"— Annex 1, p\.\s\d+\nPage \d+ of \d+$")
    return [t for t in texts if stamp.search(t.strip())]


def test_without_ocr_the_scan_has_no_text(case: Path, tmp_path: Path) -> None:  # noqa: F811
    use_annex(case, "scan.pdf", _scanned_cyrillic_pdf())
    result = build_dossier(case, out_dir=tmp_path / "out")
    pages = _annex_pages(result.pdf)
    assert len(pages) == 2
    assert not any(CYRILLIC in _words(t) for t in pages)


def test_build_ocr_makes_the_scan_searchable(case: Path, tmp_path: Path) -> None:  # noqa: F811
    reason = _ocr_ready(("rus", "kir", "eng"))
    if reason:
        pytest.skip(f"OCR build test skipped: {reason}")
    use_annex(case, "scan.pdf", _scanned_cyrillic_pdf())
    register = case / "annexes.yaml"  # a Russian document: OCR reads it in Russian
    register.write_text(register.read_text().replace("language: en", "language: ru"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(case), "--ocr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = _annex_pages(out / "dossier.pdf")
    assert len(pages) == 2
    assert CYRILLIC in _words(pages[0])
    assert "A page typed with text" in _words(pages[1])
