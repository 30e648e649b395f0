"""Late additions to a sent dossier: ``dossier build CASE --late``.

Instead of a new dossier that presents everything again, the dossier last sent (rebuilt from its
frozen records, byte for byte the pages that were sent) is followed by the annexes the draft adds:
each with its divider page, numbered on from the highest annex number used (Annex 8, 9 …) and
stamped with page numbers continuing after the last page sent. Nothing already sent is renumbered
or moved. Writes ``dossier-late.pdf`` and ``manifest-late.json`` beside the draft's build.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle

from ..assemble.internals import set_file_id
from ..assemble.labels import stamp_label, word
from ..assemble.merge import copy_page, copy_source
from ..assemble.stamp import Stamper, stamp_xobjects
from ..errors import RecordError, UsageError
from ..intake.sources import open_sources
from ..load import load_case
from ..load.sent import (
    annex_numbers,
    annexes_by_number,
    earlier_sent,
    frozen_case,
    prior_numbers,
    select_submission,
    selected_allegations,
)
from ..plan import PartKind, annex_key, divider_key, make_plan
from ..render import render, render_text_annex
from ..write import atomic_file, output_folder
from .build import build_dossier


@dataclass(frozen=True)
class LateResult:
    base: str
    pdf: Path
    manifest: Path
    pages: int
    appended: tuple[int, ...]
    sha256: str


def build_late(
    case_path: str | Path, *, submission_id: str | None = None, out_dir: Path | None = None
) -> LateResult:
    """Append the draft's new annexes to the dossier last sent (see the module docstring)."""
    bundle = load_case(case_path)
    if bundle.case is None:
        raise RecordError(f"case.yaml could not be loaded; run 'dossier check {case_path}'")
    draft = select_submission(bundle, submission_id)
    if draft.sent:
        raise UsageError(f"'{draft.id}' is sent; --late appends the annexes of a draft")
    frozen = bundle.frozen
    sent = [s for s in earlier_sent(bundle, draft) if s.id in frozen]
    if not sent:
        raise UsageError("no submission was marked sent yet: there is no sent dossier to add to")
    base = sent[-1]
    known = prior_numbers(bundle, draft)
    numbers = annex_numbers(bundle, draft)
    late = {i: n for i, n in numbers.items() if i not in known}
    if not late:
        raise UsageError(f"'{draft.id}' adds no annex to what was sent; nothing to append")
    annexes = annexes_by_number(bundle, draft, numbers)
    target = out_dir or output_folder(bundle.root, draft.id)
    language = draft.language
    with tempfile.TemporaryDirectory(prefix="dossier-late-") as tmp:
        with frozen_case(bundle, base.id) as root:
            sent_build = build_dossier(root, submission_id=base.id, out_dir=Path(tmp))
        base_pdf = sent_build.pdf.read_bytes()
    writer = PdfWriter(clone_from=io.BytesIO(base_pdf))
    first_new = len(writer.pages)

    late_annexes = [annexes[i] for i in sorted(late, key=late.__getitem__)]
    appended: list[dict[str, Any]] = []
    labels: list[str] = []
    page_labels: list[int] = []
    with open_sources(bundle.root, late_annexes) as opened:
        sources = opened.typeset(
            lambda s: render_text_annex(bundle, s.annex, s.text or "", s.path.name, language)
        )
        plan = make_plan(
            draft,
            selected_allegations(bundle, draft),
            annexes,
            sources.page_counts(),
            {},
            language=language,
            prior_numbers=known,
        )
        rendered = render(bundle, plan)
        own = PdfReader(io.BytesIO(rendered.pdf))
        spans = rendered.spans
        case_no = bundle.case.case_no
        for annex in late_annexes:
            number = late[annex.id]
            start = len(writer.pages)
            first, count = spans[divider_key(annex.id)]
            for index in range(first, first + count):
                copy_page(writer, own.pages[index])
            label = stamp_label(language, case_no, PartKind.DIVIDER, number)
            _label(labels, page_labels, label, len(writer.pages) - start)
            body = len(writer.pages)
            source = sources.get(annex.id)
            if annex_key(annex.id) in spans or source is None:
                first, count = spans[annex_key(annex.id)]
                for index in range(first, first + count):
                    copy_page(writer, own.pages[index])
            else:
                copy_source(writer, source.open_reader(), f"Annex {number} ({source.path.name})")
            label = stamp_label(language, case_no, PartKind.ANNEX, number)
            _label(labels, page_labels, label, len(writer.pages) - body)
            appended.append(
                {
                    "number": number,
                    "id": annex.id,
                    "title": annex.title,
                    "divider_page": start + 1,
                    "first_page": body + 1,
                    "last_page": len(writer.pages),
                    "sha256": source.sha256 if source else None,
                }
            )
    total = len(writer.pages)
    numbers_text = [
        word(language, "page", page=n, total=total) for n in range(first_new + 1, total + 1)
    ]
    xobjects = stamp_xobjects(writer, labels, numbers_text)
    stamper = Stamper(writer)
    for offset, label_index in enumerate(page_labels):
        page = writer.pages[first_new + offset]
        stamper.stamp(page, xobjects[label_index], xobjects[len(labels) + offset])
    writer.set_page_label(first_new, total - 1, style=PageLabelStyle.DECIMAL, start=first_new + 1)
    for item in appended:
        title = word(
            language,
            "annex_bookmark",
            no=item["number"],
            title=item["title"],
            page=item["divider_page"],
        )
        writer.add_outline_item(title=title, page_number=item["divider_page"] - 1)
    seed = hashlib.sha256(base_pdf)
    for item in appended:
        seed.update(f"{item['number']}:{item['id']}:{item['sha256']}".encode())
    digest16 = seed.digest()[:16]
    set_file_id(writer, digest16)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    pdf = target / "dossier-late.pdf"
    with atomic_file(pdf) as stream:
        stream.write(data)
    digest = hashlib.sha256(data).hexdigest()
    manifest = {
        "case": bundle.case.case_no,
        "submission": draft.id,
        "base": {"submission": base.id, "sha256": sent_build.sha256, "pages": first_new},
        "appended": appended,
        "pages": total,
        "output": {"file": pdf.name, "sha256": digest, "size": len(data)},
    }
    manifest_path = target / "manifest-late.json"
    with atomic_file(manifest_path) as stream:
        stream.write((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return LateResult(
        base.id, pdf, manifest_path, total, tuple(a["number"] for a in appended), digest
    )


def _label(labels: list[str], page_labels: list[int], label: str, count: int) -> None:
    if label not in labels:
        labels.append(label)
    page_labels.extend([labels.index(label)] * count)
