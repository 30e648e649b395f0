"""OCR of a page image with Tesseract, cached on disk by the sha256 of the image.

Tesseract is run as a subprocess (``tesseract stdin stdout -l eng+rus+kir --psm 3 tsv``), the image
piped in as PGM/PPM, rather than through ``pytesseract``: it is one command whose TSV output is a
dozen lines to parse, the subprocess call is typed and its runner can be injected (tests count
the calls), and no temporary file or extra dependency is needed. ``OMP_THREAD_LIMIT=1``: the
build runs one page per core, Tesseract's own threads would only compete with it.

The cache key is the sha256 of the image that is searched (mode, size and pixels: the page as
rendered for the public edition) with the OCR settings (languages, page segmentation mode);
Tesseract may read a sharper rendering of the same page (``detail``), its boxes are scaled back
to the key image. An entry is a small JSON file written atomically (``store``: the package's one
atomic writer, ``write.write_atomic``), so two builds may share a folder. A second build of the
same page does not run Tesseract again.

Readable: a page is *blank* (nothing to read) when fewer than ``BLANK_SHARE`` of its pixels are
darker than its median by more than ``BLANK_DEPTH``; otherwise it is *readable* when Tesseract
found words and their mean confidence is at least ``min_confidence``. Default 70: Tesseract 5
gives 85-96 to clean print in these languages, 70-85 to fair office scans, and under 50 to noise,
stamps and handwriting, where a name may be misread and so missed. A page under the threshold
needs a person's review (``reviewed`` in the annex record) before it can be public.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..errors import BuildError

LANGUAGES = ("eng", "rus", "kir")
MIN_CONFIDENCE = 70.0
BLANK_DEPTH = 32
BLANK_SHARE = 0.0005
CACHE_VERSION = 1

PixelBox = tuple[int, int, int, int]
"""``(left, top, right, bottom)`` in pixels of the searched image, y downwards."""

Runner = Callable[[bytes, Sequence[str]], str]
"""Runs ``tesseract stdin stdout *args`` with the image file in stdin, returns its stdout."""


class OcrError(BuildError):
    """Tesseract or one of its language packs is missing, or it failed on a page (exit 3)."""


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    box: PixelBox
    confidence: float
    line_no: int


@dataclass(frozen=True)
class OcrPage:
    words: list[OcrWord]
    size: tuple[int, int]
    """Width and height of the searched image, in pixels."""
    blank: bool
    min_confidence: float

    @property
    def confidence(self) -> float | None:
        """Mean word confidence (0-100), None without words."""
        if not self.words:
            return None
        return sum(w.confidence for w in self.words) / len(self.words)

    @property
    def readable(self) -> bool:
        if self.blank:
            return True
        confidence = self.confidence
        return confidence is not None and confidence >= self.min_confidence


def tesseract_runner(timeout: float = 300.0) -> Runner:
    """The default :data:`Runner`: the ``tesseract`` on PATH, one thread."""

    def run(image: bytes, args: Sequence[str]) -> str:
        exe = shutil.which("tesseract")
        if exe is None:
            raise OcrError(
                "OCR needs Tesseract: install Debian's tesseract-ocr, tesseract-ocr-rus, "
                "tesseract-ocr-kir"
            )
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(
                [exe, "stdin", "stdout", *args],
                input=image,
                capture_output=True,
                timeout=timeout,
                env=env,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise OcrError(f"tesseract failed: {exc}") from exc
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrError(f"tesseract failed: {detail[-1] if detail else done.returncode}")
        return done.stdout.decode("utf-8", "replace")

    return run


def is_blank(image: Image.Image) -> bool:
    """Whether the image is a blank sheet: see the module docstring."""
    gray = image.convert("L")
    hist = gray.histogram()
    total = sum(hist)
    seen, median = 0, 255
    for level, count in enumerate(hist):
        seen += count
        if seen * 2 >= total:
            median = level
            break
    dark = sum(hist[: max(0, median - BLANK_DEPTH)])
    return dark < BLANK_SHARE * total


def parse_tsv(tsv: str, scale: float = 1.0) -> list[OcrWord]:
    """Words of Tesseract's TSV output (level 5 rows), boxes divided by ``scale``."""
    words: list[OcrWord] = []
    lines: dict[tuple[str, str, str, str], int] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            conf = float(row["conf"])
            left, top = int(row["left"]), int(row["top"])
            width, height = int(row["width"]), int(row["height"])
        except (KeyError, TypeError, ValueError):
            continue
        if conf < 0:
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        line_no = lines.setdefault(key, len(lines))
        box = (
            int(left / scale),
            int(top / scale),
            -int(-(left + width) // scale),
            -int(-(top + height) // scale),
        )
        words.append(OcrWord(text, box, conf, line_no))
    return words


def _pnm(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("L" if image.mode in ("1", "L", "LA") else "RGB").save(out, "PPM")
    return out.getvalue()


class OcrCache:
    """Tesseract OCR with results kept in ``folder`` (created if missing)."""

    def __init__(
        self,
        folder: Path | str,
        *,
        languages: Sequence[str] = LANGUAGES,
        min_confidence: float = MIN_CONFIDENCE,
        psm: int = 3,
        runner: Runner | None = None,
        store: Callable[[Path, bytes], None],
    ) -> None:
        self.folder = Path(folder)
        self.store = store
        self.languages = tuple(languages)
        self.min_confidence = min_confidence
        self.psm = psm
        self.runner = runner if runner is not None else tesseract_runner()

    def key(self, image: Image.Image) -> str:
        digest = hashlib.sha256()
        settings = {"v": CACHE_VERSION, "lang": self.languages, "psm": self.psm}
        digest.update(json.dumps(settings, sort_keys=True).encode())
        digest.update(f"\0{image.mode}\0{image.width}x{image.height}\0".encode())
        digest.update(image.tobytes())
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _load(self, key: str) -> list[OcrWord] | None:
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            return [
                OcrWord(str(t), (int(a), int(b), int(c), int(d)), float(conf), int(line))
                for t, (a, b, c, d), conf, line in data["words"]
            ]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _store(self, key: str, words: list[OcrWord]) -> None:
        data = {"words": [[w.text, list(w.box), w.confidence, w.line_no] for w in words]}
        self.store(self._path(key), json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def read(
        self, image: Image.Image, *, detail: Callable[[], Image.Image] | None = None
    ) -> OcrPage:
        """The words of ``image`` (boxes in its pixels), from the cache or from Tesseract.

        ``detail``, when given, makes a sharper rendering of the same page for Tesseract (called
        only on a cache miss); its boxes are scaled to ``image``.
        """
        size = (image.width, image.height)
        if is_blank(image):
            return OcrPage([], size, True, self.min_confidence)
        key = self.key(image)
        words = self._load(key)
        if words is None:
            source = detail() if detail is not None else image
            scale = source.width / image.width if image.width else 1.0
            args = ["-l", "+".join(self.languages), "--psm", str(self.psm), "tsv"]
            words = parse_tsv(self.runner(_pnm(source), args), scale)
            self._store(key, words)
        return OcrPage(words, size, False, self.min_confidence)
