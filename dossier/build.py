"""Build one dossier: load -> check -> plan -> render -> assemble -> write. Only orders stages."""

from __future__ import annotations

import gc
import io
import platform
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import IO, Any, Protocol

from pypdf import PdfReader

from . import __version__
from .assemble import Metadata, Sources, assemble, open_sources
from .assemble.ahead import Ahead
from .assemble.document import precopy
from .assemble.labels import part_label
from .assemble.sources import expected_page_counts, plain_pdf_pages
from .checks import check_case
from .errors import RecordError, Severity, UsageError
from .limits import collect_repairs
from .load import CaseBundle, load_case
from .models import Allegation, Annex, Submission
from .plan import Plan, make_plan, number_annexes, order_allegations
from .public import check_public_output, protected_parties
from .register import prior_numbers, selected_allegations
from .render import Rendered, render, render_text_annex
from .write import sha256_file, write_outputs

EDITIONS = ("full", "public", "both")
MAX_PASSES = 6
LIBRARIES = (
    "pypdf",
    "reportlab",
    "pydantic",
    "pillow",
    "ruamel.yaml",
    "markdown-it-py",
    "cryptography",
)


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


def select_submission(bundle: CaseBundle, submission_id: str | None) -> Submission:
    """The submission asked for, or the latest one not yet sent."""
    if submission_id is not None:
        found = bundle.submission(submission_id)
        if found is None:
            known = ", ".join(sorted(s.id for s in bundle.submissions)) or "none"
            raise UsageError(f"unknown submission '{submission_id}' (known: {known})")
        return found
    drafts = [s for s in bundle.submissions if not s.sent]
    if not drafts:
        raise UsageError(
            "every submission is marked sent; add a draft in submissions/ or give --submission ID"
        )
    return max(drafts, key=lambda s: (s.date is not None, s.date, s.id))


def submission_allegations(bundle: CaseBundle, submission: Submission) -> list[Allegation]:
    """``all``, ``new`` (not reported by an earlier sent submission) or the listed ids.

    A sent (frozen) submission presents what it presented when sent (see register.py).
    """
    return selected_allegations(bundle, submission)


def annexes_by_number(
    bundle: CaseBundle, submission: Submission, numbers: Mapping[str, int]
) -> dict[str, Annex]:
    """The annex records of ``numbers`` in number order; an unknown id is a record error."""
    out: dict[str, Annex] = {}
    for annex_id in sorted(numbers, key=numbers.__getitem__):
        annex = bundle.annex(annex_id)
        if annex is None:
            raise RecordError(f"unknown annex '{annex_id}' cited by submission '{submission.id}'")
        out[annex_id] = annex
    return out


def _annexes(
    bundle: CaseBundle, submission: Submission, allegations: list[Allegation]
) -> dict[str, Annex]:
    numbers = number_annexes(order_allegations(allegations), submission.annexes_extra)
    return annexes_by_number(bundle, submission, numbers)


def _opened(annexes: dict[str, Annex], edition: str) -> list[Annex]:
    """The annexes whose files are read: a withheld one (public edition) is one stand-in page."""
    return [a for a in annexes.values() if edition != "public" or not a.confidential]


def _plan_and_render(
    bundle: CaseBundle,
    submission: Submission,
    allegations: list[Allegation],
    annexes: dict[str, Annex],
    counts: dict[str, int],
    language: str,
    edition: str,
    volumes: Mapping[int, int] | None = None,
    ahead: tuple[dict[str, int], Rendered] | None = None,
) -> tuple[Plan, Rendered, dict[str, int]]:
    """Plan with the page counts of the last render until they stop moving.

    The first pass typesets the front parts only (dividers and stand-in pages are one page each
    whatever the plan says, and the front parts' layout does not depend on them); every later
    pass typesets everything, so in the usual case the second pass is the last. Returns the
    plan, the pages and the front-part page counts the plan was made with.

    ``ahead``: (those counts, pages) from a render done ahead (see :func:`_render_ahead`) with
    the same inputs; used when it is settled for them, so nothing is typeset here.
    """
    own: dict[str, int] = {}
    prior = prior_numbers(bundle, submission)  # annexes keep the numbers they were sent with
    full = False
    for _ in range(MAX_PASSES + 1):
        plan = make_plan(
            submission,
            allegations,
            annexes,
            counts,
            ahead[0] if ahead is not None else own,
            language=language,
            edition=edition,
            prior_numbers=prior,
            volumes=volumes,
        )
        if ahead is not None:
            own, rendered = ahead
            ahead, full = None, True
        else:
            rendered = render(bundle, plan, annex_pages=full)
            gc.collect()  # reportlab's layout leaves cycles; cheap once the annexes are frozen
        counted = rendered.own_pages()
        settled = counted == {k: max(v, 1) for k, v in plan.own_pages.items()} or counted == own
        if settled and full:
            return plan, rendered, own
        full = True
        if not settled:
            own = counted
    raise RecordError(
        f"the page numbers of the front matter did not settle after {MAX_PASSES} passes"
    )


def _metadata(
    rendered: Rendered, bundle: CaseBundle, submission: Submission, language: str
) -> Metadata:
    info: Any = PdfReader(io.BytesIO(rendered.pdf)).metadata or {}
    assert bundle.case is not None
    case_label = f"Case No. {bundle.case.case_no}"

    def get(key: str, default: str) -> str:
        value = info.get(key)
        return str(value) if value else default

    return Metadata(
        title=get("/Title", f"{case_label} ({bundle.case.country})"),
        author=get("/Author", submission.sender),
        subject=get("/Subject", submission.subject or case_label),
        keywords=get("/Keywords", case_label),
        language=language,
        date=submission.date,
        creator=f"dossier {__version__}",
    )


def _version(name: str) -> str:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def _inputs(bundle: CaseBundle, sources: Sources) -> list[dict[str, Any]]:
    """Every record file of the case folder and every annex file used, with sha256 and size."""
    files: dict[str, Path] = {}
    root = bundle.root
    for pattern in ("*.yaml", "allegations/*.yaml", "submissions/*.yaml", "submissions/*.md"):
        for path in root.glob(pattern):
            files[path.relative_to(root).as_posix()] = path
    out = [
        {"file": name, "sha256": sha256_file(path), "size": path.stat().st_size}
        for name, path in sorted(files.items())
    ]
    for source in sorted(sources, key=lambda s: s.path.as_posix()):
        name = source.path.relative_to(root).as_posix()
        out.append({"file": name, "sha256": source.sha256, "size": source.size})
    return out


def _manifest(
    bundle: CaseBundle, plan: Plan, sources: Sources, removed: list[str], warnings: list[str]
) -> dict[str, Any]:
    assert bundle.case is not None
    sub = plan.submission
    annexes = []
    for planned in plan.annexes:
        source = sources.get(planned.annex.id)
        annexes.append(
            {
                "number": planned.number,
                "id": planned.annex.id,
                "title": planned.annex.title,
                "file": planned.annex.file,
                "sha256": source.sha256 if source else None,
                "source_kind": source.kind if source else "to_be_supplied",
                "divider_page": planned.divider_page,
                "first_page": planned.first_page,
                "last_page": planned.last_page,
                "pages": planned.pages,
            }
        )
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
        "tool": {
            "name": "dossier",
            "version": __version__,
            "python": platform.python_version(),
            "libraries": {name: _version(name) for name in LIBRARIES},
        },
        "pages": plan.total_pages,
        "parts": [
            {
                "key": part.key,
                "kind": str(part.kind),
                "label": part_label(plan.language, part.kind, part.annex_no),
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


GC_THRESHOLD = (10_000, 50, 100)
"""Collector thresholds during a build: young collections ten times rarer than Python's default
(700), full ones rarer (the collector cost a fifth of the build re-scanning pypdf's objects)."""


@contextmanager
def _collector() -> Iterator[Callable[[], None]]:
    """Tune the cyclic garbage collector for a build; restore it on leaving.

    Yields ``freeze``: once the annexes are open, their millions of long-lived pypdf objects are
    moved out of the collector's sight (``gc.freeze``), so later collections do not re-scan them
    again and again. They are handed back (``gc.unfreeze``) when the build ends.
    """
    old = gc.get_threshold()
    frozen = [False]

    def freeze() -> None:
        gc.freeze()
        frozen[0] = True

    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield freeze
    finally:
        gc.set_threshold(*old)
        if frozen[0]:
            gc.unfreeze()


@contextmanager
def _cancelled(ahead: Ahead[Any]) -> Iterator[None]:
    """Stop work done ahead when the build fails before using it."""
    try:
        yield
    finally:
        ahead.cancel()


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
    editions = ("public", "full") if edition == "both" else (edition,)

    def render_ahead() -> tuple[dict[str, int], dict[str, int], Rendered] | None:
        """In a child process: the pages of the first edition, from forecast page counts.

        Forked before the check, so it selects the submission itself and counts the PDF pages
        itself (a plain count, without the check's scan); on records with errors it fails
        (the parent raises as always) or is cancelled.
        """
        gc.freeze()  # the loaded case, as in the parent (the child exits when done)
        gc.set_threshold(*GC_THRESHOLD)
        sub = select_submission(bundle, submission_id)
        lang = language or sub.language
        chosen = submission_allegations(bundle, sub)
        listed = _annexes(bundle, sub, chosen)
        counts = expected_page_counts(
            bundle.root,
            _opened(listed, edition),
            lambda annex, path: render_text_annex(bundle, annex, path, lang, edition),
            count_pdf=plain_pdf_pages,
        )
        if counts is None:
            return None
        with collect_repairs():
            _, rendered, own = _plan_and_render(
                bundle, sub, chosen, listed, counts, lang, editions[0], volumes
            )
        return counts, own, rendered

    ahead = Ahead(render_ahead)  # typesets while the records are checked and the annexes read
    try:
        problems = check_case(bundle)
        errors = [p for p in problems if p.severity == Severity.ERROR]
        if errors or bundle.case is None:
            raise RecordError(
                f"{len(errors)} problem(s) in the records; fix them "
                f"(see 'dossier check {case_path}')",
                errors,
            )
        record_warnings = [p.format() for p in problems if p.severity == Severity.WARNING]
        warnings: list[str] = []
        submission = select_submission(bundle, submission_id)
        language = language or submission.language
        allegations = submission_allegations(bundle, submission)
        annexes = _annexes(bundle, submission, allegations)
    except BaseException:
        ahead.cancel()
        raise

    def text_annex(annex: Annex, path: Path) -> bytes:
        return render_text_annex(bundle, annex, path, language, edition)

    opened = _opened(annexes, edition)
    progress.stage("Reading annexes", len(opened))
    with (
        _cancelled(ahead),
        _collector() as freeze,
        collect_repairs() as late,  # pypdf's later complaints about annexes, kept off stderr
        open_sources(
            bundle.root, opened, text_annex, lambda _annex: progress.advance(), ocr
        ) as sources,
    ):
        freeze()
        for source in sources:
            warnings.extend(f"annex '{source.annex.id}': {r}" for r in source.repairs)
        seen = len(late)
        target = out_dir or Path("build") / str(bundle.case.case_no) / submission.id
        prepared: list[tuple[str, Plan, Callable[[IO[bytes]], None], dict[str, Any]]] = []
        precopied = None
        if editions == ("full",):  # the full edition copies every annex opened: copy them now
            progress.stage("Copying annexes", sum(source.pages for source in sources))
            precopied = precopy(sources, progress.advance)
        done = ahead.result()
        for ed in editions:
            counts = sources.page_counts()
            plan, rendered, _ = _plan_and_render(
                bundle,
                submission,
                allegations,
                annexes,
                counts,
                language,
                ed,
                volumes,  # --max-size: pinpoint references name the volume
                ahead=done[1:] if done is not None and done[0] == counts else None,
            )
            done = None
            if ed == "public":  # bookmark titles are redacted like the page text
                plan = replace(plan, protected=tuple(protected_parties(bundle)))
            progress.stage("Assembling pages", plan.total_pages)
            assembled = assemble(
                plan,
                rendered,
                sources,
                case_no=bundle.case.case_no,
                meta=_metadata(rendered, bundle, submission, language),
                progress=progress.advance,
                release=ed == editions[-1],  # each annex freed once copied for the last time
                precopied=precopied,
            )
            removed = assembled.report.removed
            warnings.extend(w for w in assembled.report.warnings if w not in warnings)
            warnings.extend(f"an annex was {m}" for m in late[seen:])
            seen = len(late)
            manifest = _manifest(bundle, plan, sources, removed, warnings + record_warnings)
            write: Callable[[IO[bytes]], None] = assembled.write
            if ed == "public":  # scanned for confidential names before anything is written
                data = assembled.to_bytes()
                manifest = check_public_output(data, manifest, bundle, plan, sources)
                write = partial(_write_bytes, data)
            prepared.append((ed, plan, write, manifest))
        progress.stage("Writing", len(prepared))
        written = []
        for ed, plan, write, manifest in sorted(prepared, key=lambda item: item[0] != "full"):
            pdf_name, manifest_name = (
                ("dossier-public.pdf", "manifest-public.json")
                if ed == "public"
                else ("dossier.pdf", "manifest.json")
            )
            written.append((plan, *write_outputs(target, pdf_name, write, manifest, manifest_name)))
            progress.advance()
    plan, pdf, manifest_path, digest, size = written[0]
    return BuildResult(
        case_no=bundle.case.case_no,
        submission=submission.id,
        pdf=pdf,
        manifest=manifest_path,
        pages=plan.total_pages,
        annexes=len(plan.annexes),
        size=size,
        sha256=digest,
        seconds=clock() - started,
        warnings=warnings,
        removed=removed,
        record_warnings=record_warnings,
        public_pdf=written[1][1] if len(written) > 1 else None,
    )


def _write_bytes(data: bytes, stream: IO[bytes]) -> None:
    stream.write(data)
