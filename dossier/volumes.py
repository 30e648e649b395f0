"""Split a built dossier into volumes under a size limit (``dossier build --max-size 20MB``).

The split happens after the build, at annex boundaries (an annex and its divider page are never
separated): ``dossier-vol1.pdf`` … ``dossier-volN.pdf`` beside ``dossier.pdf``. Each volume
opens with a cover sheet naming the case, the volume, its dossier pages and its contents; the
pages after it are the dossier's own, stamped and labelled with the dossier's continuous page
numbers. Links to a page in another volume become links into that volume's file (GoToR), so a
pinpoint reference in volume 1 still opens the annex page in volume 2. Bookmarks follow their
pages. ``manifest.json`` gains a ``volumes`` list (file, sha256, size, pages, annex numbers).

The public edition is split the same way (``dossier-public-vol1.pdf`` …, listed in
``manifest-public.json``); each of its volumes is scanned for confidential names
(:func:`dossier.public.check_public_volume`) before any volume is written, and a hit fails the
build (exit 3). With ``--edition both`` the public volumes hold the same annexes as the full
edition's, so that the pinpoint references ("Vol. 2, Annex 7") are true in both.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .errors import BuildError, LeakError, UsageError
from .render import i18n
from .render.fonts import SANS, SANS_BOLD, register_fonts
from .write import atomic_file

if TYPE_CHECKING:
    from .build import BuildResult

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]i?[bB]?|[bB])?\s*$")
_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}
FRONT_ESTIMATE = 200_000
"""Bytes counted for the front matter (cover letter to list of annexes) when planning."""
PART_OVERHEAD = 20_000
"""Bytes counted for a divider page and the stamps of an annex."""
_MARK = NameObject("/DossierTarget")
FILES = {
    "full": ("manifest.json", "dossier-vol{k}.pdf"),
    "public": ("manifest-public.json", "dossier-public-vol{k}.pdf"),
}
"""Edition -> (its manifest, the name pattern of its volumes)."""
VolumeCheck = Callable[[bytes, Mapping[str, Any], int, int], None]
"""Called with each volume's bytes, the manifest and the volume's first and last dossier page
before anything is written; raises to refuse the split (the public edition's leak scan)."""


def parse_size(text: str) -> int:
    """``20MB`` -> 20_000_000, ``1.5 MiB`` -> 1_572_864, ``500kB``; anything else: UsageError."""
    match = _SIZE_RE.match(text)
    if not match:
        raise UsageError(f"'{text}' is not a size; write e.g. 20MB, 500kB or 1.5MiB")
    unit = (match.group(2) or "").lower().rstrip("b")
    size = int(float(match.group(1)) * _UNITS[unit])
    if size < 100_000:
        raise UsageError(f"--max-size {text} is too small; a volume needs at least 100kB")
    return size


@dataclass(frozen=True)
class Volume:
    number: int
    file: Path
    first_page: int
    last_page: int
    annexes: tuple[int, ...]
    size: int
    sha256: str


@dataclass(frozen=True)
class _Group:
    first_page: int
    last_page: int
    annexes: tuple[int, ...]
    estimate: int


def _groups(manifest: Mapping[str, Any], sizes: Mapping[str, int]) -> list[_Group]:
    """The front matter, then each annex with its divider: the units a volume is made of."""
    annexes = list(manifest["annexes"])
    first_annex_page = min((a["divider_page"] for a in annexes), default=manifest["pages"] + 1)
    groups = [_Group(1, first_annex_page - 1, (), FRONT_ESTIMATE)]
    for annex in sorted(annexes, key=lambda a: a["divider_page"]):
        size = sizes.get(f"annexes/{annex['file']}", 0) if annex.get("file") else 0
        groups.append(
            _Group(
                annex["divider_page"], annex["last_page"], (annex["number"],), size + PART_OVERHEAD
            )
        )
    return groups


def plan_volumes(groups: Sequence[_Group], max_bytes: int) -> list[_Group]:
    """Greedy: fill each volume with whole groups while the estimate stays under the limit."""
    volumes: list[_Group] = []
    for group in groups:
        if volumes and volumes[-1].estimate + group.estimate <= max_bytes:
            last = volumes[-1]
            volumes[-1] = _Group(
                last.first_page,
                group.last_page,
                last.annexes + group.annexes,
                last.estimate + group.estimate,
            )
        else:
            volumes.append(group)
    return volumes


def _page_index(reader: PdfReader) -> dict[int, int]:
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


def _mark_links(reader: PdfReader, pages: range, index: Mapping[int, int]) -> None:
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


def _relink(
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


def _outline(
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


def _cover_sheet(
    manifest: Mapping[str, Any], lang: str, volume: _Group, number: int, volumes: Sequence[_Group]
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
    titles = {a["number"]: a.get("title") or t("withheld") for a in manifest["annexes"]}
    pages = {a["number"]: a["divider_page"] for a in manifest["annexes"]}
    line(t("volume_contents"), SANS_BOLD, 12, 7 * mm)
    if volume.first_page == 1:
        line(f"{t('contents')}  ({t('page')} 1)", size=10, gap=5 * mm)
    for annex in volume.annexes:
        if y < 60 * mm:
            line("…", size=10)
            break
        line(
            f"{t('annex_n', n=annex)} — {titles[annex]}  ({t('page')} {pages[annex]})",
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


DEFAULT_DPI = 200
"""Scanned images in a split dossier are downsampled to this resolution (``--max-dpi``)."""


def downsample_page(page: PageObject, dpi: int) -> int:
    """Re-encode the scanned images of ``page`` finer than ``dpi``; returns how many.

    Only a scan is touched: one image covering the page (same proportions as the page), with no
    transparency mask and more than one bit per pixel. The page's content stream, and so every
    vector page, stays as it is; the image is drawn at the same place and size.
    """
    box = page.cropbox
    width, height = float(box.width) / 72, float(box.height) / 72
    if width <= 0 or height <= 0:
        return 0
    changed = 0
    for image in page.images:
        obj: Any = image.indirect_reference.get_object() if image.indirect_reference else None
        pil = image.image
        if obj is None or pil is None or "/SMask" in obj or obj.get("/ImageMask"):
            continue
        if pil.mode not in ("RGB", "L", "CMYK"):
            continue
        px_w, px_h = pil.size
        w, h = width, height
        if abs(px_w / px_h - w / h) > 0.03 * (w / h):
            w, h = height, width  # a scan drawn turned by a quarter
            if abs(px_w / px_h - w / h) > 0.03 * (w / h):
                continue  # not a page-filling scan: left alone
        current = max(px_w / w, px_h / h)
        if current <= dpi * 1.05:
            continue
        scale = dpi / current
        size = (max(1, round(px_w * scale)), max(1, round(px_h * scale)))
        smaller = pil.convert("RGB" if pil.mode == "CMYK" else pil.mode).resize(
            size, Image.Resampling.LANCZOS
        )
        image.replace(smaller, quality=85, resolution=dpi)
        changed += 1
    return changed


def _render_volumes(
    pdf: Path,
    manifest: Mapping[str, Any],
    plan: Sequence[_Group],
    lang: str,
    dpi: int | None,
    pattern: str = FILES["full"][1],
) -> tuple[list[bytes], list[int]]:
    """The volumes of ``plan`` as PDF bytes, and how many images each had downsampled."""
    names = [pattern.format(k=k) for k in range(1, len(plan) + 1)]
    reader = PdfReader(pdf)  # fresh: marking the links changes the reader's objects
    where: dict[int, tuple[int, int]] = {}
    for k, volume in enumerate(plan):
        for offset, page in enumerate(range(volume.first_page - 1, volume.last_page)):
            where[page] = (k, offset + 1)  # after the cover sheet
    index = _page_index(reader)
    annex_pages = {
        page
        for annex in manifest["annexes"]
        for page in range(annex["first_page"] - 1, annex["last_page"])
    }
    out: list[bytes] = []
    downsampled: list[int] = []
    for k, volume in enumerate(plan):
        pages = range(volume.first_page - 1, volume.last_page)
        _mark_links(reader, pages, index)
        writer = PdfWriter()
        cover = _cover_sheet(manifest, lang, volume, k + 1, plan)
        writer.add_page(PdfReader(io.BytesIO(cover)).pages[0])
        count = 0
        for page in pages:
            added = writer.add_page(reader.pages[page])
            if dpi is not None and page in annex_pages:
                count += downsample_page(added, dpi)
        downsampled.append(count)
        _relink(writer, k, where, names)
        _outline(reader, writer, where, k)
        writer.set_page_label(0, 0, prefix=i18n.t(lang, "volume_label", k=k + 1))
        writer.set_page_label(1, len(pages), style=PageLabelStyle.DECIMAL, start=volume.first_page)
        _metadata(reader, writer, manifest, k + 1, len(plan), lang)
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out, downsampled


def _assigned(groups: Sequence[_Group], assignment: Mapping[int, int]) -> list[_Group]:
    """Groups merged into the volumes ``assignment`` gives each annex (front matter: 1)."""
    merged: dict[int, _Group] = {}
    for group in groups:
        volume = assignment.get(group.annexes[0], 1) if group.annexes else 1
        volume = max(volume, max(merged, default=1))  # volumes stay in page order
        last = merged.get(volume)
        merged[volume] = (
            group
            if last is None
            else _Group(
                last.first_page,
                group.last_page,
                last.annexes + group.annexes,
                last.estimate + group.estimate,
            )
        )
    return [merged[k] for k in sorted(merged)]


def split_dossier(
    out_dir: Path,
    max_bytes: int,
    *,
    lang: str | None = None,
    assignment: Mapping[int, int] | None = None,
    dpi: int | None = DEFAULT_DPI,
    edition: str = "full",
    check: VolumeCheck | None = None,
) -> list[Volume]:
    """Split ``out_dir/dossier.pdf`` into volumes of at most ``max_bytes`` each.

    Returns no volume when the dossier fits. Volumes are planned from the annex sizes, then
    re-planned with a smaller budget while one of several annexes comes out too large. A single
    annex larger than the limit gets a volume of its own (an annex is never cut); the manifest
    lists every volume with its real size.

    ``edition="public"`` splits ``dossier-public.pdf`` (its manifest: ``manifest-public.json``);
    ``check`` sees every volume before any is written (see :data:`VolumeCheck`).
    """
    manifest_name, pattern = FILES[edition]
    manifest_path = out_dir / manifest_name
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    pdf = out_dir / manifest["output"]["file"]
    lang = lang or manifest["submission"].get("language") or "en"
    for stale in out_dir.glob(pattern.format(k="*")):
        stale.unlink()
    manifest.pop("volumes", None)
    manifest.pop("volumes_dpi", None)
    if manifest["output"]["size"] <= max_bytes:
        _write_manifest(manifest_path, manifest)
        return []
    sizes = {item["file"]: int(item["size"]) for item in manifest["inputs"]}
    groups = _groups(manifest, sizes)
    if not assignment and len(groups) > 1:
        # measure each group as a volume of its own (after downsampling): better than guessing
        alone, _ = _render_volumes(pdf, manifest, groups, lang, dpi, pattern)
        groups = [
            _Group(g.first_page, g.last_page, g.annexes, len(data))
            for g, data in zip(groups, alone, strict=True)
        ]
    budget = max_bytes
    for _ in range(8):
        plan = _assigned(groups, assignment) if assignment else plan_volumes(groups, budget)
        if len(plan) == 1:
            _write_manifest(manifest_path, manifest)
            return []
        datas, downsampled = _render_volumes(pdf, manifest, plan, lang, dpi, pattern)
        over = [
            len(data) / max_bytes
            for data, volume in zip(datas, plan, strict=True)
            if len(data) > max_bytes and len(volume.annexes) + (volume.first_page == 1) > 1
        ]
        if not over or assignment:
            break
        budget = int(budget / max(over) * 0.97)
    for k, (data, volume) in enumerate(zip(datas, plan, strict=True), start=1):
        if check is not None:
            try:
                check(data, manifest, volume.first_page, volume.last_page)
            except LeakError as exc:
                raise LeakError(f"{pattern.format(k=k)}: {exc.message}") from None
    out: list[Volume] = []
    for k, (data, volume) in enumerate(zip(datas, plan, strict=True), start=1):
        path = out_dir / pattern.format(k=k)
        with atomic_file(path) as stream:
            stream.write(data)
        digest = hashlib.sha256(data).hexdigest()
        out.append(
            Volume(k, path, volume.first_page, volume.last_page, volume.annexes, len(data), digest)
        )
    manifest["volumes"] = [
        {
            "number": v.number,
            "file": v.file.name,
            "sha256": v.sha256,
            "size": v.size,
            "first_page": v.first_page,
            "last_page": v.last_page,
            "annexes": list(v.annexes),
            "downsampled_images": count,
        }
        for v, count in zip(out, downsampled, strict=True)
    ]
    manifest["volumes_dpi"] = dpi
    _write_manifest(manifest_path, manifest)
    return out


def build_in_volumes(
    case_path: str | Path,
    max_bytes: int,
    *,
    dpi: int | None = DEFAULT_DPI,
    rounds: int = 3,
    **options: Any,
) -> tuple[BuildResult, list[Volume]]:
    """Build, split, and build again with the volume of each annex known, so that pinpoint
    references name their volume ("Vol. 2, Annex 7, p. 3"); repeat until the split is stable.

    ``options`` are those of :func:`dossier.build.build_dossier`. The edition built is split
    (with ``both``: the full edition, then the public one into the same volumes); the volumes
    returned are the full edition's followed by the public edition's.
    """
    from .build import build_dossier

    lang = options.get("language")
    edition = str(options.get("edition", "full"))
    lead = "public" if edition == "public" else "full"
    check = _leak_check(case_path) if edition in ("public", "both") else None

    def split(out: Path, assignment: Mapping[int, int] | None) -> tuple[list[Volume], list[Volume]]:
        """The volumes of the lead edition, and every volume written."""
        volumes = split_dossier(
            out,
            max_bytes,
            lang=lang,
            assignment=assignment,
            dpi=dpi,
            edition=lead,
            check=check if lead == "public" else None,
        )
        if edition != "both":
            return volumes, volumes
        same = {n: v.number for v in volumes for n in v.annexes}
        public = split_dossier(
            out,
            max_bytes,
            lang=lang,
            assignment=same or None,
            dpi=dpi,
            edition="public",
            check=check,
        )
        return volumes, volumes + public

    mapping: dict[int, int] = {}
    result = build_dossier(case_path, **options)
    for _ in range(rounds):
        volumes, written = split(result.pdf.parent, None)
        found = {n: v.number for v in volumes for n in v.annexes}
        if found == mapping:
            return result, written
        mapping = found
        result = build_dossier(case_path, volumes=mapping, **options)
    # not settled: keep the volumes the references name, even if one is a little too large
    return result, split(result.pdf.parent, mapping)[1]


def _leak_check(case_path: str | Path) -> VolumeCheck:
    """The public edition's leak scan of one volume, with the case's confidential parties."""
    from .load import load_case
    from .public import check_public_volume

    bundle = load_case(case_path)

    def check(data: bytes, manifest: Mapping[str, Any], first: int, last: int) -> None:
        check_public_volume(data, bundle, manifest, first, last)

    return check


def _metadata(
    reader: PdfReader, writer: PdfWriter, manifest: Mapping[str, Any], k: int, n: int, lang: str
) -> None:
    info = {str(key): str(value) for key, value in (reader.metadata or {}).items()}
    label = i18n.t(lang, "volume_n", k=k, n=n)
    info["/Title"] = f"{info.get('/Title', '')} — {label}".strip(" —")
    writer.add_metadata(info)
    root: Any = reader.trailer["/Root"]
    if "/Lang" in root:
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(root["/Lang"]))
    writer.page_mode = "/UseOutlines"
    seed = f"{manifest['output']['sha256']}:{k}".encode()
    digest = hashlib.sha256(seed).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


def _write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    try:
        with atomic_file(path) as stream:
            stream.write(text.encode("utf-8"))
    except OSError as exc:
        raise BuildError(f"{path}: cannot write the manifest ({exc.strerror or exc})") from exc


__all__ = ["Volume", "parse_size", "plan_volumes", "split_dossier"]
