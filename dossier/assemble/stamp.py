"""Stamp every page without touching its content streams.

All stamp texts (one per part label, one ``Page X of Y`` per page) are typeset once with reportlab
in one small PDF, with the shipped DejaVu font, so they are Unicode and extractable. Each of its
pages becomes a form XObject sharing that one font. A page is stamped by

* wrapping its original ``/Contents`` between a shared ``q`` stream and a small closing stream
  (``Q`` plus the drawing of two form XObjects), so an unclosed transform of the page cannot move
  the stamp, and
* naming the two XObjects in a copy of its ``/Resources``.

The stamp sits on an opaque (white) band along the bottom edge of the page *as displayed*: the
visible box (MediaBox intersected with CropBox) and the effective ``/Rotate`` decide where that is
in user space. A page whose content reaches into the band is scaled down first (:mod:`.fit`):
its opening stream is then ``q <matrix> cm`` of its own instead of the shared ``q``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)
from pypdf.generic import (
    RectangleObject as Rect,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ..canvas import document_of, plain_streams
from .internals import add_object

FONT_NAME = "DossierStamp"
FONT_SIZE = 7.5
SHEET_WIDTH = 1000.0
SHEET_HEIGHT = 14.0
BASELINE = 4.0
SIDE = 28.0
"""Horizontal distance of the stamp from the displayed left and right edges."""
BOTTOM = 10.0
"""Distance of the stamp's box from the displayed bottom edge."""
BAND = BOTTOM + SHEET_HEIGHT + 2.0
"""Height of the opaque band the stamp sits on (on a page at least 360 pt wide)."""
NARROW = 360.0
"""Pages narrower than this get a proportionally smaller stamp and band."""
LABEL_XOBJECT = NameObject("/DossierStampL")
NUMBER_XOBJECT = NameObject("/DossierStampN")


@lru_cache(maxsize=1)
def _register_font() -> str:
    path = resources.files("dossier") / "fonts" / "DejaVuSans.ttf"
    with resources.as_file(path) as font_file:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_file)))
    return FONT_NAME


def _form(operators: bytes, resources: IndirectObject) -> DecodedStreamObject:
    form = DecodedStreamObject()
    form.set_data(operators)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [
                    FloatObject(0),
                    FloatObject(0),
                    FloatObject(SHEET_WIDTH),
                    FloatObject(SHEET_HEIGHT),
                ]
            ),
            NameObject("/Resources"): resources,
        }
    )
    return form


def stamp_xobjects(
    writer: PdfWriter, labels: Sequence[str], numbers: Sequence[str]
) -> list[IndirectObject]:
    """One form XObject per text (labels drawn from x=0, numbers right-aligned at SHEET_WIDTH).

    reportlab subsets the shipped font once (one sheet page holding every character used); the
    XObjects show the texts in that font's encoding, so all of them share one embedded font.
    """
    with plain_streams():
        return _stamp_xobjects(writer, labels, numbers)


def _stamp_xobjects(
    writer: PdfWriter, labels: Sequence[str], numbers: Sequence[str]
) -> list[IndirectObject]:
    name = _register_font()
    font = pdfmetrics.getFont(name)
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(SHEET_WIDTH, SHEET_HEIGHT), invariant=1, pageCompression=1)
    doc = document_of(sheet)
    texts = (*labels, *numbers)
    encoded = [font.splitString(text, doc) for text in texts]
    subsets = sorted({subset for parts in encoded for subset, _ in parts})
    names = {subset: font.getSubsetInternalName(subset, doc) for subset in subsets}
    operators = []
    for index, parts in enumerate(encoded):
        text = texts[index]
        x = 0.0 if index < len(labels) else SHEET_WIDTH - font.stringWidth(text, FONT_SIZE)
        shows = " ".join(
            f"{names[subset]} {_fmt(FONT_SIZE)} Tf <{data.hex()}> Tj" for subset, data in parts
        )
        operators.append(f"BT 0.15 g {_fmt(x)} {_fmt(BASELINE)} Td {shows} ET".encode("ascii"))
    sheet.setFont(name, FONT_SIZE)
    sheet.drawString(0, BASELINE, "".join(sorted(set("".join(texts)))))
    sheet.showPage()
    sheet.save()
    page = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    page_fonts = page["/Resources"]["/Font"]  # type: ignore[index]
    fonts = DictionaryObject()
    for key in names.values():
        fonts[NameObject(key)] = page_fonts.raw_get(key).clone(writer)
    resources = add_object(writer, DictionaryObject({NameObject("/Font"): fonts}))
    result = [add_object(writer, _form(ops, resources)) for ops in operators]
    return result


@dataclass(frozen=True)
class Geometry:
    """The displayed frame of a page: visible box and effective rotation (0/90/180/270)."""

    box: tuple[float, float, float, float]
    rotation: int

    @property
    def size(self) -> tuple[float, float]:
        """Width and height as displayed."""
        x0, y0, x1, y1 = self.box
        w, h = x1 - x0, y1 - y0
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def matrix(self) -> tuple[float, float, float, float, float, float]:
        """Maps displayed coordinates (origin bottom-left as seen) to user space."""
        x0, y0, x1, y1 = self.box
        return {
            0: (1.0, 0.0, 0.0, 1.0, x0, y0),
            90: (0.0, 1.0, -1.0, 0.0, x1, y0),
            180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
            270: (0.0, -1.0, 1.0, 0.0, x0, y1),
        }[self.rotation]


def _box(page: DictionaryObject, key: str) -> tuple[float, float, float, float] | None:
    value = page.get(key)
    if value is None:
        return None
    try:
        rect = Rect(value.get_object())
    except (ValueError, TypeError, IndexError):
        return None
    left, right = sorted((float(rect.left), float(rect.right)))
    bottom, top = sorted((float(rect.bottom), float(rect.top)))
    return left, bottom, right, top


def page_geometry(page: DictionaryObject) -> Geometry:
    """Visible box (MediaBox ∩ CropBox) and rotation of a page, rotation normalised."""
    media = _box(page, "/MediaBox")
    if media is None or media[2] - media[0] < 1 or media[3] - media[1] < 1:
        media = (0.0, 0.0, 612.0, 792.0)  # what viewers assume for a missing or empty box
    crop = _box(page, "/CropBox")
    box = media
    if crop is not None:
        inter = (
            max(media[0], crop[0]),
            max(media[1], crop[1]),
            min(media[2], crop[2]),
            min(media[3], crop[3]),
        )
        if inter[2] > inter[0] and inter[3] > inter[1]:
            box = inter
    try:
        rotation = int(page.get("/Rotate", 0)) % 360
    except (TypeError, ValueError):
        rotation = 0
    if rotation % 90:
        rotation = 0
    return Geometry(box, rotation)


def _fmt(value: float, digits: int = 3) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def band_height(width: float) -> float:
    """Height of the stamp band on a page ``width`` points wide (as displayed)."""
    return BAND * min(1.0, width / NARROW)


def stamp_operators(geometry: Geometry) -> bytes:
    """The closing stream of a stamped page: restore the page's state, paint the opaque band,
    draw label and number on it."""
    width, _ = geometry.size
    scale = min(1.0, width / NARROW)
    side = SIDE * scale
    cm = " ".join(_fmt(v) for v in geometry.matrix())
    band = f"1 g 0 0 {_fmt(width)} {_fmt(band_height(width))} re f"
    label = f"{_fmt(scale)} 0 0 {_fmt(scale)} {_fmt(side)} {_fmt(BOTTOM * scale)} cm"
    right = width - side - SHEET_WIDTH * scale
    number = f"{_fmt(scale)} 0 0 {_fmt(scale)} {_fmt(right)} {_fmt(BOTTOM * scale)} cm"
    return (
        f"\nQ\nq {cm} cm\n{band}\nq {label} {LABEL_XOBJECT} Do Q\n"
        f"q {number} {NUMBER_XOBJECT} Do Q\nQ\n"
    ).encode("ascii")


class Stamper:
    """Stamps pages of one writer, sharing the opening ``q`` stream and copied resources."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        opening = DecodedStreamObject()
        opening.set_data(b"q\n")
        self.opening = add_object(writer, opening)
        self._indirect: dict[int, IndirectObject] = {}
        self._openings: dict[bytes, IndirectObject] = {}

    def _shared(self, value: PdfObject) -> PdfObject:
        """A direct dictionary/array of a resources dict, made indirect once and shared."""
        if isinstance(value, IndirectObject) or not isinstance(
            value, (DictionaryObject, ArrayObject)
        ):
            return value
        key = id(value)
        if key not in self._indirect:
            self._indirect[key] = add_object(self.writer, value)
        return self._indirect[key]

    def stamp(
        self,
        page: DictionaryObject,
        label: IndirectObject,
        number: IndirectObject,
        cm: Sequence[float] | None = None,
    ) -> None:
        """Stamp ``page``; ``cm``: the matrix its content is drawn through (a fitted page,
        whose boxes are set already)."""
        geometry = page_geometry(page)
        old = page.get("/Resources")
        old_res = old.get_object() if old is not None else DictionaryObject()
        res = DictionaryObject()
        if isinstance(old_res, DictionaryObject):
            for key, value in old_res.items():
                res[NameObject(key)] = self._shared(value)
        xobjects = DictionaryObject()
        old_x = res.get("/XObject")
        if old_x is not None and isinstance(old_x.get_object(), DictionaryObject):
            xobjects.update(old_x.get_object())
        xobjects[LABEL_XOBJECT] = label
        xobjects[NUMBER_XOBJECT] = number
        res[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = res

        closing = DecodedStreamObject()
        closing.set_data(stamp_operators(geometry))
        contents = page.get("/Contents")
        opening = self.opening
        if cm is not None:
            operators = f"q {' '.join(_fmt(v, 6) for v in cm)} cm\n".encode("ascii")
            if operators not in self._openings:  # pages of one document usually share their
                fitted = DecodedStreamObject()  # fit: one stream for them all
                fitted.set_data(operators)
                self._openings[operators] = add_object(self.writer, fitted)
            opening = self._openings[operators]
        parts: list[PdfObject] = [opening]
        if contents is not None:
            resolved = contents.get_object()
            if isinstance(resolved, ArrayObject):
                parts.extend(resolved)
            elif isinstance(resolved, StreamObject):
                parts.append(
                    contents
                    if isinstance(contents, IndirectObject)
                    else add_object(self.writer, resolved)
                )
        parts.append(add_object(self.writer, closing))
        page[NameObject("/Contents")] = ArrayObject(parts)
