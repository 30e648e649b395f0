"""Write the dossier and its manifest atomically: temp file in the same folder, then rename.

A failed build leaves the previous ``dossier.pdf`` and ``manifest.json`` as they were and no
partial file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import BuildError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``path`` only if the block completes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingWriter:
    """Passes bytes to a file while hashing and counting them (no second read).

    pypdf writes in tiny pieces (hundreds of thousands per dossier); they are gathered into
    chunks of :data:`CHUNK` bytes before being hashed and written. :meth:`flush` passes on what
    is gathered.
    """

    CHUNK = 1 << 20

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0
        self._pending = bytearray()

    def write(self, data: bytes) -> int:
        self._pending += data
        self.size += len(data)
        if len(self._pending) >= self.CHUNK:
            self._drain()
        return len(data)

    def _drain(self) -> None:
        if self._pending:
            chunk = bytes(self._pending)
            self._pending.clear()
            self.digest.update(chunk)
            self.stream.write(chunk)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self._drain()
        self.stream.flush()


def write_outputs(
    out_dir: Path,
    pdf_name: str,
    write_pdf: Callable[[IO[bytes]], None],
    manifest: dict[str, Any],
    manifest_name: str = "manifest.json",
) -> tuple[Path, Path, str, int]:
    """Write ``pdf_name`` and ``manifest.json`` into ``out_dir``; returns paths, sha256, size.

    The PDF is written first; the manifest (which records its hash) replaces the old one only
    after the PDF is in place. Either file is complete or absent, never partial.
    """
    pdf_path = out_dir / pdf_name
    manifest_path = out_dir / manifest_name
    try:
        with atomic_file(pdf_path) as stream:
            hashing = _HashingWriter(stream)
            write_pdf(hashing)  # type: ignore[arg-type]
            hashing.flush()
        digest, size = hashing.digest.hexdigest(), hashing.size
        manifest = {**manifest, "output": {"file": pdf_name, "sha256": digest, "size": size}}
        text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        with atomic_file(manifest_path) as stream:
            stream.write(text.encode("utf-8"))
    except OSError as exc:
        raise BuildError(f"{out_dir}: cannot write the dossier ({exc.strerror or exc})") from exc
    return pdf_path, manifest_path, digest, size
