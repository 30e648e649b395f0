"""Atomic writes: a file appears complete or not at all; the manifest records the PDF's hash."""

from __future__ import annotations

import hashlib
import json

import pytest

from dossier.errors import WriteError
from dossier.write import Output, atomic_file, write_outputs


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

    (written,) = write_outputs(tmp_path, [Output("dossier.pdf", write_pdf, "m.json", {"case": 1})])
    digest = written.sha256
    assert written.pdf.read_bytes() == payload
    assert digest == hashlib.sha256(payload).hexdigest() and written.size == len(payload)
    manifest = json.loads(written.manifest.read_text())
    assert manifest == {
        "case": 1,
        "output": {"file": "dossier.pdf", "sha256": digest, "size": len(payload)},
    }


def _both(full, public):
    return [
        Output("dossier.pdf", full, "manifest.json", {"v": 1}),
        Output("dossier-public.pdf", public, "manifest-public.json", {"v": 1}),
    ]


def test_failed_write_keeps_every_old_output(tmp_path):
    """Both editions and their manifests are one transaction: a full disk while the public
    edition is written leaves the old full edition too (all old, not a mix)."""
    write_outputs(tmp_path, _both(lambda s: s.write(b"old full"), lambda s: s.write(b"old public")))
    old = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(old) == sorted(
        ["dossier.pdf", "manifest.json", "dossier-public.pdf", "manifest-public.json"]
    )

    def fail(stream):
        stream.write(b"new but broken")
        raise OSError(28, "No space left on device")

    with pytest.raises(WriteError, match="No space left on device"):
        write_outputs(tmp_path, _both(lambda s: s.write(b"new full"), fail))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old


def test_a_killed_builds_temporary_files_are_removed(tmp_path):
    stale = tmp_path / ".dossier.pdf.abc123.part"
    stale.write_bytes(b"half a dossier")
    other = tmp_path / "notes.part"
    other.write_bytes(b"not ours")
    write_outputs(tmp_path, [Output("dossier.pdf", lambda s: s.write(b"x"), "manifest.json", {})])
    assert not stale.exists() and other.exists()


def test_outputs_get_ordinary_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        with atomic_file(tmp_path / "out.pdf") as stream:
            stream.write(b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "out.pdf").stat().st_mode & 0o777 == 0o644
