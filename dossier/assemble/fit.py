"""Fit an annex page so that the stamp band covers none of its content; change its page size.

A page whose content reaches into the stamp band at its bottom edge (measured by the intake
stage, :mod:`dossier.intake.bounds`) is scaled down uniformly and centred: its content stream
is kept byte for byte and drawn after a ``q … cm`` (:class:`~.stamp.Stamper` opens every page
with ``q`` and closes it with ``Q``). With a page size (``--page-size a4``) every annex page is
put on that size, landscape pages on the landscape sheet, scaled down when larger (never up).

All geometry is worked out in the page's *displayed* frame (origin at the bottom-left corner as
seen, after ``/Rotate``), then mapped to user space with the page's own matrix
(:meth:`~.stamp.Geometry.matrix`), so rotated pages and offset boxes are fitted as they show.
Annotations move with the content (their ``/Rect`` and ``/QuadPoints``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

from ..intake.bounds import Box
from .stamp import Geometry, band_height

Matrix = tuple[float, float, float, float, float, float]

PAGE_SIZES = {"a4": (595.2756, 841.8898)}
"""Page sizes of ``--page-size`` (portrait width, height in points)."""

CLEARANCE = 1.0
"""Points kept free between the content and the top of the stamp band."""
_EPSILON = 0.01


@dataclass(frozen=True)
class Fit:
    """How a page is fitted: ``matrix`` maps its old user space to the new (the ``cm`` before its
    content), ``scale`` is the uniform factor, ``geometry`` the page's frame afterwards, and
    ``box`` its new MediaBox when the page size changes."""

    matrix: Matrix
    scale: float
    geometry: Geometry
    box: tuple[float, float, float, float] | None = None


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying ``first``, then ``then`` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def transform_box(m: Matrix, box: Box) -> Box:
    """The box holding ``box`` mapped by ``m``."""
    x0, y0, x1, y1 = box
    points = [apply(m, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def displayed(geometry: Geometry, user_box: Box) -> Box:
    """A user-space box in the page's displayed frame."""
    return transform_box(invert(geometry.matrix()), user_box)


def page_fit(
    geometry: Geometry, content: Box | None, size: tuple[float, float] | None = None
) -> Fit | None:
    """The fit of a page whose content lies in ``content`` (displayed frame; None: nothing
    drawn), on a sheet of ``size`` (portrait width and height; None: the page's own size).

    None when the page stays as it is: its content is clear of the band and its size kept.
    """
    width, height = geometry.size
    new_w, new_h = width, height
    if size is not None:
        short, long = sorted(size)
        new_w, new_h = (long, short) if width > height else (short, long)
        if abs(new_w - width) < _EPSILON and abs(new_h - height) < _EPSILON:
            size = None
    band = band_height(new_w) + CLEARANCE
    low = high = 0.0
    if content is not None:
        low = min(max(content[1], 0.0), height)
        high = min(max(content[3], 0.0), height)
    if size is None and (content is None or low >= band - _EPSILON or high <= low):
        return None
    scale = min(1.0, new_w / width)
    if size is not None:
        scale = min(scale, new_h / height)
    if high > low:
        scale = min(scale, (new_h - band) / (high - low))
    tx = (new_w - scale * width) / 2
    centred = (new_h - scale * height) / 2
    ty = centred
    if high > low:
        ty = min(max(centred, band - scale * low), new_h - scale * high)
    placed: Matrix = (scale, 0.0, 0.0, scale, tx, ty)
    old = geometry.matrix()
    box = None
    new_geometry = geometry
    if size is not None:
        turned = geometry.rotation in (90, 270)
        box = (0.0, 0.0, new_h, new_w) if turned else (0.0, 0.0, new_w, new_h)
        new_geometry = Geometry(box, geometry.rotation)
    matrix = multiply(multiply(invert(old), placed), new_geometry.matrix())
    return Fit(matrix, scale, new_geometry, box)


_BOXES = ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")


def apply_fit(page: DictionaryObject, fit: Fit) -> None:
    """Set the page's new boxes and move its annotations with its content (the content stream
    itself is wrapped by the stamper)."""
    if fit.box is not None:
        page[NameObject("/MediaBox")] = ArrayObject(FloatObject(round(v, 4)) for v in fit.box)
        for key in _BOXES:
            if key in page:
                del page[key]
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    if not isinstance(annots, ArrayObject):
        return
    for ref in annots:
        annot = ref.get_object()
        if not isinstance(annot, DictionaryObject):
            continue
        rect = annot.get("/Rect")
        if rect is not None and len(rect) == 4:
            x0, y0, x1, y1 = (float(v) for v in rect)
            box = transform_box(fit.matrix, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
            annot[NameObject("/Rect")] = ArrayObject(FloatObject(round(v, 4)) for v in box)
        quads = annot.get("/QuadPoints")
        if isinstance(quads, ArrayObject) and len(quads) % 2 == 0:
            values = [float(v) for v in quads]
            moved: list[float] = []
            for index in range(0, len(values), 2):
                moved.extend(apply(fit.matrix, values[index], values[index + 1]))
            annot[NameObject("/QuadPoints")] = ArrayObject(FloatObject(round(v, 4)) for v in moved)
