"""Editing record files: comment-preserving YAML edits, slugs, dates, schema modelines.

The commands that change a case folder (``init``, ``annex add``, ``party new``,
``allegation new``) write through this module, so a failed command never leaves half a file and a
hand-written comment in ``annexes.yaml`` survives a machine edit.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from ..errors import RecordError
from ..load import yaml_parser
from ..models.common import PartialDate, parse_partial_date
from ..write import write_atomic

SCHEMA_FILES = {
    "case": "case.schema.json",
    "parties": "parties.schema.json",
    "allegation": "allegation.schema.json",
    "annexes": "annexes.schema.json",
    "submission": "submission.schema.json",
}
"""Record kind -> schema file name, as written by ``dossier schema``."""


def writer() -> YAML:
    """The round-trip parser, set up to write in the style of the shipped records."""
    yaml = yaml_parser()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.representer.add_representer(type(None), _represent_null)
    return yaml


def _represent_null(representer: Any, _data: None) -> Any:
    """Write ``null`` rather than an empty value, as the shipped records do."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def read_roundtrip(path: Path) -> Any:
    """Parse ``path`` keeping comments and order; a broken file is a RecordError."""
    try:
        return writer().load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"{path}: cannot read the file ({exc})") from None
    except YAMLError as exc:
        first = str(exc).strip().splitlines()
        reason = first[0] if first else "invalid YAML"
        raise RecordError(
            f"{path}: cannot edit a file with YAML errors ({reason}); "
            "run 'dossier check' and fix it"
        ) from None


def dump(data: Any) -> str:
    """YAML text of ``data`` (round-trip containers keep their comments)."""
    out = io.StringIO()
    writer().dump(data, out)
    return out.getvalue()


def write_roundtrip(path: Path, data: Any) -> None:
    write_atomic(path, dump(data))


STATUS_COMMENT = "# A communication to the Committee, "
"""The comment line ``init`` and ``submission new`` write at the top of a submission's YAML;
``mark-sent`` rewrites it, so the file never says "still a draft" once it was sent."""
DRAFT_STATUS = "still a draft (sent: false)."


def with_status(text: str, status: str) -> str:
    """A submission's YAML ``text`` whose leading status comment says ``status`` (unchanged
    when its leading comments have no such line: the user's own comments are kept)."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            break
        if line.startswith(STATUS_COMMENT):
            lines[index] = f"{STATUS_COMMENT}{status}\n"
            break
    return "".join(lines)


def typed(value: str | None) -> str | None:
    """An optional text as typed: surrounding blanks dropped, a blank value is no value."""
    return (value or "").strip() or None


def slugify(text: str, fallback: str = "item") -> str:
    """A record id from free text: ``'GKNB request (Oct. 2023)'`` -> ``gknb-request-oct-2023``.

    Accents are dropped; letters of other scripts are kept out (ids are ASCII), so a fully
    Cyrillic name gives ``fallback``.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or fallback


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… : the first one not in ``taken``."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def yaml_date(text: str) -> dt.date | str | int:
    """A date as the user typed it, in the form the YAML should carry.

    ``2023-12-06`` becomes a date (written unquoted), ``2023-10`` stays text, ``2023`` an integer.
    Raises ValueError with a readable message for anything else.
    """
    value: PartialDate = parse_partial_date(text)
    if value.precision == "day":
        return value.first_day()
    if value.precision == "month":
        return str(value)
    return value.year


def find_schema_dir(start: Path) -> Path | None:
    """The nearest ``schemas/`` folder holding our schema files, in ``start`` or above it."""
    for folder in (start, *start.parents):
        candidate = folder / "schemas"
        if (candidate / SCHEMA_FILES["case"]).is_file():
            return candidate
    return None


def modeline(file: Path, kind: str, case_root: Path) -> str:
    """``# yaml-language-server: $schema=…`` for ``file``, pointing at the nearest schemas.

    Empty when no ``schemas/`` folder is found (editors then simply do not complete).
    """
    schemas = find_schema_dir(case_root.resolve())
    if schemas is None:
        return ""
    target = schemas / SCHEMA_FILES[kind]
    relative = os.path.relpath(target, file.resolve().parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


# ---- comment-preserving edits of round-trip data ----------------------------------------------


def tail_token(node: Any) -> tuple[list[Any], int] | None:
    """The comment slot printed last inside ``node`` (where ruamel keeps end-of-file comments)."""
    if isinstance(node, CommentedMap) and len(node):
        key = list(node)[-1]
        found = tail_token(node[key])
        if found is not None:
            return found
        entry = node.ca.items.get(key)
        if entry and entry[2] is not None:
            return entry, 2
    elif isinstance(node, CommentedSeq) and len(node):
        index = len(node) - 1
        found = tail_token(node[index])
        if found is not None:
            return found
        entry = node.ca.items.get(index)
        if entry and entry[0] is not None:
            return entry, 0
    return None


def append_item(seq: CommentedSeq, item: CommentedMap) -> None:
    """Append ``item`` to a block list; full-line comments after the old last item follow it."""
    seq.fa.set_block_style()
    found = tail_token(seq)
    if found is not None:
        entry, slot = found
        token = entry[slot]
        value: str = token.value
        if token.column == 0 or token.start_mark is None:
            keep, rest, lead = "", value, ""
        else:  # an end-of-line comment, then whole lines: the lines move
            cut = value.find("\n") + 1
            keep, rest, lead = value[:cut], value[cut:], "\n"
        if rest.strip() or (lead + rest).count("\n") > 1:  # comments or blank lines
            entry[slot] = CommentToken(keep, token.start_mark, token.end_mark) if keep else None
            last_key = list(item)[-1]
            tail = CommentToken(lead + rest, CommentMark(0), None)
            item.ca.items[last_key] = [None, None, tail, None]
    seq.append(item)


def mapping(pairs: Sequence[tuple[str, Any]]) -> CommentedMap:
    out = CommentedMap()
    for key, value in pairs:
        out[key] = value
    return out


def list_in(data: CommentedMap, key: str, file: Path) -> CommentedSeq:
    value = data.get(key)
    if value is None:
        value = CommentedSeq()
        data[key] = value
    if not isinstance(value, CommentedSeq):
        raise RecordError(f"{file}: '{key}' is not a list; fix the file first")
    return value


def load_mapping(file: Path) -> CommentedMap:
    data = read_roundtrip(file) if file.exists() else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise RecordError(f"{file}: expected a mapping at the top; fix the file first")
    return data
