"""ANX: annex files exist inside annexes/, can be used, match their pinned sha256, are described,
are all registered, and pinpoint references fall inside them. One code per kind of problem:

ANX-01 page outside the annex · ANX-02 file missing or outside annexes/ · ANX-03 note of an
uncopyable document without who/where/when · ANX-05 file that cannot be used · ANX-06 no sha256
pinned · ANX-07 sha256 mismatch · ANX-08 file to be supplied · ANX-09 no date or issuer ·
ANX-10 translation of nothing · ANX-11 sent letter without a kept copy · ANX-12 pages cited twice
· ANX-13 unregistered file · ANX-14 file repaired · ANX-15 photo given a text language ·
ANX-19 dynamic XFA form.
(ANX-04, image-only scans, is in ``scans.py``.)
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import BooleanObject, DictionaryObject

from ..errors import PDF_READ_ERRORS, Place, Problem, Severity, problem
from ..intake.sources import Sources, annex_label
from ..load import CaseBundle
from ..models import Annex, AnnexKind
from . import Context
from .common import drafts, reported_allegations

NO_LANGUAGE = "zxx"
"""BCP 47 for "no linguistic content": the language of a photograph."""


def _file(bundle: CaseBundle, annex: Annex, cited: bool, ctx: Context) -> Iterator[Problem]:
    if annex.file is None:
        yield problem(
            "ANX-08",
            bundle.at("annex", annex.id, "file"),
            "file to be supplied" + (" (cited by a draft)" if cited else ""),
            "add the file under annexes/ and run `dossier annex add`",
            severity=ctx.placeholder("annex", annex.id, Severity.WARNING),
        )
        return
    sources = ctx.sources
    failure = sources.failed.get(annex.id)
    if failure is not None:
        yield problem(
            "ANX-02" if failure.missing else "ANX-05",
            bundle.at("annex", annex.id, "file"),
            failure.reason if failure.missing else f"{annex_label(annex)}: {failure.reason}",
            failure.fix,
            severity=Severity.ERROR,
        )
        return
    source = sources.get(annex.id)
    if source is None:
        return
    if annex.sha256 is None:
        yield problem(
            "ANX-06",
            bundle.at("annex", annex.id, "file"),
            "no sha256 pinned",
            "run `dossier annex add` or add 'sha256: " + source.sha256 + "'",
        )
    elif source.sha256 != annex.sha256:
        yield problem(
            "ANX-07",
            bundle.at("annex", annex.id, "sha256"),
            f"{annex_label(annex)} no longer matches its pinned sha256 (the file is now "
            f"{source.sha256[:12]}…)",
            f"if the file changed on purpose, pin the new hash: 'sha256: {source.sha256}'; "
            "otherwise restore the file",
        )
    if source.repairs:
        yield problem(
            "ANX-14",
            bundle.at("annex", annex.id, "file"),
            f"{annex_label(annex)} is damaged and was repaired for the dossier: "
            + "; ".join(source.repairs),
            "the file in annexes/ is kept as it is; check the annex's pages in the dossier, "
            "or supply a sound copy",
        )
    if source.kind == "pdf" and source.reader is not None and _dynamic_xfa(source.reader):
        yield problem(
            "ANX-19",
            bundle.at("annex", annex.id, "file"),
            f"{annex_label(annex)} is a dynamic XFA form: its pages hold only what viewers "
            "without Adobe's form engine show (often 'Please wait…'), not the form as filled in",
            "open it in Adobe Acrobat Reader, print it to a PDF file, and add that copy",
        )


def _dynamic_xfa(reader: PdfReader) -> bool:
    """The catalogue asks for its pages to be drawn from XFA (``/NeedsRendering true``)."""
    try:
        root = reader.trailer["/Root"].get_object()
        value = root.get("/NeedsRendering") if isinstance(root, DictionaryObject) else None
        return isinstance(value, BooleanObject) and bool(value.value)
    except PDF_READ_ERRORS:
        return False


def _described(bundle: CaseBundle, annex: Annex) -> Iterator[Problem]:
    missing = [
        what for what, value in (("date", annex.date), ("issuer", annex.issuer)) if value is None
    ]
    if missing:
        yield problem(
            "ANX-09",
            bundle.at("annex", annex.id, "id"),
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
            yield problem(
                "ANX-03",
                bundle.at("annex", annex.id, "kind"),
                f"note of an uncopyable document without {', '.join(absent)}",
                "record who saw the document, where and when",
            )
    if annex.kind is AnnexKind.TRANSLATION and annex.translation_of is None:
        yield problem(
            "ANX-10",
            bundle.at("annex", annex.id, "kind"),
            "a translation that does not say what it translates",
            "add 'translation_of: <annex id>'",
        )
    if annex.kind is AnnexKind.PHOTO and annex.language.split("-")[0] != NO_LANGUAGE:
        yield problem(
            "ANX-15",
            bundle.at("annex", annex.id, "language"),
            f"a photograph given the language '{annex.language}'",
            f"write 'language: {NO_LANGUAGE}' (no linguistic content); if the picture shows a "
            "text, set 'kind: document' and keep its language",
        )


def _pages_in_range(bundle: CaseBundle, printed: set[str], sources: Sources) -> Iterator[Problem]:
    """ANX-01: every pinpoint reference falls inside its annex (PDF and image annexes)."""
    for allegation in bundle.allegations:
        for i, ev in enumerate(allegation.evidence):
            if not ev.pages:
                continue
            source = sources.get(ev.annex)
            total = source.page_count if source is not None else None
            last = max(int(part.split("-")[-1]) for part in ev.pages.split(","))
            if total is not None and last > total:
                yield problem(
                    "ANX-01",
                    bundle.at("allegation", allegation.id, "evidence", i, "pages"),
                    f"page {last} cited, but annex '{ev.annex}' has {total} pages",
                    "cite the annex's own page numbers",
                    severity=Severity.ERROR if allegation.id in printed else Severity.WARNING,
                )


def _cited_twice(bundle: CaseBundle) -> Iterator[Problem]:
    """ANX-12: within one draft's allegations, the same pages not cited twice."""
    for sub in drafts(bundle):
        for allegation in reported_allegations(bundle, sub):
            seen: set[tuple[str, str | None]] = set()
            for i, ev in enumerate(allegation.evidence):
                key = (ev.annex, ev.pages)
                if key in seen:
                    yield problem(
                        "ANX-12",
                        bundle.at("allegation", allegation.id, "evidence", i),
                        f"annex '{ev.annex}' pages {ev.pages or '(all)'} cited twice",
                        "remove the repeated reference",
                    )
                seen.add(key)


def _unregistered(bundle: CaseBundle) -> Iterator[Problem]:
    """ANX-13: a file under annexes/ that no annex record names, with the command adding it."""
    folder = bundle.root / "annexes"
    if not folder.is_dir():
        return
    registered = {Path(a.file).as_posix() for a in bundle.annexes if a.file}
    register = bundle.display(bundle.root / "annexes.yaml")
    if any(p.file == register and p.severity is Severity.ERROR for p in bundle.problems):
        return  # records of the register failed to load: their files would look unregistered
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or path.is_symlink():
            continue  # hidden files (.DS_Store, editors' backups) are not evidence; links are
            # the user's own arrangement (one leading outside annexes/ is ANX-02 when named)
        if not path.is_file():
            continue
        if relative.as_posix() in registered:
            continue
        shown = bundle.display(path)
        command = f"dossier annex add {shlex.quote(bundle.display_root)} {shlex.quote(shown)}"
        yield problem(
            "ANX-13",
            Place(shown),
            "this file is in annexes/ but no annex record names it",
            f"register it: {command} (or move it out of annexes/)",
        )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    cited = {
        ev.annex
        for sub in drafts(bundle)
        for allegation in reported_allegations(bundle, sub)
        for ev in allegation.evidence
    }
    cited |= {x for sub in drafts(bundle) for x in sub.annexes_extra}
    for annex in bundle.annexes:
        yield from _file(bundle, annex, annex.id in cited, ctx)
        yield from _described(bundle, annex)
    printed = {a.id for sub in drafts(bundle) for a in reported_allegations(bundle, sub)}
    yield from _pages_in_range(bundle, printed, ctx.sources)
    yield from _cited_twice(bundle)
    yield from _unregistered(bundle)
    for sub in bundle.submissions:
        if sub.sent and sub.annex is None and sub.letter is None:
            yield problem(
                "ANX-11",
                bundle.at("submission", sub.id, "annex"),
                "copy of the sent letter to be supplied",
                "add its text or scan as an annex and set 'annex: <id>'",
            )
