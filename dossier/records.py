"""Record management: ``annex add``, ``party new``, ``allegation new``.

Each function edits the case folder in place, keeping comments and order of the YAML files it
touches (ruamel round trip), and writes every file atomically. Input is checked before anything
is written, so a refused command changes nothing.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from .errors import RecordError, Severity, UsageError
from .load import CaseBundle, load_case
from .models import (
    Allegation,
    Annex,
    AnnexKind,
    Category,
    Group,
    Organisation,
    Person,
    Submission,
)
from .models.common import TO_BE_SUPPLIED
from .scaffold import yaml_printable, yaml_scalar
from .write import sha256_file
from .yamlio import (
    append_item,
    list_in,
    load_mapping,
    mapping,
    modeline,
    slugify,
    unique_id,
    write_atomic,
    write_roundtrip,
    yaml_date,
)

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


@dataclass(frozen=True)
class AnnexOptions:
    title: str | None = None
    date: str | None = None
    language: str | None = None
    issuer: str | None = None
    kind: str = AnnexKind.DOCUMENT.value
    confidential: bool = False
    include: bool = True
    translation_of: str | None = None


@dataclass
class AddedAnnex:
    id: str
    file: str
    sha256: str
    copied: bool


@dataclass
class AnnexResult:
    added: list[AddedAnnex] = field(default_factory=list)
    submission: str | None = None
    language: str = "en"


def add_annexes(case: Path, files: Sequence[Path], options: AnnexOptions) -> AnnexResult:
    """Copy ``files`` into ``annexes/``, register them in ``annexes.yaml``, list them in the draft.

    A file already in ``annexes/`` with the same name must have the same bytes (then it is not
    copied again); a different file of that name is refused. Nothing is written until every file
    has been checked.
    """
    bundle = open_case(case)
    if not files:
        raise UsageError("give at least one FILE to add")
    if options.title is not None and len(files) > 1:
        raise UsageError("--title applies to one file; add the files one by one")
    one_line(title=options.title, issuer=options.issuer)
    date = check_date(options.date, "--date")
    language = options.language or (bundle.case.language if bundle.case else "en")
    kind = options.kind
    if options.translation_of is not None:
        if bundle.annex(options.translation_of) is None:
            raise UsageError(f"--translation-of {options.translation_of}: no annex with this id")
        kind = AnnexKind.TRANSLATION.value
    annex_dir = bundle.root / "annexes"
    registered = {a.file: a.id for a in bundle.annexes if a.file}
    taken = {a.id for a in bundle.annexes}
    result = AnnexResult(language=language)
    entries: list[CommentedMap] = []
    copies: list[tuple[Path, Path]] = []
    seen_names: set[str] = set()
    for source in files:
        if not source.is_file():
            raise UsageError(f"{source}: no such file")
        inside = source.resolve().is_relative_to(annex_dir.resolve())
        # a file already under annexes/ (e.g. annexes/letters/x.txt) is registered where it is
        name = (
            source.resolve().relative_to(annex_dir.resolve()).as_posix() if inside else source.name
        )
        if name in seen_names:
            raise UsageError(f"{name}: given twice")
        seen_names.add(name)
        if name in registered:
            raise UsageError(f"{name}: already registered as annex '{registered[name]}'")
        digest = sha256_file(source)
        dest = annex_dir / name
        copy = True
        if dest.exists():
            if dest.resolve() == source.resolve() or (
                dest.is_file() and sha256_file(dest) == digest
            ):
                copy = False
            else:
                raise UsageError(
                    f"{dest}: a different file of that name is already there; "
                    "rename the new file or remove the old one"
                )
        annex_id = unique_id(slugify(Path(name).stem, "annex"), taken)
        taken.add(annex_id)
        pairs: list[tuple[str, Any]] = [
            ("id", annex_id),
            ("title", options.title or source.name),
            ("date", date),
            ("issuer", options.issuer),
            ("language", language),
            ("kind", kind),
            ("file", name),
            ("sha256", digest),
        ]
        if options.translation_of is not None:
            pairs.insert(-2, ("translation_of", options.translation_of))
        if options.confidential:
            pairs.append(("confidential", True))
        entry = mapping(pairs)
        plain = {k: (str(v) if k == "date" and v is not None else v) for k, v in pairs}
        validate_record(Annex, plain, name)
        entries.append(entry)
        if copy:
            copies.append((source, dest))
        result.added.append(AddedAnnex(annex_id, name, digest, copy))
    register = bundle.root / "annexes.yaml"
    data = editable(bundle, register, "annexes")
    seq = list_in(data, "annexes", register)
    for entry in entries:
        append_item(seq, entry)
    draft = latest_draft(bundle) if options.include else None
    draft_data: CommentedMap | None = None
    draft_file: Path | None = None
    if draft is not None:
        draft_file = bundle.where[("submission", draft.id)].file
        draft_data = editable(bundle, draft_file)
        extra = list_in(draft_data, "annexes_extra", draft_file)
        for added in result.added:
            if added.id not in extra:
                extra.append(added.id)
        result.submission = draft.id
    for source, dest in copies:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(dest)
    write_roundtrip(register, data)
    if draft_data is not None and draft_file is not None:
        write_roundtrip(draft_file, draft_data)
    return result


# ---- party new --------------------------------------------------------------------------------


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
        pairs.append(("address", address.strip()))
    if email:
        pairs.append(("email", email.strip()))
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
    folder = bundle.root / "allegations"
    taken = {a.id for a in bundle.allegations} | {p.stem for p in folder.glob("*.yaml")}
    base = f"{str(spec.date).strip()}-{slugify(title, 'allegation')}"
    allegation_id = unique_id(slugify(base, "allegation")[:80].rstrip("-"), taken)
    facts = (spec.facts or "").strip()
    source = (spec.source or "").strip()
    validate_record(
        Allegation,
        {
            "id": allegation_id,
            "title": title,
            "date": str(when),
            "category": spec.category,
            "facts": facts or TO_BE_SUPPLIED,
            "victims": victims,
            "perpetrators": perpetrators,
            "evidence": [{"annex": a, "pages": p} for a, p in evidence],
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
        + f"place: {yaml_scalar(spec.place)}\n"
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
        + "conventions: []      # e.g. 'C087 art. 3'\n"
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


# ---- submission new ---------------------------------------------------------------------------
