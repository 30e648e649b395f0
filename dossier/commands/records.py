"""Record management: ``party new``, ``allegation new``, and the helpers of every edit.

Each function edits the case folder in place, keeping comments and order of the YAML files it
touches (ruamel round trip), and writes every file atomically. Input is checked before anything
is written, so a refused command changes nothing.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from ..errors import RecordError, Severity, UsageError
from ..load import CaseBundle, load_case
from ..models import (
    Allegation,
    Category,
    Group,
    Organisation,
    Person,
    Submission,
)
from ..models.common import TO_BE_SUPPLIED
from ..models.compilation import compilation
from ..write import write_atomic
from .edit import (
    append_item,
    list_in,
    load_mapping,
    mapping,
    modeline,
    slugify,
    typed,
    unique_id,
    write_roundtrip,
    yaml_date,
)
from .init import yaml_printable, yaml_scalar

PARTY_KINDS = {"organisation": "organisations", "person": "persons", "group": "groups"}


# ---- shared helpers ---------------------------------------------------------------------------


def open_case(case: Path) -> CaseBundle:
    bundle = load_case(case)
    if not (bundle.root / "case.yaml").is_file():
        raise UsageError(f"{case}: no case.yaml here; give the case folder (see 'dossier init')")
    return bundle


def editable(bundle: CaseBundle, file: Path, schema: str | None = None) -> CommentedMap:
    """The round-trip data of ``file``, refused while the file has loading errors.

    A file that does not load cleanly (syntax, anchors, wrong types) could lose data in a machine
    edit, so the user fixes it first; the problems are listed with the error. A file that does
    not exist yet starts with the ``schema``'s modeline, for editor completion.
    """
    shown = bundle.display(file)
    broken = [p for p in bundle.problems if p.file == shown and p.severity is Severity.ERROR]
    if broken:
        raise RecordError(
            f"{shown} has errors; fix them first (see 'dossier check {bundle.display_root}')",
            broken,
        )
    data = load_mapping(file)
    if schema is not None and not file.exists():
        line = modeline(file, schema, bundle.root)
        if line:
            data.yaml_set_start_comment(line.removeprefix("# ").rstrip("\n"))
    return data


def check_date(text: str | None, option: str) -> Any:
    if text is None:
        return None
    try:
        return yaml_date(text)
    except ValueError as exc:
        raise UsageError(f"{option} {text}: {exc}") from None


def latest_draft(bundle: CaseBundle) -> Submission | None:
    """The draft (not sent) submission with the latest date; ties broken by id."""
    drafts = [s for s in bundle.submissions if not s.sent]
    if not drafts:
        return None
    return max(drafts, key=lambda s: (s.date.isoformat() if s.date else "", s.id))


def validate_record(model: Any, data: dict[str, Any], what: str) -> None:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        raise UsageError(f"{what}: {where}: {message}") from None


def one_line(**values: str | None) -> None:
    """Refuse control characters (line breaks, NEL, bidi controls…) in one-line values."""
    for option, value in values.items():
        for char in value or "":
            if not yaml_printable(char) or char in "\t\n\r" or unicodedata.category(char) == "Cf":
                raise UsageError(
                    f"--{option.replace('_', '-')}: contains the control character "
                    f"U+{ord(char):04X}; remove it"
                )


# ---- annex add --------------------------------------------------------------------------------


def new_party(
    case: Path,
    name: str,
    kind: str = "person",
    acronym: str | None = None,
    confidential: bool = False,
    pseudonym: str | None = None,
    address: str | None = None,
    email: str | None = None,
) -> str:
    """Append a party to ``parties.yaml`` with the next free id; return the id."""
    if kind not in PARTY_KINDS:
        raise UsageError(f"--kind {kind}: use one of {', '.join(PARTY_KINDS)}")
    if not name.strip():
        raise UsageError("--name: give the name as it should be printed")
    one_line(name=name, acronym=acronym, pseudonym=pseudonym, address=address, email=email)
    acronym, pseudonym, address, email = map(typed, (acronym, pseudonym, address, email))
    if acronym and kind != "organisation":
        raise UsageError("--acronym applies to organisations only")
    if confidential and not pseudonym:
        raise UsageError("--confidential needs --pseudonym (the name printed instead)")
    bundle = open_case(case)
    taken = {p.id for p in bundle.parties.all()}
    party_id = unique_id(slugify(acronym or name, kind), taken)
    pairs: list[tuple[str, Any]] = [("id", party_id), ("name", name.strip())]
    if acronym:
        pairs.append(("acronym", acronym))
    if address:
        pairs.append(("address", address))
    if email:
        pairs.append(("email", email))
    if confidential:
        pairs += [("confidential", True), ("pseudonym", pseudonym)]
    pairs.append(("source", None))
    model = {"organisation": Organisation, "person": Person, "group": Group}[kind]
    validate_record(model, dict(pairs), "--name")
    file = bundle.root / "parties.yaml"
    data = editable(bundle, file, "parties")
    append_item(list_in(data, PARTY_KINDS[kind], file), mapping(pairs))
    write_roundtrip(file, data)
    return party_id


# ---- allegation new ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AllegationSpec:
    """What ``dossier allegation new`` is told; the rest is left to be supplied."""

    title: str
    date: str
    category: str
    place: str | None = None
    approximate: bool = False
    facts: str | None = None
    source: str | None = None
    victims: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    """``annex-id`` or ``annex-id:pages``, e.g. ``detention-order:2-3``."""
    principles: tuple[str, ...] = ()
    """Section ids of the Compilation, e.g. ``civil-liberties.arrest-detention``."""


def _ids(values: Sequence[str], known: set[str], option: str, what: str) -> list[str]:
    for value in values:
        if value not in known:
            hint = f"; known: {', '.join(sorted(known))}" if len(known) <= 12 else ""
            raise UsageError(f"{option} {value}: no {what} with this id{hint}")
    return list(values)


def _block(text: str) -> str:
    """A Markdown text as a YAML value: one line as a scalar, several as a literal block."""
    lines = [line.rstrip() for line in text.strip().split("\n")]
    plain = all(
        all(yaml_printable(c) and c not in "\t\r" for c in line) for line in lines
    ) and not lines[0].startswith(" ")
    if len(lines) == 1 or not plain:
        return yaml_scalar("\n".join(lines))
    return "|\n" + "".join(f"  {line}\n" if line else "\n" for line in lines).rstrip("\n")


def new_allegation(case: Path, spec: AllegationSpec) -> Path:
    """Write ``allegations/<date>-<slug>.yaml`` with the next free id; return its path."""
    title = spec.title.strip()
    if not title:
        raise UsageError("--title: give a one-line title")
    one_line(title=spec.title, place=spec.place, source=spec.source)
    categories = [c.value for c in Category]
    if spec.category not in categories:
        raise UsageError(f"--category {spec.category}: use one of {', '.join(categories)}")
    when = check_date(spec.date, "--date")
    bundle = open_case(case)
    parties = {p.id for p in bundle.parties.all()}
    victims = _ids(spec.victims, parties, "--victim", "party")
    perpetrators = _ids(spec.perpetrators, parties, "--perpetrator", "party")
    evidence: list[tuple[str, str | None]] = []
    for item in spec.evidence:
        annex_id, _, pages = item.partition(":")
        _ids([annex_id], {a.id for a in bundle.annexes}, "--evidence", "annex")
        evidence.append((annex_id, pages.strip() or None))
    principles = _ids(spec.principles, set(compilation().sections), "--principle", "section")
    folder = bundle.root / "allegations"
    taken = {a.id for a in bundle.allegations} | {p.stem for p in folder.glob("*.yaml")}
    base = f"{str(spec.date).strip()}-{slugify(title, 'allegation')}"
    allegation_id = unique_id(slugify(base, "allegation")[:80].rstrip("-"), taken)
    facts = (spec.facts or "").strip()
    source = (spec.source or "").strip()
    place = typed(spec.place)
    validate_record(
        Allegation,
        {
            "id": allegation_id,
            "title": title,
            "date": str(when),
            "category": spec.category,
            "place": place,
            "facts": facts or TO_BE_SUPPLIED,
            "victims": victims,
            "perpetrators": perpetrators,
            "evidence": [{"annex": a, "pages": p} for a, p in evidence],
            "principles": principles,
            "source": source or TO_BE_SUPPLIED,
        },
        "--evidence" if evidence else "--title",
    )

    def ids(values: list[str], comment: str) -> str:
        quoted = ", ".join(yaml_scalar(v) for v in values)
        return f"[{quoted}]" if values else f"[]          {comment}"

    file = folder / f"{allegation_id}.yaml"
    text = (
        modeline(file, "allegation", bundle.root)
        + f"id: {yaml_scalar(allegation_id)}\n"
        + f"title: {yaml_scalar(title)}\n"
        + f"date: {when}\n"
        + f"precision: {'approximate' if spec.approximate else 'exact'}\n"
        + f"place: {yaml_scalar(place)}\n"
        + f"category: {spec.category}\n"
        + (
            f"facts: {_block(facts)}\n"
            if facts
            else "facts: >\n"
            f"  {TO_BE_SUPPLIED}: the facts, stated as allegations: who did what, when, where\n"
        )
        + f"victims: {ids(victims, '# party ids (dossier party new …)')}\n"
        + f"perpetrators: {ids(perpetrators, '# party ids')}\n"
        + "legal_basis: []      # national acts cited, e.g. 'Criminal Code art. 336(2)'\n"
        + "conventions: []      # e.g. {ref: 'C087 art. 3', source: 'letter of 11 Dec 2023'}\n"
        + f"principles: {ids(principles, _sections_hint(spec.category))}\n"
        + (
            "evidence:\n"
            + "".join(
                f"  - {{annex: {yaml_scalar(a)}"
                + (f", pages: {json.dumps(p)}" if p else "")
                + "}\n"
                for a, p in evidence
            )
            if evidence
            else "evidence: []         # e.g. {annex: <annex id>, pages: '2'}\n"
        )
        + (
            f"source: {yaml_scalar(source)}\n"
            if source
            else f"source: {TO_BE_SUPPLIED}   # where the fact was stated\n"
        )
    )
    write_atomic(file, text)
    return file


def _sections_hint(category: str) -> str:
    """A comment naming the Compilation sections that allegations of ``category`` cite."""
    taxonomy = compilation()
    info = taxonomy.categories.get(category)
    listed = info.sections if info is not None else ()
    sections = [s for s in listed if s in taxonomy.sections and taxonomy.sections[s].headings]
    if not sections:
        return "# Compilation section ids (dossier/data/principles.yaml)"
    return "# Compilation sections for this category: " + ", ".join(sections)


# ---- submission new ---------------------------------------------------------------------------
