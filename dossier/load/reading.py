"""Reading one YAML file: safe parsing, and the line of every key and item.

Records are read with ruamel.yaml's composer (its C parser, libyaml, when ``ruamel.yaml.clib``
is installed: a tenth of the time of the round-trip loader) and built here from the nodes, so
that every key and item keeps its line, and so that nothing but plain YAML gets through: tags
(``!!python/object``…), anchors and aliases, merge keys and duplicate keys are refused with the
line they are on. Problems (syntax, size, encoding, nesting) are added to the bundle, never
raised. The round-trip parser (:func:`yaml_parser`) is kept for comment-preserving edits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from ..errors import Place, problem
from .bundle import CaseBundle, PathKey

MAX_YAML_BYTES = 2_000_000
"""Records are small; a larger YAML file is refused (protects against pasted blobs and bombs)."""
MAX_FLOW_DEPTH = 50
"""Deeper ``[`` / ``{`` nesting is refused before parsing (ruamel takes seconds to give up)."""
MERGE = "tag:yaml.org,2002:merge"
ALIAS_FIX = "write the value out"
TAG_FIX = "remove the tag: records hold plain text, numbers, dates, lists and mappings"
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


class _Constructor(RoundTripConstructor):
    """Keeps an impossible date such as 2023-02-30 as text, so pydantic reports it with its line."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def yaml_parser() -> YAML:
    """The round-trip parser, for comment-preserving edits of record files."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def _composer() -> YAML:
    """The safe parser: libyaml when ``ruamel.yaml.clib`` is installed, else ruamel's own."""
    try:
        return YAML(typ="safe", pure=False)
    except (ImportError, AttributeError):  # pragma: no cover - without the C extension
        return YAML(typ="safe", pure=True)


class _Refused(Exception):
    """A node that records must not hold (an alias, a tag, a duplicate or merge key)."""

    def __init__(self, where: Node | int, message: str, fix: str) -> None:
        self.line = where if isinstance(where, int) else where.start_mark.line + 1
        self.message = message
        self.fix = fix


class _Builder:
    """Plain Python data from composed nodes, with the line of every key and item."""

    def __init__(self, scalars: SafeConstructor) -> None:
        self.scalars = scalars
        self.seen: set[int] = set()
        self.table: dict[PathKey, int] = {(): 1}

    def build(self, node: Node, path: PathKey) -> Any:
        if id(node) in self.seen:  # an alias: reported where it is used
            line = self.table.get(path, node.start_mark.line + 1)
            raise _Refused(line, "YAML anchors and aliases are not allowed in records", ALIAS_FIX)
        self.seen.add(id(node))
        if node.tag == MERGE:
            raise _Refused(node, "YAML merge keys are not allowed in records", ALIAS_FIX)
        if node.tag not in PLAIN_TAGS:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise _Refused(node, f"YAML tag '{tag}' is not allowed in records", TAG_FIX)
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path)
                name = str(key)
                if name in out:
                    raise _Refused(key_node, "duplicate key", "remove one of the two entries")
                sub = (*path, name)
                self.table[sub] = key_node.start_mark.line + 1
                out[name] = self.build(value_node, sub)
            return out
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                sub = (*path, index)
                self.table[sub] = item.start_mark.line + 1
                items.append(self.build(item, sub))
            return items
        assert isinstance(node, ScalarNode)
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                return self.scalars.construct_yaml_timestamp(node)
            except ValueError:
                return str(node.value)  # 2023-02-30: pydantic reports it with its line
        return self.scalars.construct_object(node)


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
    yaml = _composer()
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        lines = text.splitlines()
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        if "tab" in reason.lower() or "\t" in source[: len(source) - len(source.lstrip())]:
            fail(line, "tab character used for indentation", "indent with spaces")
        else:
            fail(line, f"YAML syntax error: {reason}", "fix the YAML syntax at this line")
        return None
    except ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        fail(
            line,
            f"the file holds a control character (U+{char:04X}) that YAML does not allow",
            "remove it (it may come from a copy and paste)",
            "YAML-04",
        )
        return None
    except (YAMLError, ValueError, RecursionError) as exc:
        fail(
            0,
            f"YAML cannot be read: {str(exc).splitlines()[0] if str(exc) else exc}",
            "fix the YAML",
        )
        return None
    builder = _Builder(yaml.constructor)
    try:
        data = builder.build(node, ()) if node is not None else None
    except _Refused as exc:
        code = "YAML-01" if exc.message == "duplicate key" else "YAML-04"
        fail(exc.line, exc.message, exc.fix, code)
        return None
    except (YAMLError, ValueError, TypeError) as exc:
        fail(0, f"YAML cannot be read: {exc}", "fix the YAML")
        return None
    except RecursionError:
        fail(0, "YAML nesting is too deep", "simplify the structure", "YAML-04")
        return None
    table = builder.table
    bundle.sources.lines[file] = table
    bundle.sources.texts[file] = text.splitlines()
    return data
