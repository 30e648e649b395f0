"""Searchable scans: ANX-04 finds image-only annex pages; dossier.ocr adds a text layer to them."""

from __future__ import annotations

import hashlib
import importlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from dossier.checks import check_case
from dossier.checks.scans import page_ranges
from dossier.cli import cli
from dossier.commands import ocr
from dossier.errors import BuildError, Problem, Severity
from dossier.intake.scans import image_only_pages
from dossier.load import load_case
from dossier.models import Annex

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "cases" / "minimal"
FONT = ROOT / "dossier" / "fonts" / "DejaVuSans.ttf"
CYRILLIC = "Федерация профсоюзов Кыргызстана"


def _picture(text: str = "", width: int = 600, height: int = 200) -> Image.Image:
    image = Image.new("L", (width, height), 255)
    if text:
        ImageDraw.Draw(image).text((20, 60), text, fill=0, font=ImageFont.truetype(str(FONT), 40))
    return image


def make_pdf(pages: list[str]) -> bytes:
    """One page per entry: ``"text"`` (a line of text), ``"scan"`` (an image only), ``"ocred"``
    (an image under invisible text, as OCR leaves it), ``"blank"``, ``"form"`` (an image drawn
    through a form XObject)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(300, 300), invariant=True)
    for kind in pages:
        if kind == "text":
            pdf.drawString(40, 200, "A page typed with text")
        elif kind in ("scan", "ocred"):
            pdf.drawImage(ImageReader(_picture("scan")), 20, 20, width=260, height=90)
            if kind == "ocred":
                text = pdf.beginText(30, 50)
                text.setTextRenderMode(3)
                text.textLine("scan")
                pdf.drawText(text)
        elif kind == "form":
            pdf.beginForm("scanform")
            pdf.drawImage(ImageReader(_picture("form")), 20, 20, width=260, height=90)
            pdf.endForm()
            pdf.doForm("scanform")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture
def case(tmp_path: Path) -> Path:
    dest = tmp_path / "minimal"
    shutil.copytree(MINIMAL, dest)
    return dest


def use_annex(case: Path, name: str, data: bytes) -> None:
    """Make the minimal case's only annex the file ``name`` holding ``data``, pinned."""
    (case / "annexes" / "search-note.txt").unlink(missing_ok=True)
    (case / "annexes" / name).write_bytes(data)
    path = case / "annexes.yaml"
    text = path.read_text(encoding="utf-8")
    old = text.split("sha256: ")[1].split()[0]
    text = text.replace(old, hashlib.sha256(data).hexdigest()).replace("search-note.txt", name)
    path.write_text(text, encoding="utf-8")


def problems(case: Path) -> list[Problem]:
    import datetime as dt

    return check_case(load_case(case), today=dt.date(2024, 6, 1))


def anx04(case: Path) -> list[tuple[str, Severity, str, str, str]]:
    return [
        (p.code, p.severity, p.field, p.message, p.fix)
        for p in problems(case)
        if p.code == "ANX-04"
    ]


FIX = "run `dossier build --ocr` or supply a searchable copy"


# ---- ANX-04 ---------------------------------------------------------------------------------


def test_image_only_pages_are_named(case: Path) -> None:
    use_annex(case, "search.pdf", make_pdf(["text", "scan", "scan", "text", "scan"]))
    assert anx04(case) == [
        (
            "ANX-04",
            Severity.WARNING,
            "annexes[0].file",
            "annex 'search-note' (search.pdf): pages 2-3, 5 have no text layer (image-only scan)",
            FIX,
        )
    ]
    found = [p for p in problems(case) if p.code == "ANX-04"][0]
    assert found.file.endswith("annexes.yaml") and found.line == 8  # the annex's file: line


def test_one_page_and_all_pages(case: Path) -> None:
    use_annex(case, "search.pdf", make_pdf(["text", "scan"]))
    assert (
        anx04(case)[0][3]
        == "annex 'search-note' (search.pdf): page 2 has no text layer (image-only scan)"
    )
    use_annex(case, "search.pdf", make_pdf(["scan", "scan", "scan"]))
    assert (
        anx04(case)[0][3]
        == "annex 'search-note' (search.pdf): all 3 pages have no text layer (image-only scan)"
    )
    use_annex(case, "search.pdf", make_pdf(["scan"]))
    assert (
        anx04(case)[0][3]
        == "annex 'search-note' (search.pdf): the page has no text layer (image-only scan)"
    )


def test_text_blank_and_ocred_pages_are_not_reported(case: Path) -> None:
    use_annex(case, "search.pdf", make_pdf(["text", "blank", "ocred"]))
    assert problems(case) == []


def test_an_image_inside_a_form_is_found(case: Path) -> None:
    use_annex(case, "search.pdf", make_pdf(["text", "form"]))
    assert (
        anx04(case)[0][3]
        == "annex 'search-note' (search.pdf): page 2 has no text layer (image-only scan)"
    )


@pytest.mark.parametrize("suffix, fmt", [(".jpg", "JPEG"), (".png", "PNG"), (".tiff", "TIFF")])
def test_image_annexes_are_always_scans(case: Path, suffix: str, fmt: str) -> None:
    buffer = io.BytesIO()
    _picture("scan").save(buffer, fmt)
    use_annex(case, "search" + suffix, buffer.getvalue())
    assert anx04(case) == [
        (
            "ANX-04",
            Severity.WARNING,
            "annexes[0].file",
            f"annex 'search-note' (search{suffix}) is an image: "
            "it has no text layer (image-only scan)",
            FIX,
        )
    ]


def test_unreadable_pdf_is_left_to_the_other_checks(case: Path) -> None:
    use_annex(case, "search.pdf", b"%PDF-1.4\nnot really a pdf\n")
    assert anx04(case) == []


def test_cli_check_shows_the_warning_and_strict_fails(case: Path) -> None:
    from click.testing import CliRunner

    use_annex(case, "search.pdf", make_pdf(["text", "scan"]))
    result = CliRunner().invoke(cli, ["check", str(case)])
    assert "ANX-04" in result.output and "page 2 has no text layer" in result.output
    strict = CliRunner().invoke(cli, ["check", str(case), "--strict"])
    assert strict.exit_code == 1


def test_page_ranges() -> None:
    assert page_ranges((1,)) == "1"
    assert page_ranges((2, 3, 4, 5, 7)) == "2-5, 7"
    assert page_ranges((1, 3, 4, 9, 10, 11)) == "1, 3-4, 9-11"


# ---- dossier.ocr ----------------------------------------------------------------------------


def test_languages_map_from_bcp47() -> None:
    assert ocr.tesseract_languages(["ru"]) == ["rus", "eng"]
    assert ocr.tesseract_languages(["ky", "ru", "en", "fr", "es"]) == [
        "kir",
        "rus",
        "eng",
        "fra",
        "spa",
    ]
    assert ocr.tesseract_languages(["ru-Cyrl-KG", "kir"]) == ["rus", "kir", "eng"]
    annex = Annex(id="decree", title="Decree", language="ky", file="decree.pdf")
    assert ocr.annex_languages(annex) == ["kir", "rus", "eng"]
    with pytest.raises(BuildError, match="no Tesseract language for 'xx'"):
        ocr.tesseract_languages(["xx"])


def test_missing_ocrmypdf_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_ocrmypdf(name: str, package: str | None = None) -> object:
        if name.startswith("ocrmypdf"):
            raise ImportError(f"No module named {name!r}")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_ocrmypdf)
    with pytest.raises(BuildError) as err:
        ocr.ocr_pdf(make_pdf(["scan"]), ["ky"])
    assert "install the [ocr] extra" in err.value.message
    assert "tesseract-ocr-rus, tesseract-ocr-kir" in err.value.message
    assert err.value.exit_code == 3


def test_missing_tesseract_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ocrmypdf", reason="needs the [ocr] extra")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(BuildError, match=r"Tesseract, which is not installed: install the \[ocr\]"):
        ocr.ocr_pdf(make_pdf(["scan"]), ["ru"])


def _ocr_ready(languages: tuple[str, ...]) -> str | None:
    """Why real OCR cannot run here, or None."""
    try:
        importlib.import_module("ocrmypdf")
    except ImportError:
        return "OCRmyPDF is not installed (pip install '.[ocr]')"
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-rus ...)"
    listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True).stdout
    missing = [lang for lang in languages if lang not in listed.split()]
    return f"tesseract lacks {', '.join(missing)}" if missing else None


def _scanned_cyrillic_pdf() -> bytes:
    """A 300 dpi scan of a line of Russian (as a picture only) and a typed page after it."""
    image = Image.new("L", (2480, 500), 255)  # A4 width at 300 dpi
    font = ImageFont.truetype(str(FONT), 80)  # about 19 pt
    ImageDraw.Draw(image).text((150, 200), CYRILLIC, fill=0, font=font)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595.2, 120), invariant=True)
    pdf.drawImage(ImageReader(image), 0, 0, width=595.2, height=120)
    pdf.showPage()
    pdf.drawString(40, 60, "A page typed with text")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _image_data(reader: PdfReader, page: int) -> list[tuple[object, ...]]:
    """Size, colour space and decoded pixels of the page's images (their encoding may differ)."""
    xobjects = reader.pages[page]["/Resources"]["/XObject"]
    images = [xobjects[name].get_object() for name in xobjects]
    return [
        (x["/Width"], x["/Height"], x["/BitsPerComponent"], x["/ColorSpace"], x.get_data())
        for x in images
        if x["/Subtype"] == "/Image"
    ]


def _rendered(data: bytes, page: int) -> bytes:
    """The page as pdfium paints it, at 72 dpi, in grey."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return bytes(doc[page].render(scale=1.0).to_pil().convert("L").tobytes())
    finally:
        doc.close()


def _words(text: str) -> str:
    return " ".join(text.split())


def test_scanned_cyrillic_page_becomes_searchable(tmp_path: Path) -> None:
    reason = _ocr_ready(("rus", "kir", "eng"))
    if reason:
        pytest.skip(f"OCR test skipped: {reason}")
    data = _scanned_cyrillic_pdf()
    before = PdfReader(io.BytesIO(data))
    assert before.pages[0].extract_text().strip() == ""

    searchable = ocr.ocr_pdf(data, ["ky"])

    after = PdfReader(io.BytesIO(searchable))
    assert len(after.pages) == 2
    assert CYRILLIC in _words(after.pages[0].extract_text())
    assert _image_data(after, 0) == _image_data(before, 0)  # the scan itself is untouched
    assert _rendered(searchable, 0) == _rendered(data, 0)  # and the text layer is invisible
    assert _words(after.pages[1].extract_text()) == "A page typed with text"
    # the text layer is invisible, and the check no longer reports the page
    assert image_only_pages(after) == ()
    assert image_only_pages(before) == (1,)


def test_ocr_data_reads_an_image_annex(tmp_path: Path) -> None:
    reason = _ocr_ready(("rus", "eng"))
    if reason:
        pytest.skip(f"OCR test skipped: {reason}")
    image = Image.new("L", (2480, 400), 255)
    ImageDraw.Draw(image).text((150, 150), CYRILLIC, fill=0, font=ImageFont.truetype(str(FONT), 80))
    path = tmp_path / "scan.png"
    image.save(path, dpi=(300, 300))
    annex = Annex(id="scan", title="Scan", language="ru", file="scan.png")
    reader = PdfReader(io.BytesIO(ocr.ocr_data(path.read_bytes(), path.suffix, annex)))
    assert CYRILLIC in _words(reader.pages[0].extract_text())


def test_ocr_data_refuses_text_annexes(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("a note", encoding="utf-8")
    annex = Annex(id="note", title="Note", language="en", file="note.txt")
    with pytest.raises(BuildError, match="only PDF and image annexes can be OCRed"):
        ocr.ocr_data(path.read_bytes(), path.suffix, annex)


def test_a_pdf_without_scans_is_returned_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    """No image-only page: OCRmyPDF is not even needed (here: made unimportable)."""
    real = importlib.import_module

    def without_ocrmypdf(name: str, package: str | None = None) -> object:
        if name.startswith("ocrmypdf"):
            raise ImportError(f"No module named {name!r}")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_ocrmypdf)
    annex = Annex(id="typed", title="Typed", language="ru", file="typed.pdf")
    data = make_pdf(["text", "blank", "ocred"])
    assert ocr.ocr_data(data, ".pdf", annex) is data
    with pytest.raises(BuildError, match=r"^annex 'typed' \(typed.pdf\): OCR needs OCRmyPDF"):
        ocr.ocr_data(make_pdf(["text", "scan"]), ".PDF", annex)
