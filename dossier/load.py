"""Load a case folder: YAML -> pydantic records, keeping the file and line of every field.

Every problem found while loading (syntax, unknown keys, wrong types, missing files) is collected,
never raised one at a time: :func:`load_case` returns a :class:`CaseBundle` whose ``problems`` list
says what could not be loaded, and whose records are the ones that could.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import Problem, Severity, UsageError
from .models import (
    Allegation,
    Annex,
    Case,
    Group,
    Organisation,
    Parties,
    PartyBase,
    Person,
    Submission,
)

MAX_YAML_BYTES = 2_000_000
"""Records are small; a larger YAML file is refused (protects against pasted blobs and bombs)."""
MAX_FLOW_DEPTH = 50
"""Deeper ``[`` / ``{`` nesting is refused before parsing (ruamel takes seconds to give up)."""

PathKey = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


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


def format_path(path: PathKey) -> str:
    """``("persons", 3, "aliases", 0)`` -> ``persons[3].aliases[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class SourceMap:
    """Line numbers (1-based) of every key and item of every YAML file read."""

    lines: dict[Path, dict[PathKey, int]] = field(default_factory=dict)

    def line(self, file: Path, path: PathKey) -> int:
        """Line of ``path`` in ``file``, or of its nearest ancestor that has one."""
        table = self.lines.get(file, {})
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return table[path[:end]]
        return 0


@dataclass(frozen=True)
class Location:
    """Where a record lives: its file and the path of the record inside the file."""

    file: Path
    prefix: PathKey = ()


@dataclass
class CaseBundle:
    """Everything loaded from one case folder, with locations for reporting."""

    root: Path
    display_root: str
    case: Case | None = None
    parties: Parties = field(default_factory=Parties)
    allegations: tuple[Allegation, ...] = ()
    annexes: tuple[Annex, ...] = ()
    submissions: tuple[Submission, ...] = ()
    letters: dict[str, str] = field(default_factory=dict)
    where: dict[tuple[str, str], Location] = field(default_factory=dict)
    sources: SourceMap = field(default_factory=SourceMap)
    problems: list[Problem] = field(default_factory=list)
    unloaded: set[tuple[str, str]] = field(default_factory=set)
    """``(kind, id)`` of records that failed validation: references to them are not dangling."""

    # ---- lookup -------------------------------------------------------------------------------
    def party(self, party_id: str) -> PartyBase | None:
        return next((p for p in self.parties.all() if p.id == party_id), None)

    def annex(self, annex_id: str) -> Annex | None:
        return next((a for a in self.annexes if a.id == annex_id), None)

    def submission(self, submission_id: str) -> Submission | None:
        return next((s for s in self.submissions if s.id == submission_id), None)

    def allegation(self, allegation_id: str) -> Allegation | None:
        return next((a for a in self.allegations if a.id == allegation_id), None)

    # ---- reporting ----------------------------------------------------------------------------
    def display(self, file: Path) -> str:
        """A file as the user would type it: under the case path they gave."""
        try:
            return str(Path(self.display_root) / file.relative_to(self.root))
        except ValueError:
            return str(file)

    def locate(self, kind: str, record_id: str, *fieldpath: str | int) -> tuple[str, int, str]:
        """File (as displayed), line and field text of a record's field."""
        loc = self.where.get((kind, record_id))
        if loc is None:
            return self.display_root, 0, format_path(fieldpath)
        path = loc.prefix + tuple(fieldpath)
        return self.display(loc.file), self.sources.line(loc.file, path), format_path(path)

    def problem(
        self,
        code: str,
        severity: Severity,
        kind: str,
        record_id: str,
        fieldpath: PathKey,
        message: str,
        fix: str = "",
    ) -> Problem:
        """A problem pointing at ``fieldpath`` of the record ``(kind, record_id)``."""
        file, line, fieldtext = self.locate(kind, record_id, *fieldpath)
        return Problem(file, line, fieldtext, code, severity, message, fix)

    def file_problem(
        self,
        code: str,
        severity: Severity,
        file: Path,
        path: PathKey,
        message: str,
        fix: str = "",
    ) -> Problem:
        line = self.sources.line(file, path)
        return Problem(self.display(file), line, format_path(path), code, severity, message, fix)


# ---- reading YAML ---------------------------------------------------------------------------


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


def _read_yaml(bundle: CaseBundle, file: Path) -> Any:
    """Parse one YAML file; on failure add a problem and return None."""
    display = bundle.display(file)

    def fail(line: int, message: str, fix: str, code: str = "YAML-01") -> None:
        bundle.problems.append(Problem(display, line, "", code, Severity.ERROR, message, fix))

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
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "duplicate key" in problem or "found duplicate key" in str(exc):
            fail(line, "duplicate key", "remove one of the two entries")
        elif "\t" in text and ("tab" in problem.lower() or "'\\t'" in problem):
            fail(line, "tab character used for indentation", "indent with spaces")
        else:
            fail(line, f"YAML syntax error: {problem}", "fix the YAML syntax at this line")
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
    return data


def _to_plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_to_plain(v) for v in node]
    return node


_FIXES = {
    "extra_forbidden": "remove it or check its spelling",
    "missing": "add this field",
}


def _validation_problems(
    bundle: CaseBundle, file: Path, prefix: PathKey, exc: ValidationError
) -> Iterator[Problem]:
    for err in exc.errors():
        loc = tuple(part for part in err["loc"] if not str(part).startswith("function-"))
        path = (*prefix, *loc)
        kind = err["type"]
        code = "YAML-02" if kind == "extra_forbidden" else "YAML-03"
        msg = err["msg"]
        if kind == "extra_forbidden":
            msg = f"unknown field '{loc[-1]}'"
        elif kind == "missing":
            msg = "required field is missing"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        fix = _FIXES.get(kind, "correct the value")
        if kind == "enum" and "expected" in err.get("ctx", {}):
            fix = f"use one of {err['ctx']['expected']}"
        yield bundle.file_problem(code, Severity.ERROR, file, path, msg, fix)


def _validate(
    bundle: CaseBundle, model: type[M], data: Any, file: Path, prefix: PathKey
) -> M | None:
    if not isinstance(data, dict):
        found = (
            "a list" if isinstance(data, list) else "text" if isinstance(data, str) else "a value"
        )
        bundle.problems.append(
            bundle.file_problem(
                "YAML-03",
                Severity.ERROR,
                file,
                prefix,
                f"expected the fields of {model.__name__.lower()} ('key: value' lines), "
                f"found {found}",
                "see the schema",
            )
        )
        return None
    try:
        return model.model_validate(_to_plain(data))
    except ValidationError as exc:
        bundle.problems.extend(_validation_problems(bundle, file, prefix, exc))
        return None


def _mapping(bundle: CaseBundle, data: Any, file: Path, what: str) -> dict[str, Any] | None:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        bundle.problems.append(
            bundle.file_problem(
                "YAML-03",
                Severity.ERROR,
                file,
                (),
                f"expected a mapping of {what}",
                "see the schema",
            )
        )
        return None
    return data


def _record_id(record: BaseModel) -> str:
    return str(getattr(record, "id"))  # noqa: B009 - every listed record kind has an id


def _register(bundle: CaseBundle, kind: str, record_id: str, location: Location) -> bool:
    key = (kind, record_id)
    if key in bundle.where:
        first = bundle.where[key]
        line = bundle.sources.line(first.file, first.prefix)
        bundle.problems.append(
            bundle.file_problem(
                "REF-04",
                Severity.ERROR,
                location.file,
                (*location.prefix, "id"),
                f"duplicate {kind} id '{record_id}' (first at {bundle.display(first.file)}:{line})",
                "give each record its own id",
            )
        )
        return False
    bundle.where[key] = location
    return True


def _load_list(
    bundle: CaseBundle, file: Path, data: dict[str, Any], key: str, model: type[M], kind: str
) -> list[M]:
    items = data.get(key) or []
    if not isinstance(items, list):
        bundle.problems.append(
            bundle.file_problem(
                "YAML-03", Severity.ERROR, file, (key,), "expected a list", "use '- '"
            )
        )
        return []
    out: list[M] = []
    for index, item in enumerate(items):
        record = _validate(bundle, model, item, file, (key, index))
        if record is None and isinstance(item, dict) and isinstance(item.get("id"), str):
            bundle.unloaded.add((kind, item["id"]))
        if record is not None and _register(
            bundle, kind, _record_id(record), Location(file, (key, index))
        ):
            out.append(record)
    return out


def _load_parties(bundle: CaseBundle, file: Path) -> None:
    data = _mapping(bundle, _read_yaml(bundle, file), file, "organisations, persons and groups")
    if data is None:
        return
    for key in set(data) - {"organisations", "persons", "groups"}:
        bundle.problems.append(
            bundle.file_problem(
                "YAML-02",
                Severity.ERROR,
                file,
                (key,),
                f"unknown field '{key}'",
                "use organisations, persons or groups",
            )
        )
    bundle.parties = Parties(
        organisations=tuple(_load_list(bundle, file, data, "organisations", Organisation, "party")),
        persons=tuple(_load_list(bundle, file, data, "persons", Person, "party")),
        groups=tuple(_load_list(bundle, file, data, "groups", Group, "party")),
    )


def _load_folder(bundle: CaseBundle, folder: Path, model: type[M], kind: str) -> list[M]:
    out: list[M] = []
    if not folder.is_dir():
        return out
    for file in sorted(folder.glob("*.yaml")):
        known = len(bundle.problems)
        data = _read_yaml(bundle, file)
        if data is None and len(bundle.problems) == known:
            data = {}  # an empty file: report its missing fields
        if data is None:
            continue
        record = _validate(bundle, model, data, file, ())
        if record is None and isinstance(data, dict) and isinstance(data.get("id"), str):
            bundle.unloaded.add((kind, data["id"]))
        if record is not None and _register(bundle, kind, _record_id(record), Location(file)):
            out.append(record)
    return out


def _load_letters(bundle: CaseBundle) -> None:
    for sub in bundle.submissions:
        if not sub.letter:
            continue
        loc = bundle.where[("submission", sub.id)]
        path = (loc.file.parent / sub.letter).resolve()
        problem: tuple[str, str] | None = None
        text = ""
        if not path.is_relative_to(bundle.root.resolve()):
            problem = ("is outside the case folder", "keep letters in submissions/")
        else:
            try:
                text = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                problem = ("is not UTF-8 text", "save it as UTF-8")
            except OSError:
                problem = ("not found", "add the Markdown file or fix the path")
        if problem is not None:
            message, fix = problem
            bundle.problems.append(
                bundle.problem(
                    "YAML-05",
                    Severity.ERROR,
                    "submission",
                    sub.id,
                    ("letter",),
                    f"letter '{sub.letter}' {message}",
                    fix,
                )
            )
            continue
        bundle.letters[sub.id] = text


def load_case(path: str | os.PathLike[str]) -> CaseBundle:
    """Read every record of the case folder at ``path``. Raises only for a missing folder."""
    root = Path(path)
    if not root.is_dir():
        raise UsageError(f"{path}: not a case folder; give the folder that holds case.yaml")
    bundle = CaseBundle(root=root.resolve(), display_root=str(path).rstrip("/") or ".")
    case_file = bundle.root / "case.yaml"
    if not case_file.exists():
        bundle.problems.append(
            Problem(
                bundle.display(case_file),
                0,
                "",
                "YAML-05",
                Severity.ERROR,
                "case.yaml is missing",
                "run 'dossier init' or add case.yaml",
            )
        )
    else:
        data = _read_yaml(bundle, case_file)
        if data is not None:
            bundle.case = _validate(bundle, Case, data, case_file, ())
            if bundle.case is not None:
                bundle.where[("case", str(bundle.case.case_no))] = Location(case_file)
    parties_file = bundle.root / "parties.yaml"
    if parties_file.exists():
        _load_parties(bundle, parties_file)
    annex_file = bundle.root / "annexes.yaml"
    if annex_file.exists():
        data = _mapping(bundle, _read_yaml(bundle, annex_file), annex_file, "annexes")
        if data is not None:
            for key in set(data) - {"annexes"}:
                bundle.problems.append(
                    bundle.file_problem(
                        "YAML-02",
                        Severity.ERROR,
                        annex_file,
                        (key,),
                        f"unknown field '{key}'",
                        "annexes.yaml holds one list, 'annexes'",
                    )
                )
            bundle.annexes = tuple(_load_list(bundle, annex_file, data, "annexes", Annex, "annex"))
    bundle.allegations = tuple(
        _load_folder(bundle, bundle.root / "allegations", Allegation, "allegation")
    )
    bundle.submissions = tuple(
        _load_folder(bundle, bundle.root / "submissions", Submission, "submission")
    )
    _load_letters(bundle)
    return bundle
