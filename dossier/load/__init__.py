"""Load stage: a case folder's YAML records -> validated models with file and line of every field.

:func:`load_case` never raises for bad records: what could not be loaded is in
``CaseBundle.problems``. The register of sent submissions (``sent``) and what each submission
presents (``select``) are read here too, so that every later stage sees one loaded case.
"""

from __future__ import annotations

from .bundle import CaseBundle, Location, PathKey, SourceMap, format_path
from .reading import yaml_parser
from .records import load_case

__all__ = [
    "CaseBundle",
    "Location",
    "PathKey",
    "SourceMap",
    "format_path",
    "load_case",
    "yaml_parser",
]
