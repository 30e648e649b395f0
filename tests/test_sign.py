"""sign_pdf: a PAdES B-B signature, checked with pyHanko's validator and re-read with pypdf;
the certificate and password rules of commands/certificate.py."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from certificates import PASSWORD, make_p12, pki, self_signed_p12
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from dossier.commands.certificate import (
    PASSWORD_ENV,
    name_key,
    password_from_env_or_prompt,
)
from dossier.commands.sign import FIELD_NAME, SignatureBox, sign_pdf, signing_time
from dossier.errors import SignError
from dossier.render import signature_stamp

SIGNER = "Atle Høie"
SIGNING_TIME = datetime(2025, 3, 14, 12, tzinfo=UTC)
BOX = SignatureBox(page_index=1, rect=(340.0, 90.5, 540.0, 150.25))
"""The cover letter's signature block: page 2 (index 1) of the test PDF."""


def make_pdf(pages: int = 3) -> bytes:
    """A small reportlab PDF (invariant mode); page 2 is the cover letter with its signature."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle("Case 9999: complaint")
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 12)
        c.drawString(72, 770, f"Complaint against the Government of Testland, page {n}")
        if n == BOX.page_index + 1:
            c.drawString(72, 700, "Cover letter. Yours faithfully,")
            c.drawString(BOX.rect[0], BOX.rect[1] - 14, SIGNER)
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="module")
def p12() -> bytes:
    return make_p12(SIGNER)


def _sign(pdf: bytes, p12: bytes, **kwargs: object) -> bytes:
    args: dict[str, object] = {
        "signing_time": SIGNING_TIME,
        "signer_name": SIGNER,
        "box": BOX,
        "reason": "Complaint to the Committee on Freedom of Association",
        "location": "Oslo",
    }
    args.update(kwargs)
    password = args.pop("password", PASSWORD)
    assert isinstance(password, bytes)
    return sign_pdf(pdf, p12, password, **args)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def signed(pdf: bytes, p12: bytes) -> bytes:
    return _sign(pdf, p12)


def test_signing_time_is_noon_utc_on_the_letters_date() -> None:
    assert signing_time(datetime(2025, 3, 14).date()) == SIGNING_TIME


def test_pyhanko_finds_an_intact_valid_trusted_signature_over_the_whole_file(
    signed: bytes,
) -> None:
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    ca = asn1_x509.Certificate.load(pki().root_der)
    context = ValidationContext(trust_roots=[ca], allow_fetching=False)
    status = validate_pdf_signature(sig, signer_validation_context=context)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.md_algorithm == "sha256"
    assert status.signer_reported_dt == SIGNING_TIME
    assert status.signing_cert.subject.native["common_name"] == SIGNER


@pytest.mark.parametrize(
    ("curve", "digest"), [("ed25519", "sha512"), ("ed448", "shake256"), ("p256", "sha256")]
)
def test_an_edwards_or_elliptic_curve_key_signs_with_the_digest_its_scheme_takes(
    pdf: bytes, curve: str, digest: str
) -> None:
    """Ed25519 signatures fix SHA-512 (RFC 8419); asking SHA-256 of them made pyHanko fail."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519

    key = {
        "ed25519": ed25519.Ed25519PrivateKey.generate,
        "ed448": ed448.Ed448PrivateKey.generate,
        "p256": lambda: ec.generate_private_key(ec.SECP256R1()),
    }[curve]()
    p12, cert = self_signed_p12(key, SIGNER)
    sig = PdfFileReader(io.BytesIO(_sign(pdf, p12))).embedded_signatures[0]
    root = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    status = validate_pdf_signature(sig, signer_validation_context=context)
    assert status.intact and status.valid and status.md_algorithm.startswith(digest)
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_signature_is_pades_baseline_b(signed: bytes) -> None:
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig.sig_object["/M"] == "D:20250314120000Z"
    assert sig.sig_object["/Reason"] == "Complaint to the Committee on Freedom of Association"
    attrs = {a["type"].native for a in sig.signer_info["signed_attrs"]}
    assert "signing_certificate_v2" in attrs
    assert "signing_time" not in attrs  # PAdES: the time is /M, not a CMS attribute
    assert isinstance(sig.signed_data, cms.SignedData)


def _widgets(data: bytes) -> list[tuple[int, Any]]:
    out: list[tuple[int, Any]] = []
    for index, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        for ref in cast(Any, page).get("/Annots", []):
            annot = ref.get_object()
            if annot.get("/FT") == "/Sig":
                out.append((index, annot))
    return out


def test_the_visible_field_is_where_it_was_asked_with_our_appearance(signed: bytes) -> None:
    [(index, widget)] = _widgets(signed)
    assert index == BOX.page_index
    assert widget["/Subtype"] == "/Widget" and widget["/T"] == FIELD_NAME
    assert [float(x) for x in widget["/Rect"]] == pytest.approx(list(BOX.rect))
    assert int(widget["/F"]) & 4  # printed
    fields = cast(Any, PdfReader(io.BytesIO(signed)).trailer)["/Root"]["/AcroForm"]["/Fields"]
    assert [f.get_object()["/T"] for f in fields] == [FIELD_NAME]
    appearance = widget["/AP"]["/N"].get_object()
    assert b"/DossierStamp Do" in appearance.get_data()
    stamp = appearance["/Resources"]["/XObject"]["/DossierStamp"].get_object()
    fonts = stamp["/Resources"]["/Font"]
    assert any("DejaVuSans" in str(f.get_object()["/BaseFont"]) for f in fonts.values())


@pytest.mark.parametrize(
    ("name", "lang", "words"),
    [
        ("Łukasz Żółć", "en", "Digitally signed by Łukasz Żółć 14 March 2025"),
        ("Өмүрбек Ңуралиев", "fr", "Signé électroniquement par Өмүрбек Ңуралиев 14 mars 2025"),
        ("Atle Høie", "es", "Firmado electrónicamente por Atle Høie 14 de marzo de 2025"),
    ],
)
def test_the_stamp_shows_any_name_as_written_in_the_letters_language(
    name: str, lang: str, words: str
) -> None:
    stamp = signature_stamp(name, SIGNING_TIME.date(), lang, (200.0, 45.0))
    page = PdfReader(io.BytesIO(stamp)).pages[0]
    assert [float(v) for v in page.mediabox] == [0, 0, 200, 45]
    assert " ".join(page.extract_text().split()) == words


def test_same_inputs_give_the_same_bytes(pdf: bytes, p12: bytes, signed: bytes) -> None:
    assert _sign(pdf, p12) == signed
    later = _sign(pdf, p12, signing_time=datetime(2025, 3, 15, 12, tzinfo=UTC))
    assert later != signed


_SIGN_IN_CHILD = """
import sys
from datetime import datetime
from pathlib import Path
from dossier.commands.sign import SignatureBox, sign_pdf
folder = Path(sys.argv[1])
out = sign_pdf(
    (folder / "in.pdf").read_bytes(), (folder / "id.p12").read_bytes(), sys.argv[2].encode(),
    signing_time=datetime.fromisoformat(sys.argv[3]), signer_name=sys.argv[4],
    box=SignatureBox(int(sys.argv[5]), tuple(float(x) for x in sys.argv[6:10])),
)
sys.stdout.buffer.write(out)
"""


def test_same_bytes_across_processes_with_other_hash_seeds(
    tmp_path: Path, pdf: bytes, p12: bytes
) -> None:
    """Catches orderings that depend on hashing (sets of certificates, attributes)."""
    (tmp_path / "in.pdf").write_bytes(pdf)
    (tmp_path / "id.p12").write_bytes(p12)
    args = [str(tmp_path), PASSWORD.decode(), SIGNING_TIME.isoformat(), SIGNER]
    args += [str(BOX.page_index), *map(str, BOX.rect)]
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _SIGN_IN_CHILD, *args],
            env=env,
            capture_output=True,
            check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert outputs.pop() == _sign(pdf, p12, reason=None, location=None)


def _dossier_like_pdf(pdf: bytes) -> bytes:
    """The PDF passed through pypdf with metadata and a fixed /ID, as a build writes it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata(
        {"/Title": "Case 9999", "/Producer": "dossier (pypdf)", "/ModDate": "D:20250314000000Z"}
    )
    writer.add_metadata({"/CreationDate": "D:20250314000000Z"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_build_keeps_its_metadata_and_the_first_half_of_its_file_id(
    pdf: bytes, p12: bytes
) -> None:
    built = _dossier_like_pdf(pdf)
    out = _sign(built, p12)
    assert out == _sign(built, p12)
    assert out.startswith(built)  # one incremental update
    before, after = PdfReader(io.BytesIO(built)), PdfReader(io.BytesIO(out))
    assert after.metadata == before.metadata  # no wall-clock /ModDate, no pyHanko /Producer
    id_before, id_after = cast(Any, before.trailer)["/ID"], cast(Any, after.trailer)["/ID"]
    assert id_after[0] == id_before[0] and id_after[1] != id_before[1]


def test_a_name_matches_whatever_its_case_and_accents(pdf: bytes) -> None:
    assert name_key("  ATLE   HOIE ") == name_key("Atle Høie") == "atle hoie"
    assert name_key("Łukasz Żółć") == name_key("lukasz zolc")
    assert name_key("Renée Straße") == name_key("RENEE STRASSE")
    assert _sign(pdf, make_p12("ATLE HØIE"), signer_name="Atle Hoie").startswith(pdf)


def test_a_wrong_password_is_an_error_that_does_not_show_it(pdf: bytes, p12: bytes) -> None:
    with pytest.raises(SignError, match="^wrong password for the PKCS#12 file: check ") as err:
        _sign(pdf, p12, password=b"hunter2")
    assert err.value.exit_code == 2
    assert "DOSSIER_SIGN_PASSWORD" in str(err.value)
    assert "hunter2" not in str(err.value) and PASSWORD.decode() not in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__


@pytest.mark.parametrize("data", [b"not a p12", b"-----BEGIN CERTIFICATE-----\n", b""])
def test_a_file_that_is_not_pkcs12_is_an_error(pdf: bytes, data: bytes) -> None:
    with pytest.raises(SignError, match=r"^the signing file is not a PKCS#12 \(\.p12/\.pfx\)"):
        _sign(pdf, data)


def test_a_pkcs12_without_a_private_key_is_an_error(pdf: bytes) -> None:
    with pytest.raises(SignError, match="^the PKCS#12 file holds no private key: export "):
        _sign(pdf, make_p12(SIGNER, with_key=False))


def test_an_expired_certificate_is_an_error(pdf: bytes) -> None:
    expired = make_p12(SIGNER, end=datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(
        SignError,
        match="^the certificate expired on 2025-01-01, before the signing date 2025-03-14: renew",
    ):
        _sign(pdf, expired)


def test_a_certificate_issued_after_noon_that_day_is_not_yet_valid(pdf: bytes) -> None:
    afternoon = make_p12(SIGNER, start=datetime(2025, 3, 14, 15, tzinfo=UTC))
    with pytest.raises(
        SignError,
        match=r"^the certificate is valid only from 2025-03-14 15:00 UTC, after the signing "
        r"time 2025-03-14 12:00 UTC",
    ):
        _sign(pdf, afternoon)
    morning = make_p12(SIGNER, start=datetime(2025, 3, 14, 8, tzinfo=UTC))
    assert _sign(pdf, morning).startswith(pdf)


def test_a_certificate_of_someone_else_is_an_error(pdf: bytes) -> None:
    with pytest.raises(
        SignError,
        match=(
            "^the certificate is for 'Kari Nordmann', not the signatory 'Atle Høie': "
            "sign with the signatory's certificate or correct the signatory's name$"
        ),
    ):
        _sign(pdf, make_p12("Kari Nordmann"))


def test_an_already_signed_pdf_is_an_error(signed: bytes, p12: bytes) -> None:
    with pytest.raises(SignError, match="^the PDF is already signed: sign the unsigned final"):
        _sign(signed, p12)


def test_a_box_off_the_document_is_an_error(pdf: bytes, p12: bytes) -> None:
    with pytest.raises(SignError, match="^the signature box is on page 4 but the PDF has 3 pages"):
        _sign(pdf, p12, box=SignatureBox(3, BOX.rect))
    with pytest.raises(SignError, match="^the signature box .* is empty"):
        _sign(pdf, p12, box=SignatureBox(0, (100, 100, 50, 150)))


def test_a_file_that_is_not_a_pdf_is_an_error(p12: bytes) -> None:
    with pytest.raises(SignError, match=r"^cannot read the PDF to sign \(.*\): rebuild"):
        _sign(b"%PDF-1.7\nthis is not a PDF", p12)


def test_a_naive_signing_time_is_a_programming_error(pdf: bytes, p12: bytes) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _sign(pdf, p12, signing_time=datetime(2025, 3, 14))


# ---- the password ------------------------------------------------------------------------------


def _no_prompt() -> str:
    raise AssertionError("prompted although the variable is set")


def test_the_environment_variable_comes_first_even_empty() -> None:
    env = {PASSWORD_ENV: "pässword", "HOME": "/root"}
    assert password_from_env_or_prompt(env, _no_prompt) == "pässword".encode()
    assert password_from_env_or_prompt({PASSWORD_ENV: ""}, _no_prompt) == b""


def test_the_prompt_is_asked_when_the_variable_is_unset() -> None:
    asked: list[bool] = []

    def prompt() -> str:
        asked.append(True)
        return "typed"

    assert password_from_env_or_prompt({}, prompt) == b"typed"
    assert asked == [True]
    with pytest.raises(SignError, match=f"^no password for the PKCS#12 file: set {PASSWORD_ENV}"):
        password_from_env_or_prompt({}, None)


def test_signing_logs_no_password(
    pdf: bytes, p12: bytes, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    _sign(pdf, p12)
    with pytest.raises(SignError):
        _sign(pdf, p12, password=b"s3cret-typo")
    out, err = capsys.readouterr()
    for text in (caplog.text, out, err):
        assert PASSWORD.decode() not in text and "s3cret-typo" not in text
