"""submission.eml: headers, body and attachment read back by Python's own e-mail parser."""

from __future__ import annotations

import io
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from dossier.commands.eml import subject_line, write_eml
from dossier.errors import RecordError
from dossier.load import load_case

SUB = "2024-03-01-update"


@pytest.fixture
def case(new_case: Path) -> Path:
    return new_case


def _set(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pdf(path: Path, pages: int = 2) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    path.write_bytes(buf.getvalue())
    return path


def _with_emails(case: Path) -> None:
    sub = case / "submissions" / f"{SUB}.yaml"
    _set(sub, "  email: null              # to be supplied", "  email: dg@ilo.org")
    _set(case / "parties.yaml", "    email: null\n", "    email: office@mmtuk.example\n")
    _set(case / "parties.yaml", "    name: to be supplied     #", "    name: Eldar Tadjibaev     #")


def _read(path: Path) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def test_eml_reads_back_with_headers_and_attachment(case: Path, tmp_path: Path) -> None:
    _with_emails(case)
    pdf = _pdf(tmp_path / "dossier.pdf")
    bundle = load_case(case)
    (sub,) = bundle.submissions
    out = write_eml(bundle, sub, pdf)
    assert out == tmp_path / "submission.eml"
    msg = _read(out)
    assert msg["To"] == '"Gilbert F. Houngbo" <dg@ilo.org>'
    assert msg["Cc"] == "Freedom of Association Branch <LIBSYND@ilo.org>"
    assert msg["From"] == "Mining and Metallurgy Trade Union of Kyrgyzstan <office@mmtuk.example>"
    assert msg["Subject"] == "Case No. 3999 (Kyrgyzstan): additional information"
    assert msg["Date"] == "Fri, 01 Mar 2024 12:00:00 +0000"
    assert "Message-ID" not in msg
    assert msg["To"].addresses[0].addr_spec == "dg@ilo.org"
    body = msg.get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert text.startswith("Dear Director-General,\n\nPlease find attached additional information")
    assert "in Case No. 3999 (Kyrgyzstan), dated 2024-03-01" in text
    assert text.rstrip().endswith(
        "Eldar Tadjibaev\nGeneral Secretary\nMining and Metallurgy Trade Union of Kyrgyzstan"
    )
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "dossier.pdf"
    data = attachment.get_content()
    assert data == pdf.read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_eml_is_reproducible_and_attaches_every_volume(case: Path, tmp_path: Path) -> None:
    _with_emails(case)
    vols = [_pdf(tmp_path / f"dossier-vol{i}.pdf", i) for i in (1, 2)]
    bundle = load_case(case)
    first = write_eml(bundle, bundle.submissions[0], vols, tmp_path / "a.eml").read_bytes()
    second = write_eml(bundle, bundle.submissions[0], vols, tmp_path / "b.eml").read_bytes()
    assert first == second
    names = [a.get_filename() for a in _read(tmp_path / "a.eml").iter_attachments()]
    assert names == ["dossier-vol1.pdf", "dossier-vol2.pdf"]


def test_no_addressee_email_is_a_record_error(case: Path, tmp_path: Path) -> None:
    bundle = load_case(case)
    with pytest.raises(RecordError) as info:
        write_eml(bundle, bundle.submissions[0], _pdf(tmp_path / "d.pdf"))
    assert info.value.message == (
        f"submission '{SUB}': the addressee has no e-mail address; "
        "add addressee.email (or the party's email) before writing the .eml"
    )
    assert not (tmp_path / "submission.eml").exists()


def test_bad_address_is_reported(case: Path, tmp_path: Path) -> None:
    _set(
        case / "submissions" / f"{SUB}.yaml",
        "  email: null              #",
        "  email: not an address #",
    )
    bundle = load_case(case)
    with pytest.raises(RecordError, match="addressee.email: 'not an address' is not an e-mail"):
        write_eml(bundle, bundle.submissions[0], _pdf(tmp_path / "d.pdf"))


def test_subject_gets_the_case_number(case: Path) -> None:
    _set(
        case / "submissions" / f"{SUB}.yaml",
        'subject: "Case No. 3999 (Kyrgyzstan): additional information"',
        "subject: Request for your urgent intervention",
    )
    bundle = load_case(case)
    assert subject_line(bundle, bundle.submissions[0]) == (
        "Case No. 3999: Request for your urgent intervention"
    )


def test_french_body(case: Path, tmp_path: Path) -> None:
    _with_emails(case)
    _set(case / "submissions" / f"{SUB}.yaml", "language: en", "language: fr")
    bundle = load_case(case)
    msg = _read(write_eml(bundle, bundle.submissions[0], _pdf(tmp_path / "dossier.pdf")))
    body = msg.get_body(("plain",))
    assert body is not None
    assert "Veuillez trouver ci-joint des informations complémentaires" in body.get_content()
    assert msg["Content-Language"] == "fr"


def test_bad_sender_address_is_reported(case: Path, tmp_path: Path) -> None:
    _with_emails(case)
    _set(case / "parties.yaml", "email: office@mmtuk.example", "email: office@@mmtuk")
    bundle = load_case(case)
    with pytest.raises(RecordError, match="sender's email: 'office@@mmtuk' is not an e-mail"):
        write_eml(bundle, bundle.submissions[0], _pdf(tmp_path / "d.pdf"))


def test_eml_of_a_real_build(case: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dossier.cli import cli

    _with_emails(case)
    result = CliRunner().invoke(cli, ["build", str(case), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "dossier.pdf"
    bundle = load_case(case)
    msg = _read(write_eml(bundle, bundle.submissions[0], pdf))
    (attachment,) = list(msg.iter_attachments())
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    assert "Case No. 3999" in reader.pages[0].extract_text()
    assert len(reader.pages) == len(PdfReader(pdf).pages)
