"""``dossier build``: load -> intake -> check -> plan -> render -> assemble -> public -> write.

:func:`build_dossier` is the list of stage calls; each edition (full, public) is planned,
typeset and assembled from the same opened annexes, and every output is written in one
transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Protocol

from .. import __version__
from ..assemble import Assembled, Metadata, assemble
from ..checks import check_case, refuse_errors
from ..errors import RecordError, Severity, UsageError
from ..intake.repairs import collect_repairs
from ..intake.sources import Sources, open_sources
from ..load import CaseBundle, load_case
from ..load.sent import (
    annex_numbers,
    annexes_by_number,
    prior_numbers,
    select_submission,
    selected_allegations,
)
from ..models import Allegation, Annex, Submission
from ..plan import Plan, make_plan
from ..public import check_public_output, protected_parties
from ..render import Rendered, render, render_text_annex
from ..write import Output, dossier_manifest, output_folder, write_outputs

EDITIONS = ("full", "public", "both")
MAX_PASSES = 6
FILES = {
    "full": ("dossier.pdf", "manifest.json"),
    "public": ("dossier-public.pdf", "manifest-public.json"),
}
"""Edition -> its PDF and manifest file names."""


class Progress(Protocol):
    """Where the build reports how far it got (the CLI shows a progress bar)."""

    def stage(self, label: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class _Silent:
    def stage(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


@dataclass
class BuildResult:
    """What the summary screen shows."""

    case_no: int
    submission: str
    pdf: Path
    manifest: Path
    pages: int
    annexes: int
    size: int
    sha256: str
    seconds: float
    warnings: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    record_warnings: list[str] = field(default_factory=list)
    public_pdf: Path | None = None
    """With ``--edition both``: the public edition (``pdf`` is then the full one)."""


@dataclass(frozen=True)
class Selection:
    """What one build presents: the submission, its allegations and its numbered annexes."""

    bundle: CaseBundle
    submission: Submission
    allegations: list[Allegation]
    annexes: dict[str, Annex]
    language: str
    volumes: Mapping[int, int]


def plan_and_render(chosen: Selection, sources: Sources, edition: str) -> tuple[Plan, Rendered]:
    """Plan with the page counts of the last render until they stop moving.

    The first pass typesets the front parts only (dividers and stand-in pages are one page each
    whatever the plan says, and the front parts' layout does not depend on them); every later
    pass typesets everything, so in the usual case the second pass is the last.
    """
    bundle, submission = chosen.bundle, chosen.submission
    counts = sources.page_counts()
    own: dict[str, int] = {}
    prior = prior_numbers(bundle, submission)  # annexes keep the numbers they were sent with
    full = False
    for _ in range(MAX_PASSES + 1):
        plan = make_plan(
            submission,
            chosen.allegations,
            chosen.annexes,
            counts,
            own,
            language=chosen.language,
            edition=edition,
            prior_numbers=prior,
            volumes=chosen.volumes,
        )
        rendered = render(bundle, plan, annex_pages=full)
        counted = rendered.own_pages()
        settled = counted == {k: max(v, 1) for k, v in plan.own_pages.items()} or counted == own
        if settled and full:
            return plan, rendered
        full = True
        if not settled:
            own = counted
    raise RecordError(
        f"the page numbers of the front matter did not settle after {MAX_PASSES} passes"
    )


def _metadata(rendered: Rendered, submission: Submission, language: str) -> Metadata:
    info = rendered.info
    return Metadata(
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=info.keywords,
        language=language,
        date=submission.date,
        creator=f"dossier {__version__}",
    )


@dataclass
class Edition:
    """One edition assembled: its plan, document, and what the report and manifest say."""

    name: str
    plan: Plan
    assembled: Assembled
    warnings: list[str]


def assemble_edition(
    chosen: Selection,
    sources: Sources,
    edition: str,
    progress: Progress,
    release: bool,
) -> Edition:
    """Typeset the text annexes and our own pages for ``edition``, then assemble the PDF."""
    bundle = chosen.bundle
    assert bundle.case is not None
    typeset = sources.typeset(
        lambda s: render_text_annex(
            bundle, s.annex, s.text or "", s.path.name, chosen.language, edition
        )
    )
    plan, rendered = plan_and_render(chosen, typeset, edition)
    progress.stage("Assembling pages", plan.total_pages)
    assembled = assemble(
        plan,
        rendered,
        typeset,
        case_no=bundle.case.case_no,
        meta=_metadata(rendered, chosen.submission, chosen.language),
        progress=progress.advance,
        release=release,  # each annex freed once copied for the last time
        protected=tuple(protected_parties(bundle)) if edition == "public" else (),
    )
    warnings = list(assembled.report.warnings)
    return Edition(edition, plan, assembled, warnings)


def _output(
    chosen: Selection,
    sources: Sources,
    edition: Edition,
    warnings: list[str],
) -> Output:
    pdf_name, manifest_name = FILES[edition.name]
    manifest = dossier_manifest(
        chosen.bundle,
        edition.plan,
        sources,
        edition.assembled.report.removed,
        warnings,
        __version__,
    )
    write: Callable[[IO[bytes]], None] = edition.assembled.write
    if edition.name == "public":  # scanned for confidential names before anything is written
        data = edition.assembled.to_bytes()
        manifest = check_public_output(data, manifest, chosen.bundle, edition.plan)
        write = partial(_write_bytes, data)
    return Output(pdf_name, write, manifest_name, manifest)


def build_dossier(
    case_path: str | Path,
    *,
    submission_id: str | None = None,
    edition: str = "full",
    language: str | None = None,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
    volumes: Mapping[int, int] | None = None,
    ocr: bool = False,
) -> BuildResult:
    """Build the dossier of one submission and write it with its manifest (see DESIGN.md §2).

    ``ocr`` adds an invisible text layer to image-only annex pages (needs the ``[ocr]`` extra).
    """
    started = clock()
    progress = progress or _Silent()
    if edition not in EDITIONS:
        raise UsageError(f"unknown edition '{edition}'; use full, public or both")
    bundle = load_case(case_path)
    progress.stage("Reading annexes", len(bundle.annexes))
    withheld = (lambda a: a.confidential) if edition == "public" else None  # never read
    with (
        collect_repairs() as complaints,  # pypdf's complaints while copying, kept off stderr
        open_sources(
            bundle.root, bundle.annexes, progress=lambda _a: progress.advance(), skip=withheld
        ) as opened,
    ):
        seen = len(complaints)  # those of the intake are in each source's repairs
        problems = check_case(bundle, opened)
        refuse_errors(problems, str(case_path))
        submission = select_submission(bundle, submission_id)
        chosen = Selection(
            bundle,
            submission,
            selected_allegations(bundle, submission),
            annexes_by_number(bundle, submission, annex_numbers(bundle, submission)),
            language or submission.language,
            dict(volumes or {}),
        )
        sources = opened.only(chosen.annexes)
        if ocr:
            from .ocr import ocr_sources

            sources = ocr_sources(sources)
        names = ("public", "full") if edition == "both" else (edition,)
        record_warnings = [p.format() for p in problems if p.severity is Severity.WARNING]
        warnings = [w for s in sources for w in (f"annex '{s.annex.id}': {r}" for r in s.repairs)]

        def complained() -> None:
            nonlocal seen
            warnings.extend(f"an annex was {m}" for m in complaints[seen:])
            seen = len(complaints)

        editions = []
        for name in names:
            built = assemble_edition(chosen, sources, name, progress, release=name == names[-1])
            warnings.extend(w for w in built.warnings if w not in warnings)
            editions.append(built)
        complained()
        editions.sort(key=lambda e: e.name != "full")  # the full edition is the main output
        outputs = [_output(chosen, sources, e, warnings + record_warnings) for e in editions]
        progress.stage("Writing", len(outputs))
        written = write_outputs(out_dir or output_folder(Path(case_path), submission.id), outputs)
        complained()  # pypdf reads some objects of an annex only when the dossier is written
    main = editions[0]
    return BuildResult(
        case_no=bundle.case.case_no if bundle.case else 0,
        submission=submission.id,
        pdf=written[0].pdf,
        manifest=written[0].manifest,
        pages=main.plan.total_pages,
        annexes=len(main.plan.annexes),
        size=written[0].size,
        sha256=written[0].sha256,
        seconds=clock() - started,
        warnings=warnings,
        removed=main.assembled.report.removed,
        record_warnings=record_warnings,
        public_pdf=written[1].pdf if len(written) > 1 else None,
    )


def _write_bytes(data: bytes, stream: IO[bytes]) -> None:
    stream.write(data)
