"""Late additions to a sent dossier: ``dossier build CASE --late``.

Instead of a new dossier that presents everything again, the dossier last sent (rebuilt from its
frozen records, byte for byte the pages that were sent) is followed by the annexes the draft adds:
each with its divider page, numbered on from the highest annex number used (Annex 8, 9 …) and
stamped with page numbers continuing after the last page sent. Nothing already sent is renumbered
or moved. Both go through the same stages as any build (check, intake, assembly with sanitising
and the annexes' own bookmarks, one transactional write): ``dossier-late.pdf`` and
``manifest-late.json`` beside the draft's build.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from ..digest import sha256_bytes
from ..errors import UsageError
from ..intake.repairs import collect_repairs
from ..load import load_case
from ..load.sent import earlier_sent, frozen_case, prior_numbers, select_submission
from ..write import Output, output_folder, write_outputs
from .editions import assemble_edition, manifest_of, prepare, share_conversions, writer_of

FILES = ("dossier-late.pdf", "manifest-late.json")


@dataclass(frozen=True)
class LateResult:
    base: str
    pdf: Path
    manifest: Path
    pages: int
    appended: tuple[str, ...]
    """Labels of the annexes appended (``7``, ``6a``)."""
    sha256: str


def _sent_dossier(case_path: str | Path, draft_id: str | None) -> tuple[str, bytes]:
    """The id and bytes of the dossier last sent before the draft, rebuilt as it was sent."""
    bundle = load_case(case_path)
    draft = select_submission(bundle, draft_id)
    if draft.sent:
        raise UsageError(f"'{draft.id}' is sent; --late appends the annexes of a draft")
    sent = [s for s in earlier_sent(bundle, draft) if s.id in bundle.frozen]
    if not sent:
        raise UsageError("no submission was marked sent yet: there is no sent dossier to add to")
    base = sent[-1]
    with frozen_case(bundle, base.id) as root:
        share_conversions(bundle.root, root)
        with prepare(root, base.id) as then:
            return base.id, assemble_edition(then, "full", release=True).assembled.to_bytes()


def build_late(
    case_path: str | Path,
    *,
    submission_id: str | None = None,
    out_dir: str | Path | None = None,
    final: bool = False,
) -> LateResult:
    """Append the draft's new annexes to the dossier last sent (see the module docstring).

    ``final``: the pages appended carry no DRAFT mark, and the build is refused while anything
    they print is still a placeholder (as ``dossier build --final``).
    """
    base_id, base_pdf = _sent_dossier(case_path, submission_id)
    with collect_repairs(), prepare(case_path, submission_id, final=final) as ready:
        known = prior_numbers(ready.bundle, ready.submission)
        if all(annex_id in known for annex_id in ready.annexes):
            raise UsageError(
                f"'{ready.submission.id}' adds no annex to what was sent; nothing to append"
            )
        base = PdfReader(io.BytesIO(base_pdf))
        sent_pages = len(base.pages)
        edition = assemble_edition(ready, "full", release=True, base=base)
        manifest = manifest_of(ready, edition, ready.warnings + ready.record_warnings)
        manifest["base"] = {
            "submission": base_id,
            "sha256": sha256_bytes(base_pdf),
            "pages": sent_pages,
        }
        target = Path(out_dir) if out_dir else output_folder(Path(case_path), ready.submission.id)
        output = Output(FILES[0], writer_of(edition, None), FILES[1], manifest)
        (written,) = write_outputs(target, [output])
    plan = edition.plan
    return LateResult(
        base_id,
        written.pdf,
        written.manifest,
        plan.total_pages,
        tuple(planned.label for planned in plan.annexes),
        written.sha256,
    )
