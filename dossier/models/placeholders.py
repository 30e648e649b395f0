"""Template placeholders ("(your union)", "[…]", "TBD") from ``dossier/data/placeholders.yaml``.

The checks refuse them in a letter (FORM-11); a model letter prints them visibly marked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from ruamel.yaml import YAML


@dataclass(frozen=True)
class Placeholder:
    regex: re.Pattern[str]
    label: str


@functools.cache
def placeholders() -> tuple[Placeholder, ...]:
    """The shipped patterns (read once per process)."""
    text = (resources.files("dossier") / "data" / "placeholders.yaml").read_text(encoding="utf-8")
    return tuple(
        Placeholder(
            re.compile(p["pattern"], 0 if p.get("case_sensitive") else re.IGNORECASE),
            str(p["label"]),
        )
        for p in YAML(typ="safe", pure=True).load(text)["patterns"]
    )
