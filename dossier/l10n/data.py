"""The data files of the localisation helpers (``dossier/data/countries.yaml``,
``conventions.yaml``, ``letters.yaml``), read once with the package's safe YAML reader."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML


@cache
def load(name: str) -> dict[str, Any]:
    """The mapping at the top of ``dossier/data/<name>``."""
    text = resources.files("dossier").joinpath(f"data/{name}").read_text(encoding="utf-8")
    data: Any = YAML(typ="safe").load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at top level")
    return data
