"""``dossier build --eml``: submission.eml beside the PDF, read back by Python's e-mail parser."""

from __future__ import annotations

import io
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dossier.cli import cli


def _set(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def case(runner: CliRunner, tmp_path: Path) -> Path:
    """A new case made with ``dossier init`` only (Case 9999 is fictional)."""
    folder = tmp_path / "9999"
    result = runner.invoke(
        cli,
        ["init", str(folder), "--case", "9999", "--country", "Ruritania",
         "--complainant", "Ruritanian Miners' Union", "--acronym", "RMU",
         "--address", "12 Station Road, Strelsau", "--email", "office@rmu.example",
         "--signatory", "Anna Holm", "--title", "President"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return folder


def _submission(case: Path) -> Path:
    (sub,) = (case / "submissions").glob("*.yaml")
    return sub


def _read(path: Path) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def test_build_eml_writes_a_message_with_the_dossier_attached(
    runner: CliRunner, case: Path, tmp_path: Path
) -> None:
    _set(_submission(case), "  email: null              # to be supplied", "  email: dg@ilo.org")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(case), "--out", str(out), "--eml"])
    assert result.exit_code == 0, result.output
    eml = out / "submission.eml"
    assert f"  {eml}" in result.stdout.splitlines()
    msg = _read(eml)
    assert msg["To"].addresses[0].addr_spec == "dg@ilo.org"
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["LIBSYND@ilo.org"]
    assert msg["From"].addresses[0].addr_spec == "office@rmu.example"
    assert "Case No. 9999" in msg["Subject"]
    body = msg.get_body(("plain",))
    assert body is not None and "Case No. 9999 (Ruritania)" in body.get_content()
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "dossier.pdf"
    data = attachment.get_content()
    assert data == (out / "dossier.pdf").read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2


def test_build_without_eml_writes_no_message(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    _set(_submission(case), "  email: null              # to be supplied", "  email: dg@ilo.org")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(case), "--out", str(out)]).exit_code == 0
    assert (out / "dossier.pdf").is_file() and not (out / "submission.eml").exists()


def test_build_eml_without_an_addressee_email_says_what_to_add(
    runner: CliRunner, case: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(case), "--out", str(out), "--eml"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "the addressee has no e-mail address; add addressee.email" in result.stderr
    assert not out.exists()  # refused before anything is built (check warns: MAIL-02)


def test_build_eml_refuses_a_malformed_address(
    runner: CliRunner, case: Path, tmp_path: Path
) -> None:
    _set(_submission(case), "  email: null              # to be supplied", "  email: dg at ilo")
    result = runner.invoke(cli, ["build", str(case), "--out", str(tmp_path / "o"), "--eml"])
    assert result.exit_code == 1
    assert "[MAIL-01]" in result.output
    assert not (tmp_path / "o" / "submission.eml").exists()
