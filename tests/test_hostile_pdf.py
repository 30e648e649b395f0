"""Broken and hostile annex files against dossier.limits (library level; CLI runs are in
test_hostile_cli.py)."""

from __future__ import annotations

import dataclasses
import io
import re
import tracemalloc
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier.errors import AnnexError
from dossier.intake.guard import (
    check_file,
    check_image,
    check_pdf_header,
    check_pdf_limits,
    load_limits,
    pdf_open_error,
)
from dossier.intake.repairs import collect_repairs

FILES = Path(__file__).resolve().parent / "corpus" / "files"


def _open(name: str) -> tuple[bytes, PdfReader]:
    data = (FILES / name).read_bytes()
    check_file(len(data), name)
    check_pdf_header(data, name)
    return data, PdfReader(io.BytesIO(data), strict=False)


def test_good_pdf_passes_and_counts_pages() -> None:
    data, reader = _open("good.pdf")
    assert check_pdf_limits(reader, "good.pdf", len(data)) == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.pdf", "empty.pdf: the file is empty (0 bytes)"),
        ("not-a-pdf.pdf", "not-a-pdf.pdf: not a PDF file (it starts with 44 65 61 72"),
    ],
)
def test_files_refused_before_parsing(name: str, message: str) -> None:
    with pytest.raises(AnnexError) as info:
        _open(name)
    assert info.value.message.startswith(message)
    assert info.value.exit_code == 3


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("zero-pages.pdf", "the PDF has no pages"),
        ("bomb-page-tree.pdf", "refers to object 42 more than once (a loop, or a 'page bomb')"),
        ("loop-page-tree.pdf", "refers to object 3 more than once"),
        ("bomb-many-pages.pdf", "more than 5,000 pages"),
        ("bomb-deflate.pdf", "decompresses to more than 200 times its size of 19.9 kB"),
    ],
)
def test_structural_limits(name: str, message: str) -> None:
    data, reader = _open(name)
    tracemalloc.start()
    try:
        with pytest.raises(AnnexError) as info:
            check_pdf_limits(reader, name, len(data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16_000_000  # refused without expanding the bomb (20 MB inflated, 2^40 pages)
    assert info.value.message.startswith(f"{name}: ")
    assert message in info.value.message
    assert (
        "dossier/data/limits.yaml" in info.value.message
        or "re-save" in info.value.message
        or ("supply" in info.value.message)
    )


def test_single_stream_limit_is_configurable() -> None:
    data, reader = _open("bomb-deflate.pdf")
    generous = dataclasses.replace(load_limits(), max_decompression_ratio=1e9)
    check_pdf_limits(reader, "x", len(data), generous)  # ratio allowed, stream under 64 MB
    tight = dataclasses.replace(generous, max_stream_bytes=1_000_000)
    with pytest.raises(AnnexError, match="object 3 decompresses to more than 1.0 MB"):
        check_pdf_limits(reader, "x", len(data), tight)


def test_page_limit_is_configurable() -> None:
    data, reader = _open("good.pdf")
    with pytest.raises(AnnexError, match="more than 1 pages"):
        check_pdf_limits(
            reader, "x", len(data), dataclasses.replace(load_limits(), max_pages_per_annex=1)
        )


def test_broken_xref_is_repaired_and_reported() -> None:
    data = (FILES / "broken-xref.pdf").read_bytes()
    with collect_repairs() as repairs:
        reader = PdfReader(io.BytesIO(data), strict=False)
        assert check_pdf_limits(reader, "broken-xref.pdf", len(data)) == 1
        assert "Repaired page" in reader.pages[0].extract_text()
    assert repairs == [
        "repaired: the cross-reference table was broken; objects were found by scanning"
    ]


def test_truncated_pdf_error_says_truncated() -> None:
    data = (FILES / "truncated.pdf").read_bytes()
    with pytest.raises(Exception) as info:
        PdfReader(io.BytesIO(data), strict=False)
    error = pdf_open_error(data, info.value, "annex 'a' (truncated.pdf)")
    assert error.message.startswith("annex 'a' (truncated.pdf): the PDF is truncated")


def test_open_error_for_other_damage() -> None:
    error = pdf_open_error(b"%PDF-1.4\n...\n%%EOF\n", ValueError("bad object"), "x.pdf")
    assert error.message == (
        "x.pdf: not a readable PDF (bad object) — open it in a PDF viewer and save it again"
    )


@pytest.mark.parametrize("name", ["bad-header.png", "bad-header.jpg"])
def test_image_with_bad_header(name: str) -> None:
    with pytest.raises(AnnexError) as info:
        check_image((FILES / name).read_bytes(), name)
    assert info.value.message == (
        f"{name}: not a readable image (unknown or damaged header) — "
        "open it in an image viewer and save it again"
    )


def test_image_pixel_limit() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (20_000, 10_000)).save(buf, format="PNG")  # 200 million pixels, small file
    with pytest.raises(AnnexError, match="pixels"):
        check_image(buf.getvalue(), "huge.png")


def test_file_size_limits() -> None:
    lim = load_limits()
    check_file(lim.max_file_bytes, "x.pdf")
    with pytest.raises(AnnexError, match="over the 262.1 MB limit"):
        check_file(lim.max_file_bytes + 1, "x.pdf")
    with pytest.raises(AnnexError, match="over the 5.0 MB limit"):
        check_file(lim.max_text_bytes + 1, "x.txt", kind="text")


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("/etc/passwd", "'/etc/passwd' is an absolute path"),
        ("../case.yaml", "'../case.yaml' leaves the annexes/ folder"),
        ("sub\\..\\x.pdf", "leaves the annexes/ folder"),
        ("missing.pdf", "'missing.pdf' not found"),
        ("link.pdf", "'link.pdf' is a link leading outside annexes/"),
    ],
)
def test_annex_paths_never_leave_the_annex_folder(tmp_path: Path, file: str, message: str) -> None:
    from dossier.intake.guard import check_annex_path

    (tmp_path / "annexes").mkdir()
    (tmp_path / "case.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "annexes" / "link.pdf").symlink_to(tmp_path / "case.yaml")
    with pytest.raises(AnnexError, match=re.escape(message)):
        check_annex_path(tmp_path, file, "annex 'a'")


def test_annex_path_inside_is_resolved(tmp_path: Path) -> None:
    from dossier.intake.guard import check_annex_path

    (tmp_path / "annexes" / "letters").mkdir(parents=True)
    (tmp_path / "annexes" / "letters" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "annexes" / "alias.txt").symlink_to(tmp_path / "annexes" / "letters" / "a.txt")
    found = check_annex_path(tmp_path, "letters/a.txt", "annex 'a'")
    assert found == (tmp_path / "annexes" / "letters" / "a.txt").resolve()
    assert check_annex_path(tmp_path, "alias.txt", "annex 'a'") == found
