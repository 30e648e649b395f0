"""Stamps never cover evidence: pages whose content reaches the stamp band are scaled down, the
stamp names the annex's own page, and ``--page-size a4`` puts annex pages on A4."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject
from reportlab.pdfgen import canvas

from dossier.assemble.fit import PAGE_SIZES, apply, invert, page_fit, transform_box
from dossier.assemble.stamp import BAND, Geometry, band_height, page_geometry
from dossier.cli import cli

A4 = PAGE_SIZES["a4"]
LETTER = (612.0, 792.0)
WORDS = ["Evidence", "touching", "the", "bottom", "edge"]


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args}") from result.exception
    return result


def low_text_pdf() -> bytes:
    """Portrait A4, landscape A4 and a portrait page shown rotated 90°: on each, a line whose
    descenders touch the displayed bottom edge; then a page with text touching both edges."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1, pageCompression=0)
    for size in (A4, (A4[1], A4[0])):
        pdf.setPageSize(size)
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, size[1] - 60, "Heading of the page")
        pdf.drawString(72, 3, " ".join(WORDS))
        pdf.showPage()
    pdf.setPageSize(A4)  # shown rotated 90° clockwise: its displayed bottom is user x = 595
    pdf.setFont("Helvetica", 12)
    pdf.saveState()
    pdf.translate(A4[0] - 3, 72)
    pdf.rotate(90)
    pdf.drawString(0, 0, " ".join(WORDS))
    pdf.restoreState()
    pdf.showPage()
    pdf.setFont("Helvetica", 12)  # full from top to bottom: must be scaled down
    pdf.drawString(72, A4[1] - 12, "Heading of the page")
    pdf.drawString(72, 3, " ".join(WORDS))
    pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.pages[2][NameObject("/Rotate")] = NumberObject(90)
    data = io.BytesIO()
    writer.write(data)
    return data.getvalue()


def letter_pdf() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    for size in (LETTER, (LETTER[1], LETTER[0])):
        pdf.setPageSize(size)
        pdf.drawString(72, size[1] / 2, f"Letter page {size[0]:.0f} wide")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scaffolded case with two PDF annexes: low text, and Letter-size pages."""
    folder = tmp_path_factory.mktemp("band") / "case"
    assert invoke("init", folder, "--case", "4242", "--country", "Ruritania").exit_code == 0
    incoming = folder.parent / "incoming"
    incoming.mkdir()
    (incoming / "low-text.pdf").write_bytes(low_text_pdf())
    (incoming / "letter.pdf").write_bytes(letter_pdf())
    added = invoke("annex", "add", folder, incoming / "low-text.pdf", incoming / "letter.pdf")
    assert added.exit_code == 0, added.stderr
    return folder


@pytest.fixture(scope="module")
def dossier(case: Path) -> tuple[Path, dict[str, dict[str, object]]]:
    out = case.parent / "out"
    result = invoke("build", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "4 annex pages fitted so that the stamp covers none of their content" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out / "dossier.pdf", {a["id"]: a for a in manifest["annexes"]}


PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD_RE = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def word_boxes(pdf: Path, first: int, last: int) -> list[tuple[float, float, list]]:
    """``pdftotext -bbox``: per page, its height, width and words ``(text, yMin, yMax)``."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(first), "-l", str(last), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    pages = []
    for page in PAGE_RE.finditer(done.stdout):
        words = [
            (html.unescape(m.group(5)), float(m.group(2)), float(m.group(4)))
            for m in WORD_RE.finditer(page.group(3))
        ]
        pages.append((float(page.group(2)), float(page.group(1)), words))
    return pages


def test_text_touching_the_bottom_edge_stays_clear_of_the_stamp(
    dossier: tuple[Path, dict[str, dict[str, object]]],
) -> None:
    pdf, annexes = dossier
    annex = annexes["low-text"]
    first, last = int(str(annex["first_page"])), int(str(annex["last_page"]))
    pages = word_boxes(pdf, first, last)
    assert len(pages) == 4
    reader = PdfReader(pdf)
    for offset, (_, _, words) in enumerate(pages):
        # poppler gives the words as displayed (rotated), top-down
        width, height = page_geometry(reader.pages[first - 1 + offset]).size
        band_top = height - band_height(width)
        content = [w for w in words if w[0] in WORDS or w[0] in ("Heading", "page")]
        assert {w[0] for w in content} >= set(WORDS), words
        for text, _, bottom in content:
            assert bottom <= band_top, (offset, text, bottom, band_top)
        stamp = [w for w in words if w[1] >= band_top]
        assert " ".join(w[0] for w in stamp).startswith(
            f"Case No. 4242 — Annex {annex['number']}, p. {offset + 1}"
        )
    # pages 1-3 fit above the band: moved up (scale 1); page 4 is full: scaled down
    moved, scaled = annex["fitted"]  # type: ignore[misc]
    assert moved == {"pages": "1-3", "scale": 1.0}
    assert scaled["pages"] == "4" and 0.95 < scaled["scale"] < 0.99
    assert "fitted" not in annexes["letter"]  # its content is clear: left as it is


def test_the_content_stream_is_kept_byte_for_byte_inside_q_cm_q(
    case: Path, dossier: tuple[Path, dict[str, dict[str, object]]]
) -> None:
    pdf, annexes = dossier
    reader = PdfReader(pdf)
    original = PdfReader(case / "annexes" / "low-text.pdf")
    first = int(str(annexes["low-text"]["first_page"]))
    for offset, source in enumerate(original.pages):
        page = reader.pages[first - 1 + offset]
        contents = page["/Contents"]
        assert len(contents) == 3
        opening = contents[0].get_object().get_data()
        assert re.fullmatch(rb"q (-?[\d.]+ ){6}cm\n", opening), opening
        assert contents[1].get_object().get_data() == source.get_contents().get_data()
        closing = contents[2].get_object().get_data()
        assert closing.startswith(b"\nQ\nq ")
        assert re.search(rb"\n1 g 0 0 [\d.]+ [\d.]+ re f\n", closing)  # the opaque band
    letter = reader.pages[int(str(annexes["letter"]["first_page"])) - 1]["/Contents"]
    assert letter[0].get_object().get_data() == b"q\n"


def test_page_size_a4_keeps_landscape_landscape(
    case: Path, dossier: tuple[Path, dict[str, dict[str, object]]]
) -> None:
    out = case.parent / "a4"
    result = invoke("build", case, "--out", out, "--page-size", "a4")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    letter = next(a for a in manifest["annexes"] if a["id"] == "letter")
    reader = PdfReader(out / "dossier.pdf")
    portrait, landscape = (reader.pages[letter["first_page"] - 1 + i] for i in (0, 1))
    assert (float(portrait.mediabox.width), float(portrait.mediabox.height)) == pytest.approx(A4)
    assert (float(landscape.mediabox.width), float(landscape.mediabox.height)) == pytest.approx(
        (A4[1], A4[0])
    )
    assert "Letter page 612 wide" in portrait.extract_text()
    assert "Letter page 792 wide" in landscape.extract_text()
    assert letter["fitted"] == [{"pages": "1-2", "scale": pytest.approx(0.973, abs=0.001)}]


def test_dividers_and_own_pages_name_their_part(
    dossier: tuple[Path, dict[str, dict[str, object]]],
) -> None:
    pdf, annexes = dossier
    reader = PdfReader(pdf)
    annex = annexes["letter"]
    divider = reader.pages[int(str(annex["divider_page"])) - 1].extract_text()
    assert f"Case No. 4242 — Annex {annex['number']}\n" in divider
    second = reader.pages[int(str(annex["first_page"]))].extract_text()
    assert f"Case No. 4242 — Annex {annex['number']}, p. 2" in second
    assert "Case No. 4242 — Cover letter" in reader.pages[0].extract_text()


# ---- the geometry, for any page ----------------------------------------------------------------

ROTATIONS = st.sampled_from([0, 90, 180, 270])
SIDE = st.floats(150, 1500)


@st.composite
def page_and_content(draw: st.DrawFn) -> tuple[Geometry, tuple[float, float, float, float]]:
    x0, y0 = draw(st.floats(-300, 300)), draw(st.floats(-300, 300))
    box = (x0, y0, x0 + draw(SIDE), y0 + draw(SIDE))
    geometry = Geometry(box, draw(ROTATIONS))
    width, height = geometry.size
    left = draw(st.floats(0, width - 10))
    bottom = draw(st.floats(0, height - 10))
    right = draw(st.floats(left + 1, width))
    top = draw(st.floats(bottom + 1, height))
    return geometry, (left, bottom, right, top)


@settings(max_examples=300, deadline=None)
@given(page_and_content(), st.sampled_from([None, A4]))
def test_fitted_content_is_clear_of_the_band_and_on_the_page(
    drawn: tuple[Geometry, tuple[float, float, float, float]], size: tuple[float, float] | None
) -> None:
    geometry, content = drawn
    fit = page_fit(geometry, content, size)
    width, height = geometry.size
    if fit is None:
        assert size is None or (width, height) in (A4, (A4[1], A4[0]))
        assert content[1] >= band_height(width)
        return
    new_w, new_h = fit.geometry.size
    if size is not None:
        assert sorted((new_w, new_h)) == pytest.approx(sorted(size))
        assert (new_w > new_h) == (width > height)  # landscape stays landscape
    assert 0 < fit.scale <= 1
    # the content's corners, from the old page (displayed) to the new page (displayed)
    to_user = geometry.matrix()
    from_user = invert(fit.geometry.matrix())
    corners = [
        apply(to_user, x, y) for x in (content[0], content[2]) for y in (content[1], content[3])
    ]
    moved = [apply(from_user, *apply(fit.matrix, x, y)) for x, y in corners]
    assert min(y for _, y in moved) >= band_height(new_w) - 1e-6
    assert max(y for _, y in moved) <= new_h + 1e-6
    assert min(x for x, _ in moved) >= -1e-6 and max(x for x, _ in moved) <= new_w + 1e-6
    assert transform_box(fit.matrix, (0, 0, 1, 1))  # a usable matrix


def test_band_height_follows_narrow_pages() -> None:
    assert band_height(595) == BAND
    assert band_height(180) == pytest.approx(BAND / 2)
