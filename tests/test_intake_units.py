"""The intake modules on their own: e-mails typeset, office documents sniffed and converted,
damaged PDFs repaired by qpdf (every input made by code)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

import annexfiles
import pikepdf
import pytest
from msgfile import MsgAttachment, build_msg
from pypdf import PdfReader

from dossier.errors import AnnexError
from dossier.intake import office
from dossier.intake.email_annex import email_pdf
from dossier.intake.html_text import html_text
from dossier.intake.office import Cache, convert_office
from dossier.intake.repair import open_pdf
from dossier.intake.textpage import STAMP_BAND
from dossier.models import Annex

needs_soffice = pytest.mark.skipif(
    office.available() is None, reason="LibreOffice is not installed"
)
LABEL = "annex 'x' (x)"
SUBJECT = "Жалоба: увольнение членов профсоюза"
HTML = """<html><head><title>T</title><style>p {color: red}</style>
<script>alert('tracking')</script></head><body>
<p>Dear Committee,</p><p>Профсоюз был <b>распущен</b> 3&nbsp;марта.</p>
<ul><li>first point</li><li>second point</li></ul>
<p>See <a href="https://example.org/decree">the decree</a>.</p>
<img src="https://tracker.example/pixel.gif" alt="logo"></body></html>"""
PDF_BYTES = b"%PDF-1.4\n% a small attachment\n"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _lowest_text(pdf: bytes) -> float:
    """The lowest baseline of any text in the PDF, in points from the bottom edge."""
    lowest = [1e9]

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            lowest[0] = min(lowest[0], float(tm[5]) * float(cm[3]) + float(cm[5]))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return lowest[0]


def _eml(plain: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = Address("Айгүл Асанова", addr_spec="aigul@example.org")
    msg["To"] = "ILO Committee on Freedom of Association <cfa@example.org>"
    msg["Cc"] = "office@example.org, Борис Иванов <boris@example.org>"
    msg["Date"] = "Tue, 05 Mar 2024 09:30:00 +0600"
    msg["Subject"] = SUBJECT
    if plain is not None:
        msg.set_content(plain)
        msg.add_alternative(HTML, subtype="html")
    else:
        msg.set_content(HTML, subtype="html")
    msg.add_attachment(PDF_BYTES, maintype="application", subtype="pdf", filename="приказ №12.pdf")
    minutes = "Протокол собрания\n".encode()
    msg.add_attachment(minutes, maintype="text", subtype="plain", filename="../../minutes.txt")
    return msg.as_bytes(policy=SMTP)


# ---- e-mails ----------------------------------------------------------------------------------


def test_eml_headers_body_attachments() -> None:
    annex = email_pdf(_eml(), ".eml", LABEL)
    assert annex.headers["Subject"] == SUBJECT
    assert annex.headers["From"] == "Айгүл Асанова <aigul@example.org>"
    assert annex.headers["Date"] == "Tue, 05 Mar 2024 09:30:00 +0600"
    assert [a.name for a in annex.attachments] == ["приказ №12.pdf", "minutes.txt"]
    assert annex.attachments[0].data == PDF_BYTES
    text = _text(annex.pdf)
    for expected in (
        SUBJECT,
        "Айгүл Асанова <aigul@example.org>",
        "Профсоюз был распущен 3 марта.",
        "• first point",
        "the decree <https://example.org/decree>",
        "[image: logo]",
        "Attachments (2)",
        hashlib.sha256(PDF_BYTES).hexdigest()[:16],
    ):
        assert expected in text, expected
    for absent in ("alert", "color: red", "tracker.example"):
        assert absent not in text


def test_eml_pdf_is_a4_reproducible_and_keeps_the_stamp_band_empty() -> None:
    data = _eml()
    first, second = email_pdf(data, ".eml", LABEL), email_pdf(data, ".EML", LABEL)
    assert first.pdf == second.pdf
    page = PdfReader(io.BytesIO(first.pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert _lowest_text(first.pdf) > STAMP_BAND + 3  # descenders too stay above the band


def test_plain_text_preferred_and_html_alternative_not_an_attachment() -> None:
    annex = email_pdf(_eml(plain="Plain version of the complaint.\n"), ".eml", LABEL)
    text = _text(annex.pdf)
    assert "Plain version of the complaint." in text and "first point" not in text
    assert [a.content_type for a in annex.attachments] == ["application/pdf", "text/plain"]


def test_forwarded_message_is_one_attachment() -> None:
    inner = EmailMessage()
    inner["Subject"] = "Original notice"
    inner["From"] = "employer@example.com"
    inner.set_content("You are dismissed.")
    outer = EmailMessage()
    outer["Subject"] = "Fwd: notice"
    outer["From"] = "member@example.org"
    outer.set_content("See the notice below.")
    outer.add_attachment(inner)
    (forwarded,) = email_pdf(outer.as_bytes(), ".eml", LABEL).attachments
    assert forwarded.content_type == "message/rfc822" and forwarded.name == "attachment-1.eml"
    assert b"You are dismissed." in forwarded.data


def test_long_lines_wrap_within_the_page() -> None:
    msg = EmailMessage()
    msg["Subject"] = "S" * 3000
    msg["To"] = ", ".join(f"member{n}@example.org" for n in range(200))
    msg.set_content(("word " * 3000) + "\n" + "x" * 50_000 + "END")
    reader = PdfReader(io.BytesIO(email_pdf(msg.as_bytes(), ".eml", LABEL).pdf))
    assert len(reader.pages) > 5
    assert "END" in reader.pages[-1].extract_text()
    widest = [0.0]

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        widest[0] = max(widest[0], float(tm[4]))

    reader.pages[3].extract_text(visitor_text=visit)
    assert widest[0] < 595  # every line starts on the page


def test_msg_headers_body_attachments() -> None:
    data = build_msg(
        subject=SUBJECT,
        sender=("Айгүл Асанова", "aigul@example.org"),
        to=[("ILO CFA", "cfa@example.org")],
        cc=[("Union office", "office@example.org")],
        body="Dear Committee,\r\nПрофсоюз был распущен.\r\n",
        sent=dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC),
        attachments=[
            MsgAttachment("приказ.pdf", "application/pdf", PDF_BYTES),
            MsgAttachment("Notice", "", b"You are dismissed.", embedded_subject="Notice 12"),
        ],
    )
    annex = email_pdf(data, ".msg", LABEL)
    assert annex.headers["Subject"] == SUBJECT
    assert annex.headers["Date"].startswith("Tue, 05 Mar 2024 09:30:00")
    assert [(a.name, a.content_type) for a in annex.attachments] == [
        ("приказ.pdf", "application/pdf"),
        ("Notice.msg", "application/vnd.ms-outlook"),
    ]
    embedded = email_pdf(annex.attachments[1].data, ".msg", LABEL)  # an annex of its own
    assert "You are dismissed." in _text(embedded.pdf)
    assert "Профсоюз был распущен." in _text(annex.pdf)


@pytest.mark.parametrize(
    ("data", "suffix", "words"),
    [
        (bytes(range(256)) * 20, ".msg", "not an Outlook message"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, ".msg", "cannot be read"),
        (b"\x00\x01garbage without any header", ".eml", "not an e-mail"),
        (b"", ".eml", "empty"),
    ],
)
def test_not_an_email_refused(data: bytes, suffix: str, words: str) -> None:
    with pytest.raises(AnnexError, match=words) as error:
        email_pdf(data, suffix, LABEL)
    assert error.value.label == LABEL and error.value.fix


def test_html_text() -> None:
    html = "<div>a<br>b</div><table><tr><td>x</td><td>y</td></tr></table><pre>  keep   this</pre>"
    assert html_text(html) == "a\nb\n\nx  y\n\nkeep   this"
    assert html_text("<p>mail <a href='mailto:a@b.org'>us</a></p>") == "mail us <a@b.org>"
    assert html_text("<ul><li>one<li>two</ul>") == "• one\n• two"
    assert html_text("<head><style>x{}</style><body>visible") == "visible"


# ---- office documents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "data", "words"),
    [
        (".docx", b"PK\x03\x04" + bytes(range(256)) * 4, "not a readable ZIP"),
        (".odt", b"garbage", "not a readable ZIP"),
        (".doc", b"<html>saved by a web app</html>", "not a Word document"),
        (".xls", b"a,b\n1,2\n", "not an Excel 97"),
        (".rtf", b"not rtf", "does not start with"),
    ],
)
def test_damaged_office_files_refused_before_libreoffice(
    tmp_path: Path, suffix: str, data: bytes, words: str
) -> None:
    with pytest.raises(AnnexError, match=words) as error:
        convert_office(data, suffix, Cache(tmp_path), LABEL)
    assert "save it again" in error.value.fix


def test_truncated_docx_refused(tmp_path: Path) -> None:
    data = annexfiles.docx("A memo.")
    with pytest.raises(AnnexError, match=r"\.docx file is damaged"):
        convert_office(data[: len(data) // 2], ".docx", Cache(tmp_path), LABEL)


def test_libreoffice_missing_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "available", lambda: None)
    with pytest.raises(AnnexError) as error:
        convert_office(annexfiles.docx("A memo."), ".docx", Cache(tmp_path), LABEL)
    assert error.value.reason == "LibreOffice is needed to convert .docx files"
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in error.value.fix


@needs_soffice
def test_cache_written_through_the_store_and_a_damaged_entry_converted_again(
    tmp_path: Path,
) -> None:
    stored: list[str] = []

    def store(path: Path, data: bytes) -> None:
        stored.append(path.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    cache = Cache(tmp_path / "cache", store)
    data = annexfiles.docx("Cached once.")
    first = convert_office(data, ".docx", cache, LABEL)
    assert not first.cached and first.converter == "LibreOffice"
    assert re.fullmatch(r"\d+(\.\d+)+", first.version)
    digest = hashlib.sha256(data).hexdigest()
    assert stored == [f"{digest}-writer-r1.pdf", f"{digest}-writer-r1.json"]  # sidecar last
    again = convert_office(data, ".docx", cache, LABEL)
    assert again.cached and again.pdf == first.pdf
    (tmp_path / "cache" / stored[0]).write_bytes(b"%PDF-1.7 damaged")
    assert not convert_office(data, ".docx", cache, LABEL).cached
    assert "Cached once." in _text(first.pdf)


@needs_soffice
def test_timeout_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AnnexError, match="did not convert the .docx file within"):
        convert_office(
            annexfiles.docx("Slow."), ".docx", Cache(tmp_path, None), LABEL, timeout=0.01
        )


# ---- damaged PDFs -----------------------------------------------------------------------------

ANNEX = Annex(id="x", title="X", language="en", file="x.pdf")


def _texts(data: bytes) -> tuple[list[str], list[str]]:
    opened = open_pdf(ANNEX, data, LABEL)
    return [page.extract_text().strip() for page in opened.reader.pages], opened.repairs


@pytest.mark.parametrize("name", sorted(annexfiles.damaged_pdfs()))
def test_damaged_pdf_is_read_with_every_page(name: str) -> None:
    texts, _ = _texts(annexfiles.damaged_pdfs()[name])
    assert texts == annexfiles.PAGE_TEXTS


def test_qpdf_repairs_are_noted_and_reproducible() -> None:
    damaged = annexfiles.damaged_pdfs()["xref-removed.pdf"]
    opened = open_pdf(ANNEX, damaged, LABEL)
    assert opened.repairs[0].startswith(
        f"repaired with qpdf {pikepdf.__libqpdf_version__}: pypdf could not read it"
    )
    assert "qpdf: xref reconstructed" in opened.repairs
    assert open_pdf(ANNEX, damaged, LABEL).data == opened.data


def test_a_sound_pdf_is_kept_as_it_is() -> None:
    good = annexfiles.good_pdf()
    opened = open_pdf(ANNEX, good, LABEL)
    assert opened.data == good and opened.repairs == []


@pytest.mark.parametrize("damage", [False, True])
def test_encrypted_pdf_without_password_refused_not_repaired(damage: bool) -> None:
    data = annexfiles.encrypted_pdf()
    if damage:
        data = data.rstrip().removesuffix(b"%%EOF")
    with pytest.raises(AnnexError, match="the PDF is encrypted") as error:
        open_pdf(ANNEX, data, LABEL)
    assert "password_env" in error.value.fix and "repair" not in error.value.reason


def test_damaged_encrypted_pdf_repaired_with_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_PASSWORD", "secret")
    annex = ANNEX.model_copy(update={"password_env": "X_PASSWORD"})
    data = annexfiles.encrypted_pdf().rstrip().removesuffix(b"%%EOF")
    opened = open_pdf(annex, data, LABEL)
    assert [p.extract_text().strip() for p in opened.reader.pages] == annexfiles.PAGE_TEXTS
    with pikepdf.open(io.BytesIO(opened.data)) as pdf:
        assert not pdf.is_encrypted


CORPUS = Path(__file__).resolve().parent / "corpus" / "files"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bomb-page-tree.pdf", "Loop detected in /Pages structure"),
        ("loop-page-tree.pdf", "Loop detected in /Pages structure"),
        ("bomb-many-pages.pdf", "more than 5,000 pages"),
        ("bomb-deflate.pdf", "decompresses to more than 200 times its size"),
    ],
)
def test_a_hostile_file_damaged_too_is_still_refused(name: str, reason: str) -> None:
    """With its xref table removed, pypdf cannot read it: qpdf reconstructs it, and the limits
    (or qpdf's own loop detection) refuse it, quickly: never expanded."""
    data = (CORPUS / name).read_bytes()
    damaged = data[: data.rindex(b"xref")] + b"%%EOF\n"
    with pytest.raises(AnnexError, match=re.escape(reason)):
        open_pdf(ANNEX, damaged, LABEL)


def test_asking_whether_a_damaged_pdf_is_encrypted_writes_no_pypdf_notes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Public-edition workers ask it outside any build report: pypdf's notes on a damaged
    file must not reach stderr there."""
    from dossier.intake.repair import is_encrypted

    data = annexfiles.damaged_pdfs()["wrong-offsets.pdf"]
    with caplog.at_level(logging.WARNING):
        assert PdfReader(io.BytesIO(data)).pages  # read directly, pypdf logs its repairs
    assert [r for r in caplog.records if r.name.startswith("pypdf")]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert is_encrypted(data) is False
    assert caplog.records == []
