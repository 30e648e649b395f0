"""Volumes of a dossier too large to send at once (``dossier build --max-size 20MB``).

A dossier is split after assembly, at annex boundaries (an annex and its divider page are never
separated), into ``dossier-vol1.pdf`` … Each volume opens with a cover sheet naming the case, the
volume, its dossier pages and its contents; the pages after it are the dossier's own, stamped
and labelled with the dossier's continuous page numbers. Links to a page in another volume
become links into that volume's file (GoToR), so a pinpoint reference in volume 1 still opens
the annex page in volume 2. Bookmarks follow their pages. Nothing is written here: the write
stage writes the volumes with the dossier and its manifest (which lists them) in one
transaction.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle

from ..errors import LeakError
from ..render import i18n
from .split import (
    VolumeGroup,
    cover_sheet,
    downsample_page,
    mark_links,
    metadata,
    outline,
    page_index,
    relink,
)

FRONT_ESTIMATE = 200_000
"""Bytes counted for the front matter (cover letter to list of annexes) when planning."""
PART_OVERHEAD = 20_000
"""Bytes counted for a divider page and the stamps of an annex."""
DEFAULT_DPI = 200
"""Scanned images in a split dossier are downsampled to this resolution (``--max-dpi``)."""
VolumeCheck = Callable[[bytes], None]
"""Called with each volume's bytes before anything is written; raises to refuse the split (the
public edition's leak scan)."""


@dataclass(frozen=True)
class Volume:
    number: int
    name: str
    data: bytes
    first_page: int
    last_page: int
    annexes: tuple[int, ...]
    downsampled: int

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def entry(self) -> dict[str, Any]:
        """The volume as the manifest lists it."""
        return {
            "number": self.number,
            "file": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "first_page": self.first_page,
            "last_page": self.last_page,
            "annexes": list(self.annexes),
            "downsampled_images": self.downsampled,
        }


def _groups(manifest: Mapping[str, Any], sizes: Mapping[str, int]) -> list[VolumeGroup]:
    """The front matter, then each annex with its divider: the units a volume is made of."""
    annexes = list(manifest["annexes"])
    first_annex_page = min((a["divider_page"] for a in annexes), default=manifest["pages"] + 1)
    groups = [VolumeGroup(1, first_annex_page - 1, (), FRONT_ESTIMATE)]
    for annex in sorted(annexes, key=lambda a: a["divider_page"]):
        size = sizes.get(f"annexes/{annex['file']}", 0) if annex.get("file") else 0
        last = groups[-1]
        if last.annexes and last.annexes[-1] == annex["number"]:  # a translation: with Annex 6
            groups[-1] = VolumeGroup(
                last.first_page, annex["last_page"], last.annexes, last.estimate + size
            )
            continue
        groups.append(
            VolumeGroup(
                annex["divider_page"], annex["last_page"], (annex["number"],), size + PART_OVERHEAD
            )
        )
    return groups


def plan_volumes(groups: Sequence[VolumeGroup], max_bytes: int) -> list[VolumeGroup]:
    """Greedy: fill each volume with whole groups while the estimate stays under the limit."""
    volumes: list[VolumeGroup] = []
    for group in groups:
        if volumes and volumes[-1].estimate + group.estimate <= max_bytes:
            last = volumes[-1]
            volumes[-1] = VolumeGroup(
                last.first_page,
                group.last_page,
                last.annexes + group.annexes,
                last.estimate + group.estimate,
            )
        else:
            volumes.append(group)
    return volumes


def _render_volumes(
    data: bytes,
    manifest: Mapping[str, Any],
    plan: Sequence[VolumeGroup],
    lang: str,
    dpi: int | None,
    pattern: str,
) -> tuple[list[bytes], list[int]]:
    """The volumes of ``plan`` as PDF bytes, and how many images each had downsampled."""
    names = [pattern.format(k=k) for k in range(1, len(plan) + 1)]
    reader = PdfReader(io.BytesIO(data))  # fresh: marking the links changes its objects
    where: dict[int, tuple[int, int]] = {}
    for k, volume in enumerate(plan):
        for offset, page in enumerate(range(volume.first_page - 1, volume.last_page)):
            where[page] = (k, offset + 1)  # after the cover sheet
    index = page_index(reader)
    annex_pages = {
        page
        for annex in manifest["annexes"]
        for page in range(annex["first_page"] - 1, annex["last_page"])
    }
    out: list[bytes] = []
    downsampled: list[int] = []
    for k, volume in enumerate(plan):
        pages = range(volume.first_page - 1, volume.last_page)
        mark_links(reader, pages, index)
        writer = PdfWriter()
        cover = cover_sheet(manifest, lang, volume, k + 1, plan)
        writer.add_page(PdfReader(io.BytesIO(cover)).pages[0])
        count = 0
        for page in pages:
            added = writer.add_page(reader.pages[page])
            if dpi is not None and page in annex_pages:
                count += downsample_page(added, dpi)
        downsampled.append(count)
        relink(writer, k, where, names)
        outline(reader, writer, where, k)
        writer.set_page_label(0, 0, prefix=i18n.t(lang, "volume_label", k=k + 1))
        writer.set_page_label(1, len(pages), style=PageLabelStyle.DECIMAL, start=volume.first_page)
        metadata(reader, writer, manifest, k + 1, len(plan), lang)
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out, downsampled


def _assigned(groups: Sequence[VolumeGroup], assignment: Mapping[int, int]) -> list[VolumeGroup]:
    """Groups merged into the volumes ``assignment`` gives each annex (front matter: 1)."""
    merged: dict[int, VolumeGroup] = {}
    for group in groups:
        volume = assignment.get(group.annexes[0], 1) if group.annexes else 1
        volume = max(volume, max(merged, default=1))  # volumes stay in page order
        last = merged.get(volume)
        merged[volume] = (
            group
            if last is None
            else VolumeGroup(
                last.first_page,
                group.last_page,
                last.annexes + group.annexes,
                last.estimate + group.estimate,
            )
        )
    return [merged[k] for k in sorted(merged)]


def split_volumes(
    data: bytes,
    manifest: Mapping[str, Any],
    max_bytes: int,
    *,
    pattern: str,
    lang: str,
    assignment: Mapping[int, int] | None = None,
    dpi: int | None = DEFAULT_DPI,
    check: VolumeCheck | None = None,
) -> list[Volume]:
    """The dossier ``data`` (described by ``manifest``) split into volumes of at most
    ``max_bytes`` each, named by ``pattern`` (``dossier-vol{k}.pdf``).

    Returns no volume when the dossier fits. Volumes are planned from the annex sizes, then
    re-planned with a smaller budget while one of several annexes comes out too large. A single
    annex larger than the limit gets a volume of its own (an annex is never cut). With
    ``assignment`` (annex number -> volume) the volumes are those, whatever their size.
    """
    if len(data) <= max_bytes:
        return []
    sizes = {item["file"]: int(item["size"]) for item in manifest["inputs"]}
    groups = _groups(manifest, sizes)
    if not assignment and len(groups) > 1:
        # measure each group as a volume of its own (after downsampling): better than guessing
        alone, _ = _render_volumes(data, manifest, groups, lang, dpi, pattern)
        groups = [
            VolumeGroup(g.first_page, g.last_page, g.annexes, len(d))
            for g, d in zip(groups, alone, strict=True)
        ]
    budget = max_bytes
    for _ in range(8):
        plan = _assigned(groups, assignment) if assignment else plan_volumes(groups, budget)
        if len(plan) == 1:
            return []
        datas, downsampled = _render_volumes(data, manifest, plan, lang, dpi, pattern)
        over = [
            len(d) / max_bytes
            for d, volume in zip(datas, plan, strict=True)
            if len(d) > max_bytes and len(volume.annexes) + (volume.first_page == 1) > 1
        ]
        if not over or assignment:
            break
        budget = int(budget / max(over) * 0.97)
    out = []
    for k, (d, volume, count) in enumerate(zip(datas, plan, downsampled, strict=True), start=1):
        name = pattern.format(k=k)
        if check is not None:
            try:
                check(d)
            except LeakError as exc:
                raise LeakError(f"{name}: {exc.message}") from None
        out.append(Volume(k, name, d, volume.first_page, volume.last_page, volume.annexes, count))
    return out
