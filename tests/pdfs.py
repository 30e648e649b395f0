"""Small PDFs and images with the traps real annexes have, made on the fly for tests."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def text_pdf(texts: Sequence[str], size: tuple[float, float] = A4) -> bytes:
    """One page per text, the text written near the top left."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size, invariant=1)
    for text in texts:
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, size[1] - 100, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rotated_pdf() -> bytes:
    """Four pages rotated 0/90/180/270 on the page, then one page whose 90 is inherited."""
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf([f"Rotated {r}" for r in (0, 90, 180, 270)])))
    for page, rotation in zip(writer.pages, (0, 90, 180, 270), strict=True):
        page[NameObject("/Rotate")] = NumberObject(rotation)
    return _write(writer)


def inherited_rotation_pdf() -> bytes:
    """Two landscape pages whose /Rotate 270 comes from the page tree root, not the page."""
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["Inherited A", "Inherited B"], (842, 595))))
    for page in writer.pages:
        del page["/Rotate"]  # reportlab writes /Rotate 0, which would hide the inherited value
    root_pages = writer._root_object["/Pages"].get_object()
    root_pages[NameObject("/Rotate")] = NumberObject(270)
    return _write(writer)


def boxes_pdf() -> bytes:
    """Page 1: MediaBox offset to (100, 200); page 2: a CropBox inside the MediaBox."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(612, 792), invariant=1)
    pdf.translate(100, 200)
    pdf.drawString(72, 600, "Offset media box")
    pdf.showPage()
    pdf.drawString(150, 600, "Cropped page")
    pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.pages[0].mediabox = _rect(100, 200, 712, 992)
    writer.pages[1].cropbox = _rect(120, 150, 520, 700)
    return _write(writer)


def _rect(x0: float, y0: float, x1: float, y1: float) -> ArrayObject:
    return ArrayObject([FloatObject(v) for v in (x0, y0, x1, y1)])


def unclosed_transform_pdf() -> bytes:
    """A page whose content ends with a scaling transform that is never restored."""
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["Unclosed transform"])))
    page = writer.pages[0]
    extra = DecodedStreamObject()
    extra.set_data(b"3 0 0 3 200 300 cm")
    contents = page.raw_get("/Contents")
    page[NameObject("/Contents")] = ArrayObject([contents, writer._add_object(extra)])
    return _write(writer)


def outline_links_pdf() -> bytes:
    """Three pages with an outline (nested), a named-destination link and an explicit link."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    for number in (1, 2, 3):
        pdf.bookmarkPage(f"p{number}")
        pdf.drawString(72, 700, f"Outline page {number}")
        if number == 1:
            pdf.linkRect("to 3", "p3", (72, 650, 200, 670), relative=0)
        pdf.showPage()
    pdf.addOutlineEntry("Chapter one", "p1", level=0)
    pdf.addOutlineEntry("Section two", "p2", level=1)
    pdf.addOutlineEntry("Chapter three", "p3", level=0)
    pdf.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.add_annotation(1, Link(rect=(72, 600, 200, 620), target_page_index=0))
    return _write(writer)


def active_pdf() -> bytes:
    """Two pages with document JavaScript, a JS open action, a Launch link, an attachment."""
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["Active page one", "Active page two"])))
    writer.add_attachment("secret.txt", b"attached")
    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('open');"),
        }
    )
    names = writer._root_object["/Names"].get_object()
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("doc"), writer._add_object(js)])}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js)
    launch = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): _rect(72, 500, 200, 520),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/Launch"),
                    NameObject("/F"): TextStringObject("calc.exe"),
                }
            ),
        }
    )
    web = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): _rect(72, 450, 200, 470),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://www.ilo.org/"),
                }
            ),
        }
    )
    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(launch), writer._add_object(web)])
    page_js = writer._add_object(js.clone(writer))
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): page_js})
    return _write(writer)


def encrypted_pdf(password: str) -> bytes:
    """A two-page PDF that needs ``password`` to open (RC4, readable without extra packages)."""
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["Encrypted one", "Encrypted two"])))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    return _write(writer)


def image_bytes(fmt: str, size: tuple[int, int] = (300, 200), dpi: int = 100) -> bytes:
    """A small coloured picture in ``fmt`` (JPEG, PNG or TIFF)."""
    image = Image.new("RGB", size, (200, 80, 40))
    for x in range(size[0] // 3):
        for y in range(size[1]):
            image.putpixel((x, y), (20, 90, 200))
    out = io.BytesIO()
    image.save(out, format=fmt, dpi=(dpi, dpi))
    return out.getvalue()


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def layered_pdf() -> bytes:
    """One page with a layer that is hidden by default ("Hidden notes")."""
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["Visible text"])))
    group = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/OCG"),
                NameObject("/Name"): TextStringObject("Hidden notes"),
            }
        )
    )
    page = writer.pages[0]
    resources = page["/Resources"].get_object()
    resources[NameObject("/Properties")] = DictionaryObject({NameObject("/L1"): group})
    layer = DecodedStreamObject()
    layer.set_data(b"/OC /L1 BDC BT /F1 12 Tf 72 400 Td (Hidden layer text) Tj ET EMC")
    contents = page.raw_get("/Contents")
    page[NameObject("/Contents")] = ArrayObject([contents, writer._add_object(layer)])
    writer._root_object[NameObject("/OCProperties")] = DictionaryObject(
        {
            NameObject("/OCGs"): ArrayObject([group]),
            NameObject("/D"): DictionaryObject({NameObject("/OFF"): ArrayObject([group])}),
        }
    )
    return _write(writer)
