"""Did you mean …": the known name closest to a misspelt field, id or value (difflib)."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

CUTOFF = 0.75
"""How alike two names must be (difflib's ratio) to suggest one for the other."""


def closest(value: str, known: Iterable[str]) -> str | None:
    """The known name most like ``value`` (case-insensitive), or None when none is close."""
    names = [name for name in dict.fromkeys(known) if name != value]
    lowered = {name.lower(): name for name in names}
    found = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=CUTOFF)
    return lowered[found[0]] if found else None


def did_you_mean(value: str, known: Iterable[str], otherwise: str) -> str:
    """The fix of a problem naming ``value``: ``did you mean 'perpetrators'?`` when a known name
    is close, else ``otherwise``."""
    found = closest(value, known)
    return f"did you mean '{found}'?" if found else otherwise


def choices(expected: str) -> list[str]:
    """The quoted names in pydantic's ``expected`` text (``'a', 'b' or 'c'``)."""
    return re.findall(r"'([^']*)'", expected)


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The record models an annotation may hold (inside tuples, lists, unions, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return []
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_models(arg))
    return found


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a record of ``model`` may have, as written in YAML (aliases such as ``from``)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def fields_at(model: type[BaseModel], path: Sequence[str | int]) -> list[str]:
    """The keys allowed at ``path`` inside a ``model`` record (list indexes skipped)."""
    models = [model]
    for key in path:
        if isinstance(key, int) or str(key).isdigit():
            continue
        inner: list[type[BaseModel]] = []
        for current in models:
            for name, info in current.model_fields.items():
                if key in (name, info.alias):
                    inner.extend(_models(info.annotation))
        if not inner:
            return []
        models = inner
    return [name for current in models for name in field_names(current)]
