"""What a file is by its first bytes, to say so when its name says something else.

People rename files, and downloads arrive with the wrong extension: a PDF saved as ``.docx``, a
PNG screenshot saved as ``.pdf``. The build goes by the extension; when the bytes are plainly
another kind the dossier takes, the refusal says which, and how to rename the file.
"""

from __future__ import annotations

import io
import zipfile

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of an OLE2 compound file: Office 97-2003 documents and Outlook messages."""
_PREFIXES = (
    (b"\x89PNG\r\n\x1a\n", ".png", "a PNG image"),
    (b"\xff\xd8\xff", ".jpg", "a JPEG image"),
    (b"II*\x00", ".tif", "a TIFF image"),
    (b"MM\x00*", ".tif", "a TIFF image"),
    (b"{\\rtf", ".rtf", "an RTF document"),
    (b"GIF87a", ".gif", "a GIF image"),
    (b"GIF89a", ".gif", "a GIF image"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1")
_SAME = {".jpeg": ".jpg", ".tiff": ".tif", ".heif": ".heic", ".xls": ".doc", ".msg": ".doc"}
"""Extensions of one kind of bytes (an OLE2 file may be a .doc, an .xls or a .msg)."""
_ZIP_KINDS = (
    ("word/", ".docx", "a Word document"),
    ("xl/", ".xlsx", "an Excel workbook"),
)
_ODF_KINDS = {
    b"application/vnd.oasis.opendocument.text": (".odt", "an OpenDocument text"),
    b"application/vnd.oasis.opendocument.spreadsheet": (".ods", "an OpenDocument spreadsheet"),
}


def actual_kind(data: bytes) -> tuple[str, str] | None:
    """``(suffix, what it is)`` for bytes that are plainly a kind of file the dossier takes."""
    if data.lstrip()[:5] == b"%PDF-":  # at the start: a note on PDFs may quote the header
        return ".pdf", "a PDF"
    for prefix, suffix, what in _PREFIXES:
        if data.startswith(prefix):
            return suffix, what
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp", "a WebP image"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return ".heic", "a HEIC photo"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(OLE2):
        return ".doc", "an Office 97-2003 file (.doc, .xls or .msg)"
    return None


def _zip_kind(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF_KINDS.get(archive.read("mimetype").strip())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
        return None
    return next(
        ((s, what) for prefix, s, what in _ZIP_KINDS if any(n.startswith(prefix) for n in names)),
        None,
    )


def renamed_fix(data: bytes, suffix: str, fix: str) -> str:
    """``fix``, or, when the bytes are plainly another kind than ``suffix`` says, how to rename."""
    kind = actual_kind(data) if suffix else None
    if kind is None or _SAME.get(suffix.lower(), suffix.lower()) == kind[0]:
        return fix
    found, what = kind
    if found == ".doc":
        return f"the file is {what}: give it the extension it was saved with"
    return f"the file is {what}: rename it to end in {found}"
