"""``dossier annex add``: copy evidence files into ``annexes/``, hash and register them.

The register (``annexes.yaml``) is edited in place, keeping comments and order (ruamel round
trip); every file is written atomically and input is checked before anything is written, so a
refused command changes nothing.
"""

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..digest import sha256_file
from ..errors import UsageError
from ..models import (
    Annex,
    AnnexKind,
)
from ..write import atomic_file
from .edit import (
    append_item,
    list_in,
    mapping,
    slugify,
    unique_id,
    write_roundtrip,
)
from .records import check_date, editable, latest_draft, one_line, open_case, validate_record


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
        with source.open("rb") as original, atomic_file(dest) as copied:
            shutil.copyfileobj(original, copied, 1 << 20)
    write_roundtrip(register, data)
    if draft_data is not None and draft_file is not None:
        write_roundtrip(draft_file, draft_data)
    return result


# ---- party new --------------------------------------------------------------------------------
