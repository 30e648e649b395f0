"""Annex files made by code for the tests: office documents, e-mails, damaged PDFs.

Nothing is downloaded: the damaged PDFs are made the way public sample files are broken (xref
table removed, file cut short, end marker lost, wrong stream lengths, an xref stream pointing
nowhere), from a small reportlab PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from email.headerregistry import Address
from email.message import EmailMessage

import pikepdf
from msgfile import MsgAttachment, build_msg
from reportlab.pdfgen.canvas import Canvas

PAGE_TEXTS = ["Page 1 evidence", "Page 2 evidence", "Page 3 evidence"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def good_pdf(texts: list[str] = PAGE_TEXTS) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, pageCompression=0)
    for text in texts:
        canvas.drawString(100, 700, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _xref_at(data: bytes) -> int:
    return data.rindex(b"\nxref") + 1


def _no_eof(data: bytes) -> bytes:
    return data.rstrip().removesuffix(b"%%EOF")


def _xref_stream_file() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(good_pdf())) as pdf:
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def damaged_pdfs() -> dict[str, bytes]:
    """Damaged PDFs that qpdf opens, each with :data:`PAGE_TEXTS` (or the first pages of it)."""
    good = good_pdf()
    at = _xref_at(good)
    stream = _xref_stream_file()

    def shift(match: re.Match[bytes]) -> bytes:
        return b"%010d %s n" % (int(match[1]) + 7, match[2])

    return {
        "xref-removed.pdf": good[:at] + b"%%EOF\n",
        "truncated-after-xref.pdf": good[: at + 40],
        "no-eof.pdf": _no_eof(good),
        "wrong-lengths-no-eof.pdf": _no_eof(re.sub(rb"/Length (\d\d)\b", b"/Length 12", good)),
        "wrong-offsets.pdf": good[:at] + re.sub(rb"(\d{10}) (\d{5}) n", shift, good[at:]),
        "bad-startxref.pdf": stream[: stream.rindex(b"startxref")] + b"startxref\n12\n%%EOF\n",
    }


def encrypted_pdf(password: str = "secret") -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(good_pdf())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user=password, owner="owner"))
    return out.getvalue()


def docx(*paragraphs: str) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(*paragraphs: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Members"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def eml(subject: str, body: str, attachments: dict[str, bytes] | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = Address("Aigul Asanova", addr_spec="aigul@example.org")
    msg["To"] = "ILO Committee on Freedom of Association <cfa@example.org>"
    msg["Date"] = "Tue, 05 Mar 2024 09:30:00 +0600"
    msg["Subject"] = subject
    msg.set_content(body)
    for name, data in (attachments or {}).items():
        maintype, subtype = ("application", "pdf") if name.endswith(".pdf") else ("text", "plain")
        if maintype == "text":
            msg.add_attachment(data.decode("utf-8"), filename=name)
        else:
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def msg(subject: str, body: str, attachments: dict[str, bytes] | None = None) -> bytes:
    return build_msg(
        subject=subject,
        sender=("Aigul Asanova", "aigul@example.org"),
        to=[("ILO CFA", "cfa@example.org")],
        cc=[],
        body=body,
        sent=dt.datetime(2024, 3, 5, 3, 30, tzinfo=dt.UTC),
        attachments=[
            MsgAttachment(name, "application/pdf", data)
            for name, data in (attachments or {}).items()
        ],
    )
