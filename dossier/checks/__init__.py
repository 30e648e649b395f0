"""Cross-record rules and the CFA checks of cfa-brief §1.9, one module per family.

Each family module exposes ``run(bundle, ctx) -> Iterable[Problem]``: ``references`` (REF),
``form`` and ``form_case`` (FORM), ``procedure`` (REC, URG, TIME, SOL, MAIL, CONC), ``facts``
(FACT), ``annexes`` and ``scans`` (ANX), ``consistency`` (CONS), ``privacy`` and ``leaks``
(PRIV), ``frozen`` (SENT). Thresholds come from ``dossier/data/*.yaml`` and the opened annex
files from the intake stage, both through :class:`Context`. :func:`check_case` runs them all
after loading and returns every problem, sorted by file and line.
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
class Context:
    """What the checks need beyond the records: today's date (FORM-03), the data files, and the
    annex files as the intake stage opened them (each file is read and parsed once)."""

    sources: Sources
    today: dt.date = field(default_factory=dt.date.today)
    data: CheckData = field(default_factory=load_data)


def families() -> list[Family]:
    """Every family's ``run``, in report order (the output is sorted anyway)."""
    from . import (
        annexes,
        consistency,
        facts,
        form,
        form_case,
        frozen,
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
    ]


def check_case(
    bundle: CaseBundle, sources: Sources | None = None, *, today: dt.date | None = None
) -> list[Problem]:
    """All problems of the case: loading problems first, then every family's findings.

    ``sources``: the annex files opened by the intake stage (a build passes its own); opened
    here when not given.
    """
    if sources is None:
        cache = conversion_cache(bundle.root)
        with open_sources(bundle.root, bundle.annexes, cache=cache) as opened:
            return check_case(bundle, opened, today=today)
    ctx = Context(sources) if today is None else Context(sources, today)
    problems = list(bundle.problems)
    for family in families():
        problems.extend(family(bundle, ctx))
    unique = sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.code, p.message))
    return unique


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    blocking = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(p.severity in blocking for p in problems)


def refuse_errors(problems: Iterable[Problem], case: str) -> None:
    """Raise when ``problems`` holds errors: an annex file that cannot be used fails the build
    (:class:`BuildError`, exit 3), any other error is a record problem (exit 1)."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if not errors:
        return
    if any(p.code in INTAKE_CODES for p in errors):
        raise BuildError(
            f"{_count(errors)} in the records, among them annex files that cannot be used; "
            f"fix them (see 'dossier check {case}')",
            errors,
        )
    raise RecordError(
        f"{_count(errors)} in the records; fix them (see 'dossier check {case}')", errors
    )


def _count(errors: list[Problem]) -> str:
    return f"{len(errors)} problem{'' if len(errors) == 1 else 's'}"
