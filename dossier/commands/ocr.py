"""Searchable scans: an invisible text layer on the image-only pages of an annex (``build --ocr``).

Runs OCRmyPDF (the ``[ocr]`` extra) with Tesseract in "skip" mode: pages that already carry text
are copied as they are, the others get an invisible text layer over their unchanged image
(``optimize=0``: no image is re-encoded; ``output_type="pdf"``: no PDF/A conversion). The
languages come from the annex's BCP 47 ``language`` (``ru`` -> ``rus``, ``ky`` -> ``kir`` ...),
with Russian added to Kyrgyz and English added to every list, as official documents of the
region mix them.

``ocrmypdf`` is imported only when OCR is asked for; without it, or without Tesseract or one of
its language packs, :func:`ocr_pdf` raises :class:`~dossier.errors.BuildError` saying what to
install.
"""

from __future__ import annotations

import importlib
import io
import logging
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import BuildError
from ..intake.pictures import IMAGE_SUFFIXES
from ..intake.sources import Sources
from ..models import Annex

INSTALL = (
    "install the [ocr] extra (pip install 'dossier[ocr]') and Debian's tesseract-ocr, "
    "tesseract-ocr-rus, tesseract-ocr-kir"
)

TESSERACT_LANGUAGES: dict[str, str] = {
    "en": "eng",
    "ru": "rus",
    "ky": "kir",
    "fr": "fra",
    "es": "spa",
    "de": "deu",
    "uk": "ukr",
    "kk": "kaz",
    "uz": "uzb",
    "tg": "tgk",
    "tr": "tur",
    "ar": "ara",
    "zh": "chi_sim",
}
"""BCP 47 primary language -> Tesseract language pack (Debian: ``tesseract-ocr-<code>``)."""

EXTRA_LANGUAGES: dict[str, tuple[str, ...]] = {"ky": ("ru",)}
"""Languages read along with an annex's own: Kyrgyz official documents quote Russian."""

PDF_SUFFIXES = frozenset({".pdf"})


def tesseract_language(code: str) -> str:
    """``"ru"``/``"ru-Cyrl-KG"`` -> ``"rus"``; a Tesseract code (``"kir"``) is kept as it is."""
    primary = code.strip().split("-")[0].lower()
    if primary in TESSERACT_LANGUAGES:
        return TESSERACT_LANGUAGES[primary]
    if primary in TESSERACT_LANGUAGES.values():
        return primary
    known = ", ".join(sorted(TESSERACT_LANGUAGES))
    raise BuildError(f"OCR: no Tesseract language for '{code}' (known: {known})")


def tesseract_languages(codes: Iterable[str]) -> list[str]:
    """Tesseract languages for BCP 47 codes, in order, without repeats, English always last."""
    found: list[str] = []
    for code in codes:
        lang = tesseract_language(code)
        if lang not in found:
            found.append(lang)
    if "eng" not in found:
        found.append("eng")
    return found


def annex_languages(annex: Annex) -> list[str]:
    """What to read an annex as: its language, the languages it quotes, then English."""
    primary = annex.language.split("-")[0].lower()
    return tesseract_languages([annex.language, *EXTRA_LANGUAGES.get(primary, ())])


def _installed_languages(tesseract: str) -> set[str]:
    try:
        done = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError(f"OCR: tesseract cannot be run ({exc}); {INSTALL}") from exc
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return {line.strip() for line in lines if line.strip() and " " not in line.strip()}


def _ocrmypdf(languages: list[str]) -> Any:
    """The ocrmypdf module, after making sure Tesseract and the languages are there."""
    try:
        module = importlib.import_module("ocrmypdf")
    except ImportError as exc:
        raise BuildError(f"OCR needs OCRmyPDF, which is not installed: {INSTALL}") from exc
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise BuildError(f"OCR needs Tesseract, which is not installed: {INSTALL}")
    missing = [lang for lang in languages if lang not in _installed_languages(tesseract)]
    if missing:
        packages = ", ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise BuildError(
            f"OCR: Tesseract has no language data for {', '.join(missing)}: "
            f"install Debian's {packages}"
        )
    return module


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _quiet() -> Iterator[list[str]]:
    """OCRmyPDF's log kept off the terminal; its warnings collected for error messages."""
    log = logging.getLogger("ocrmypdf")
    handler = _Collect()
    old = log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        yield handler.messages
    finally:
        log.removeHandler(handler)
        log.propagate = old


def ocr_pdf(data: bytes, languages: list[str]) -> bytes:
    """``data`` (a PDF) with an invisible text layer on its pages that have no text.

    ``languages`` are BCP 47 codes (``en``, ``ru``, ``ky``) or Tesseract codes (``kir``).
    Pages with text and every image are left as they are. Raises :class:`BuildError` when
    OCRmyPDF, Tesseract or a language pack is missing, or the PDF cannot be processed.
    """
    langs = tesseract_languages(languages)
    ocrmypdf = _ocrmypdf(langs)
    exceptions = importlib.import_module("ocrmypdf.exceptions")
    output = io.BytesIO()
    options: dict[str, Any] = {
        "language": langs,
        "skip_text": True,  # OCRmyPDF 17 reads it as mode="skip"
        "output_type": "pdf",
        "optimize": 0,
        "progress_bar": False,
    }
    with _quiet() as messages:
        try:
            ocrmypdf.ocr(io.BytesIO(data), output, **options)
        except getattr(exceptions, "DigitalSignatureError", ()) as exc:  # OCRmyPDF 17
            raise BuildError(
                "OCR: the PDF is digitally signed and a text layer would invalidate the "
                "signature; supply a searchable copy, or build without --ocr"
            ) from exc
        except exceptions.EncryptedPdfError as exc:
            raise BuildError("OCR: the PDF is encrypted; supply a decrypted copy") from exc
        except exceptions.MissingDependencyError as exc:
            raise BuildError(
                f"OCR: a program OCRmyPDF needs is missing ({exc}); {INSTALL}"
            ) from exc
        except exceptions.ExitCodeException as exc:
            detail = str(exc).strip() or "; ".join(messages[-3:]) or type(exc).__name__
            raise BuildError(f"OCR failed: {detail}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise BuildError(f"OCR failed: {exc}") from exc
    return output.getvalue()


def _has_scans(data: bytes) -> bool:
    """Whether a PDF has an image-only page; True when that cannot be told (OCRmyPDF decides)."""
    from pypdf import PdfReader

    from ..errors import PDF_READ_ERRORS
    from ..intake.repairs import collect_repairs
    from ..intake.scans import image_only_pages

    try:
        with collect_repairs():
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return True  # OCRmyPDF says it needs a decrypted copy
            return bool(image_only_pages(reader))
    except (*PDF_READ_ERRORS, OSError, NotImplementedError):
        return True  # unreadable here: OCRmyPDF reports it


def ocr_data(data: bytes, suffix: str, annex: Annex) -> bytes:
    """The bytes of an annex file (``suffix`` as ``".pdf"``, ``".jpg"``...) as a searchable PDF.

    A PDF without image-only pages comes back unchanged, without running OCRmyPDF; an image
    (JPEG, PNG, TIFF) is laid out as :mod:`dossier.assemble.images` lays it out, then OCRed.
    Errors name the annex.
    """
    label = f"annex '{annex.id}' ({annex.file})"
    suffix = suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        from ..intake.images import image_pdf

        try:
            data = image_pdf(data)
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise BuildError(f"{label}: not a readable image ({exc})") from exc
    elif suffix not in PDF_SUFFIXES:
        raise BuildError(f"{label}: only PDF and image annexes can be OCRed")
    elif not _has_scans(data):
        return data
    try:
        return ocr_pdf(data, annex_languages(annex))
    except BuildError as exc:
        raise BuildError(f"{label}: {exc.message}") from exc


def ocr_sources(sources: Sources) -> Sources:
    """``build --ocr``: every PDF or image annex with image-only pages, OCRed (see
    :func:`ocr_data`); the hash and size stay those of the file as supplied."""
    out = Sources(dict(sources.by_id), dict(sources.failed))
    for annex_id, source in sources.by_id.items():
        if not source.scans or source.kind not in ("pdf", "image"):
            continue
        try:
            data = source.path.read_bytes()
        except OSError as exc:
            raise BuildError(f"{source.label}: cannot be read ({exc.strerror or exc})") from exc
        out.by_id[annex_id] = source.with_pdf(ocr_data(data, source.path.suffix, source.annex))
    return out
