"""verify_pdf and check_manifest: what `dossier verify` reports of a signed PDF and its inputs."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from certificates import PASSWORD, make_p12, pki
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from test_sign import BOX, SIGNER, SIGNING_TIME, make_pdf

from dossier.commands.sign import sign_pdf
from dossier.commands.verify import InputStatus, check_manifest, verify_pdf


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="module")
def signed(pdf: bytes) -> bytes:
    p12 = make_p12(SIGNER)
    return sign_pdf(pdf, p12, PASSWORD, signing_time=SIGNING_TIME, signer_name=SIGNER, box=BOX)


def test_a_freshly_signed_pdf_is_valid_whole_and_untrusted(signed: bytes) -> None:
    v = verify_pdf(signed)
    assert (v.signed, v.valid, v.covers_whole_file, v.trusted) == (True, True, True, False)
    assert v.signer == SIGNER
    assert v.signing_time == SIGNING_TIME
    assert v.problems == []


def test_trust_is_reported_when_a_root_is_given(signed: bytes) -> None:
    v = verify_pdf(signed, trust_roots=[pki().root_der])
    assert v.valid and v.trusted and v.problems == []


def _byte_range(signed: bytes) -> list[int]:
    start = signed.rindex(b"/ByteRange [") + len(b"/ByteRange [")
    return [int(x) for x in signed[start : signed.index(b"]", start)].split()]


def test_a_byte_changed_inside_the_signed_range_makes_it_invalid(signed: bytes) -> None:
    first_len = _byte_range(signed)[1]
    at = signed.index(b"stream\n") + len(b"stream\n") + 10
    assert at < first_len
    tampered = bytearray(signed)
    tampered[at] ^= 0x01
    v = verify_pdf(bytes(tampered))
    assert v.signed and not v.valid
    assert v.covers_whole_file
    assert "the signed bytes were changed after signing (digest mismatch)" in v.problems


def test_an_incremental_update_after_signing_is_not_whole_file(signed: bytes) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("fr")
    writer.update_root()  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    appended = out.getvalue()
    assert appended.startswith(signed)
    v = verify_pdf(appended)
    assert v.signed and v.valid
    assert not v.covers_whole_file
    assert any(p.startswith("changes were appended after signing") for p in v.problems)


def test_an_unsigned_pdf_and_garbage_are_reported_not_raised(pdf: bytes) -> None:
    v = verify_pdf(pdf)
    assert not v.signed and not v.valid and not v.covers_whole_file
    assert v.problems == ["the PDF has no signature"]
    garbage = verify_pdf(b"not a pdf at all")
    assert not garbage.signed and garbage.problems[0].startswith("not a readable PDF")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "  signature: none — not a readable PDF: "),
        (b"PNG? no, plain text", "  signature: none — not a readable PDF: "),
        (make_pdf(), "  signature: none — the PDF has no signature"),
    ],
)
def test_verify_says_why_a_file_has_no_signature(tmp_path: Path, data: bytes, said: str) -> None:
    from click.testing import CliRunner

    from dossier.cli import cli

    path = tmp_path / "sent.pdf"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout.splitlines()[1].startswith(said)
    assert result.stdout.splitlines()[-1] == "NOT OK"


def test_a_damaged_signature_is_signed_but_invalid(signed: bytes) -> None:
    at = signed.index(b"/Contents <") + len(b"/Contents <") + 40
    damaged = signed[:at] + b"ff" + signed[at + 2 :]
    v = verify_pdf(damaged)
    assert v.signed and not v.valid
    assert len(v.problems) == 1
    assert v.problems[0].startswith("the signature cannot be read: ")
    assert "\n" not in v.problems[0]


def _write(base: Path, name: str, data: bytes) -> dict[str, Any]:
    path = base / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def test_manifest_inputs_are_ok_changed_or_missing(tmp_path: Path) -> None:
    inputs = [
        _write(tmp_path, "case.yaml", b"case_no: 9999\n"),
        _write(tmp_path, "submissions/s1.yaml", b"id: s1\n"),
        _write(tmp_path, "annexes/a1.pdf", b"%PDF-1.4 annex\n"),
        _write(tmp_path, "annexes/a2.pdf", b"%PDF-1.4 other\n"),
    ]
    (tmp_path / "submissions/s1.yaml").write_bytes(b"id: s2\n")  # same size, other bytes
    (tmp_path / "annexes/a2.pdf").unlink()
    result = check_manifest({"case": 9999, "inputs": inputs}, tmp_path)
    assert [(s.file, s.state) for s in result] == [
        ("case.yaml", "ok"),
        ("submissions/s1.yaml", "changed"),
        ("annexes/a1.pdf", "ok"),
        ("annexes/a2.pdf", "missing"),
    ]
    assert result[0] == InputStatus("case.yaml", "ok", inputs[0]["sha256"], inputs[0]["sha256"])
    assert result[3].actual_sha256 is None
    [resized] = check_manifest({"inputs": [{**inputs[0], "size": 2}]}, tmp_path)
    assert resized.state == "changed"  # a size mismatch alone is a change


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({}, "no 'inputs' list"),
        ({"inputs": ["case.yaml"]}, r"inputs\[0\] is not an object"),
        ({"inputs": [{"file": "case.yaml"}]}, r"inputs\[0\] needs 'file' and 'sha256'"),
        ({"inputs": [{"file": "../x", "sha256": "0"}]}, "leaves the case folder"),
        ({"inputs": [{"file": "/etc/passwd", "sha256": "0"}]}, "leaves the case folder"),
    ],
)
def test_a_malformed_manifest_is_an_error(
    tmp_path: Path, manifest: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        check_manifest(manifest, tmp_path)
