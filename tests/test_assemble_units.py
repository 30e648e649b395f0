"""Pieces of the assemble stage: stamp geometry, localised stamps, images, forms."""

from __future__ import annotations

import io

import pdfs
import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from dossier.assemble.labels import stamp_label, word
from dossier.assemble.merge import copy_source
from dossier.assemble.stamp import Geometry, Stamper, page_geometry, stamp_xobjects
from dossier.intake.images import image_pdf
from dossier.plan import PartKind

coords = st.floats(min_value=-2000, max_value=2000, allow_nan=False, allow_infinity=False)
sizes = st.floats(min_value=50, max_value=3000, allow_nan=False, allow_infinity=False)


@given(x0=coords, y0=coords, w=sizes, h=sizes, rotation=st.sampled_from([0, 90, 180, 270]))
def test_displayed_frame_maps_onto_the_visible_box(x0, y0, w, h, rotation):
    geometry = Geometry((x0, y0, x0 + w, y0 + h), rotation)
    a, b, c, d, e, f = geometry.matrix()
    width, height = geometry.size
    corners = [(0, 0), (width, 0), (0, height), (width, height)]
    mapped = {(round(a * u + c * v + e, 6), round(b * u + d * v + f, 6)) for u, v in corners}
    box = {(round(x, 6), round(y, 6)) for x in (x0, x0 + w) for y in (y0, y0 + h)}
    assert mapped == box
    # displayed "up" is the page's reading direction: +v goes away from the displayed bottom
    bottom_mid = (a * width / 2 + e, b * width / 2 + f)
    top_mid = (a * width / 2 + c * height + e, b * width / 2 + d * height + f)
    expected = {0: (0, 1), 90: (-1, 0), 180: (0, -1), 270: (1, 0)}[rotation]
    direction = (top_mid[0] - bottom_mid[0], top_mid[1] - bottom_mid[1])
    assert direction[0] * expected[0] + direction[1] * expected[1] == pytest.approx(
        height, rel=1e-6
    )


def test_visible_box_is_media_intersected_with_crop():
    page = DictionaryObject(
        {
            NameObject("/MediaBox"): ArrayObject([FloatObject(v) for v in (0, 0, 600, 800)]),
            NameObject("/CropBox"): ArrayObject([FloatObject(v) for v in (-50, 100, 500, 900)]),
            NameObject("/Rotate"): NumberObject(-90),
        }
    )
    assert page_geometry(page) == Geometry((0, 100, 500, 800), 270)


def test_empty_media_box_falls_back_to_letter():
    page = DictionaryObject({NameObject("/MediaBox"): ArrayObject([FloatObject(0)] * 4)})
    assert page_geometry(page) == Geometry((0, 0, 612, 792), 0)


@pytest.mark.parametrize(
    ("language", "label", "page"),
    [
        ("en", "Case No. 3386 — Annex 7", "Page 3 of 40"),
        ("fr", "Cas n°\u00a03386 — Annexe 7", "Page 3 sur 40"),
        ("es", "Caso núm.\u00a03386 — Anexo 7", "Página 3 de 40"),
    ],
)
def test_localised_stamps_are_extractable(language, label, page):
    assert stamp_label(language, 3386, PartKind.ANNEX, 7) == label
    assert word(language, "page", page=3, total=40) == page
    writer = PdfWriter(clone_from=io.BytesIO(pdfs.text_pdf(["Body text"])))
    label_x, page_x = stamp_xobjects(writer, [label], [page])
    Stamper(writer).stamp(writer.pages[0], label_x, page_x)
    out = io.BytesIO()
    writer.write(out)
    text = PdfReader(out).pages[0].extract_text().replace("\u00a0", " ")
    assert label.replace("\u00a0", " ") in text and page in text and "Body text" in text


def test_stamp_fonts_beyond_one_subset():
    """More than 256 distinct characters need several font subsets; all must be embedded."""
    label = "".join(chr(c) for c in range(0x0410, 0x0450)) + "".join(
        chr(c) for c in range(0x00C0, 0x0180)
    )
    writer = PdfWriter(clone_from=io.BytesIO(pdfs.text_pdf(["x"])))
    label_x, page_x = stamp_xobjects(writer, [label], ["Page 1 of 1"])
    Stamper(writer).stamp(writer.pages[0], label_x, page_x)
    out = io.BytesIO()
    writer.write(out)
    text = PdfReader(out).pages[0].extract_text()
    assert label in text.replace("\n", "")


def test_multi_frame_tiff_becomes_one_page_per_frame():
    frames = [Image.new("RGB", (300, 100), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], dpi=(100, 100))
    reader = PdfReader(io.BytesIO(image_pdf(out.getvalue())))
    assert len(reader.pages) == 3
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_exif_rotated_jpeg_is_shown_upright():
    image = Image.new("RGB", (400, 200), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # camera held upright: the stored picture must turn 90° clockwise
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    reader = PdfReader(io.BytesIO(image_pdf(out.getvalue())))
    box = reader.pages[0].mediabox
    assert float(box.height) > float(box.width)  # shown portrait
    assert reader.pages[0].images[0].data[:2] == b"\xff\xd8"  # JPEG embedded as it is


def test_form_widgets_are_kept_read_only_without_actions():
    writer = PdfWriter(clone_from=io.BytesIO(pdfs.text_pdf(["Form page"])))
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("name"),
            NameObject("/AA"): DictionaryObject(
                {
                    NameObject("/K"): DictionaryObject(
                        {
                            NameObject("/S"): NameObject("/JavaScript"),
                            NameObject("/JS"): TextStringObject("evil()"),
                        }
                    )
                }
            ),
        }
    )
    field_ref = writer._add_object(field)
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 600, 300, 620)]),
            NameObject("/Parent"): field_ref,
        }
    )
    widget_ref = writer._add_object(widget)
    field[NameObject("/Kids")] = ArrayObject([widget_ref])
    writer.pages[0][NameObject("/Annots")] = ArrayObject([widget_ref])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([field_ref])}
    )
    source = io.BytesIO()
    writer.write(source)
    out = PdfWriter()
    copied = copy_source(out, PdfReader(source), "Annex 1")
    assert copied.removed == []
    annots = out.pages[0]["/Annots"]
    assert len(annots) == 1
    copied_widget = annots[0].get_object()
    assert "/Parent" not in copied_widget
    assert int(copied_widget["/F"]) & 64
    data = io.BytesIO()
    out.write(data)
    assert b"evil()" not in data.getvalue()
    assert "/AcroForm" not in PdfReader(data).root_object


def test_aes_encrypted_annex_opens_with_its_password(tmp_path, monkeypatch):
    from dossier.intake.sources import open_sources
    from dossier.models import Annex

    writer = PdfWriter(clone_from=io.BytesIO(pdfs.text_pdf(["Secret page"])))
    writer.encrypt(user_password="pw", owner_password="owner", algorithm="AES-256")
    (tmp_path / "annexes").mkdir()
    (tmp_path / "annexes" / "aes.pdf").write_bytes(pdfs._write(writer))
    annex = Annex(id="aes", title="AES", language="en", file="aes.pdf", password_env="AES_PW")
    monkeypatch.setenv("AES_PW", "pw")
    source = open_sources(tmp_path, [annex]).by_id["aes"]
    assert "Secret page" in source.open_reader().pages[0].extract_text()


def test_transparent_png_is_shown_on_white():
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    reader = PdfReader(io.BytesIO(image_pdf(out.getvalue())))
    pixels = reader.pages[0].images[0].image.convert("RGB")
    assert pixels.getpixel((10, 10)) == (255, 255, 255)


def _band_darkness(data: bytes, top: int, bottom: int) -> int:
    """Darkest grey level in a band of page 1 (pixel rows from the top at 72 dpi)."""
    doc = pdfium.PdfDocument(data)
    try:
        bitmap = doc[0].render(scale=1).to_pil().convert("L")
        return bitmap.crop((72, top, 300, bottom)).getextrema()[0]
    finally:
        doc.close()


def test_hidden_layers_of_an_annex_stay_hidden():
    from dossier.assemble.merge import OptionalContent

    reader = PdfReader(io.BytesIO(pdfs.layered_pdf()))
    results = {}
    for keep_layers in (False, True):
        writer = PdfWriter()
        copy_source(writer, reader, "Annex 1")
        if keep_layers:
            layers = OptionalContent()
            layers.add(writer, reader)
            layers.apply(writer)
        out = io.BytesIO()
        writer.write(out)
        results[keep_layers] = out.getvalue()
    result = PdfReader(io.BytesIO(results[True]))
    props = result.root_object["/OCProperties"]
    page_group = result.pages[0]["/Resources"]["/Properties"].raw_get("/L1")
    assert [g.idnum for g in props["/OCGs"]] == [page_group.idnum]
    assert [g.idnum for g in props["/D"]["/OFF"]] == [page_group.idnum]
    # visible text at y=742 (row 100), the hidden layer's at y=400 (row 442)
    assert _band_darkness(results[True], 85, 103) < 128
    assert _band_darkness(results[False], 428, 445) < 128  # without the layers: shown
    assert _band_darkness(results[True], 428, 445) > 200  # with them: hidden as in the annex
