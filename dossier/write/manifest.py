"""The manifest of a build: every input with its sha256, every part with its pages, the annex
numbers, the kind of build, and the versions of the libraries that made it."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from ..assemble import AssembleReport
from ..assemble.labels import part_label
from ..digest import sha256_file
from ..intake.sources import Source, Sources
from ..load import CaseBundle
from ..load.frozen import RECORD_GLOBS
from ..plan import Plan, PlannedAnnex
from ..render.localise import localised

LIBRARIES = (
    "pypdf",
    "reportlab",
    "pydantic",
    "pillow",
    "ruamel.yaml",
    "markdown-it-py",
    "cryptography",
    "pikepdf",
    "pypdfium2",
    "extract-msg",
    "pyHanko",
)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _inputs(bundle: CaseBundle, sources: Sources) -> list[dict[str, Any]]:
    """Every record file of the case folder and every annex file used, with sha256 and size."""
    files: dict[str, Path] = {}
    for pattern in RECORD_GLOBS:
        for path in bundle.root.glob(pattern):
            files[path.relative_to(bundle.root).as_posix()] = path
    out = [
        {"file": name, "sha256": sha256_file(path), "size": path.stat().st_size}
        for name, path in sorted(files.items())
    ]
    for source in sorted(sources, key=lambda s: s.path.as_posix()):
        name = source.path.relative_to(bundle.root).as_posix()
        out.append({"file": name, "sha256": source.sha256, "size": source.size})
    return out


def _fitted(pages: list[tuple[int, float]]) -> list[dict[str, Any]]:
    """Runs of annex pages fitted with one scale: ``[{"pages": "1-12", "scale": 0.989}]``."""
    runs: list[dict[str, Any]] = []
    for page, scale in pages:
        scale = round(scale, 3)
        last = runs[-1] if runs else None
        if last is not None and last["scale"] == scale and last["to"] == page - 1:
            last["to"] = page
        else:
            runs.append({"from": page, "to": page, "scale": scale})
    out = []
    for run in runs:
        first, last = run["from"], run["to"]
        out.append(
            {"pages": str(first) if first == last else f"{first}-{last}", "scale": run["scale"]}
        )
    return out


def _annex_entry(
    plan: Plan, planned: PlannedAnnex, source: Source | None, fitted: list[tuple[int, float]]
) -> dict[str, Any]:
    title = localised(planned.annex.title, plan.language, plan.records_language)
    entry: dict[str, Any] = {
        "number": planned.number,
        "label": planned.label,
        "id": planned.annex.id,
        "title": title,
        "file": planned.annex.file,
        "sha256": source.sha256 if source else None,
        "source_kind": source.kind if source else "to_be_supplied",
        "divider_page": planned.divider_page,
        "first_page": planned.first_page,
        "last_page": planned.last_page,
        "pages": planned.pages,
    }
    if planned.original is not None:
        entry["translation_of"] = planned.original
    if source is not None and source.converter is not None:
        entry["converted"] = {"from": source.origin, "by": source.converter}
    if source is not None and source.repairs:
        entry["repairs"] = list(source.repairs)
    if fitted:
        entry["fitted"] = _fitted(fitted)
    return entry


def dossier_manifest(
    bundle: CaseBundle,
    plan: Plan,
    sources: Sources,
    report: AssembleReport,
    warnings: list[str],
    tool_version: str,
    kind: str = "draft",
) -> dict[str, Any]:
    """What ``manifest.json`` says of one built dossier (``output`` is added when written).

    Each annex names the sha256 of its file as supplied; a converted one says from what and by
    what (``LibreOffice 7.4.7.2``), a repaired one how, and ``fitted`` lists the pages scaled
    down (``scale``) so that the stamp covers none of their content. ``kind``: ``draft``
    (marked DRAFT), ``final`` (the copy to send) or ``signed`` (a final signed digitally; the
    build adds ``signature``).
    """
    assert bundle.case is not None
    sub = plan.submission
    annexes = [
        _annex_entry(
            plan,
            planned,
            sources.get(planned.annex.id),
            report.fitted.get(planned.annex.id, []),
        )
        for planned in plan.annexes
    ]
    removed = report.removed
    return {
        "case": bundle.case.case_no,
        "country": bundle.case.country,
        "submission": {
            "id": sub.id,
            "date": sub.date.isoformat() if sub.date else None,
            "kind": str(sub.kind),
            "language": plan.language,
        },
        "edition": plan.edition,
        "kind": kind,
        "tool": {
            "name": "dossier",
            "version": tool_version,
            "python": platform.python_version(),
            "libraries": {name: _version(name) for name in LIBRARIES},
        },
        "pages": plan.total_pages,
        "parts": [
            {
                "key": part.key,
                "kind": str(part.kind),
                "label": part_label(plan.language, part.kind, part.annex_label),
                "annex_no": part.annex_no,
                "first_page": part.first_page,
                "last_page": part.last_page,
            }
            for part in plan.parts
        ],
        "annexes": annexes,
        "inputs": _inputs(bundle, sources),
        "removed_from_annexes": removed,
        "warnings": warnings,
    }
