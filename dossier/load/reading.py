"""Reading one YAML file: safe parsing with ruamel.yaml, and the line of every key and item.

Problems (syntax, size, encoding, nesting, aliases) are added to the bundle, never raised.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import Place, problem
from .bundle import CaseBundle, PathKey

MAX_YAML_BYTES = 2_000_000
"""Records are small; a larger YAML file is refused (protects against pasted blobs and bombs)."""
MAX_FLOW_DEPTH = 50
"""Deeper ``[`` / ``{`` nesting is refused before parsing (ruamel takes seconds to give up)."""


class _Constructor(RoundTripConstructor):
    """Keeps an impossible date such as 2023-02-30 as text, so pydantic reports it with its line."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def yaml_parser() -> YAML:
    """The round-trip parser used for reading and for comment-preserving writes."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def _record_lines(node: Any, path: PathKey, table: dict[PathKey, int], seen: set[int]) -> None:
    if isinstance(node, (CommentedMap, CommentedSeq)):
        if id(node) in seen:
            raise _AliasError(path)
        seen.add(id(node))
    if isinstance(node, CommentedMap):
        for key in node:
            line = node.lc.key(key)[0] + 1
            sub = (*path, str(key))
            table[sub] = line
            _record_lines(node[key], sub, table, seen)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            sub = (*path, index)
            table[sub] = node.lc.item(index)[0] + 1
            _record_lines(item, sub, table, seen)


class _AliasError(Exception):
    def __init__(self, path: PathKey) -> None:
        self.path = path


def _too_deep(text: str) -> int:
    """Line (1-based) where ``[``/``{`` nesting passes :data:`MAX_FLOW_DEPTH`, or 0."""
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1 if depth else 0
        if depth > MAX_FLOW_DEPTH:
            return text.count("\n", 0, match.start()) + 1
    return 0


def read_yaml(bundle: CaseBundle, file: Path) -> Any:
    """Parse one YAML file; on failure add a problem and return None."""
    display = bundle.display(file)

    def fail(line: int, message: str, fix: str, code: str = "YAML-01") -> None:
        bundle.problems.append(problem(code, Place(display, line, ""), message, fix))

    try:
        size = file.stat().st_size
        if size > MAX_YAML_BYTES:
            fail(
                0,
                f"file is {size:,} bytes, over the {MAX_YAML_BYTES:,} allowed",
                "split it or move long text into an annex",
                "YAML-04",
            )
            return None
        raw = file.read_bytes()
    except OSError as exc:
        fail(0, f"cannot read the file ({exc.strerror})", "check that it exists and is readable")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        fail(line, "the file is not UTF-8 text", "save it as UTF-8", "YAML-04")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    deep = _too_deep(text)
    if deep:
        fail(deep, "YAML nesting is too deep", "simplify the structure", "YAML-04")
        return None
    try:
        data = yaml_parser().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        if "duplicate key" in reason or "found duplicate key" in str(exc):
            fail(line, "duplicate key", "remove one of the two entries")
        elif "\t" in text and ("tab" in reason.lower() or "'\\t'" in reason):
            fail(line, "tab character used for indentation", "indent with spaces")
        else:
            fail(line, f"YAML syntax error: {reason}", "fix the YAML syntax at this line")
        return None
    except (YAMLError, ValueError, RecursionError) as exc:
        fail(
            0,
            f"YAML cannot be read: {str(exc).splitlines()[0] if str(exc) else exc}",
            "fix the YAML",
        )
        return None
    table: dict[PathKey, int] = {(): 1}
    try:
        _record_lines(data, (), table, set())
    except _AliasError as exc:
        line = table.get(exc.path, 0)
        fail(
            line,
            "YAML anchors and aliases are not allowed in records",
            "write the value out",
            "YAML-04",
        )
        return None
    except RecursionError:
        fail(0, "YAML nesting is too deep", "simplify the structure", "YAML-04")
        return None
    bundle.sources.lines[file] = table
    bundle.sources.texts[file] = text.splitlines()
    return data
