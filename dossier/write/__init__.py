"""The one writer of files: atomic writes, and all outputs of a build as one transaction.

Every file the tool writes (dossiers, manifests, record files, frozen records) goes through a
temporary file in the same folder that is renamed over the target only when complete, so a
failure never leaves half a file. :func:`write_outputs` writes several files as one
transaction: every temporary file is completed (and synced) before the first rename, so a full
disk or an error leaves all the previous outputs as they were. Files keep the user's umask.
Temporary files left by a build that was killed are removed by the next one. The manifest of
a build is made in :mod:`.manifest`.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from typing_extensions import Buffer

from ..errors import WriteError
from ..intake.office import Cache

PART_SUFFIX = ".part"
BUILD_FOLDER = "build"
"""Outputs live in the case folder's own ``build/`` (git-ignored), wherever a command runs."""


def output_folder(case_root: Path, submission_id: str) -> Path:
    """``CASE/build/<submission>/``: where a submission's dossier and manifest are written."""
    return case_root / BUILD_FOLDER / submission_id


def conversion_cache(case_root: Path) -> Cache:
    """``CASE/build/.cache/office/``: office documents converted to PDF, by their sha256, so a
    document is converted once and every build uses the same bytes. Written atomically."""
    return Cache(case_root / BUILD_FOLDER / ".cache" / "office", write_atomic)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _prefix(name: str) -> str:
    """The start of a temporary file's name: short enough that a 255-character name still has
    a temporary file (the system's limit is 255 bytes)."""
    return f".{name[:100]}."


def _temporary(path: Path) -> tuple[int, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path.name), suffix=PART_SUFFIX, dir=path.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
    return fd, Path(tmp)


def _failed(path: Path, exc: OSError) -> WriteError:
    return WriteError(f"{path}: cannot write the file ({exc.strerror or exc})")


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``path`` only if the block completes."""
    try:
        fd, tmp = _temporary(path)
    except OSError as exc:
        raise _failed(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _failed(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; an OS error names the path."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(path) as stream:
        stream.write(raw)


class _HashingRaw(io.RawIOBase):
    """Passes bytes to a file while hashing and counting them (no second read).

    pypdf writes in tiny pieces (about 800,000 for the 2,000-page bench case); the
    ``io.BufferedWriter`` of :func:`_hashing` gathers them in C into 1 MB chunks, so this
    Python method runs once per chunk, not once per piece.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Buffer) -> int:
        self.digest.update(data)
        self.stream.write(data)
        size = memoryview(data).nbytes
        self.size += size
        return size

    def tell(self) -> int:
        return self.size


def _hashing(stream: IO[bytes]) -> tuple[io.BufferedWriter, _HashingRaw]:
    raw = _HashingRaw(stream)
    return io.BufferedWriter(raw, buffer_size=1 << 20), raw


WritePdf = Callable[[IO[bytes]], None]


@dataclass(frozen=True)
class Output:
    """One PDF of a build and its manifest (``manifest`` gets ``output``: file, sha256, size);
    ``extras``: files written with them (the volumes of a split dossier), as name and bytes."""

    pdf_name: str
    write_pdf: WritePdf
    manifest_name: str
    manifest: dict[str, Any]
    extras: tuple[tuple[str, bytes], ...] = ()
    replaces: str = ""
    """A glob of earlier files this output replaces (earlier volumes): removed once written."""
    verify: Callable[[Path], None] | None = None
    """Called with the PDF's temporary file once it is complete, before anything is renamed
    into place: an exception (the public edition's leak scan) abandons the whole transaction."""


@dataclass(frozen=True)
class Written:
    pdf: Path
    manifest: Path
    sha256: str
    size: int


def remove_stale(folder: Path, names: Sequence[str]) -> None:
    """Remove the temporary files that a killed build left for ``names`` in ``folder``."""
    if not folder.is_dir():
        return
    for name in names:
        for stale in folder.glob(f"{glob.escape(_prefix(name))}*{PART_SUFFIX}"):
            stale.unlink(missing_ok=True)


def manifest_text(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_outputs(out_dir: Path, outputs: Sequence[Output]) -> list[Written]:
    """Write every output's PDF and manifest into ``out_dir`` as one transaction.

    Each PDF is streamed into a temporary file (hashed on the way), then each manifest, with the
    hash of its PDF; only when all are complete are they renamed into place. On any error the
    temporary files are removed and the previous outputs stay as they were.
    """
    names = [n for o in outputs for n in (o.pdf_name, o.manifest_name, *(e for e, _ in o.extras))]
    remove_stale(out_dir, names)
    pending: list[tuple[Path, Path]] = []
    written: list[Written] = []
    target: Path = out_dir
    try:
        for output in outputs:
            target = out_dir / output.pdf_name
            fd, tmp = _temporary(target)
            pending.append((tmp, target))
            with os.fdopen(fd, "wb") as stream:
                buffered, hashing = _hashing(stream)
                output.write_pdf(buffered)
                buffered.flush()
                os.fsync(stream.fileno())
            digest, size = hashing.digest.hexdigest(), hashing.size
            if output.verify is not None:
                output.verify(tmp)
            manifest = {
                **output.manifest,
                "output": {"file": output.pdf_name, "sha256": digest, "size": size},
            }
            target = out_dir / output.manifest_name
            fd, tmp = _temporary(target)
            pending.append((tmp, target))
            with os.fdopen(fd, "wb") as stream:
                stream.write(manifest_text(manifest))
                os.fsync(stream.fileno())
            written.append(Written(out_dir / output.pdf_name, target, digest, size))
            for name, data in output.extras:
                target = out_dir / name
                fd, tmp = _temporary(target)
                pending.append((tmp, target))
                with os.fdopen(fd, "wb") as stream:
                    stream.write(data)
                    os.fsync(stream.fileno())
        for tmp, final in pending:
            os.replace(tmp, final)
        kept = {final.name for _, final in pending}
        for output in outputs:
            for old in out_dir.glob(output.replaces) if output.replaces else ():
                if old.name not in kept:
                    old.unlink()
    except OSError as exc:
        raise _failed(target, exc) from None
    finally:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
    return written
