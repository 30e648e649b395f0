"""The PDF work on each volume of a split dossier (``volumes.py`` plans and writes them).

Internal links are marked with their target page before the pages are copied, then pointed at a
page of the same volume or into another volume's file (GoToR); bookmarks follow their pages; each
volume gets a cover sheet and its own metadata; scanned images finer than ``--max-dpi`` are
downsampled.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..errors import PDF_READ_ERRORS
from ..render import i18n
from ..render.fonts import SANS, SANS_BOLD, register_fonts
from .internals import image_file, raw_data, set_file_id

_MARK = NameObject("/DossierTarget")


@dataclass(frozen=True)
class VolumeGroup:
    """Consecutive dossier pages that go into one volume: the front matter, or annexes with
    their dividers; ``estimate`` is their size in bytes."""

    first_page: int
    last_page: int
    annexes: tuple[int, ...]
    estimate: int


def page_index(reader: PdfReader) -> dict[int, int]:
    return {
        page.indirect_reference.idnum: index
        for index, page in enumerate(reader.pages)
        if page.indirect_reference is not None
    }


def _target(annot: DictionaryObject, reader: PdfReader, index: Mapping[int, int]) -> int | None:
    """0-based page a link annotation jumps to inside the document, if any."""
    dest: Any = annot.get("/Dest")
    action = annot.get("/A")
    if dest is None and isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    if dest is None:
        return None
    if not isinstance(dest, ArrayObject):
        named = reader.named_destinations.get(str(dest))
        if named is None:
            return None
        number = reader.get_destination_page_number(named)
        return number if number is not None and number >= 0 else None
    first = dest[0] if dest else None
    if isinstance(first, IndirectObject):
        return index.get(first.idnum)
    return None


def mark_links(reader: PdfReader, pages: range, index: Mapping[int, int]) -> None:
    """Replace internal link destinations by a page number, before the pages are copied."""
    for number in pages:
        for ref in reader.pages[number].get("/Annots") or []:
            annot = ref.get_object()
            if not isinstance(annot, DictionaryObject) or annot.get("/Subtype") != "/Link":
                continue
            target = _target(annot, reader, index)
            if target is None:
                continue
            annot[_MARK] = NumberObject(target)
            annot.pop("/Dest", None)
            action = annot.get("/A")
            if isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo":
                annot.pop("/A", None)


def relink(
    writer: PdfWriter, home: int, where: Mapping[int, tuple[int, int]], names: Sequence[str]
) -> None:
    """Point the marked links at a page of this volume, or into another volume's file."""
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if not isinstance(annot, DictionaryObject) or _MARK not in annot:
                continue
            target = int(annot.pop(_MARK))
            volume, local = where[target]
            if volume == home:
                annot[NameObject("/Dest")] = ArrayObject(
                    [writer.pages[local].indirect_reference, NameObject("/Fit")]
                )
            else:
                annot[NameObject("/A")] = DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/GoToR"),
                        NameObject("/F"): TextStringObject(names[volume]),
                        NameObject("/D"): ArrayObject([NumberObject(local), NameObject("/Fit")]),
                    }
                )


def outline(
    reader: PdfReader, writer: PdfWriter, where: Mapping[int, tuple[int, int]], home: int
) -> None:
    """Copy the bookmarks whose pages are in this volume, nesting kept where the parent is."""

    def walk(items: list[Any], parent: Any) -> None:
        last: Any = None
        for item in items:
            if isinstance(item, list):
                walk(item, last if last is not None else parent)
                continue
            last = None
            page = reader.get_destination_page_number(item)
            if page is None or where.get(page, (-1, 0))[0] != home:
                continue
            last = writer.add_outline_item(
                title=str(item.title), page_number=where[page][1], parent=parent
            )

    walk(list(reader.outline), None)


def cover_sheet(
    manifest: Mapping[str, Any],
    lang: str,
    volume: VolumeGroup,
    number: int,
    volumes: Sequence[VolumeGroup],
) -> bytes:
    """One page: case, volume k of n, its dossier pages, its annexes and every volume's pages."""
    register_fonts()
    out = io.BytesIO()
    canvas: Any = Canvas(out, pagesize=A4, invariant=True, pageCompression=1)
    width, height = A4
    left, y = 25 * mm, height - 35 * mm

    def line(text: str, font: str = SANS, size: float = 11, gap: float = 6 * mm) -> None:
        nonlocal y
        canvas.setFont(font, size)
        canvas.drawString(left, y, text[:110])
        y -= gap

    def t(key: str, **values: object) -> str:
        return i18n.t(lang, key, **values)

    line(
        t("case_label", case_no=manifest["case"], country=manifest["country"]),
        SANS_BOLD,
        16,
        10 * mm,
    )
    line(t("volume_n", k=number, n=len(volumes)), SANS_BOLD, 14, 8 * mm)
    line(
        t("volume_pages", first=volume.first_page, last=volume.last_page, total=manifest["pages"]),
        gap=12 * mm,
    )
    line(t("volume_contents"), SANS_BOLD, 12, 7 * mm)
    if volume.first_page == 1:
        line(f"{t('contents')}  ({t('page')} 1)", size=10, gap=5 * mm)
    listed = [a for a in manifest["annexes"] if a["number"] in volume.annexes]
    for annex in sorted(listed, key=lambda a: a["divider_page"]):  # 6, then its translation 6a
        if y < 60 * mm:
            line("…", size=10)
            break
        label = annex.get("label", annex["number"])
        title = annex.get("title") or t("withheld")
        line(
            f"{t('annex_n', n=label)} — {title}  ({t('page')} {annex['divider_page']})",
            size=10,
            gap=5 * mm,
        )
    y = min(y, 55 * mm)
    line(t("volume_list"), SANS_BOLD, 12, 6 * mm)
    for k, other in enumerate(volumes, start=1):
        text = t("volume_n", k=k, n=len(volumes)) + ": " + f"{other.first_page}–{other.last_page}"
        line(text, size=10, gap=5 * mm)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def downsample_page(page: PageObject, dpi: int) -> int:
    """Re-encode the scanned images of ``page`` finer than ``dpi``; returns how many.

    Only a scan is touched: one image covering the page (same proportions as the page), with no
    transparency mask and more than one bit per pixel. The page's content stream, and so every
    vector page, stays as it is; the image is drawn at the same place and size. A page whose
    boxes or content pypdf cannot read (a damaged annex, shown as the viewer shows it) is left
    as it is.
    """
    try:
        return _downsample(page, dpi)
    except PDF_READ_ERRORS:
        return 0


def _downsample(page: PageObject, dpi: int) -> int:
    box = page.cropbox
    width, height = float(box.width) / 72, float(box.height) / 72
    if width <= 0 or height <= 0:
        return 0
    changed = 0
    images = page.images
    for key in list(images.keys()):
        ref = _xobject(page, key)
        declared = ref.get_object() if ref is not None else None
        if isinstance(declared, DictionaryObject) and not _fine_scan(declared, width, height, dpi):
            continue  # its dictionary says so: not decoded at all
        try:
            image = images[key]
        except LimitReachedError:  # pypdf decodes at most 75 MB (a 600 dpi colour scan)
            image = _large_image(page, key)
        except PDF_READ_ERRORS:
            continue  # an image pypdf cannot decode stays as it is
        if image is None:
            continue
        obj: Any = image.indirect_reference.get_object() if image.indirect_reference else None
        try:
            pil = image.image
        except (*PDF_READ_ERRORS, OSError):
            continue
        if obj is None or pil is None or "/SMask" in obj or obj.get("/ImageMask"):
            continue
        if pil.mode not in ("RGB", "L", "CMYK"):
            continue
        px_w, px_h = pil.size
        current = _resolution(px_w, px_h, width, height)
        if current is None or current <= dpi * 1.05:
            continue  # not a page-filling scan, or not finer than asked: left alone
        scale = dpi / current
        size = (max(1, round(px_w * scale)), max(1, round(px_h * scale)))
        source = pil.convert("RGB") if pil.mode == "CMYK" else pil  # no copy of a big scan
        smaller = source.resize(size, Image.Resampling.LANCZOS)
        image.replace(smaller, quality=85, resolution=dpi)
        changed += 1
    return changed


def _resolution(px_w: int, px_h: int, width: float, height: float) -> float | None:
    """The dots per inch of a picture of ``px_w`` x ``px_h`` filling a page of ``width`` x
    ``height`` inches (upright or turned by a quarter), or None when it does not fill it."""
    if px_w <= 0 or px_h <= 0:
        return None
    for w, h in ((width, height), (height, width)):
        if abs(px_w / px_h - w / h) <= 0.03 * (w / h):
            return max(px_w / w, px_h / h)
    return None


def _fine_scan(obj: DictionaryObject, width: float, height: float, dpi: int) -> bool:
    """What an image's dictionary says: it may be a page-filling scan finer than ``dpi``."""
    if "/SMask" in obj or obj.get("/ImageMask"):
        return False
    try:
        px_w, px_h = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
    except (TypeError, ValueError):
        return True  # unclear: decoded and looked at as before
    current = _resolution(px_w, px_h, width, height)
    return current is not None and current > dpi * 1.05


def _large_image(page: PageObject, key: object) -> Any:
    """The page's image ``key`` decoded by :func:`large_scan`, or None."""
    ref = _xobject(page, key)
    if ref is None:
        return None
    pil = large_scan(ref.get_object())
    return image_file(str(key), pil, ref) if pil is not None else None


def _xobject(page: PageObject, key: object) -> IndirectObject | None:
    """The reference of the page's own XObject ``key`` (None inside a form, or not found)."""
    if not isinstance(key, str):
        return None  # inside a form: left as it is
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    ref = (
        xobjects.raw_get(key)
        if isinstance(xobjects, DictionaryObject) and key in xobjects
        else None
    )
    return ref if isinstance(ref, IndirectObject) else None


def large_scan(obj: Any, limit: int = 268_435_456) -> Image.Image | None:
    """A page-sized scan too large for pypdf's decoder (over 75 MB decoded), decoded here
    within ``limit`` bytes: a JPEG at a reduced size (Pillow's draft mode: it never holds the
    full picture), an 8-bit grey or RGB Flate image inflated once. Anything else: None (the
    image is left as it is)."""
    filters = obj.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)]
    width, height = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
    space = str(obj.get("/ColorSpace", ""))
    channels = {"/DeviceGray": 1, "/DeviceRGB": 3}.get(space)
    if names == ["/DCTDecode"]:
        picture = Image.open(io.BytesIO(obj.get_data()))
        picture.draft(picture.mode, (picture.width // 4, picture.height // 4))
        return picture
    if names != ["/FlateDecode"] or channels is None or int(obj.get("/BitsPerComponent", 8)) != 8:
        return None
    if "/DecodeParms" in obj or width * height * channels > limit or width <= 0 or height <= 0:
        return None
    inflater = zlib.decompressobj()
    raw = inflater.decompress(raw_data(obj), width * height * channels)
    if len(raw) != width * height * channels:
        return None
    return Image.frombytes("L" if channels == 1 else "RGB", (width, height), raw)


def metadata(
    reader: PdfReader, writer: PdfWriter, manifest: Mapping[str, Any], k: int, n: int, lang: str
) -> None:
    info = {str(key): str(value) for key, value in (reader.metadata or {}).items()}
    label = i18n.t(lang, "volume_n", k=k, n=n)
    info["/Title"] = f"{info.get('/Title', '')} — {label}".strip(" —")
    writer.add_metadata(info)
    root: Any = reader.trailer["/Root"]
    if "/Lang" in root:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(root["/Lang"]))
    writer.page_mode = "/UseOutlines"
    seed = f"{manifest['output']['sha256']}:{k}".encode()
    digest = hashlib.sha256(seed).digest()[:16]
    set_file_id(writer, digest)
