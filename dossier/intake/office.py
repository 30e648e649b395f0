"""Office documents (Word, OpenDocument, RTF, spreadsheets) converted to PDF by LibreOffice.

How a conversion runs:

* **Private profile.** Every run gets a throwaway LibreOffice user profile in its own temporary
  folder (``-env:UserInstallation=file:///…``), so two conversions (two builds, or a user's open
  LibreOffice) never share a profile or its lock, and nothing is left behind.
* **No shell, a timeout.** ``soffice`` is run by argument list; on timeout its whole process group
  is killed (``soffice`` starts ``soffice.bin``), and :class:`AnnexError` says so.
* **Word processing** (.docx .doc .odt .rtf):
  ``soffice --headless --convert-to pdf:writer_pdf_Export`` with the profile above.
* **Spreadsheets** (.xlsx .xls .ods): a PDF filter option cannot change the page setup, so a
  small LibreOffice Basic macro, written into the private profile for that run, loads the file
  (hidden, read-only, document macros never run, links never updated), sets every page style to
  A4 landscape, fit to one page wide (as many pages tall as needed), a bottom margin of at least
  15 mm (the stamp area), a header with the sheet name where the sheet has none, and exports
  with ``calc_pdf_Export``. Every sheet is printed (LibreOffice prints all sheets).
* **Sniffing first.** The bytes must look like their suffix (a ZIP with the right members for
  .docx/.xlsx/.odt/.ods, an OLE2 file or RTF for .doc, OLE2 for .xls, ``{\\rtf`` for .rtf), so a
  damaged file is refused with a reason instead of being imported as plain text by LibreOffice's
  type detection. A password-protected .docx/.xlsx (an OLE2 ``EncryptedPackage``) is refused.
* **Cache.** The PDF is stored in the case's cache folder (``CASE/build/.cache/office/``, see
  :class:`Cache`) under the source's sha256 (plus the kind and :data:`RECIPE`), with a JSON
  sidecar naming the converter, its version and the PDF's sha256 (checked on reuse). LibreOffice
  writes dates and a random ID into each PDF, so reuse is what keeps repeated builds
  byte-identical. A cache hit needs no LibreOffice at all, and reports the version that made the
  PDF. The cache is written by the function the caller gives (the project's atomic writer); a
  cache that cannot be written is skipped, never an error.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from pypdf import PdfReader

from ..errors import PDF_READ_ERRORS, AnnexError, DossierError
from .sniff import OLE2, renamed_fix

WRITER_SUFFIXES = frozenset({".docx", ".doc", ".odt", ".rtf"})
CALC_SUFFIXES = frozenset({".xlsx", ".xls", ".ods"})
OFFICE_SUFFIXES = WRITER_SUFFIXES | CALC_SUFFIXES

RECIPE = "1"
"""Bump when the conversion changes (options, macro): older cache entries are then not reused."""

DEFAULT_TIMEOUT = 180.0
MAX_UNPACKED_BYTES = 1 << 30
"""A .docx/.xlsx/.odt/.ods that unpacks to more than this is refused (a ZIP bomb)."""

INSTALL_HINT = (
    "install LibreOffice: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui "
    "(Debian/Ubuntu), or LibreOffice from libreoffice.org (macOS, Windows)"
)

_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ZIP_MEMBERS = MappingProxyType({".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"})
_ODF_MIMETYPES = MappingProxyType(
    {
        ".odt": b"application/vnd.oasis.opendocument.text",
        ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    }
)
_WELL_KNOWN = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_NEW_PROCESS_GROUP: int = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)  # Windows only
_VERSION = re.compile(r"^(?P<name>\D+?)\s+(?P<version>\d+(?:\.\d+)+)")


KINDS = MappingProxyType(
    {
        ".docx": "Word document",
        ".doc": "Word document",
        ".odt": "OpenDocument text",
        ".rtf": "RTF document",
        ".xlsx": "Excel spreadsheet",
        ".xls": "Excel spreadsheet",
        ".ods": "OpenDocument spreadsheet",
    }
)
"""What each office type is called in the report and the manifest."""

Store = Callable[[Path, bytes], None]


@dataclass(frozen=True)
class Cache:
    """Where conversions are kept (``folder``) and how a file is written there (``store``, the
    project's atomic writer); ``store=None``: the cache is read, never written."""

    folder: Path
    store: Store | None = None

    def put(self, path: Path, data: bytes) -> None:
        if self.store is None:
            return
        try:
            self.store(path, data)
        except (OSError, DossierError):
            pass  # a cache that cannot be written (read-only case folder) only costs time


@dataclass(frozen=True)
class Converted:
    """The PDF made from an office document, and what made it."""

    pdf: bytes
    converter: str
    version: str
    cached: bool


def available() -> str | None:
    """Path of the LibreOffice ``soffice`` program, or None when it is not installed (cheap)."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in _WELL_KNOWN:
        if os.path.isfile(path):
            return path
    return None


def convert_office(
    data: bytes, suffix: str, cache: Cache | None, label: str, *, timeout: float = DEFAULT_TIMEOUT
) -> Converted:
    """The PDF of an office document (``suffix`` as in the file name, e.g. ``.docx``).

    Reused from ``cache`` when this source was converted before by the same recipe. Raises
    :class:`AnnexError` (naming ``label``) when the file is not what its suffix says, or when
    LibreOffice is missing, fails, or runs out of time.
    """
    suffix = suffix.lower()
    if suffix not in OFFICE_SUFFIXES:
        known = " ".join(sorted(OFFICE_SUFFIXES))
        raise AnnexError(label, f"'{suffix}' is not an office document type", f"use {known}")
    kind = "calc" if suffix in CALC_SUFFIXES else "writer"
    digest = hashlib.sha256(data).hexdigest()
    pdf_path = meta_path = None
    if cache is not None:
        pdf_path = cache.folder / f"{digest}-{kind}-r{RECIPE}.pdf"
        meta_path = pdf_path.with_suffix(".json")
        hit = _from_cache(pdf_path, meta_path)
        if hit is not None:
            return hit
    _sniff(data, suffix, label)
    soffice = available()
    if soffice is None:
        raise AnnexError(label, f"LibreOffice is needed to convert {suffix} files", INSTALL_HINT)
    converter, version = _version(soffice, label)
    with tempfile.TemporaryDirectory(prefix="dossier-office-") as tmp:
        work = Path(tmp)
        source = work / "in" / f"source{suffix}"
        source.parent.mkdir()
        source.write_bytes(data)
        if kind == "calc":
            pdf = _convert_calc(soffice, work, source, suffix, timeout, label)
        else:
            pdf = _convert_writer(soffice, work, source, suffix, timeout, label)
    _check_pdf(pdf, suffix, label)
    if cache is not None and pdf_path is not None and meta_path is not None:
        meta = {
            "source_sha256": digest,
            "suffix": suffix,
            "recipe": RECIPE,
            "converter": converter,
            "version": version,
            "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        }
        cache.put(pdf_path, pdf)  # the sidecar last: a PDF without it is not reused
        cache.put(meta_path, json.dumps(meta, indent=1, sort_keys=True).encode("utf-8"))
    return Converted(pdf, converter, version, cached=False)


# ---- cache ------------------------------------------------------------------------------------


def _from_cache(pdf_path: Path, meta_path: Path) -> Converted | None:
    """The cached conversion, or None when absent or damaged (the sidecar is written last)."""
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        pdf = pdf_path.read_bytes()
        if hashlib.sha256(pdf).hexdigest() != meta["pdf_sha256"]:
            return None
        return Converted(pdf, str(meta["converter"]), str(meta["version"]), cached=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ---- checks -----------------------------------------------------------------------------------


def _sniff(data: bytes, suffix: str, label: str) -> None:
    """Refuse bytes that are not what the suffix says (LibreOffice would import them as text)."""
    fix = renamed_fix(
        data, suffix, "open it in Word or LibreOffice, save it again, or export it as PDF"
    )
    if suffix in (".docx", ".xlsx") and data.startswith(OLE2):
        if _ENCRYPTED_PACKAGE in data:
            raise AnnexError(
                label,
                f"the {suffix} file is password-protected",
                "remove the password (in Word/Excel or LibreOffice) and save it again",
            )
        raise AnnexError(
            label, f"the {suffix} file is an old binary Office file", f"{fix} as {suffix}"
        )
    if suffix in _ZIP_MEMBERS or suffix in _ODF_MIMETYPES:
        _check_zip(data, suffix, fix, label)
    elif suffix == ".doc":
        if not (data.startswith(OLE2) or data.lstrip()[:5] == b"{\\rtf"):
            raise AnnexError(label, "the .doc file is not a Word document (nor RTF)", fix)
    elif suffix == ".xls":
        if not data.startswith(OLE2):
            raise AnnexError(label, "the .xls file is not an Excel 97–2003 workbook", fix)
    elif suffix == ".rtf" and data.lstrip()[:5] != b"{\\rtf":
        raise AnnexError(label, "the .rtf file does not start with {\\rtf", fix)


def _check_zip(data: bytes, suffix: str, fix: str, label: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise AnnexError(
            label, f"the {suffix} file is damaged (not a readable ZIP: {exc})", fix
        ) from None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise AnnexError(
            label,
            f"the {suffix} file unpacks to {unpacked:,} bytes, over the "
            f"{MAX_UNPACKED_BYTES:,} allowed",
            "remove large embedded objects and save it again",
        )
    member = _ZIP_MEMBERS.get(suffix)
    if member is not None and member not in names:
        raise AnnexError(label, f"the {suffix} file is damaged ({member} is missing)", fix)
    expected = _ODF_MIMETYPES.get(suffix)
    if expected is not None and mimetype != expected:
        raise AnnexError(label, f"the {suffix} file is damaged (wrong or missing mimetype)", fix)


_USE_PDF = "export it as PDF in Word or LibreOffice and use that PDF"


def _check_pdf(pdf: bytes, suffix: str, label: str) -> None:
    try:
        pages = len(PdfReader(io.BytesIO(pdf)).pages) if pdf.startswith(b"%PDF-") else 0
    except PDF_READ_ERRORS as exc:
        raise AnnexError(
            label, f"LibreOffice made an unreadable PDF from the {suffix} file ({exc})", _USE_PDF
        ) from exc
    if pages == 0:
        raise AnnexError(
            label,
            f"LibreOffice made an empty PDF from the {suffix} file",
            "check the document has content, or " + _USE_PDF,
        )


# ---- running LibreOffice ----------------------------------------------------------------------


def _profile_arg(work: Path) -> str:
    return "-env:UserInstallation=" + (work / "profile").as_uri()


_QUIET = ["--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck"]


def _version(soffice: str, label: str) -> tuple[str, str]:
    """``("LibreOffice", "7.4.7.2")`` from ``soffice --version`` (version "unknown" if silent)."""
    try:
        done = subprocess.run(
            [soffice, "--version"], capture_output=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AnnexError(
            label, f"LibreOffice ({soffice}) does not start ({exc})", INSTALL_HINT
        ) from None
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        match = _VERSION.match(line.strip())
        if match:
            return match["name"].strip(), match["version"]
    return "LibreOffice", "unknown"  # soffice.exe on Windows prints nothing


def _run(command: list[str], timeout: float, suffix: str, label: str) -> str:
    """Run LibreOffice in a process group of its own; its output (for error messages)."""
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=sys.platform != "win32",
        creationflags=_NEW_PROCESS_GROUP,
    ) as process:
        try:
            out, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if sys.platform == "win32":
                process.kill()
            else:
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise AnnexError(
                label,
                f"LibreOffice did not convert the {suffix} file within {timeout:g} s",
                "open it in Word or LibreOffice, export it as PDF and use that PDF",
            ) from None
    return out.decode("utf-8", "replace")


def _failure(suffix: str, reason: str, label: str) -> AnnexError:
    return AnnexError(
        label,
        f"LibreOffice could not convert the {suffix} file ({reason})",
        "open it in Word or LibreOffice and save it again, or export it as PDF and use that PDF",
    )


def _reason(output: str) -> str:
    lines = [line.strip().removeprefix("Error: ") for line in output.splitlines() if "rror" in line]
    return "; ".join(lines)[:300] or "no PDF was produced"


def _convert_writer(
    soffice: str, work: Path, source: Path, suffix: str, timeout: float, label: str
) -> bytes:
    out = work / "out"
    command = [soffice, _profile_arg(work), *_QUIET]
    command += ["--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out), str(source)]
    output = _run(command, timeout, suffix, label)
    target = out / f"{source.stem}.pdf"
    if not target.is_file():
        raise _failure(suffix, _reason(output), label)
    return target.read_bytes()


def _convert_calc(
    soffice: str, work: Path, source: Path, suffix: str, timeout: float, label: str
) -> bytes:
    # A new profile is filled from LibreOffice's presets at first start (which would replace a
    # macro written before), so: create the profile, then add the macro, then run it.
    init = [soffice, _profile_arg(work), "--headless", "--terminate_after_init"]
    _run(init, timeout, suffix, label)
    module = work / "profile" / "user" / "basic" / "Standard" / "Module1.xba"
    if not module.is_file():
        raise _failure(suffix, "its user profile was not created", label)
    target, errors = work / "out.pdf", work / "error.txt"
    module.write_text(_calc_module(source, target, errors), encoding="utf-8")
    command = [soffice, _profile_arg(work), *_QUIET, "macro:///Standard.Module1.IntakeConvert"]
    output = _run(command, timeout, suffix, label)
    if errors.is_file():
        reason = errors.read_text(encoding="utf-8", errors="replace").strip()
        raise _failure(suffix, reason, label)
    if not target.is_file():
        raise _failure(suffix, _reason(output), label)
    return target.read_bytes()


def _basic(text: str) -> str:
    """A Basic string literal, escaped for the XML of a .xba module."""
    quoted = '"' + text.replace('"', '""') + '"'
    return quoted.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _calc_module(source: Path, target: Path, errors: Path) -> str:
    """The Basic module of ``office_macro.xba`` (package data) with this run's paths filled in."""
    macro = resources.files("dossier") / "intake" / "office_macro.xba"
    template = macro.read_text(encoding="utf-8")
    return (
        template.replace("@SOURCE@", _basic(str(source)))
        .replace("@TARGET@", _basic(str(target)))
        .replace("@ERRORS@", _basic(str(errors)))
    )
