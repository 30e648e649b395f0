"""Load a case folder: YAML -> pydantic records, keeping the file and line of every field.

Every problem found while loading (syntax, unknown keys, wrong types, missing files) is collected,
never raised one at a time: :func:`load_case` returns a :class:`CaseBundle` whose ``problems`` list
says what could not be loaded, and whose records are the ones that could.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Place, Problem, RecordError, Severity, UsageError, problem
from ..models import (
    Allegation,
    Annex,
    Case,
    Group,
    Organisation,
    Parties,
    Person,
    Submission,
)
from ..models.allegation import legacy_category
from ..models.common import date_hint
from ..models.texts import LANGUAGES, Texts, texts_of
from .bundle import CaseBundle, Location, PathKey
from .frozen import frozen_path, read_frozen
from .reading import read_yaml
from .suggest import choices, did_you_mean, fields_at

M = TypeVar("M", bound=BaseModel)


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
    bundle: CaseBundle, model: type[BaseModel], file: Path, prefix: PathKey, exc: ValidationError
) -> Iterator[Problem]:
    for err in exc.errors():
        loc = tuple(part for part in err["loc"] if not str(part).startswith("function-"))
        kind = err["type"]
        if kind in ("local_text_language", "local_text_value"):
            loc = (*loc, str(err["ctx"]["key"]))  # the line of the language inside the mapping
        path = (*prefix, *loc)
        code = "YAML-02" if kind == "extra_forbidden" else "YAML-03"
        msg = err["msg"]
        fix = _FIXES.get(kind, "correct the value")
        if kind == "extra_forbidden":
            msg = f"unknown field '{loc[-1]}'"
            fix = did_you_mean(str(loc[-1]), fields_at(model, loc[:-1]), fix)
        elif kind == "missing":
            msg = "required field is missing"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if kind in ("enum", "literal_error") and "expected" in err.get("ctx", {}):
            expected = str(err["ctx"]["expected"])
            msg = f"'{err.get('input')}' is not one of the allowed values"
            fix = did_you_mean(str(err.get("input")), choices(expected), f"use one of {expected}")
        elif kind.startswith(("date_", "datetime_")) and isinstance(err.get("input"), str):
            msg = f"'{err['input']}' is not a date"
            fix = date_hint(err["input"])
        yield problem(code, bundle.at_file(file, *path), msg, fix, severity=Severity.ERROR)


def _validate(
    bundle: CaseBundle, model: type[M], data: Any, file: Path, prefix: PathKey
) -> M | None:
    if not isinstance(data, dict):
        found = (
            "a list" if isinstance(data, list) else "text" if isinstance(data, str) else "a value"
        )
        bundle.problems.append(
            problem(
                "YAML-03",
                bundle.at_file(file, *prefix),
                f"expected the fields of {model.__name__.lower()} ('key: value' lines), "
                f"found {found}",
                "see the schema",
            )
        )
        return None
    language = bundle.case.language if bundle.case is not None else data.get("language")
    context = {"language": language if language in LANGUAGES else "en"}
    try:
        return model.model_validate(_to_plain(data), context=context)
    except ValidationError as exc:
        bundle.problems.extend(_validation_problems(bundle, model, file, prefix, exc))
        return None


def _mapping(bundle: CaseBundle, data: Any, file: Path, what: str) -> dict[str, Any] | None:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        bundle.problems.append(
            problem(
                "YAML-03", bundle.at_file(file), f"expected a mapping of {what}", "see the schema"
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
            problem(
                "REF-04",
                bundle.at_file(location.file, *location.prefix, "id"),
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
            problem("YAML-03", bundle.at_file(file, key), "expected a list", "use '- '")
        )
        bundle.unread.add(kind)
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


def _read_mapping(bundle: CaseBundle, file: Path, what: str, kind: str) -> dict[str, Any] | None:
    """The mapping ``file`` holds (``{}`` for an empty file), or None; a file that cannot be read
    as one marks ``kind`` unread."""
    known = len(bundle.problems)
    data = _mapping(bundle, read_yaml(bundle, file), file, what)
    if any(p.severity is Severity.ERROR for p in bundle.problems[known:]):
        bundle.unread.add(kind)
    return data


def _load_parties(bundle: CaseBundle, file: Path) -> None:
    data = _read_mapping(bundle, file, "organisations, persons and groups", "party")
    if data is None:
        return
    for key in set(data) - {"organisations", "persons", "groups"}:
        bundle.problems.append(
            problem(
                "YAML-02",
                bundle.at_file(file, key),
                f"unknown field '{key}'",
                did_you_mean(
                    str(key),
                    ("organisations", "persons", "groups"),
                    "use organisations, persons or groups",
                ),
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
        data = read_yaml(bundle, file)
        if data is None and len(bundle.problems) == known:
            data = {}  # an empty file: report its missing fields
        if data is None:
            bundle.unread.add(kind)
            continue
        record = _validate(bundle, model, data, file, ())
        if record is None and isinstance(data, dict) and isinstance(data.get("id"), str):
            bundle.unloaded.add((kind, data["id"]))
        if record is not None and _register(bundle, kind, _record_id(record), Location(file)):
            out.append(record)
            if isinstance(data, dict):
                _legacy(bundle, file, data)
    return out


def _legacy(bundle: CaseBundle, file: Path, data: dict[str, Any]) -> None:
    """YAML-06: a category name of earlier records, read as the category it became."""
    now = legacy_category(data.get("category"))
    if now is not None:
        bundle.problems.append(
            problem(
                "YAML-06",
                bundle.at_file(file, "category"),
                f"category '{data['category']}' is now '{now}' (the categories follow the "
                "chapters of the CFA's Compilation of decisions)",
                f"write 'category: {now}', or another category that fits better",
            )
        )


def _load_letters(bundle: CaseBundle) -> None:
    """Each submission's Markdown letter, in every language it is given in (``letter: x.md`` is
    in the records' language; ``letter: {en: x.md, fr: x.fr.md}``)."""
    records = bundle.case.language if bundle.case is not None else "en"
    for sub in bundle.submissions:
        if not sub.letter:
            continue
        for lang, path_text in texts_of(sub.letter, records).items():
            field = ("letter",) if not isinstance(sub.letter, Texts) else ("letter", lang)
            text = _read_letter(bundle, sub, path_text, field)
            if text is None:
                continue
            bundle.letter_texts[(sub.id, lang)] = text
            if path_text == str(sub.letter):
                bundle.letters[sub.id] = text


def _read_letter(
    bundle: CaseBundle, sub: Submission, name: str, field: tuple[str, ...]
) -> str | None:
    loc = bundle.where[("submission", sub.id)]
    path = (loc.file.parent / name).resolve()
    failed: tuple[str, str] | None = None
    text = ""
    if not path.is_relative_to(bundle.root.resolve()):
        failed = ("is outside the case folder", "keep letters in submissions/")
    else:
        try:
            text = path.read_bytes().decode("utf-8-sig")  # a leading BOM is no text
        except UnicodeDecodeError:
            failed = ("is not UTF-8 text", "save it as UTF-8")
        except OSError:
            failed = ("not found", "add the Markdown file or fix the path")
    if failed is None:
        return text
    message, fix = failed
    bundle.problems.append(
        problem(
            "YAML-05", bundle.at("submission", sub.id, *field), f"letter '{name}' {message}", fix
        )
    )
    return None


def load_case(path: str | os.PathLike[str]) -> CaseBundle:
    """Read every record of the case folder at ``path``. Raises only for a missing folder."""
    root = Path(path)
    if not root.is_dir():
        raise UsageError(f"{path}: not a case folder; give the folder that holds case.yaml")
    bundle = CaseBundle(root=root.resolve(), display_root=str(path).rstrip("/") or ".")
    case_file = bundle.root / "case.yaml"
    if not case_file.exists():
        bundle.problems.append(
            problem(
                "YAML-05",
                Place(bundle.display(case_file), 0, ""),
                "case.yaml is missing",
                "run 'dossier init' or add case.yaml",
            )
        )
    else:
        known = len(bundle.problems)
        data = read_yaml(bundle, case_file)
        if data is None and len(bundle.problems) == known:
            data = {}  # an empty file: report its missing fields
        if data is not None:
            bundle.case = _validate(bundle, Case, data, case_file, ())
            if bundle.case is not None:
                bundle.where[("case", str(bundle.case.case_no))] = Location(case_file)
    parties_file = bundle.root / "parties.yaml"
    if parties_file.exists():
        _load_parties(bundle, parties_file)
    annex_file = bundle.root / "annexes.yaml"
    if annex_file.exists():
        data = _read_mapping(bundle, annex_file, "annexes", "annex")
        if data is not None:
            for key in set(data) - {"annexes"}:
                bundle.problems.append(
                    problem(
                        "YAML-02",
                        bundle.at_file(annex_file, key),
                        f"unknown field '{key}'",
                        did_you_mean(
                            str(key), ("annexes",), "annexes.yaml holds one list, 'annexes'"
                        ),
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
    _load_frozen(bundle)
    return bundle


def _load_frozen(bundle: CaseBundle) -> None:
    """The frozen records of sent submissions (SENT-02: one left beside an unsent submission;
    SENT-03: one that cannot be read)."""
    for sub in bundle.submissions:
        path = frozen_path(bundle.root, sub.id)
        if not path.is_file():
            continue
        if not sub.sent:
            bundle.problems.append(
                problem(
                    "SENT-02",
                    bundle.at("submission", sub.id, "sent"),
                    f"has a frozen record ({path.name}) but is no longer marked sent",
                    "set 'sent: true' again; a sent letter cannot be unsent",
                )
            )
            continue
        try:
            bundle.frozen[sub.id] = read_frozen(path)
        except RecordError as exc:
            bundle.problems.append(
                problem("SENT-03", Place(bundle.display(path), 0, ""), exc.message, "restore it")
            )
