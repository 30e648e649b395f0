"""FORM-16, FACT-09, ANX-17, ANX-18: a dossier in one language, annexes with their translations.

FORM-16: a text the dossier prints (a title, the facts, a request, an organisation's name or
its article…) that the records do not give in the language the dossier is built in: a draft
prints it in the records' language, marked ``[en]``; a final build in that language refuses it
(a mixed-language dossier). ANX-17: an annex the Office can read (in English, French or Spanish,
or translated into one of them) with no translation into the dossier's language; an annex it
cannot read at all is FORM-12. ANX-18: a translation whose page count is far from its
original's. FACT-09 (also in ``facts.py``): a cited section of the Compilation whose heading no
source gave in the dossier's language, which that dossier quotes in English, marked ``[en]``.

The languages checked are those the dossiers are built in: ``--lang``, else the case's language
and each draft submission's.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from pydantic import BaseModel

from ..errors import DossierError, Problem, Severity, problem
from ..intake.sources import Source
from ..l10n.countries import UnknownCountry, resolve
from ..l10n.letters import office_key, office_title
from ..load import CaseBundle, PathKey
from ..load.bundle import format_path
from ..load.sent import translations
from ..models import AnnexKind, Case, Group, Organisation, Submission
from ..models.compilation import compilation
from ..models.texts import LANGUAGE_NAMES, LANGUAGES, Texts, has_language
from . import Context
from .common import drafts
from .final import printed_records

WORKING = frozenset(LANGUAGES)
NO_TEXT = frozenset({"zxx", "und"})
"""No linguistic content (a photograph), or undetermined (ANX-16)."""


def country_known(case: Case) -> bool:
    """Whether the tool names the case's country itself in every language (l10n)."""
    for name in (str(case.country), *getattr(case.country, "texts", {}).values()):
        try:
            resolve(name)
            return True
        except UnknownCountry:
            continue
    return False


def _submission_fields(sub: Submission) -> Iterator[tuple[PathKey, str | None]]:
    yield ("subject",), sub.subject
    yield ("salutation",), sub.salutation
    yield ("letter",), sub.letter
    yield ("urgency", "justification"), sub.urgency.justification
    yield ("signatory", "title"), sub.signatory.title
    for index, request in enumerate(sub.requests):
        yield ("requests", index), request
    for path, who in (
        (("addressee",), sub.addressee),
        *((("cc", i), c) for i, c in enumerate(sub.cc)),
    ):
        yield (*path, "name"), who.name
        if office_title(office_key(who.office), "en") is None:  # an office the tool names
            yield (*path, "office"), who.office


def printed_texts(kind: str, record: BaseModel) -> Iterator[tuple[PathKey, str | None]]:
    """The texts of a record that a dossier prints and that need a version per language: not
    a person's name (a proper name), nor the country when the tool names it."""
    if isinstance(record, Case):
        if not country_known(record):
            yield ("country",), record.country
            yield ("country_article",), record.country_article
    elif isinstance(record, Organisation):
        yield ("name",), record.name
        yield ("article",), record.article
    elif isinstance(record, Group):
        yield ("name",), record.name
    elif isinstance(record, Submission):
        yield from _submission_fields(record)
    elif kind == "allegation":
        for name in ("title", "facts", "place"):
            yield (name,), getattr(record, name)
    elif kind == "annex":
        for name in ("title", "seen_at"):
            yield (name,), getattr(record, name)


def _record(bundle: CaseBundle, kind: str, record_id: str) -> BaseModel | None:
    if kind == "case":
        return bundle.case
    lookup = {
        "party": bundle.party,
        "annex": bundle.annex,
        "allegation": bundle.allegation,
        "submission": bundle.submission,
    }
    return lookup[kind](record_id)


def _languages(bundle: CaseBundle, ctx: Context, sub: Submission) -> tuple[str, ...]:
    if ctx.languages is not None:
        return ctx.languages
    records = bundle.case.language if bundle.case is not None else "en"
    return tuple(dict.fromkeys((records, sub.language)))


def _builds(bundle: CaseBundle, ctx: Context) -> Iterator[tuple[Submission, str]]:
    """Each draft submission with each language its dossier is checked in."""
    subs = list(drafts(bundle))
    final = bundle.submission(ctx.final.submission) if ctx.final is not None else None
    if final is not None and final not in subs:
        subs.append(final)
    for sub in subs:
        for lang in _languages(bundle, ctx, sub):
            yield sub, lang
        if ctx.final is not None and sub.id == ctx.final.submission:
            yield sub, ctx.final.language


def _scope(bundle: CaseBundle, sub: Submission) -> frozenset[tuple[str, str]]:
    """What the dossier of ``sub`` prints; nothing while its allegation list names an unknown
    id (REF-03 says so)."""
    try:
        return printed_records(bundle, sub)
    except DossierError:
        return frozenset()


def _severity(ctx: Context, kind: str, record_id: str, lang: str) -> Severity:
    final = ctx.final
    if final is not None and final.language == lang and final.prints(kind, record_id):
        return Severity.ERROR
    return Severity.WARNING


def _form16(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    if bundle.case is None:
        return
    records = bundle.case.language
    for sub, lang in _builds(bundle, ctx):
        for kind, record_id in sorted(_scope(bundle, sub)):
            record = _record(bundle, kind, record_id)
            if record is None:
                continue
            for path, value in printed_texts(kind, record):
                if has_language(value, lang, records):
                    continue
                yield _missing(bundle, ctx, kind, record_id, path, value, lang)


def _missing(
    bundle: CaseBundle,
    ctx: Context,
    kind: str,
    record_id: str,
    path: PathKey,
    value: str | None,
    lang: str,
) -> Problem:
    assert bundle.case is not None
    records = bundle.case.language
    name = LANGUAGE_NAMES[lang]
    given = list(value.texts) if isinstance(value, Texts) else [records]
    field = format_path(path)
    what = f"party '{record_id}'" if kind == "party" else f"{kind} '{record_id}'"
    shown = ", ".join(f"{g}: …" for g in given)
    mapping = f"{{{shown}, {lang}: …}}"
    fix = f"write the item as {mapping}" if isinstance(path[-1], int) else f"{path[-1]}: {mapping}"
    if path[-1] in ("article", "country_article"):
        message = (
            f"{field} of {what} has no {name} word: the {name} dossier prints the name "
            "without an article"
        )
        fix = f"{fix} ('' when the name takes none in {name})"
    else:
        message = (
            f"{field} of {what} has no {name} text: the {name} dossier prints the "
            f"{LANGUAGE_NAMES[given[0]]} one, marked [{given[0]}]"
        )
    return problem(
        "FORM-16",
        bundle.at(kind, record_id, *path),
        message,
        f"give it in {name} too: {fix}",
        severity=_severity(ctx, kind, record_id, lang),
    )


@cache
def _base(language: str) -> str:
    return language.split("-")[0].lower()


def _anx17(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    pairs = translations(bundle)
    into: dict[str, set[str]] = {}
    for translation, original in pairs.items():
        annex = bundle.annex(translation)
        if annex is not None:
            into.setdefault(original, set()).add(_base(annex.language))
    seen: set[tuple[str, str]] = set()
    for sub, lang in _builds(bundle, ctx):
        printed = [r for kind, r in _scope(bundle, sub) if kind == "annex"]
        for annex_id in sorted(printed):
            annex = bundle.annex(annex_id)
            if annex is None or annex_id in pairs or (annex_id, lang) in seen:
                continue
            seen.add((annex_id, lang))
            base = _base(annex.language)
            if base in NO_TEXT or base == lang or annex.kind is AnnexKind.PHOTO:
                continue
            readable = {base, *into.get(annex_id, set())}
            if lang in readable or not readable & WORKING:
                continue  # translated; or not readable at all, which is FORM-12
            name = LANGUAGE_NAMES[lang]
            yield problem(
                "ANX-17",
                bundle.at("annex", annex_id, "language"),
                f"annex in {LANGUAGE_NAMES.get(base, repr(annex.language))} has no {name} "
                f"translation: the {name} dossier "
                "prints it as it is",
                f"add one: dossier annex add CASE FILE --translation-of {annex_id} "
                f"--language {lang} (--translator, --certified)",
            )


CHARS_PER_PAGE = 3000
"""About one typeset page of a text annex, which ``check`` does not typeset (ANX-18)."""


def _pages(source: Source | None) -> int | None:
    """An annex's page count: as read, or for a text annex (typeset only by the build) as
    many pages as its text would take."""
    if source is None:
        return None
    if source.page_count is not None:
        return source.page_count
    if source.text is not None:
        return max(1, -(-len(source.text) // CHARS_PER_PAGE))
    return None


def _anx18(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for translation, original in translations(bundle).items():
        mine, theirs = _pages(ctx.sources.get(translation)), _pages(ctx.sources.get(original))
        if mine is None or theirs is None:
            continue
        low, high = sorted((mine, theirs))
        if high - low >= 2 and low * 2 < high:
            yield problem(
                "ANX-18",
                bundle.at("annex", translation, "translation_of"),
                f"the translation has {mine} page(s), its original '{original}' {theirs}",
                "check that it translates the whole document, and that 'translation_of' "
                "names the right original",
            )


def _fact09(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    """A cited Compilation section whose heading a source confirmed, but not in the language of
    a dossier: that dossier quotes it as the source gave it, marked (the tool translates no
    heading itself)."""
    taxonomy = compilation()
    seen: set[tuple[str, int, str]] = set()
    for sub, lang in _builds(bundle, ctx):
        for kind, record_id in sorted(_scope(bundle, sub)):
            allegation = bundle.allegation(record_id) if kind == "allegation" else None
            if allegation is None:
                continue
            for index, section_id in enumerate(allegation.principles):
                section = taxonomy.sections.get(section_id)
                key = (record_id, index, lang)
                if section is None or not section.headings or section.heading(lang) or key in seen:
                    continue  # unknown (REF-06), unconfirmed in every language, or printed
                seen.add(key)
                name = LANGUAGE_NAMES[lang]
                yield problem(
                    "FACT-09",
                    bundle.at("allegation", record_id, "principles", index),
                    f"no source gave the {name} heading of section '{section_id}': the {name} "
                    "dossier quotes it in the language a source gave, marked [en]",
                    f"add its {name} heading to dossier/data/principles.yaml with its source "
                    "(docs/principles-sources.md), or cite a section confirmed in "
                    f"{name}",
                )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    yield from _form16(bundle, ctx)
    yield from _fact09(bundle, ctx)
    yield from _anx17(bundle, ctx)
    yield from _anx18(bundle, ctx)
