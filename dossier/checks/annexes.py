"""ANX-01..03: annex files exist inside annexes/, match their pinned sha256, are described,
and pinpoint references fall inside them."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..errors import AnnexError, Problem, Severity
from ..limits import collect_repairs, count_pages
from ..load import CaseBundle
from ..models import Annex, AnnexKind
from . import Context
from .common import annex_file, drafts, reported_allegations


@functools.lru_cache(maxsize=1024)
def _sha256(path: Path, mtime: int, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    """Hash of a file, cached by path, mtime and size."""
    st = path.stat()
    return _sha256(path, st.st_mtime_ns, st.st_size)


def _file(bundle: CaseBundle, annex: Annex, cited: bool) -> Iterator[Problem]:
    found = annex_file(bundle, annex)
    if found.path is None:
        if annex.file is None:
            yield bundle.problem(
                "ANX-02",
                Severity.WARNING,
                "annex",
                annex.id,
                ("file",),
                "file to be supplied" + (" (cited by a draft)" if cited else ""),
                "add the file under annexes/ and run `dossier annex add`",
            )
        else:
            yield bundle.problem(
                "ANX-02",
                Severity.ERROR,
                "annex",
                annex.id,
                ("file",),
                found.reason,
                "add the file or fix the path",
            )
        return
    if annex.sha256 is None:
        yield bundle.problem(
            "ANX-02",
            Severity.WARNING,
            "annex",
            annex.id,
            ("file",),
            "no sha256 pinned",
            "run `dossier annex add` or add 'sha256: " + sha256_of(found.path) + "'",
        )
        return
    try:
        actual = sha256_of(found.path)
    except OSError as exc:
        yield bundle.problem(
            "ANX-02",
            Severity.ERROR,
            "annex",
            annex.id,
            ("file",),
            f"'{annex.file}' cannot be read ({exc.strerror})",
            "check the file's permissions",
        )
        return
    if actual != annex.sha256:
        yield bundle.problem(
            "ANX-02",
            Severity.ERROR,
            "annex",
            annex.id,
            ("sha256",),
            "sha256 mismatch",
            "run `dossier annex add` or update the pin",
        )


def _described(bundle: CaseBundle, annex: Annex) -> Iterator[Problem]:
    missing = [
        what for what, value in (("date", annex.date), ("issuer", annex.issuer)) if value is None
    ]
    if missing:
        yield bundle.problem(
            "ANX-02",
            Severity.WARNING,
            "annex",
            annex.id,
            ("id",),
            f"no {' and no '.join(missing)} recorded",
            "add what the document shows, or say in the title that it is undated",
        )
    if annex.kind is AnnexKind.NOTE_OF_UNCOPYABLE_DOCUMENT:
        absent = [
            name
            for name, value in (
                ("seen_by", annex.seen_by),
                ("seen_at", annex.seen_at),
                ("seen_on", annex.seen_on),
            )
            if value is None
        ]
        if absent:
            yield bundle.problem(
                "ANX-03",
                Severity.WARNING,
                "annex",
                annex.id,
                ("kind",),
                f"note of an uncopyable document without {', '.join(absent)}",
                "record who saw the document, where and when",
            )
    if annex.kind is AnnexKind.TRANSLATION and annex.translation_of is None:
        yield bundle.problem(
            "ANX-02",
            Severity.WARNING,
            "annex",
            annex.id,
            ("kind",),
            "a translation that does not say what it translates",
            "add 'translation_of: <annex id>'",
        )


@functools.lru_cache(maxsize=8192)  # a build reuses the counts of its check (20,000 pages: 3,000)
def _pdf_pages(path: Path, mtime: int, size: int) -> int | None:
    if size > MAX_PDF_BYTES_FOR_COUNT:
        return None
    from .scans import _scanned_pages  # scans imports this module

    # one read of the file serves ANX-01 here and ANX-04 (its cache) later in the same check
    scanned = _scanned_pages(path, mtime, size)
    if scanned is not None:
        return scanned[1]
    try:
        with collect_repairs():  # quiet, and the page tree is walked within dossier.limits
            reader = PdfReader(path, strict=False)
            return len(reader.pages) if reader.is_encrypted else count_pages(reader, path.name)
    except (AnnexError, PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError):
        return None  # an unreadable PDF is reported by the build (exit 3) and PRIV-02


MAX_PDF_BYTES_FOR_COUNT = 200_000_000


def pdf_pages(path: Path) -> int | None:
    """Page count of a PDF annex, or None when it cannot be read cheaply."""
    st = path.stat()
    return _pdf_pages(path, st.st_mtime_ns, st.st_size)


def _pages_in_range(bundle: CaseBundle, printed: set[str]) -> Iterator[Problem]:
    """ANX-01: every pinpoint reference falls inside its (PDF) annex."""
    counts: dict[str, int | None] = {}
    for allegation in bundle.allegations:
        for i, ev in enumerate(allegation.evidence):
            if not ev.pages:
                continue
            if ev.annex not in counts:
                annex = bundle.annex(ev.annex)
                found = annex_file(bundle, annex) if annex is not None else None
                path = found.path if found is not None else None
                counts[ev.annex] = (
                    pdf_pages(path) if path is not None and path.suffix.lower() == ".pdf" else None
                )
            total = counts[ev.annex]
            last = max(int(part.split("-")[-1]) for part in ev.pages.split(","))
            if total is not None and last > total:
                yield bundle.problem(
                    "ANX-01",
                    Severity.ERROR if allegation.id in printed else Severity.WARNING,
                    "allegation",
                    allegation.id,
                    ("evidence", i, "pages"),
                    f"page {last} cited, but annex '{ev.annex}' has {total} pages",
                    "cite the annex's own page numbers",
                )


def _anx01(bundle: CaseBundle) -> Iterator[Problem]:
    """Within one draft, the same annex pages cited twice by one allegation."""
    printed = {a.id for sub in drafts(bundle) for a in reported_allegations(bundle, sub)}
    yield from _pages_in_range(bundle, printed)
    for sub in drafts(bundle):
        for allegation in reported_allegations(bundle, sub):
            seen: set[tuple[str, str | None]] = set()
            for i, ev in enumerate(allegation.evidence):
                key = (ev.annex, ev.pages)
                if key in seen:
                    yield bundle.problem(
                        "ANX-01",
                        Severity.WARNING,
                        "allegation",
                        allegation.id,
                        ("evidence", i),
                        f"annex '{ev.annex}' pages {ev.pages or '(all)'} cited twice",
                        "remove the repeated reference",
                    )
                seen.add(key)


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    cited = {
        ev.annex
        for sub in drafts(bundle)
        for allegation in reported_allegations(bundle, sub)
        for ev in allegation.evidence
    }
    cited |= {x for sub in drafts(bundle) for x in sub.annexes_extra}
    for annex in bundle.annexes:
        yield from _file(bundle, annex, annex.id in cited)
        yield from _described(bundle, annex)
    yield from _anx01(bundle)
    for sub in bundle.submissions:
        if sub.sent and sub.annex is None and sub.letter is None:
            yield bundle.problem(
                "ANX-02",
                Severity.WARNING,
                "submission",
                sub.id,
                ("annex",),
                "copy of the sent letter to be supplied",
                "add its text or scan as an annex and set 'annex: <id>'",
            )
