"""The public edition's intake: every annex it shows becomes pages of pixels (DESIGN.md §4).

Before the public edition is planned and assembled, :func:`public_sources` turns each of its
annexes that is not withheld into a PDF of our own (``public.pixels``): each page rendered again,
every form of a confidential name burnt out under a box labelled with the pseudonym, an invisible
text layer written by us. The annex file is read again from disk and must still have the hash
the intake stage read (a text annex is typeset first, an image annex laid out as pages as in the
full edition). The pages are written in runs to a scratch folder inside the case
(``build/.cache/public-*``, removed at the end of the run) and the sources of the edition point
at them; OCR results are kept in ``build/.cache/ocr/`` by page image, so a second build does not
run Tesseract again.

Several annexes are made at once in worker processes when the caller passes a ``map_jobs`` (the
CLI passes :mod:`.workers`' pool, one process per core); a small edition, and the library by
default, make them in this process. An annex with pages that
cannot be read with enough confidence, and that no person reviewed (``public_review``), is
refused: :class:`~dossier.errors.BuildError` naming each.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..digest import sha256_bytes
from ..errors import AnnexError, BuildError, DossierError, Problem, WriteError, problem
from ..intake.office import Cache
from ..intake.repair import decrypted, is_encrypted
from ..intake.sources import Source, Sources, as_pdf
from ..load import CaseBundle
from ..public import (
    OcrCache,
    Protected,
    PublicAnnex,
    matcher_for,
    protected_parties,
    public_annex,
    tesseract_runner,
)
from ..write import conversion_cache, write_atomic

CACHE = Path("build") / ".cache"
IN_PROCESS_PAGES = 60
"""Editions with fewer annex pages than this are made in this process (no worker start-up)."""


@dataclass(frozen=True)
class Job:
    """One annex to make public (everything a worker process needs, picklable)."""

    annex_id: str
    index: int
    label: str
    path: Path
    sha256: str
    kind: str
    typeset: bytes | None
    password: str | None
    reviewed: bool
    folder: Path
    parties: tuple[Protected, ...]
    ocr_folder: Path | None
    conversions: Cache
    """Where the build keeps office documents converted to PDF (the worker reuses them)."""


@dataclass(frozen=True)
class Failed:
    """An annex that cannot be made public (from a worker: exceptions do not travel well)."""

    label: str
    reason: str
    fix: str = ""


@dataclass
class PublicPages:
    """The public edition's annex sources and what was done to them."""

    sources: Sources
    annexes: dict[str, PublicAnnex] = field(default_factory=dict)


def _data(job: Job) -> bytes:
    if job.typeset is not None:
        return job.typeset
    try:
        data = job.path.read_bytes()
    except OSError as exc:
        raise AnnexError(job.label, f"cannot be read ({exc.strerror or exc})", "check it") from exc
    if sha256_bytes(data) != job.sha256:
        raise AnnexError(
            job.label, "the file changed while the dossier was being built", "build again"
        )
    pdf = as_pdf(data, job.path, job.label, job.conversions)
    if job.password is None and is_encrypted(pdf):
        return decrypted(pdf, None, job.label)  # pdfium would not try an empty owner password
    return pdf


def make_public(job: Job) -> PublicAnnex | Failed:
    """One annex made public (see :func:`dossier.public.public_annex`); run in a worker."""
    try:
        matcher = matcher_for(job.parties)
        labels = {p.party_id: p.pseudonym for p in job.parties}
        ocr = None
        if job.ocr_folder is not None:
            ocr = OcrCache(job.ocr_folder, runner=tesseract_runner(), store=write_atomic)
        return public_annex(
            _data(job),
            label=job.label,
            find=matcher.find_in_words,
            label_of=labels.__getitem__,
            chunk_file=lambda k: job.folder / f"annex-{job.index:05d}-{k:04d}.pdf",
            write=write_atomic,
            password=job.password,
            ocr=ocr,
            reviewed=job.reviewed,
        )
    except AnnexError as exc:
        return Failed(exc.label, exc.reason, exc.fix)
    except DossierError as exc:
        return Failed(job.label, exc.message)
    except MemoryError:
        return Failed(job.label, "too large to render for the public edition", "split it")


def ocr_available() -> bool:
    """Whether Tesseract is on PATH (without it, pages without text cannot be read)."""
    return shutil.which("tesseract") is not None


@contextmanager
def scratch(bundle: CaseBundle) -> Iterator[Path]:
    """A scratch folder inside the case for the public pages of one run, removed after it."""
    base = bundle.root / CACHE
    try:
        base.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="public-", dir=base))
    except OSError as exc:
        raise WriteError(f"{base}: cannot write the file ({exc.strerror or exc})") from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


MapJobs = Callable[
    [Callable[[Job], "PublicAnnex | Failed"], list[Job]], Iterable["PublicAnnex | Failed"]
]
"""How the jobs are run: ``map(make_public, jobs)``, results in the order of the jobs. The CLI
passes :func:`~dossier.commands.workers.process_map` (worker processes); the library runs them
in this process."""


def _refusal(bundle: CaseBundle, annex_id: str, made: PublicAnnex, ocr: bool) -> Problem:
    pages = ", ".join(map(str, made.unreadable[:20])) + (" …" if len(made.unreadable) > 20 else "")
    many = len(made.unreadable) > 1
    how = "with enough confidence" if ocr else "(Tesseract OCR is not installed)"
    return problem(
        "PRIV-03",
        bundle.at("annex", annex_id, "file"),
        f"page{'s' if many else ''} {pages} of the annex {'have' if many else 'has'} no text "
        f"that can be read {how} (scan, photo, handwriting): the public edition cannot show "
        "that no confidential name is on " + ("them" if many else "it"),
        "have a person read the annex's public pages and add 'public_review: {by: <name>, "
        "date: <date>}' to it in annexes.yaml, or mark it confidential"
        + ("" if ocr else "; or install tesseract-ocr, tesseract-ocr-rus, tesseract-ocr-kir"),
    )


def public_sources(
    bundle: CaseBundle,
    sources: Sources,
    typeset: Callable[[Source], bytes],
    folder: Path,
    *,
    map_jobs: MapJobs | None = None,
    advance: Callable[[int], None] | None = None,
) -> PublicPages:
    """The sources of the public edition: every source of ``sources`` made public (text
    annexes typeset by ``typeset`` first), written into ``folder``. ``map_jobs`` runs the
    annexes' jobs (default: one after the other in this process; a small edition always is)."""
    parties = tuple(protected_parties(bundle))
    ocr_folder = bundle.root / CACHE / "ocr" if ocr_available() else None
    conversions = conversion_cache(bundle.root)
    todo = [
        Job(
            annex_id=s.annex.id,
            index=index,
            label=s.label,
            path=s.path,
            sha256=s.sha256,
            kind=s.kind,
            typeset=typeset(s) if s.kind == "text" else None,
            password=os.environ.get(s.annex.password_env) if s.annex.password_env else None,
            # with no confidential party there is no name to find: nothing to refuse
            reviewed=s.annex.public_review is not None or not parties,
            folder=folder,
            parties=parties,
            ocr_folder=ocr_folder,
            conversions=conversions,
        )
        for index, s in enumerate(sources)
    ]
    out = PublicPages(Sources({}, dict(sources.failed)))
    problems: list[Problem] = []
    failures: list[str] = []

    def done(job: Job, made: PublicAnnex | Failed) -> None:
        if isinstance(made, Failed):
            failures.append(f"{made.label}: {made.reason}" + (f" — {made.fix}" if made.fix else ""))
        elif made.refused:
            problems.append(_refusal(bundle, job.annex_id, made, ocr_folder is not None))
        else:
            source = sources.by_id[job.annex_id]
            out.sources.by_id[job.annex_id] = source.with_runs(made.files, made.pages)
            out.annexes[job.annex_id] = made
        if advance is not None:
            advance(sources.by_id[job.annex_id].page_count or 1)

    pages = sum(s.page_count or 1 for s in sources)
    run = map_jobs if map_jobs is not None and pages >= IN_PROCESS_PAGES and len(todo) > 1 else map
    for job, made in zip(todo, run(make_public, todo), strict=True):
        done(job, made)
    if failures:
        out.sources.close()
        raise BuildError("the public edition cannot be made: " + "; ".join(failures))
    if problems:
        out.sources.close()
        count = f"{len(problems)} annex{'es' if len(problems) > 1 else ''}"
        raise BuildError(
            f"the public edition cannot show {count} whose pages no one can read for names",
            problems,
        )
    return out
