"""The stages every PDF of a case goes through: prepare, then plan, typeset and assemble.

:func:`prepare` loads the case, opens its annex files (the intake stage: each file read and
parsed once), checks everything, and selects what one submission presents. :func:`assemble_edition`
plans, typesets and assembles one edition (full or public) from those prepared annexes;
:func:`.public_edition.finish` scans a public edition for confidential names and makes its
manifest. The build, late additions and rebuilds of sent submissions all go this way.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pypdf import PdfReader

from .. import __version__
from ..assemble import Assembled, Metadata, assemble
from ..checks import FinalBuild, check_case, refuse_errors
from ..checks.frozen import changed_since
from ..errors import RecordError, Severity
from ..intake.sources import Source, Sources, open_sources
from ..load import CaseBundle, load_case
from ..load.sent import (
    annex_numbers,
    annexes_by_number,
    prior_numbers,
    select_submission,
    selected_allegations,
    translations,
)
from ..models import Allegation, Annex, Submission
from ..plan import Plan, make_plan
from ..public import (
    protected_parties,
)
from ..render import SIGNATURE_KEY, Rendered, SignatureBox, render, render_text_annex
from ..write import conversion_cache
from ..write.manifest import dossier_manifest
from .public_pages import MapJobs, PublicPages, public_sources, scratch

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
    record_notes: int = 0
    kind: str = "draft"
    """``draft`` (every page we typeset marked DRAFT) or ``final`` (the copy to send, or a
    sent submission built again as it was sent: no mark)."""
    public_only: bool = False
    map_jobs: MapJobs | None = None
    """How the public edition's annex pages are made (None: in this process)."""
    scratch: Callable[[], Path] | None = None
    """The run's scratch folder inside the case (made when first asked for)."""
    public: PublicPages | None = None
    """The public edition's annex pages, made once per run."""

    @property
    def draft(self) -> bool:
        return self.kind == "draft"

    @property
    def case_no(self) -> int:
        return self.bundle.case.case_no if self.bundle.case is not None else 0


def share_conversions(case_root: Path, frozen_root: Path) -> None:
    """Let a frozen copy of the case (a sent dossier rebuilt) use the case's own conversions of
    office documents: LibreOffice makes new bytes on every run, the cache the same ones."""
    real = conversion_cache(case_root).folder
    if not real.is_dir():
        return
    link = conversion_cache(frozen_root).folder
    link.parent.mkdir(parents=True, exist_ok=True)
    try:
        link.symlink_to(real, target_is_directory=True)
    except OSError:  # no symbolic links here (Windows without the privilege): copy them
        shutil.copytree(real, link)


@contextmanager
def prepare(
    case_path: str | Path,
    submission_id: str | None,
    *,
    language: str | None = None,
    public_only: bool = False,
    ocr: bool = False,
    progress: Progress | None = None,
    final: bool = False,
    digital_signature: bool = False,
    map_jobs: MapJobs | None = None,
) -> Iterator[Prepared]:
    """Load, open every annex file once, check, and select: what any PDF of the case needs.

    Raises :class:`RecordError` (exit 1) for errors in the records and :class:`BuildError`
    (exit 3) for annex files that cannot be used, naming each problem. ``public_only``: the
    withheld (confidential) annexes are not read at all. ``final``: the copy to send, refused
    (exit 1) while anything it prints is still a placeholder (``digital_signature``: it will
    be signed with ``--sign``). A sent submission is refused (exit 1) when the records it was
    sent with have changed since: ``dossier submission rebuild`` builds it as it was sent.
    """
    progress = progress or Silent()
    bundle = load_case(case_path)
    progress.stage("Reading annexes", len(bundle.annexes))
    withheld = (lambda a: a.confidential) if public_only else None
    with (
        ExitStack() as stack,
        open_sources(
            bundle.root,
            bundle.annexes,
            progress=lambda _a: progress.advance(),
            skip=withheld,
            cache=conversion_cache(bundle.root),
            measure=True,
        ) as opened,
    ):
        folders: list[Path] = []

        def folder() -> Path:
            if not folders:
                folders.append(stack.enter_context(scratch(bundle)))
            return folders[0]

        request = FinalBuild(submission_id, digital_signature, language) if final else None
        languages = (language,) if language is not None else None
        problems = check_case(bundle, opened, final=request, languages=languages)
        refuse_errors(problems, str(case_path), final=final)
        submission = select_submission(bundle, submission_id)
        _refuse_changed_since_sent(bundle, submission, str(case_path))
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
            record_notes=sum(p.severity is Severity.INFO for p in problems),
            kind="final" if final or submission.sent else "draft",
            public_only=public_only,
            map_jobs=map_jobs,
            scratch=folder,
        )
        try:
            yield ready
        finally:
            if ready.public is not None:  # the pixel pages' files, before their folder goes
                ready.public.sources.close()


def _refuse_changed_since_sent(bundle: CaseBundle, submission: Submission, case: str) -> None:
    """A sent submission is built only from the records it was sent with (see prepare)."""
    frozen = bundle.frozen.get(submission.id)
    if frozen is None:
        return
    changed = changed_since(bundle, frozen)
    if changed:
        raise RecordError(
            f"submission '{submission.id}' was sent on {frozen.sent_on} and {len(changed)} "
            "record(s) or annex file(s) it used have changed since: a build would not be the "
            f"dossier sent; rebuild it as sent with 'dossier submission rebuild {case} "
            f"{submission.id}'",
            changed,
        )


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
            translations=translations(bundle),
            records_language=bundle.case.language if bundle.case is not None else "en",
        )
        rendered = render(bundle, plan, annex_pages=full, draft=ready.draft)
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
    signature_box: SignatureBox | None = None
    """Where the cover letter's signature block is in the assembled document."""
    title: str = ""


def _signature_box(plan: Plan, rendered: Rendered) -> SignatureBox | None:
    """The signature block's rectangle on its page of the dossier (our pages are copied as they
    are, so the rectangle the render stage recorded holds there)."""
    found = rendered.boxes.get(SIGNATURE_KEY)
    if found is None:
        return None
    index, rect = found
    for key, (first, count) in rendered.spans.items():
        if first <= index < first + count and ":" not in key:
            return SignatureBox(plan.part(key).first_page - 1 + index - first, rect)
    return None


def assemble_edition(
    ready: Prepared,
    edition: str,
    *,
    progress: Progress | None = None,
    release: bool = False,
    volumes: Mapping[int, int] | None = None,
    base: PdfReader | None = None,
    page_size: tuple[float, float] | None = None,
) -> Edition:
    """Typeset the text annexes and our own pages for ``edition``, then assemble the PDF.

    ``release`` frees each annex once copied (the last assembly of a run); ``volumes`` (annex
    number -> volume) makes pinpoint references name their volume; ``base``: a sent dossier
    that the new annexes are appended to (late additions); ``page_size``: the sheet every
    annex page is put on.
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
        page_size=page_size,
    )
    for warning in assembled.report.warnings:
        if warning not in ready.warnings:
            ready.warnings.append(warning)
    return Edition(edition, plan, assembled, _signature_box(plan, rendered), info.title)


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
            ready.bundle,
            shown,
            typeset,
            ready.scratch(),
            map_jobs=ready.map_jobs,
            advance=progress.advance,
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
        edition.assembled.report,
        warnings,
        __version__,
        kind=ready.kind,
    )


def writer_of(edition: Edition, data: bytes | None) -> Callable[[Any], None]:
    """What writes the edition's PDF: its bytes when they are made already, else the assembly."""
    if data is None:
        return edition.assembled.write
    return lambda stream: stream.write(data)
