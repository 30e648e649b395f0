"""The public edition shows converted annexes (office documents, e-mails) and PDFs that open
without a password only through an empty owner password, as the full edition does."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import annexfiles
import pikepdf
import pytest
from casefiles import new_case_with
from click.testing import CliRunner

from dossier.cli import cli
from dossier.intake import office


def _owner_password_empty() -> bytes:
    """Like ``qpdf --encrypt USER "" 256``: qpdf and pypdf open it without a password."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(annexfiles.good_pdf(["Owner-empty page"]))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="asdfzxcv", owner="", R=6))
    return out.getvalue()


@pytest.mark.skipif(office.available() is None, reason="LibreOffice is not installed")
def test_office_e_mail_and_owner_encrypted_annexes_are_in_the_public_edition(
    tmp_path: Path,
) -> None:
    files = {
        "memo.docx": annexfiles.docx("Memorandum on the strike ballot"),
        "notice.eml": annexfiles.eml("Notice of dismissal", "You are dismissed as of today."),
        "owner.pdf": _owner_password_empty(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    case = new_case_with(tmp_path, *(tmp_path / name for name in files))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(case), "--edition", "both", "--out", str(out)])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    for pdf in ("dossier.pdf", "dossier-public.pdf"):
        text = subprocess.run(
            ["pdftotext", str(out / pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Memorandum on the strike ballot" in text, pdf
        assert "You are dismissed as of today." in text, pdf
        assert "Owner-empty page" in text, pdf
