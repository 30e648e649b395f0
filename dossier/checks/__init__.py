"""Cross-record rules and the CFA checks of cfa-brief §1.9, one module per family.

Each family module exposes ``run(bundle, ctx) -> Iterable[Problem]``: ``references`` (REF),
``form`` and ``form_case`` (FORM), ``procedure`` (REC, URG, TIME, SOL, MAIL, CONC), ``facts``
(FACT), ``annexes`` and ``scans`` (ANX), ``consistency`` (CONS), ``privacy`` and ``leaks``
(PRIV), ``frozen`` (SENT), ``final`` (FORM-14, ANX-16: placeholders the dossier would print),
``languages`` (FORM-16, ANX-17, ANX-18: texts and annexes in the dossier's language).
Thresholds come from ``dossier/data/*.yaml`` and the opened annex files from the intake stage,
both through :class:`Context`. :func:`check_case` runs them all after loading and returns every
problem, sorted by file and line.

A final build (``build --final``, ``check --final``) asks more: whatever it would print as a
placeholder, or still to be supplied, is an error instead of a warning (:class:`Final`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import BuildError, Problem, RecordError, Severity
from ..intake.sources import Sources, open_sources
from ..load import CaseBundle
from ..write import conversion_cache
from .thresholds import CheckData, load_data

Family = Callable[[CaseBundle, "Context"], Iterable[Problem]]

INTAKE_CODES = frozenset({"ANX-05"})
"""Problems with the annex files themselves: the build refuses them with exit 3."""


@dataclass(frozen=True)
class FinalBuild:
    """A final build is asked for: of ``submission`` (default: the latest draft), signed
    digitally (``--sign``) or not."""

    submission: str | None = None
    digital_signature: bool = False
    language: str | None = None
    """The language it is built in (default: the submission's)."""


@dataclass(frozen=True)
class Final:
    """What a final build prints: its submission and the records it shows.

    In its scope, what would print as a placeholder (FORM-14, ANX-16, an annex file or the
    sender's address still to be supplied, an unsigned letter) is an error, not a warning.
    """

    submission: str
    printed: frozenset[tuple[str, str]]
    """``(kind, id)`` of every record the dossier prints (keys of ``bundle.where``)."""
    digital_signature: bool = False
    language: str = "en"
    """The language it is built in: a text the records do not give in it is an error."""

    def prints(self, kind: str, record_id: str) -> bool:
        return (kind, record_id) in self.printed


@dataclass(frozen=True)
class Context:
    """What the checks need beyond the records: today's date (FORM-03), the data files, the
    annex files as the intake stage opened them (each file is read and parsed once), and the
    final build asked for, if any."""

    sources: Sources
    today: dt.date = field(default_factory=dt.date.today)
    data: CheckData = field(default_factory=load_data)
    final: Final | None = None
    languages: tuple[str, ...] | None = None
    """The languages the dossiers are built in (``--lang``); None: the case's language and
    that of each draft submission."""

    def placeholder(self, kind: str, record_id: str, default: Severity) -> Severity:
        """``default``, or ERROR when a final build prints the record."""
        final = self.final
        return Severity.ERROR if final is not None and final.prints(kind, record_id) else default


def families() -> list[Family]:
    """Every family's ``run``, in report order (the output is sorted anyway)."""
    from . import (
        annexes,
        consistency,
        facts,
        final,
        form,
        form_case,
        frozen,
        languages,
        leaks,
        order,
        privacy,
        procedure,
        prose,
        references,
        scans,
    )

    return [
        references.run,
        form.run,
        form_case.run,
        procedure.run,
        prose.run,
        facts.run,
        order.run,
        annexes.run,
        consistency.run,
        privacy.run,
        leaks.run,
        frozen.run,
        scans.run,
        final.run,
        languages.run,
    ]


def check_case(
    bundle: CaseBundle,
    sources: Sources | None = None,
    *,
    today: dt.date | None = None,
    final: FinalBuild | None = None,
    languages: tuple[str, ...] | None = None,
) -> list[Problem]:
    """All problems of the case: loading problems first, then every family's findings.

    ``sources``: the annex files opened by the intake stage (a build passes its own); opened
    here when not given. ``final``: also what a final build of that submission refuses
    (placeholders it would print are errors); an unknown submission id is a UsageError.
    ``languages``: the languages the dossiers are built in (FORM-16, ANX-17); default: the
    case's and each draft submission's.
    """
    if sources is None:
        cache = conversion_cache(bundle.root)
        with open_sources(bundle.root, bundle.annexes, cache=cache) as opened:
            return check_case(bundle, opened, today=today, final=final, languages=languages)
    from .final import final_scope

    ctx = Context(
        sources,
        today or dt.date.today(),
        final=final_scope(bundle, final) if final is not None else None,
        languages=languages,
    )
    problems = list(bundle.problems)
    for family in families():
        problems.extend(family(bundle, ctx))
    unique = sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.code, p.message))
    return unique


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    blocking = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(p.severity in blocking for p in problems)


def refuse_errors(problems: Iterable[Problem], case: str, final: bool = False) -> None:
    """Raise when ``problems`` holds errors: an annex file that cannot be used fails the build
    (:class:`BuildError`, exit 3), any other error is a record problem (exit 1). ``final``:
    the errors are those of a final build (the message says so and how to list them)."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if not errors:
        return
    see = f"dossier check {case}" + (" --final" if final else "")
    if any(p.code in INTAKE_CODES for p in errors):
        raise BuildError(
            f"{_count(errors)} in the records, among them annex files that cannot be used; "
            f"fix them (see '{see}')",
            errors,
        )
    if final:
        raise RecordError(
            f"not final: {_count(errors)} to fix or supply before the copy to send can be built "
            f"(see '{see}')",
            errors,
        )
    raise RecordError(f"{_count(errors)} in the records; fix them (see '{see}')", errors)


def _count(errors: list[Problem]) -> str:
    return f"{len(errors)} problem{'' if len(errors) == 1 else 's'}"
