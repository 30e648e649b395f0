"""Record management: ``annex add``, ``party new``, ``allegation new``.

Each function edits the case folder in place, keeping comments and order of the YAML files it
touches (ruamel round trip), and writes every file atomically. Input is checked before anything
is written, so a refused command changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from .errors import RecordError, UsageError
from .load import CaseBundle, load_case
from .models import Allegation, Annex, AnnexKind, Category, Organisation, Person, Submission
from .models.common import TO_BE_SUPPLIED
from .scaffold import subject_line, submission_letter, yaml_scalar
from .yamlio import (
    modeline,
    read_roundtrip,
    slugify,
    unique_id,
    write_atomic,
    write_roundtrip,
    yaml_date,
)

PARTY_KINDS = {"organisation": "organisations", "person": "persons", "group": "groups"}


# ---- shared helpers ---------------------------------------------------------------------------


def _open_case(case: Path) -> CaseBundle:
    bundle = load_case(case)
    if not (bundle.root / "case.yaml").is_file():
        raise UsageError(f"{case}: no case.yaml here; give the case folder (see 'dossier init')")
    return bundle


def _check_date(text: str | None, option: str) -> Any:
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


def _tail_token(node: Any) -> tuple[list[Any], int] | None:
    """The comment slot printed last inside ``node`` (where ruamel keeps end-of-file comments)."""
    if isinstance(node, CommentedMap) and len(node):
        key = list(node)[-1]
        found = _tail_token(node[key])
        if found is not None:
            return found
        entry = node.ca.items.get(key)
        if entry and entry[2] is not None:
            return entry, 2
    elif isinstance(node, CommentedSeq) and len(node):
        index = len(node) - 1
        found = _tail_token(node[index])
        if found is not None:
            return found
        entry = node.ca.items.get(index)
        if entry and entry[0] is not None:
            return entry, 0
    return None


def _append(seq: CommentedSeq, item: CommentedMap) -> None:
    """Append ``item`` to a block list; full-line comments after the old last item follow it."""
    seq.fa.set_block_style()
    found = _tail_token(seq)
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


def _map(pairs: Sequence[tuple[str, Any]]) -> CommentedMap:
    out = CommentedMap()
    for key, value in pairs:
        out[key] = value
    return out


def _list_in(data: CommentedMap, key: str, file: Path) -> CommentedSeq:
    value = data.get(key)
    if value is None:
        value = CommentedSeq()
        data[key] = value
    if not isinstance(value, CommentedSeq):
        raise RecordError(f"{file}: '{key}' is not a list; fix the file first")
    return value


def _load_mapping(file: Path) -> CommentedMap:
    data = read_roundtrip(file) if file.exists() else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise RecordError(f"{file}: expected a mapping at the top; fix the file first")
    return data


def _validate(model: Any, data: dict[str, Any], what: str) -> None:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        raise UsageError(f"{what}: {where}: {message}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
    bundle = _open_case(case)
    if not files:
        raise UsageError("give at least one FILE to add")
    if options.title is not None and len(files) > 1:
        raise UsageError("--title applies to one file; add the files one by one")
    date = _check_date(options.date, "--date")
    language = options.language or (bundle.case.language if bundle.case else "en")
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
        name = source.name
        if name in seen_names:
            raise UsageError(f"{name}: given twice")
        seen_names.add(name)
        if name in registered:
            raise UsageError(f"{name}: already registered as annex '{registered[name]}'")
        digest = sha256_of(source)
        dest = annex_dir / name
        copy = True
        if dest.exists():
            if dest.resolve() == source.resolve() or (dest.is_file() and sha256_of(dest) == digest):
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
            ("title", options.title or name),
            ("date", date),
            ("issuer", options.issuer),
            ("language", language),
            ("kind", options.kind),
            ("file", name),
            ("sha256", digest),
        ]
        if options.confidential:
            pairs.append(("confidential", True))
        entry = _map(pairs)
        plain = {k: (str(v) if k == "date" and v is not None else v) for k, v in pairs}
        _validate(Annex, plain, name)
        entries.append(entry)
        if copy:
            copies.append((source, dest))
        result.added.append(AddedAnnex(annex_id, name, digest, copy))
    register = bundle.root / "annexes.yaml"
    data = _load_mapping(register)
    if not register.exists():
        line = modeline(register, "annexes", bundle.root)
        if line:
            data.yaml_set_start_comment(line.removeprefix("# ").rstrip("\n"))
    seq = _list_in(data, "annexes", register)
    for entry in entries:
        _append(seq, entry)
    draft = latest_draft(bundle) if options.include else None
    draft_data: CommentedMap | None = None
    draft_file: Path | None = None
    if draft is not None:
        draft_file = bundle.where[("submission", draft.id)].file
        draft_data = _load_mapping(draft_file)
        extra = _list_in(draft_data, "annexes_extra", draft_file)
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
) -> str:
    """Append a party to ``parties.yaml`` with the next free id; return the id."""
    if kind not in PARTY_KINDS:
        raise UsageError(f"--kind {kind}: use one of {', '.join(PARTY_KINDS)}")
    if not name.strip():
        raise UsageError("--name: give the name as it should be printed")
    if acronym and kind != "organisation":
        raise UsageError("--acronym applies to organisations only")
    if confidential and not pseudonym:
        raise UsageError("--confidential needs --pseudonym (the name printed instead)")
    bundle = _open_case(case)
    taken = {p.id for p in bundle.parties.all()}
    party_id = unique_id(slugify(acronym or name, kind), taken)
    pairs: list[tuple[str, Any]] = [("id", party_id), ("name", name.strip())]
    if acronym:
        pairs.append(("acronym", acronym))
    if confidential:
        pairs += [("confidential", True), ("pseudonym", pseudonym)]
    pairs.append(("source", None))
    model = Organisation if kind == "organisation" else Person
    _validate(model, dict(pairs), "--name")
    file = bundle.root / "parties.yaml"
    data = _load_mapping(file)
    if not file.exists():
        line = modeline(file, "parties", bundle.root)
        if line:
            data.yaml_set_start_comment(line.removeprefix("# ").rstrip("\n"))
    _append(_list_in(data, PARTY_KINDS[kind], file), _map(pairs))
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
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if len(lines) == 1:
        return yaml_scalar(lines[0])
    return "|\n" + "".join(f"  {line}\n" if line else "\n" for line in lines).rstrip("\n")


def new_allegation(case: Path, spec: AllegationSpec) -> Path:
    """Write ``allegations/<date>-<slug>.yaml`` with the next free id; return its path."""
    title = spec.title.strip()
    if not title:
        raise UsageError("--title: give a one-line title")
    categories = [c.value for c in Category]
    if spec.category not in categories:
        raise UsageError(f"--category {spec.category}: use one of {', '.join(categories)}")
    when = _check_date(spec.date, "--date")
    bundle = _open_case(case)
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
    _validate(
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
        return f"[{', '.join(values)}]" if values else f"[]          {comment}"

    file = folder / f"{allegation_id}.yaml"
    text = (
        modeline(file, "allegation", bundle.root)
        + f"id: {allegation_id}\n"
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
                f"  - {{annex: {a}" + (f", pages: {json.dumps(p)}" if p else "") + "}\n"
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

SUBMISSION_KINDS = ("additional_information", "reply_comment", "urgent_intervention", "complaint")


def new_submission(
    case: Path, kind: str = "additional_information", date: str | None = None
) -> Path:
    """Start the next draft: a copy of the latest submission to the ILO, reset for a new letter.

    Addressee, copies, sender, signatory, language and requests are kept (comments too); ``id``,
    ``date``, ``subject`` and ``letter`` are new; ``allegations: new``, no ``annexes_extra``,
    ``sent: false``, not yet signed, and ``references`` points at the latest sent submission.
    Refuses when a draft already exists (finish or send it first).
    """
    if kind not in SUBMISSION_KINDS:
        raise UsageError(f"--kind {kind}: use one of {', '.join(SUBMISSION_KINDS)}")
    when = _check_date(date, "--date") if date else dt.date.today()
    if not isinstance(when, dt.date):
        raise UsageError(f"--date {date}: give the full date of the letter, e.g. 2024-03-01")
    bundle = _open_case(case)
    draft = latest_draft(bundle)
    if draft is not None:
        raise UsageError(
            f"submission '{draft.id}' is still a draft; send it "
            "('dossier submission mark-sent') or delete it before starting another"
        )
    to_ilo = [s for s in bundle.submissions if s.kind.value in SUBMISSION_KINDS]
    if not to_ilo or bundle.case is None:
        raise UsageError(f"{case}: no earlier submission to the ILO to start from")
    model = max(to_ilo, key=lambda s: (s.date is not None, s.date, s.id))
    sent = [s for s in to_ilo if s.sent and s.date is not None]
    previous = max(sent, key=lambda s: (s.date, s.id)) if sent else None
    folder = bundle.root / "submissions"
    taken = {s.id for s in bundle.submissions} | {p.stem for p in folder.glob("*.yaml")}
    sub_id = unique_id(f"{when.isoformat()}-{kind.replace('_', '-')}", taken)
    source_file = bundle.where[("submission", model.id)].file
    data = _load_mapping(source_file)
    number, country = bundle.case.case_no, bundle.case.country
    values: dict[str, Any] = {
        "id": sub_id,
        "date": when,
        "kind": kind,
        "subject": subject_line(kind, model.language, number, country),
        "letter": f"{sub_id}.md",
        "allegations": "new",
        "annexes_extra": CommentedSeq(),
        "sent": False,
        "references": CommentedSeq([previous.id] if previous else []),
        "source": f"created by dossier submission new from {model.id}",
    }
    for key, value in values.items():
        data[key] = value
    data["annexes_extra"].fa.set_flow_style()
    data["references"].fa.set_flow_style()
    for key in ("annex", "notes", "reference"):
        data.pop(key, None)
    signatory = data.get("signatory")
    if isinstance(signatory, CommentedMap):
        signatory["signed"] = False
    text = submission_letter(
        kind, model.language, number, country, previous.date if previous else None
    )
    file = folder / f"{sub_id}.yaml"
    _validate(Submission, _plain(data), sub_id)
    write_atomic(folder / f"{sub_id}.md", text)
    write_roundtrip(file, data)
    return file


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
