"""The stages every PDF of a case goes through: prepare, then plan, typeset and assemble.

:func:`prepare` loads the case, opens its annex files (the intake stage: each file read and
parsed once), checks everything, and selects what one submission presents. :func:`assemble_edition`
plans, typesets and assembles one edition (full or public) from those prepared annexes;
:func:`finish` scans a public edition for confidential names and makes its manifest. The build,
late additions and rebuilds of sent submissions all go this way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pypdf import PdfReader

from .. import __version__
from ..assemble import Assembled, Metadata, assemble
from ..checks import check_case, refuse_errors
from ..errors import RecordError, Severity
from ..intake.sources import Source, Sources, open_sources
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
from ..public import (
    case_matcher,
    check_manifest,
    leak_error,
    protected_parties,
    public_manifest,
    redactions_entry,
    scan_file,
    scan_structure,
)
from ..render import Rendered, render, render_text_annex
from ..write import dossier_manifest
from .public_pages import PublicPages, public_sources, scratch

MAX_PASSES = 6


class Progress(Protocol):
    """Where the build reports how far it got (the CLI shows a progress bar)."""

    def stage(self, label: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class Silent:
    def stage(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


@dataclass
class Prepared:
    """A loaded and checked case, the submission to build, and its opened annexes."""

    bundle: CaseBundle
    submission: Submission
    allegations: list[Allegation]
    annexes: dict[str, Annex]
    language: str
    sources: Sources
    """The submission's own annexes (the others were read for the check and released)."""
    record_warnings: list[str]
    warnings: list[str] = field(default_factory=list)
    """Repairs made while reading the annexes, then what the assembly reports."""
    public_only: bool = False
    jobs: int | None = None
    """Worker processes making the public edition's pages (None: as many as fit)."""
    scratch: Callable[[], Path] | None = None
    """The run's scratch folder inside the case (made when first asked for)."""
    public: PublicPages | None = None
    """The public edition's annex pages, made once per run."""

    @property
    def case_no(self) -> int:
        return self.bundle.case.case_no if self.bundle.case is not None else 0


@contextmanager
def prepare(
    case_path: str | Path,
    submission_id: str | None,
    *,
    language: str | None = None,
    public_only: bool = False,
    ocr: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Iterator[Prepared]:
    """Load, open every annex file once, check, and select: what any PDF of the case needs.

    Raises :class:`RecordError` (exit 1) for errors in the records and :class:`BuildError`
    (exit 3) for annex files that cannot be used, naming each problem. ``public_only``: the
    withheld (confidential) annexes are not read at all.
    """
    progress = progress or Silent()
    bundle = load_case(case_path)
    progress.stage("Reading annexes", len(bundle.annexes))
    withheld = (lambda a: a.confidential) if public_only else None
    with (
        ExitStack() as stack,
        open_sources(
            bundle.root, bundle.annexes, progress=lambda _a: progress.advance(), skip=withheld
        ) as opened,
    ):
        folders: list[Path] = []

        def folder() -> Path:
            if not folders:
                folders.append(stack.enter_context(scratch(bundle)))
            return folders[0]

        problems = check_case(bundle, opened)
        refuse_errors(problems, str(case_path))
        submission = select_submission(bundle, submission_id)
        annexes = annexes_by_number(bundle, submission, annex_numbers(bundle, submission))
        sources = opened.only(annexes)
        if ocr:
            from .ocr import ocr_sources

            sources = ocr_sources(sources)
        ready = Prepared(
            bundle=bundle,
            submission=submission,
            allegations=selected_allegations(bundle, submission),
            annexes=annexes,
            language=language or submission.language,
            sources=sources,
            record_warnings=[p.format() for p in problems if p.severity is Severity.WARNING],
            warnings=[f"annex '{s.annex.id}': {r}" for s in sources for r in s.repairs],
            public_only=public_only,
            jobs=jobs,
            scratch=folder,
        )
        try:
            yield ready
        finally:
            if ready.public is not None:  # the pixel pages' files, before their folder goes
                ready.public.sources.close()


def plan_and_render(
    ready: Prepared,
    sources: Sources,
    edition: str,
    volumes: Mapping[int, int],
    appendix_to: int = 0,
) -> tuple[Plan, Rendered]:
    """Plan with the page counts of the last render until they stop moving.

    The first pass typesets the front parts only (dividers and stand-in pages are one page each
    whatever the plan says, and the front parts' layout does not depend on them); every later
    pass typesets everything, so in the usual case the second pass is the last.
    """
    bundle, submission = ready.bundle, ready.submission
    counts = sources.page_counts()
    own: dict[str, int] = {}
    prior = prior_numbers(bundle, submission)  # annexes keep the numbers they were sent with
    full = False
    for _ in range(MAX_PASSES + 1):
        plan = make_plan(
            submission,
            ready.allegations,
            ready.annexes,
            counts,
            own,
            language=ready.language,
            edition=edition,
            prior_numbers=prior,
            volumes=volumes,
            appendix_to=appendix_to,
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


@dataclass
class Edition:
    """One edition assembled: its plan and document."""

    name: str
    plan: Plan
    assembled: Assembled


def assemble_edition(
    ready: Prepared,
    edition: str,
    *,
    progress: Progress | None = None,
    release: bool = False,
    volumes: Mapping[int, int] | None = None,
    base: PdfReader | None = None,
) -> Edition:
    """Typeset the text annexes and our own pages for ``edition``, then assemble the PDF.

    ``release`` frees each annex once copied (the last assembly of a run); ``volumes`` (annex
    number -> volume) makes pinpoint references name their volume; ``base``: a sent dossier
    that the new annexes are appended to (late additions).
    """
    progress = progress or Silent()
    bundle = ready.bundle

    def typeset(source: Source) -> bytes:
        name = source.path.name
        return render_text_annex(
            bundle, source.annex, source.text or "", name, ready.language, edition
        )

    if edition == "public":
        sources = public_pages(ready, typeset, progress).sources
    else:
        sources = ready.sources.typeset(typeset)
    appendix_to = len(base.pages) if base is not None else 0
    plan, rendered = plan_and_render(ready, sources, edition, volumes or {}, appendix_to)
    progress.stage("Assembling pages", plan.total_pages - appendix_to)
    info = rendered.info
    meta = Metadata(
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=info.keywords,
        language=ready.language,
        date=ready.submission.date,
        creator=f"dossier {__version__}",
    )
    assembled = assemble(
        plan,
        rendered,
        sources,
        case_no=ready.case_no,
        meta=meta,
        progress=progress.advance,
        release=release,
        protected=tuple(protected_parties(bundle)) if edition == "public" else (),
        base=base,
    )
    for warning in assembled.report.warnings:
        if warning not in ready.warnings:
            ready.warnings.append(warning)
    return Edition(edition, plan, assembled)


def public_pages(
    ready: Prepared, typeset: Callable[[Source], bytes], progress: Progress
) -> PublicPages:
    """The public edition's annex pages (made once per run, see :mod:`.public_pages`)."""
    if ready.public is None:
        shown = Sources(
            {i: s for i, s in ready.sources.by_id.items() if not s.annex.confidential},
            dict(ready.sources.failed),
        )
        progress.stage("Public pages", sum(s.page_count or 1 for s in shown))
        if ready.scratch is None:
            raise RecordError("the public edition needs a scratch folder (a bug)")
        ready.public = public_sources(
            ready.bundle, shown, typeset, ready.scratch(), jobs=ready.jobs, advance=progress.advance
        )
        if ready.public_only:  # the annexes as received are not needed any more
            for source in ready.sources:
                source.release()
    return ready.public


def manifest_of(ready: Prepared, edition: Edition, warnings: list[str]) -> dict[str, Any]:
    return dossier_manifest(
        ready.bundle,
        edition.plan,
        ready.sources,
        edition.assembled.report.removed,
        warnings,
        __version__,
    )


def page_place(plan: Plan) -> Callable[[int], str]:
    """Dossier page -> how an error names it: ``page 142 (Annex 7, p. 3)``."""

    def place(number: int) -> str:
        for part in plan.parts:
            if part.first_page <= number <= part.last_page:
                if part.annex_no is not None and part.kind.value == "annex":
                    return (
                        f"page {number} (Annex {part.annex_no}, p. {number - part.first_page + 1})"
                    )
                if part.annex_no is not None:
                    return f"page {number} (divider of Annex {part.annex_no})"
                return f"page {number} ({part.kind.value.replace('_', ' ')})"
        return f"page {number}"

    return place


def finish(
    ready: Prepared,
    edition: Edition,
    manifest: dict[str, Any],
    pdf_name: str = "dossier-public.pdf",
) -> dict[str, Any]:
    """The manifest of the edition; a public edition's own objects are scanned first (the text
    a reader sees is scanned once written, :func:`verify_public`) and its manifest reduced."""
    if edition.name != "public":
        return manifest
    matcher = case_matcher(ready.bundle)
    scan_structure(edition.assembled.objects(), matcher, matcher.pseudonyms, pdf_name)
    plan = edition.plan
    withheld = {a.annex.id for a in plan.annexes if a.withheld}
    numbers = {a.annex.id: (a.number, a.first_page) for a in plan.annexes}
    made = ready.public.annexes if ready.public is not None else {}
    redactions = redactions_entry(numbers, made, matcher.pseudonyms)
    public = public_manifest(manifest, withheld, redactions)
    check_manifest(
        public, matcher, pdf_name.replace("dossier", "manifest").replace(".pdf", ".json")
    )
    return public


def verify_public(ready: Prepared, plan: Plan, name: str) -> Callable[[Path | bytes], None]:
    """The final scan of a written public edition (a file, or a volume's bytes): the text of
    every page, the document information and the bookmarks, as pdfium reads them."""
    matcher = case_matcher(ready.bundle)

    def verify(pdf: Path | bytes) -> None:
        if not matcher:
            return
        where = page_place(plan) if isinstance(pdf, Path) else (lambda n: f"page {n} of the volume")
        hits = scan_file(pdf, matcher, matcher.pseudonyms, file=name, page_place=where)
        if hits:
            advice = "use the pseudonym in the records, or mark the annex confidential"
            raise leak_error(name if isinstance(pdf, Path) else "", hits, advice)

    return verify


def writer_of(edition: Edition, data: bytes | None) -> Callable[[Any], None]:
    """What writes the edition's PDF: its bytes when they are made already, else the assembly."""
    if data is None:
        return edition.assembled.write
    return lambda stream: stream.write(data)
