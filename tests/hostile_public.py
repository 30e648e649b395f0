"""Annex files that hide a confidential name the ways issue 14 found, made by code.

Names: Aida Sultanova (Айда Султанова) and Bakyt Oruzbaev (Бакыт Орузбаев), the confidential
persons of ``tests/corpus/confidential``.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

NAME = "Aida Sultanova"
FONT = Path(__file__).resolve().parent.parent / "dossier" / "fonts" / "DejaVuSans.ttf"
URI_NAME = "%D0%90%D0%B9%D0%B4%D0%B0%20%D0%A1%D1%83%D0%BB%D1%82%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0"
"""Айда Султанова, percent-encoded as in a link."""


def sans() -> str:
    if "HostileSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("HostileSans", str(FONT)))
    return "HostileSans"


def _hex16(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _stream(head: bytes, data: bytes) -> bytes:
    return b"<<" + head + b" /Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"(" + NAME.encode() + b")" + b"]" * depth


def write_pdf(objects: dict[int, bytes], root: int, info: int) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\n" % (size, root, info)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def hidden_channels_pdf() -> bytes:
    """One page: the name visible once, and in every hidden channel of the issue: hex
    /ActualText over other glyphs and hex /Alt, strings 60 arrays deep, a private stream with
    /Length1, page-level XMP in UTF-16, a percent-encoded link URI, a FileAttachment with a
    Popup's /Parent and a reply's /IRT pointing at it, /JavaScript and /EmbeddedFiles in a form
    XObject's /PieceInfo, document JavaScript, an outline, Info, an OCG name, hidden OC text."""
    name = NAME.encode()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>' + name + b"</dc:creator></x:xmpmeta>"
    xmp16 = ("<x:xmpmeta><dc:creator>" + NAME + "</dc:creator></x:xmpmeta>").encode("utf-16-le")
    content = (
        b"BT /F1 12 Tf 72 700 Td (The committee heard) Tj ET\n"
        b"BT /F1 12 Tf 72 680 Td (Witness: " + name + b", teacher, Osh) Tj ET\n"
        b"/Span <</ActualText " + _hex16(NAME) + b">> BDC\n"
        b"BT /F1 12 Tf 72 640 Td (Xx Yy) Tj ET EMC\n"
        b"/OC /oc1 BDC BT /F1 12 Tf 72 620 Td (hidden layer " + name + b") Tj ET EMC\n"
        b"q 1 0 0 1 72 560 cm /Fx1 Do Q\n"
        b"BT /F1 12 Tf 72 520 Td (Annex page one) Tj ET\n"
    )
    js = b"app.alert('" + name + b"');"
    piece = (
        b"/PieceInfo <</App <</Private <</S /JavaScript /JS (" + js + b")>> "
        b"/Names <</EmbeddedFiles 7 0 R /JavaScript 10 0 R>>>>>>"
    )
    uri = b"https://example.org/people/" + URI_NAME.encode()
    objects = {
        1: b"<</Type /Catalog /Pages 2 0 R /Metadata 6 0 R /Names <</EmbeddedFiles 7 0 R "
        b"/JavaScript 10 0 R>> /OpenAction 11 0 R /Outlines 12 0 R /StructTreeRoot 14 0 R "
        b"/OCProperties <</OCGs [16 0 R] /D <</OFF [16 0 R]>>>> /PrivateData 17 0 R "
        b"/Deep " + _deep(60) + b">>",
        2: b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        3: b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources <</Font <</F1 5 0 R>> /XObject <</Fx1 18 0 R>> "
        b"/Properties <</oc1 16 0 R>>>> /Metadata 19 0 R "
        b"/Annots [20 0 R 21 0 R 22 0 R 23 0 R 25 0 R] "
        b"/PieceInfo <</X <</Private (" + name + b")>>>> /Private " + _deep(60) + b">>",
        4: _stream(b"", content),
        5: b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>",
        6: _stream(b"/Type /Metadata /Subtype /XML", xmp),
        7: b"<</Names [(statement.txt) 8 0 R]>>",
        8: b"<</Type /Filespec /F (statement.txt) /UF "
        + _hex16(NAME + ".txt")
        + b" /EF <</F 9 0 R>>>>",
        9: _stream(b"/Type /EmbeddedFile", b"Statement of " + name),
        10: b"<</Names [(hello) 11 0 R]>>",
        11: b"<</S /JavaScript /JS (" + js + b")>>",
        12: b"<</Type /Outlines /First 13 0 R /Last 13 0 R /Count 1>>",
        13: b"<</Title " + _hex16(NAME) + b" /Parent 12 0 R /Dest [3 0 R /Fit]>>",
        14: b"<</Type /StructTreeRoot /K 15 0 R>>",
        15: b"<</Type /StructElem /S /P /P 14 0 R /Alt "
        + _hex16(NAME)
        + b" /ActualText "
        + _hex16(NAME)
        + b">>",
        16: b"<</Type /OCG /Name (" + name + b")>>",
        17: _stream(b"/Type /X-Private /Length1 40", b"private " + name),
        18: _stream(
            b"/Type /XObject /Subtype /Form /BBox [0 0 300 30] /Resources <</Font <</F1 5 0 R>>>> "
            + piece,
            b"BT /F1 10 Tf 0 10 Td (Received by the registry) Tj ET",
        ),
        19: _stream(b"/Type /Metadata /Subtype /XML", xmp16),
        20: b"<</Type /Annot /Subtype /Text /Rect [400 700 420 720] /Contents "
        + _hex16(NAME)
        + b" /T ("
        + name
        + b") /Popup 21 0 R /P 3 0 R>>",
        21: b"<</Type /Annot /Subtype /Popup /Rect [420 600 560 700] /Parent 23 0 R /Open true>>",
        22: b"<</Type /Annot /Subtype /Text /Rect [400 650 420 670] /IRT 23 0 R /Contents ("
        + name
        + b") /RC (<p>"
        + name
        + b"</p>)>>",
        23: b"<</Type /Annot /Subtype /FileAttachment /Rect [400 600 420 620] /FS 8 0 R "
        b"/Contents (" + name + b")>>",
        24: b"<</Author (" + name + b") /Title " + _hex16(NAME) + b">>",
        25: b"<</Type /Annot /Subtype /Link /Rect [72 500 300 515] /A <</S /URI /URI ("
        + uri
        + b")>>>>",
    }
    return write_pdf(objects, 1, 24)


PAGE_BREAK_LINES = (
    "The committee heard the testimony given by Aida",
    "Sultanova, who described the questioning.",
)
"""The last line of page 1 and the first line of page 2."""


def broken_name_pdf() -> tuple[
    bytes, dict[str, list[tuple[int, tuple[float, float, float, float]]]]
]:
    """Three pages: a name over the page break; a name hyphenated over a line break; a name
    drawn in three pieces out of order (right to left). Returns the PDF and, for each case, the
    (page, box) of every piece of the name (points, origin bottom left)."""
    font = sans()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    where: dict[str, list[tuple[int, tuple[float, float, float, float]]]] = {}

    def width(text: str) -> float:
        return pdfmetrics.stringWidth(text, font, 12)

    pdf.setFont(font, 12)
    pdf.drawString(72, 760, "Record of the hearing, first page.")
    pdf.drawString(72, 100, PAGE_BREAK_LINES[0])
    x = 72 + width(PAGE_BREAK_LINES[0]) - width("Aida")
    where["page break"] = [(1, (x, 97, x + width("Aida"), 110))]
    pdf.showPage()
    pdf.setFont(font, 12)
    pdf.drawString(72, 760, PAGE_BREAK_LINES[1])
    where["page break"].append((2, (72, 757, 72 + width("Sultanova"), 770)))
    pdf.drawString(72, 700, "The second witness, Bakyt Oruz-")
    pdf.drawString(72, 685, "baev, confirmed it.")
    x = 72 + width("The second witness, Bakyt ")
    where["hyphen"] = [
        (2, (72 + width("The second witness, "), 697, x + width("Oruz-"), 710)),
        (2, (72, 682, 72 + width("baev"), 695)),
    ]
    pdf.showPage()
    pdf.setFont(font, 12)
    pdf.drawString(72, 760, "Signed in the presence of")
    pieces = [("Айда ", 0.0), ("Султа", width("Айда ")), ("нова", width("Айда Султа"))]
    for text, dx in reversed(pieces):  # drawn right to left: the stream order is reversed
        pdf.drawString(72 + dx, 740, text)
    where["out of order"] = [(3, (72, 737, 72 + width("Айда Султанова"), 750))]
    pdf.drawString(72, 720, "at the office of the union.")
    pdf.showPage()
    pdf.save()
    return out.getvalue(), where


INFLECTED = (
    "Протокол заседания профсоюза\n\n"
    "Следователь допросил Айду Султанову и Бакыта Орузбаева.\n"
    "Показания Султановой Айды приобщены к делу; Орузбаев Бакыт отказался подписать.\n"
    "Письмо направлено А. Султановой.\n"
    "Кыргызча: Бакыт Орузбаевге кат жөнөтүлдү.\n"
    "Ai\u034fda Sultano\ufe0fva, \u0251ida Sultanova, Aıda Sultan\u0585va met Sultanova Aida.\n"
)
"""A text annex naming both persons in Russian and Kyrgyz cases, both word orders, initials and
look-alike or invisible characters."""


def exif_photo() -> bytes:
    """A JPEG whose picture shows the name in large print, and whose EXIF (Artist,
    ImageDescription, UserComment) and JPEG comment name her too."""
    image = Image.new("RGB", (1400, 500), "white")
    draw = ImageDraw.Draw(image)
    big = ImageFont.truetype(str(FONT), 64)
    draw.text((60, 80), "Union office, 2025", fill="black", font=big)
    draw.text((60, 260), "Aida Sultanova", fill="black", font=big)
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    exif[0x010E] = "Photo of " + NAME  # ImageDescription
    exif[0x9286] = b"ASCII\x00\x00\x00" + NAME.encode()  # UserComment
    out = io.BytesIO()
    image.save(
        out, "JPEG", quality=92, exif=exif, comment=("Taken by " + NAME).encode(), dpi=(200, 200)
    )
    return out.getvalue()
