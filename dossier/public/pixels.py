"""Public annex pages as pixels: re-rendered, names boxed out, an invisible text layer of our own.

:func:`public_annex` makes the public edition of one annex PDF, a run of pages at a time:

1. **Read** (pass 1, :func:`read`): pdfium opens the page (annotations with an appearance are
   flattened into it first, so a FreeText box or a stamp is read like page text; the others are
   never drawn), its words are read in visual order (``words.py``), and a page without usable
   text, one whose pictures cover a fifth of it, or one with letter-sized filled shapes (text
   turned into outlines) is OCRed whole (``ocr.py``, cached by page image); a smaller picture
   (a stamp, a clipping) is OCRed alone and its words searched. A page that needs OCR and
   cannot be read with enough confidence, or whose pictures cannot be read at all (no
   Tesseract), is *unreadable*.
2. **Find** (``find.py``): the name finder runs on the words of the run of pages plus the next
   page, so a name over a page break is found on both pages.
3. **Draw** (pass 2, :func:`draw`): the page is rendered again at ``dpi`` as displayed (CropBox,
   /Rotate), each match is burnt in as a black box labelled with the pseudonym, and a new page is
   written with reportlab: the image and an invisible text layer of the words that were not
   redacted, plus the labels.

Nothing else of the original reaches the output: no annotation, attachment, metadata, XMP,
structure tree, optional content, JavaScript or font. Each run of :data:`CHUNK_PAGES` pages is
written to its own PDF (reportlab holds a document whole until it is written), so memory stays
bounded by one run whatever the annex's length. An annex with unreadable pages that no person
reviewed (``reviewed``) is not drawn at all: :attr:`PublicAnnex.refused`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from ..canvas import plain_streams
from ..errors import AnnexError
from .find import Finder, PageMatches, PageRead, find_pages, merge
from .ocr import OcrCache, OcrPage, is_blank
from .pdfout import PageOut, PdfOut
from .raster import GLYPH_SHAPES, MIN_PICTURE, PICTURE_SHARE, burn, drawn, encoding, render
from .words import Box, Frame, Token, Word, dehyphenated, frame_of, read_page, union

DPI = 150
OCR_DPI = 300
CHUNK_PAGES = 100
KEEP_BYTES = 160_000_000
"""Pictures rendered in pass 1 (scans, for OCR) kept for pass 2 of the same run, up to this many
bytes (a page at 150 dpi is about 6.5 MB); beyond it a page is rendered again."""
"""Pages written to one PDF (the memory of a run: about 0.2–0.5 MB a page)."""
PAD = 0.12
"""Padding of a redaction box: this times its height, at least ``MIN_PAD`` points."""
MIN_PAD = 1.0


@dataclass(frozen=True)
class Redaction:
    """A name boxed out: the page (1-based), the party, the boxes in points (displayed space)."""

    page: int
    party_id: str
    boxes: list[Box]


@dataclass
class PublicAnnex:
    """The public edition of one annex: its PDFs (runs of pages, in order), what was done."""

    files: list[Path] = field(default_factory=list)
    pages: int = 0
    redactions: list[Redaction] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)
    """Pages whose text could not be read with enough confidence (or at all, without OCR)."""
    reviewed: bool = False

    @property
    def refused(self) -> bool:
        """Unreadable pages that no person reviewed: the annex cannot be made public."""
        return bool(self.unreadable) and not self.reviewed


def _ocr_words(result: OcrPage, size: tuple[float, float], first_line: int) -> list[Word]:
    width, height = size
    sx, sy = width / result.size[0], height / result.size[1]
    return [
        Word(
            w.text,
            (w.box[0] * sx, height - w.box[3] * sy, w.box[2] * sx, height - w.box[1] * sy),
            first_line + w.line_no,
        )
        for w in result.words
    ]


def read(
    page: pdfium.PdfPage,
    *,
    dpi: float = DPI,
    ocr: OcrCache | None = None,
    ocr_dpi: float = OCR_DPI,
    ocr_pictures: bool = True,
) -> PageRead:
    """Pass 1: the words of ``page`` (pdfium's, or OCR's) and the token orders to search."""
    size = Frame.of(page).size
    text = read_page(page)
    words = list(text.words)
    visual = text.orders[0]
    orders = [visual, text.orders[1], text.orders[2], []]
    layer = set(range(len(words))) if text.trusted else set()
    shapes = drawn(page) if ocr_pictures else None
    outlines = shapes is not None and shapes.glyphs >= GLYPH_SHAPES
    scan = not text.trusted or outlines or (shapes is not None and shapes.share >= PICTURE_SHARE)
    if not scan:
        pictures = [b for b in (shapes.pictures if shapes else []) if _legible(b)]
        if pictures and ocr is None:  # a picture no one can read for names
            return PageRead(size, words, orders, layer, False, True)
        if pictures and ocr is not None:
            orders[3] = _picture_words(page, pictures, ocr, ocr_dpi, words)
        return PageRead(size, words, orders, layer)
    image = render(page, dpi)
    if ocr is None:
        return PageRead(size, words, orders, layer, False, not is_blank(image), image=image)
    result = ocr.read(image, detail=lambda: render(page, ocr_dpi))
    start = len(words)
    extra = _ocr_words(result, size, 1 + max((w.line_no for w in words), default=-1))
    words += extra
    tokens = [Token(w.text, (start + i,)) for i, w in enumerate(extra)]
    if text.trusted:
        orders[3] = tokens
    else:  # an image-only page: the OCR words are the page's words
        orders = [tokens, dehyphenated(extra, start), tokens, []]
        layer = set(range(start, len(words)))
    return PageRead(size, words, orders, layer, True, not result.readable, result.confidence, image)


def _legible(box: Box) -> bool:
    return min(box[2] - box[0], box[3] - box[1]) >= MIN_PICTURE


def _picture_words(
    page: pdfium.PdfPage,
    pictures: list[Box],
    ocr: OcrCache,
    ocr_dpi: float,
    words: list[Word],
) -> list[Token]:
    """OCR of each picture too small to have the whole page read (a stamp, a signature, a
    clipping pasted in a letter): its words are searched (at any confidence: a logo is not text
    to refuse a page for), not written to the text layer. They are appended to ``words``."""
    frame = Frame.of(page)
    image = render(page, ocr_dpi)
    sx, sy = image.width / frame.size[0], image.height / frame.size[1]
    tokens: list[Token] = []
    line = 1 + max((w.line_no for w in words), default=-1)
    for box in pictures:
        x0, y0, x1, y1 = frame.box(*box)
        crop = image.crop(
            (
                int(x0 * sx),
                int(image.height - y1 * sy),
                int(x1 * sx) + 1,
                int(image.height - y0 * sy) + 1,
            )
        )
        result = ocr.read(crop)
        for w in result.words:
            left, top, right, bottom = w.box
            tokens.append(Token(w.text, (len(words),)))
            words.append(
                Word(
                    w.text,
                    (x0 + left / sx, y1 - bottom / sy, x0 + right / sx, y1 - top / sy),
                    line + w.line_no,
                )
            )
        line += 1 + max((w.line_no for w in result.words), default=0)
    return tokens


def _boxes(words: list[Word], indices: set[int], size: tuple[float, float]) -> list[Box]:
    """One padded box per line of the matched words, clipped to the page."""
    by_line: dict[int, list[Box]] = {}
    for i in sorted(indices):
        by_line.setdefault(words[i].line_no, []).append(words[i].box)
    out: list[Box] = []
    for boxes in by_line.values():
        x0, y0, x1, y1 = union(boxes)
        pad = max(MIN_PAD, PAD * min(x1 - x0, y1 - y0))
        box = (
            max(0.0, x0 - pad),
            max(0.0, y0 - pad),
            min(size[0], x1 + pad),
            min(size[1], y1 + pad),
        )
        if box[0] < box[2] and box[1] < box[3]:
            out.append(box)
    return out


def _size(image: Image.Image | None) -> int:
    return 0 if image is None else image.width * image.height * len(image.getbands())


def _along(word: Word) -> float:
    return word.frame[0] if word.frame is not None else word.box[0]


def draw(
    page: pdfium.PdfPage,
    got: PageRead,
    matches: PageMatches,
    label_of: Callable[[str], str],
    dpi: float = DPI,
) -> tuple[PageOut, list[tuple[str, list[Box]]]]:
    """Pass 2: the page rendered, its matches burnt in, its text layer; and the redactions."""
    image = got.image if got.image is not None else render(page, dpi)
    words, layer = got.words, set(got.layer)
    redactions: list[tuple[str, list[Box]]] = []
    labels: list[Word] = []
    for party_id, indices in matches:
        boxes = _boxes(words, indices, got.size)
        if not boxes:
            continue
        label = label_of(party_id)
        angle = words[min(indices)].angle
        burn(image, got.size, boxes, label, angle)
        redactions.append((party_id, boxes))
        layer -= indices
        biggest = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        line = min(words[i].line_no for i in indices)
        frame = None if angle == 0 else frame_of(biggest, angle)
        labels.append(Word(label, biggest, line, angle, frame))
    kept = [words[i] for i in sorted(layer)]
    ordered = sorted([*kept, *labels], key=lambda w: (w.line_no, _along(w)))
    kind, encoded = encoding(image)
    return PageOut(got.size, encoded, kind, ordered), redactions


def _open(data: bytes, password: str | None, label: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        raise AnnexError(
            label, f"pdfium cannot open it for the public edition ({exc})", "save it again"
        ) from exc


def _load(doc: pdfium.PdfDocument, index: int, label: str) -> pdfium.PdfPage:
    """Page ``index`` with the appearances of its annotations flattened into its content."""
    try:
        page = doc[index]
        if pdfium_c.FPDFPage_GetAnnotCount(page.raw) > 0:
            status = pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
            if status == pdfium_c.FLATTEN_SUCCESS:
                page.close()
                page = doc[index]
        return page
    except pdfium.PdfiumError as exc:
        raise AnnexError(
            label,
            f"page {index + 1} cannot be read for the public edition ({exc})",
            "save it again",
        ) from exc


def public_annex(
    data: bytes,
    *,
    label: str,
    find: Finder,
    label_of: Callable[[str], str],
    chunk_file: Callable[[int], Path],
    write: Callable[[Path, bytes], None],
    password: str | None = None,
    dpi: int = DPI,
    ocr: OcrCache | None = None,
    reviewed: bool = False,
    chunk_pages: int = CHUNK_PAGES,
) -> PublicAnnex:
    """The public edition of the annex PDF ``data`` (see the module docstring).

    ``label`` names the annex in errors; ``chunk_file(k)`` is where run ``k`` is written (with
    ``write``, the atomic writer). Pages are numbered from 1 in the result.
    """
    doc = _open(data, password, label)
    result = PublicAnnex(reviewed=reviewed)
    try:
        count = len(doc)
        result.pages = count
        reads: dict[int, PageRead] = {}
        carried: dict[int, PageMatches] = {}

        def page_read(index: int) -> PageRead:
            if index not in reads:
                page = _load(doc, index, label)
                try:
                    got = read(page, dpi=dpi, ocr=ocr)
                finally:
                    page.close()
                kept = sum(_size(r.image) for r in reads.values())
                if got.image is not None and kept + _size(got.image) > KEEP_BYTES:
                    got.image = None
                reads[index] = got
                if reads[index].ocr:
                    result.ocr_pages.append(index + 1)
                if reads[index].unreadable:
                    result.unreadable.append(index + 1)
            return reads[index]

        for start in range(0, count, chunk_pages):
            run = list(range(start, min(count, start + chunk_pages)))
            window = run + ([run[-1] + 1] if run[-1] + 1 < count else [])
            found = find_pages([page_read(i) for i in window], find)
            if result.refused:
                for i in run:
                    reads.pop(i, None)
                continue  # keep reading: every unreadable page is listed
            matches: dict[int, PageMatches] = {i: carried.pop(i, []) for i in run}
            for party_id, covered in found:
                touched = {window[k]: words for k, words in covered.items()}
                if set(touched) <= set(window[len(run) :]):
                    continue  # on the next page only: found again with the next run
                for index, words in touched.items():
                    target = matches if index in matches else carried
                    target.setdefault(index, []).append((party_id, words))
            with plain_streams():
                out = PdfOut()
                for i in run:
                    page = _load(doc, i, label)
                    try:
                        drawn, boxes = draw(page, reads.pop(i), merge(matches[i]), label_of, dpi)
                    finally:
                        page.close()
                    out.page(drawn)
                    result.redactions += [Redaction(i + 1, p, b) for p, b in boxes]
                path = chunk_file(len(result.files))
                write(path, out.finish())
            result.files.append(path)
    finally:
        doc.close()
    return result
