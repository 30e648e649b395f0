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

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle

from ..assemble.split import (
    VolumeGroup,
    cover_sheet,
    downsample_page,
    mark_links,
    metadata,
    outline,
    page_index,
    relink,
)
from ..errors import BuildError, LeakError, UsageError
from ..render import i18n
from ..write import atomic_file

if TYPE_CHECKING:
    from .build import BuildResult

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]i?[bB]?|[bB])?\s*$")
_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}
FRONT_ESTIMATE = 200_000
"""Bytes counted for the front matter (cover letter to list of annexes) when planning."""
PART_OVERHEAD = 20_000
"""Bytes counted for a divider page and the stamps of an annex."""
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


def _groups(manifest: Mapping[str, Any], sizes: Mapping[str, int]) -> list[VolumeGroup]:
    """The front matter, then each annex with its divider: the units a volume is made of."""
    annexes = list(manifest["annexes"])
    first_annex_page = min((a["divider_page"] for a in annexes), default=manifest["pages"] + 1)
    groups = [VolumeGroup(1, first_annex_page - 1, (), FRONT_ESTIMATE)]
    for annex in sorted(annexes, key=lambda a: a["divider_page"]):
        size = sizes.get(f"annexes/{annex['file']}", 0) if annex.get("file") else 0
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


DEFAULT_DPI = 200
"""Scanned images in a split dossier are downsampled to this resolution (``--max-dpi``)."""


def _render_volumes(
    pdf: Path,
    manifest: Mapping[str, Any],
    plan: Sequence[VolumeGroup],
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
            VolumeGroup(g.first_page, g.last_page, g.annexes, len(data))
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
    from ..load import load_case
    from ..public import check_public_volume

    bundle = load_case(case_path)

    def check(data: bytes, manifest: Mapping[str, Any], first: int, last: int) -> None:
        check_public_volume(data, bundle)

    return check


def _write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    try:
        with atomic_file(path) as stream:
            stream.write(text.encode("utf-8"))
    except OSError as exc:
        raise BuildError(f"{path}: cannot write the manifest ({exc.strerror or exc})") from exc


__all__ = ["Volume", "parse_size", "plan_volumes", "split_dossier"]
