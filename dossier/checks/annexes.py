"""ANX-01..03, ANX-05: annex files exist inside annexes/, can be used, match their pinned
sha256, are described, and pinpoint references fall inside them."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem, Severity, problem
from ..intake.sources import Sources, annex_label
from ..load import CaseBundle
from ..models import Annex, AnnexKind
from . import Context
from .common import drafts, reported_allegations


def _file(bundle: CaseBundle, annex: Annex, cited: bool, ctx: Context) -> Iterator[Problem]:
    if annex.file is None:
        yield problem(
            "ANX-02",
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
            "ANX-02",
            bundle.at("annex", annex.id, "file"),
            "no sha256 pinned",
            "run `dossier annex add` or add 'sha256: " + source.sha256 + "'",
            severity=Severity.WARNING,
        )
    elif source.sha256 != annex.sha256:
        yield problem(
            "ANX-02",
            bundle.at("annex", annex.id, "sha256"),
            "sha256 mismatch",
            "run `dossier annex add` or update the pin",
        )


def _described(bundle: CaseBundle, annex: Annex) -> Iterator[Problem]:
    missing = [
        what for what, value in (("date", annex.date), ("issuer", annex.issuer)) if value is None
    ]
    if missing:
        yield problem(
            "ANX-02",
            bundle.at("annex", annex.id, "id"),
            f"no {' and no '.join(missing)} recorded",
            "add what the document shows, or say in the title that it is undated",
            severity=Severity.WARNING,
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
            "ANX-02",
            bundle.at("annex", annex.id, "kind"),
            "a translation that does not say what it translates",
            "add 'translation_of: <annex id>'",
            severity=Severity.WARNING,
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


def _anx01(bundle: CaseBundle, sources: Sources) -> Iterator[Problem]:
    """Pinpoints inside their annex; within one draft, the same pages not cited twice."""
    printed = {a.id for sub in drafts(bundle) for a in reported_allegations(bundle, sub)}
    yield from _pages_in_range(bundle, printed, sources)
    for sub in drafts(bundle):
        for allegation in reported_allegations(bundle, sub):
            seen: set[tuple[str, str | None]] = set()
            for i, ev in enumerate(allegation.evidence):
                key = (ev.annex, ev.pages)
                if key in seen:
                    yield problem(
                        "ANX-01",
                        bundle.at("allegation", allegation.id, "evidence", i),
                        f"annex '{ev.annex}' pages {ev.pages or '(all)'} cited twice",
                        "remove the repeated reference",
                        severity=Severity.WARNING,
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
        yield from _file(bundle, annex, annex.id in cited, ctx)
        yield from _described(bundle, annex)
    yield from _anx01(bundle, ctx.sources)
    for sub in bundle.submissions:
        if sub.sent and sub.annex is None and sub.letter is None:
            yield problem(
                "ANX-02",
                bundle.at("submission", sub.id, "annex"),
                "copy of the sent letter to be supplied",
                "add its text or scan as an annex and set 'annex: <id>'",
                severity=Severity.WARNING,
            )
