"""Atomic writes: a file appears complete or not at all; the manifest records the PDF's hash."""

from __future__ import annotations

import hashlib
import json

import pytest

from dossier.write import atomic_file, write_outputs


def test_atomic_file_replaces_only_on_success(tmp_path):
    target = tmp_path / "sub" / "file.bin"
    with atomic_file(target) as stream:
        stream.write(b"first")
    assert target.read_bytes() == b"first"
    with pytest.raises(RuntimeError), atomic_file(target) as stream:
        stream.write(b"second, half")
        raise RuntimeError("stop")
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.bin"]


def test_write_outputs_hashes_what_it_wrote(tmp_path):
    payload = b"%PDF-1.7\n" + bytes(range(256)) * 10

    def write_pdf(stream):
        stream.write(payload[:100])
        assert stream.tell() == 100
        stream.write(payload[100:])

    pdf, manifest_path, digest, size = write_outputs(
        tmp_path, "dossier.pdf", write_pdf, {"case": 1}
    )
    assert pdf.read_bytes() == payload
    assert digest == hashlib.sha256(payload).hexdigest() and size == len(payload)
    manifest = json.loads(manifest_path.read_text())
    assert manifest == {
        "case": 1,
        "output": {"file": "dossier.pdf", "sha256": digest, "size": len(payload)},
    }


def test_failed_pdf_write_keeps_old_manifest(tmp_path):
    write_outputs(tmp_path, "dossier.pdf", lambda s: s.write(b"old"), {"v": 1})
    old = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def fail(stream):
        stream.write(b"new but broken")
        raise OSError(28, "No space left on device")

    with pytest.raises(Exception, match="No space left"):
        write_outputs(tmp_path, "dossier.pdf", fail, {"v": 2})
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old


def test_outputs_get_ordinary_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        with atomic_file(tmp_path / "out.pdf") as stream:
            stream.write(b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "out.pdf").stat().st_mode & 0o777 == 0o644
