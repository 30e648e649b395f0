"""Cross-record rules and the CFA checks of cfa-brief §1.9, one module per family.

Each family module exposes ``run(bundle, ctx) -> Iterable[Problem]``: ``references`` (REF),
``form`` and ``form_case`` (FORM), ``procedure`` (REC, URG, TIME, SOL, MAIL, CONC), ``facts``
(FACT), ``annexes`` (ANX), ``consistency`` (CONS), ``privacy`` (PRIV). Thresholds come from
``dossier/data/*.yaml`` through :class:`Context`. :func:`check_case` runs them
all after loading and returns every problem, sorted by file and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import Problem, Severity
from ..load import CaseBundle
from .data import CheckData, load_data

Family = Callable[[CaseBundle, "Context"], Iterable[Problem]]


@dataclass(frozen=True)
class Context:
    """What the checks need beyond the records: today's date (for FORM-03) and the data files."""

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
        privacy,
        procedure,
        references,
        scans,
    )

    return [
        references.run,
        form.run,
        form_case.run,
        procedure.run,
        facts.run,
        annexes.run,
        consistency.run,
        privacy.run,
        leaks.run,
        frozen.run,
        scans.run,
    ]


def check_case(bundle: CaseBundle, ctx: Context | None = None) -> list[Problem]:
    """All problems of the case: loading problems first, then every family's findings."""
    ctx = ctx or Context()
    problems = list(bundle.problems)
    for family in families():
        problems.extend(family(bundle, ctx))
    unique = sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.code, p.message))
    return unique


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    blocking = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(p.severity in blocking for p in problems)
