"""The pixel engine of the public edition (``dossier.public.pixels``) on PDFs made here: words in
visual order on turned and cropped pages, boxes on the names and no red ink of a name left, a
name over the break between two runs of pages, OCR cached by page image, unreadable pages."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hostile_public import FONT, sans
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from dossier.public import NameMatcher, OcrCache, Protected, PublicAnnex, public_annex
from dossier.public.words import page_words
from dossier.write import write_atomic

AIDA = Protected("w1", "Witness A", ("Aida Sultanova", "Айда Султанова"))
MATCHER = NameMatcher([AIDA])


def make_pdf(*pages: Callable[[canvas.Canvas], None]) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842), invariant=1)
    for draw in pages:
        draw(pdf)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def edit_pdf(pdf: bytes, change: Callable[[PdfWriter], None]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_public(
    data: bytes,
    folder: Path,
    *,
    ocr: OcrCache | None = None,
    reviewed: bool = False,
    run: int = 100,
) -> PublicAnnex:
    return public_annex(
        data,
        label="annex 'x' (x.pdf)",
        find=MATCHER.find_in_words,
        label_of=MATCHER.pseudonym,
        chunk_file=lambda k: folder / f"run-{k}.pdf",
        write=write_atomic,
        ocr=ocr,
        reviewed=reviewed,
        chunk_pages=run,
    )


def pages_of(made: PublicAnnex) -> list[Image.Image]:
    out = []
    for file in made.files:
        doc = pdfium.PdfDocument(str(file))
        out += [doc[i].render(scale=1).to_pil().convert("RGB") for i in range(len(doc))]
        doc.close()
    return out


def text_of(made: PublicAnnex) -> str:
    texts = []
    for file in made.files:
        doc = pdfium.PdfDocument(str(file))
        texts += [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        doc.close()
    return "\f".join(texts)


def red(image: Image.Image) -> int:
    """Clearly red pixels (the tests draw the names, and only the names, in red)."""
    r, g, b = image.convert("RGB").split()
    mask = ImageChops.multiply(
        ImageChops.multiply(
            r.point(lambda v: 255 if v > 150 else 0), g.point(lambda v: 255 if v < 110 else 0)
        ),
        b.point(lambda v: 255 if v < 110 else 0),
    )
    return sum(mask.histogram()[128:])


def _names(pdf: canvas.Canvas) -> None:
    pdf.setFont(sans(), 12)
    pdf.drawString(72, 700, "The committee heard")
    pdf.setFillColorRGB(0.9, 0, 0)
    pdf.drawString(72 + stringWidth("The committee heard ", sans(), 12), 700, "Aida Sultanova")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawString(72, 680, "Свидетель")
    pdf.setFillColorRGB(0.9, 0, 0)
    pdf.drawString(72 + stringWidth("Свидетель ", sans(), 12), 680, "Айда Султанова")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawString(72, 660, "Бишкек, 2025")


def test_words_are_read_in_visual_order() -> None:
    def pieces(pdf: canvas.Canvas) -> None:
        pdf.setFont(sans(), 12)
        parts = ["Aida ", "Sul", "tan", "ova"]
        xs = [72.0]
        for part in parts[:-1]:
            xs.append(xs[-1] + stringWidth(part, sans(), 12))
        for x, part in reversed(list(zip(xs, parts, strict=True))):
            pdf.drawString(x, 500, part)

    doc = pdfium.PdfDocument(make_pdf(pieces))
    assert [w.text for w in page_words(doc[0])] == ["Aida", "Sultanova"]
    doc.close()


@pytest.mark.parametrize(
    ("rotation", "crop"),
    [
        (0, None),
        (90, None),
        (180, None),
        (270, None),
        (0, (40, 600, 420, 760)),
        (90, (40, 600, 420, 760)),
    ],
)
def test_boxes_cover_the_names_on_turned_and_cropped_pages(
    tmp_path: Path, rotation: int, crop: tuple[float, ...] | None
) -> None:
    def turn(writer: PdfWriter) -> None:
        writer.pages[0].rotation = rotation
        if crop is not None:
            writer.pages[0].cropbox = RectangleObject(crop)

    data = edit_pdf(make_pdf(_names), turn)
    original = pdfium.PdfDocument(data)
    size = original[0].get_size()
    assert red(original[0].render(scale=1).to_pil()) > 200  # the names are there, in red
    original.close()
    made = make_public(data, tmp_path)
    assert [(r.page, r.party_id) for r in made.redactions] == [(1, "w1"), (1, "w1")]
    (page,) = pages_of(made)
    assert red(page) == 0  # no ink of a name is left
    doc = pdfium.PdfDocument(str(made.files[0]))
    assert doc[0].get_size() == pytest.approx(size)  # the displayed size, rotation applied
    doc.close()
    text = text_of(made)
    assert "Sultanova" not in text and "Султанова" not in text
    assert text.count("Witness A") == 2 and "Бишкек" in text


def test_a_name_over_the_break_between_two_runs_is_boxed_on_both_pages(tmp_path: Path) -> None:
    def page(text: str, y: float) -> Callable[[canvas.Canvas], None]:
        def draw(pdf: canvas.Canvas) -> None:
            pdf.setFont(sans(), 12)
            pdf.drawString(72, y, text)

        return draw

    data = make_pdf(
        page("First page.", 700),
        page("The testimony was given by Aida", 60),
        page("Sultanova, who described it.", 780),
        page("Last page.", 700),
    )
    made = make_public(data, tmp_path, run=2)  # pages 1-2 and 3-4 are written apart
    assert len(made.files) == 2
    assert sorted((r.page, r.party_id) for r in made.redactions) == [(2, "w1"), (3, "w1")]
    text = text_of(made)
    assert "Aida" not in text and "Sultanova" not in text
    assert "Witness A" in text.split("\f")[1] and "Witness A" in text.split("\f")[2]


def _scan(text: str, size: tuple[int, int] = (1240, 600)) -> bytes:
    """A page that is only a picture of typed text (200 dpi)."""
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).text((60, 200), text, fill=0, font=ImageFont.truetype(str(FONT), 48))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(size[0] * 72 / 200, size[1] * 72 / 200), invariant=1)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(buffer), 0, 0, size[0] * 72 / 200, size[1] * 72 / 200)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _counting(calls: list[int]) -> Callable[[bytes, Sequence[str]], str]:
    from dossier.public import tesseract_runner

    real = tesseract_runner()

    def run(image: bytes, args: Sequence[str]) -> str:
        calls.append(1)
        return real(image, args)

    return run


def test_a_scan_is_read_by_ocr_once_and_the_cache_serves_the_next_build(tmp_path: Path) -> None:
    import shutil

    if not shutil.which("tesseract"):
        pytest.skip("tesseract-ocr not installed")
    data = _scan("Statement of Aida Sultanova")
    calls: list[int] = []
    cache = OcrCache(tmp_path / "ocr", runner=_counting(calls), store=write_atomic)
    first = make_public(data, tmp_path / "a", ocr=cache)
    assert calls == [1] and first.ocr_pages == [1] and first.unreadable == []
    assert [(r.page, r.party_id) for r in first.redactions] == [(1, "w1")]
    assert "Witness A" in text_of(first) and "Sultanova" not in text_of(first)
    again = make_public(data, tmp_path / "b", ocr=cache)
    assert calls == [1]  # no second Tesseract run
    assert again.files[0].read_bytes() == first.files[0].read_bytes()
    assert len(list((tmp_path / "ocr").rglob("*.json"))) == 1


def test_a_page_that_cannot_be_read_refuses_the_annex_until_reviewed(tmp_path: Path) -> None:
    noise = Image.effect_noise((600, 800), 90).convert("L")
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    buffer.seek(0)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(300, 400), invariant=1)
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(buffer), 0, 0, 300, 400)
    pdf.showPage()
    pdf.save()
    refused = make_public(out.getvalue(), tmp_path / "a")  # no OCR at all: unreadable
    assert refused.refused and refused.unreadable == [1] and refused.files == []
    shown = make_public(out.getvalue(), tmp_path / "b", reviewed=True)
    assert not shown.refused and len(shown.files) == 1


def _ocr_cache(tmp_path: Path) -> OcrCache:
    import shutil

    if not shutil.which("tesseract"):
        pytest.skip("tesseract-ocr not installed")
    from dossier.public import tesseract_runner

    return OcrCache(tmp_path / "ocr", runner=tesseract_runner(), store=write_atomic)


def _name_picture(width: int, height: int) -> Image.Image:
    picture = Image.new("RGB", (width, height), (250, 250, 235))
    font = ImageFont.truetype(str(FONT), height // 3)
    ImageDraw.Draw(picture).text((12, height // 3), "Aida Sultanova", fill=(0, 0, 90), font=font)
    return picture


def test_a_small_picture_on_a_text_page_is_read_for_names(tmp_path: Path) -> None:
    """A stamp or a clipping pasted in a letter (a few percent of the page) is OCRed alone."""
    from reportlab.lib.utils import ImageReader

    cache = _ocr_cache(tmp_path)

    def letter(pdf: canvas.Canvas) -> None:
        pdf.setFont(sans(), 12)
        pdf.drawString(72, 760, "Letter of the union committee, received with a stamp.")
        pdf.drawImage(ImageReader(_name_picture(900, 180)), 72, 600, 250, 50)

    made = make_public(make_pdf(letter), tmp_path / "out", ocr=cache)
    assert [(r.page, r.party_id) for r in made.redactions] == [(1, "w1")]
    (box,) = made.redactions[0].boxes
    assert 60 < box[0] and box[2] < 340 and 590 < box[1] < box[3] < 660  # on the picture
    assert made.unreadable == []
    no_ocr = make_public(make_pdf(letter), tmp_path / "none")
    assert no_ocr.refused  # no one can read the picture: not shown unless reviewed


def test_text_drawn_as_outlines_is_read_by_ocr(tmp_path: Path) -> None:
    """Letters turned into filled vector shapes: no text for pdfium, OCR reads the page."""
    cache = _ocr_cache(tmp_path)
    glyphs = _name_picture(1400, 120).convert("1", dither=Image.Dither.NONE)

    def outlines(pdf: canvas.Canvas) -> None:
        pdf.setFont(sans(), 12)
        pdf.drawString(72, 760, "Minutes of the meeting; the witness signed below.")
        scale = 0.3  # points per pixel
        columns: list[int] = []  # split the picture into letters at empty columns
        for x in range(glyphs.width):
            ink = any(glyphs.getpixel((x, y)) == 0 for y in range(glyphs.height))
            columns.append(1 if ink else 0)
        x = 0
        while x < glyphs.width:
            if not columns[x]:
                x += 1
                continue
            end = x
            while end < glyphs.width and columns[end]:
                end += 1
            path = pdf.beginPath()
            for px in range(x, end):
                for py in range(glyphs.height):
                    if glyphs.getpixel((px, py)) == 0:
                        path.rect(72 + px * scale, 700 - py * scale, scale, scale)
            pdf.drawPath(path, fill=1, stroke=0)
            x = end

    made = make_public(make_pdf(outlines), tmp_path / "out", ocr=cache)
    assert made.ocr_pages == [1]
    assert [(r.page, r.party_id) for r in made.redactions] == [(1, "w1")]
