"""An independent search of a PDF for confidential names: nothing from ``dossier.public``.

It reads a PDF four ways, each with its own library: poppler's ``pdftotext``; pikepdf (every
string and name at any depth of every object, every stream decompressed and read as UTF-8,
Latin-1, cp1251 and UTF-16 in both byte orders, percent-escapes decoded); pypdfium2's text; and
optionally Tesseract's OCR of rendered pages. It looks for the *stems* of the surnames, which
every inflection, word order and initial keeps, after its own normalisation (NFKC, case,
accents, invisible characters, a few look-alike letters).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pikepdf
import pypdfium2 as pdfium
import pytest

STEMS = ("sultanov", "султанов", "oruzbaev", "орузбаев")
_LOOKALIKE = str.maketrans({"ı": "i", "ɑ": "a", "օ": "o", "а": "a", "о": "o", "е": "e"})


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(
        c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return re.sub(r"\s+", " ", text.replace("\u034f", "").replace("\ufe0f", ""))


def stems_in(text: str) -> set[str]:
    """The surname stems in ``text`` (also read percent-decoded, and hyphen-joined)."""
    readings = [text]
    if "%" in text:
        readings.append(unquote(text))
    found = set()
    for reading in readings:
        plain = norm(reading)
        squeezed = re.sub(r"[\s\-\u00ad]+", "", plain)
        latin = plain.translate(_LOOKALIKE)
        for stem in STEMS:
            if stem in plain or stem in squeezed or stem in latin:
                found.add(stem)
    return found


def require_tools() -> None:
    """Skip the test when poppler or Tesseract (with Russian and Kyrgyz) is missing."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    if not shutil.which("tesseract"):
        pytest.skip("tesseract-ocr not installed")
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, check=False)
    if not {"eng", "rus", "kir"} <= set(langs.stdout.decode().split()):
        pytest.skip("tesseract-ocr-rus or tesseract-ocr-kir not installed")


def _strings(obj: object, out: list[str]) -> None:
    stack = [obj]
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.String):
            out.append(str(item))
            out.append(bytes(item).decode("latin-1"))
        elif isinstance(item, pikepdf.Name):
            out.append(str(item))
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            for key in item.keys():
                out.append(key)
                stack.append(item.get(key))


def _decodings(data: bytes) -> list[str]:
    return [
        data.decode("utf-8", "replace"),
        data.decode("latin-1"),
        data.decode("cp1251", "replace"),
        data.decode("utf-16-le", "replace"),
        data.decode("utf-16-be", "replace"),
        data[1:].decode("utf-16-be", "replace"),
    ]


def scan(pdf: Path, ocr_pages: list[int] | None = None) -> dict[str, set[str]]:
    """Place -> stems found. ``ocr_pages``: 1-based pages to OCR as well."""
    found: dict[str, set[str]] = {}

    def look(place: str, text: str) -> None:
        hits = stems_in(text)
        if hits:
            found.setdefault(place, set()).update(hits)

    require_tools()
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    look("pdftotext", out.stdout.decode("utf-8", "replace"))
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            look(f"pdfium page {index + 1}", textpage.get_text_range())
            textpage.close()
            if ocr_pages and index + 1 in ocr_pages:
                image = page.render(scale=200 / 72).to_pil()
                path = pdf.parent / f".ocr-{index}.png"
                image.save(path)
                text = subprocess.run(
                    ["tesseract", str(path), "stdout", "-l", "eng+rus"],
                    capture_output=True,
                    check=False,
                ).stdout.decode("utf-8", "replace")
                path.unlink()
                look(f"OCR page {index + 1}", text)
            page.close()
    finally:
        doc.close()
    with pikepdf.open(pdf) as doc:
        strings: list[str] = []
        _strings(doc.trailer, strings)
        for obj in doc.objects:
            _strings(obj, strings)
            if isinstance(obj, pikepdf.Stream):
                if obj.get("/Subtype") == "/Image":
                    continue
                try:
                    data = obj.read_bytes()
                except pikepdf.PdfError:
                    continue
                for text in _decodings(data):
                    look(f"stream {obj.objgen}", text)
        for text in strings:
            look("object strings", text)
    return found
