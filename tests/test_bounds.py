"""Bounded parsing, decoding and typesetting (issue 14): files made to exhaust memory or time are
refused with a one-line error naming the annex, or handled within bounds."""

from __future__ import annotations

import dataclasses
import io
import re
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_public import write_pdf
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from test_public_hostile import CORPUS, add_annex

from dossier.assemble.split import downsample_page
from dossier.cli import cli
from dossier.errors import AnnexError
from dossier.intake.guard import check_declared_size, check_image, check_objects, load_limits
from dossier.intake.images import image_pdf
from dossier.load import load_case
from dossier.render import render_text_annex

PAGE = {
    1: b"<</Type /Catalog /Pages 2 0 R>>",
    2: b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
    3: b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R>>",
    4: b"<</Length 0>>stream\n\nendstream",
}


def _check(case: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["check", str(case)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return [line for line in result.stdout.splitlines() if "[ANX-05]" in line]


def _case_with(tmp_path: Path, name: str, data: bytes) -> Path:
    import shutil

    case = tmp_path / "case"
    shutil.copytree(CORPUS, case)
    add_annex(case, "hostile", name, "Hostile", data)
    return case


def test_too_many_objects_are_refused_before_parsing() -> None:
    many = dict(PAGE) | {n: b"%d" % n for n in range(5, 60)}
    data = write_pdf(many, 1, 4)
    limits = dataclasses.replace(load_limits(), max_pdf_objects=40)
    with pytest.raises(AnnexError, match=r"the PDF has 59 objects, over the 40 allowed"):
        check_declared_size(data, "annex 'x' (x.pdf)", limits)
    reader = PdfReader(io.BytesIO(data))
    with pytest.raises(AnnexError, match=r"^annex 'x' \(x.pdf\): the PDF has 59 objects"):
        check_objects(reader, data, "annex 'x' (x.pdf)", limits)


def test_a_huge_string_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    data = write_pdf(PAGE | {5: b"(" + b"A" * 17_000_000 + b")", 6: b"<<>>"}, 1, 6)
    lines = _check(_case_with(tmp_path, "string.pdf", data))
    assert len(lines) == 1
    assert (
        "annex 'hostile' (string.pdf): object 5 takes 17.0 MB of the file without being a"
        in (lines[0])
    )


def test_a_self_reference_names_the_annex_and_what_to_do(tmp_path: Path) -> None:
    objects = PAGE | {3: PAGE[3].replace(b">>", b" /Resources 5 0 R>>"), 5: b"5 0 R", 6: b"<<>>"}
    case = _case_with(tmp_path, "loop.pdf", write_pdf(objects, 1, 6))
    lines = _check(case)
    assert len(lines) == 1
    assert "annex 'hostile' (loop.pdf): object 5 refers to itself" in lines[0]
    assert "save it again" in lines[0]
    result = CliRunner().invoke(cli, ["build", str(case), "--out", str(case / "out")])
    assert result.exit_code == 3
    assert "annex 'hostile' (loop.pdf): object 5 refers to itself" in result.stderr


def test_an_88_megapixel_rgba_png_is_refused_without_decoding_it() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (11_000, 8_000), (255, 255, 255, 128)).save(out, "PNG")
    with pytest.raises(AnnexError, match=r"decodes to 352.0 MB, over the 268.4 MB allowed"):
        check_image(out.getvalue(), "annex 'x' (x.png)")


def test_the_frames_of_an_image_are_bounded_together() -> None:
    frames = [Image.new("L", (300, 300), 255) for _ in range(30)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    limits = dataclasses.replace(load_limits(), max_image_total_pixels=2_000_000)
    with pytest.raises(AnnexError, match=r"30 frames hold 2,700,000 pixels"):
        check_image(out.getvalue(), "annex 'x' (x.tiff)", limits)
    check_image(out.getvalue(), "annex 'x' (x.tiff)")  # within the shipped limits
    assert len(PdfReader(io.BytesIO(image_pdf(out.getvalue()))).pages) == 30  # one at a time


def test_a_scan_too_large_for_pypdf_is_downsampled_for_volumes() -> None:
    """A 600 dpi colour scan decodes to more than pypdf's 75 MB: no LimitReachedError."""
    width, height = 5100, 5000
    raw = bytes([240]) * (width * height * 3)
    image = zlib.compress(raw, 1)
    head = b"<</Type /XObject /Subtype /Image /Width %d /Height %d " % (width, height)
    head += b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length %d>>" % len(
        image
    )
    objects = PAGE | {
        3: b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 600] /Contents 4 0 R "
        b"/Resources <</XObject <</Im1 5 0 R>>>>>>",
        4: b"<</Length 30>>stream\nq 612 0 0 600 0 0 cm /Im1 Do Q\nendstream",
        5: head + b"stream\n" + image + b"\nendstream",
        6: b"<<>>",
    }
    writer = PdfWriter(clone_from=io.BytesIO(write_pdf(objects, 1, 6)))
    assert downsample_page(writer.pages[0], 150) == 1
    xobject = writer.pages[0]["/Resources"]["/XObject"]["/Im1"].get_object()
    assert int(xobject["/Width"]) < 1500 and xobject[NameObject("/Filter")] == "/DCTDecode"


def test_a_one_megabyte_line_typesets_linearly() -> None:
    bundle = load_case(CORPUS)
    annex = bundle.annexes[1]
    text = "union workers detained " * 45_000  # 1 MB on one line
    pdf = render_text_annex(bundle, annex, text, "long.txt", "en")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 100
    words = re.findall(r"\w+", reader.pages[3].extract_text())
    assert words[:3] and set(words) <= {"union", "workers", "detained"}
    one_word = render_text_annex(bundle, annex, "x" * 300_000, "word.txt", "en")
    assert len(PdfReader(io.BytesIO(one_word)).pages) > 10


def test_annex_add_of_a_251_character_name(tmp_path: Path) -> None:
    import shutil

    case = tmp_path / "case"
    shutil.copytree(CORPUS, case)
    source = tmp_path / ("a" * 251 + ".pdf")
    source.write_bytes((CORPUS / "annexes" / "statement-a.pdf").read_bytes())
    result = CliRunner().invoke(cli, ["annex", "add", str(case), str(source)])
    assert result.exit_code == 0, result.output
    assert (case / "annexes" / source.name).read_bytes() == source.read_bytes()
    assert [p.name for p in (case / "annexes").iterdir() if p.name.startswith(".")] == []


def test_a_case_whose_build_folder_cannot_be_written(tmp_path: Path) -> None:
    """The public edition's scratch and OCR folders live in CASE/build/.cache: one line."""
    import shutil

    case = tmp_path / "case"
    shutil.copytree(CORPUS, case)
    shutil.rmtree(case / "build", ignore_errors=True)
    (case / "build").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(case), "--edition", "public", "--out", str(out)])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {case / 'build' / '.cache'}: cannot write the file (")
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists()
