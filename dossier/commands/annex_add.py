"""``dossier annex add``: copy evidence files into ``annexes/``, hash and register them.

The register (``annexes.yaml``) is edited in place, keeping comments and order (ruamel round
trip); every file is written atomically and input is checked before anything is written, so a
refused command changes nothing. Each file is opened exactly as a build opens it (office
documents converted, e-mails typeset, PDFs repaired, the limits applied): what the build would
refuse is refused here at once, with the problem line ``dossier check`` would print (ANX-05).
An e-mail's attachments become annexes of their own with ``--attachments``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..digest import sha256_bytes, sha256_file
from ..errors import AnnexError, BuildError, Place, Severity, UsageError, problem
from ..intake.email_annex import EMAIL_SUFFIXES, Attachment, read_mail
from ..intake.language import language_of, read_language
from ..intake.sources import Source, annex_label, open_data
from ..intake.textpage import clean_name
from ..models import Annex, AnnexKind
from ..write import conversion_cache, write_atomic
from .edit import append_item, list_in, mapping, slugify, typed, unique_id, write_roundtrip
from .records import (
    check_date,
    editable,
    latest_draft,
    one_line,
    open_case,
    validate_record,
)

NO_LANGUAGE = "zxx"
"""BCP 47 "no linguistic content": the default language of a photograph."""


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
    attachments: bool = False
    """Also add each attachment of an e-mail as an annex of its own."""
    translator: str | None = None
    """For a translation: who translated it (party id or name)."""
    certified: bool = False
    """For a translation: a certified one (else unofficial)."""


@dataclass
class AddedAnnex:
    id: str
    file: str
    sha256: str
    copied: bool
    pages: int = 0
    origin: str | None = None
    """``Word document``, ``e-mail message``… for a file converted to PDF."""
    attachments: tuple[str, ...] = ()
    """An e-mail's attachments (added as annexes below it with ``--attachments``)."""
    language: str = "en"
    read: bool = False
    """The language was read from the annex's text (else given, a photo's, or the case's)."""


@dataclass
class AnnexResult:
    added: list[AddedAnnex] = field(default_factory=list)
    submission: str | None = None
    skipped: list[str] = field(default_factory=list)
    """Attachments not added, and why (a type the dossier cannot use)."""


@dataclass
class _New:
    """One file to register: its bytes, where it goes, and its record."""

    data: bytes
    name: str
    """Path inside ``annexes/``."""
    entry: CommentedMap
    annex: Annex
    copy: bool


def _refused(shown: str, annex: Annex, exc: AnnexError) -> BuildError:
    """The refusal of a file the build could not use, with the line ``check`` would print."""
    line = problem(
        "ANX-05",
        Place(shown),
        f"{annex_label(annex)}: {exc.reason}",
        exc.fix,
        severity=Severity.ERROR,
    )
    return BuildError(
        f"{shown} cannot be an annex: the build would refuse it; nothing added", [line]
    )


def _mail_facts(
    data: bytes, suffix: str, label: str
) -> tuple[str, dt.date | None, list[Attachment], str]:
    """An e-mail's subject, date, attachments and text (its defaults for title and date; its
    subject and body tell its language, not the header labels of its typeset page)."""
    mail = read_mail(data, suffix, label)
    date = None
    try:
        date = parsedate_to_datetime(mail.headers.get("Date", "")).date()
    except (TypeError, ValueError, IndexError):
        pass
    subject = mail.headers.get("Subject", "")
    return subject, date, mail.attachments, f"{subject}\n{mail.body}"


def add_annexes(case: Path, files: Sequence[Path], options: AnnexOptions) -> AnnexResult:
    """Copy ``files`` into ``annexes/``, register them in ``annexes.yaml``, list them in the draft.

    A file already in ``annexes/`` with the same name must have the same bytes (then it is not
    copied again); a different file of that name is refused. A file the build could not use is
    refused (:class:`BuildError`, exit 3, with its ANX-05 problem). Nothing is written until
    every file has been checked.
    """
    bundle = open_case(case)
    if not files:
        raise UsageError("give at least one FILE to add")
    if options.title is not None and len(files) > 1:
        raise UsageError("--title applies to one file; add the files one by one")
    one_line(title=options.title, issuer=options.issuer, translator=options.translator)
    title, issuer, translator = map(typed, (options.title, options.issuer, options.translator))
    options = replace(options, title=title, issuer=issuer, translator=translator)
    if (options.translator or options.certified) and options.translation_of is None:
        raise UsageError("--translator and --certified go with --translation-of ANNEX")
    date = check_date(options.date, "--date")
    photo = options.kind == AnnexKind.PHOTO.value
    default_language = bundle.case.language if bundle.case else "en"
    language = options.language or (NO_LANGUAGE if photo else default_language)
    kind = options.kind
    if options.translation_of is not None:
        if bundle.annex(options.translation_of) is None:
            raise UsageError(f"--translation-of {options.translation_of}: no annex with this id")
        kind = AnnexKind.TRANSLATION.value
    adder = _Adder(bundle.root / "annexes", {a.file: a.id for a in bundle.annexes if a.file})
    adder.taken = {a.id for a in bundle.annexes}
    cache = conversion_cache(bundle.root)
    result = AnnexResult()
    news: list[_New] = []
    for source in files:
        if not source.is_file():
            raise UsageError(f"{source}: no such file")
        data = source.read_bytes()
        suffix = source.suffix.lower()
        mail = suffix in EMAIL_SUFFIXES
        known = adder.registered.get(adder.name_of(source))
        if known is not None and mail and options.attachments:
            # an e-mail registered before: add its attachments only
            annex = bundle.annex(known)
            label = annex_label(annex) if annex is not None else str(source)
            try:
                attachments = _mail_facts(data, suffix, label)[2]
            except AnnexError as exc:
                raise UsageError(f"{source}: {exc.reason}") from None
            folder = Path(adder.name_of(source)).with_suffix("").as_posix()
            _attachments(adder, folder, attachments, options, default_language, date, news, result)
            continue
        name, copy = adder.place(source, data)
        pairs = _pairs(options, kind, language, options.title or source.name, date)
        new = adder.record(name, data, copy, pairs, options)
        attachments = []
        try:
            opened = open_data(data, Path(name), new.annex, cache=cache)
            title, when, text = options.title or source.name, date, None
            if mail:
                subject, sent, attachments, text = _mail_facts(data, suffix, annex_label(new.annex))
                title, when = options.title or subject or source.name, date or sent
            read = None
            if not (options.language or photo):
                read = language_of(text) if text is not None else read_language(opened)
            if mail or read not in (None, language):
                pairs = _pairs(options, kind, read or language, title, when)
                new = adder.record(name, data, copy, pairs, options, new.annex.id)
        except AnnexError as exc:
            raise _refused(str(source), new.annex, exc) from None
        news.append(new)
        result.added.append(_added(new, opened, read is not None))
        if attachments and not options.attachments:
            result.added[-1].attachments = tuple(a.name for a in attachments)
        elif attachments:
            folder = Path(name).with_suffix("").as_posix()
            _attachments(adder, folder, attachments, options, default_language, date, news, result)
    _write(bundle, news, options, result)
    return result


def _pairs(
    options: AnnexOptions, kind: str, language: str, title: str, date: Any
) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = [
        ("title", title),
        ("date", date),
        ("issuer", options.issuer),
        ("language", language),
        ("kind", kind),
    ]
    if options.translation_of is not None:
        pairs.append(("translation_of", options.translation_of))
        if options.translator:
            pairs.append(("translator", options.translator))
        if options.certified:
            pairs.append(("certified", True))
    return pairs


def _added(new: _New, opened: Source, read: bool) -> AddedAnnex:
    digest = sha256_bytes(new.data)
    return AddedAnnex(
        new.annex.id,
        new.name,
        digest,
        new.copy,
        opened.page_count or 0,
        opened.origin,
        language=new.annex.language,
        read=read,
    )


def _attachments(
    adder: _Adder,
    folder: str,
    attachments: list[Attachment],
    options: AnnexOptions,
    language: str,
    date: Any,
    news: list[_New],
    result: AnnexResult,
) -> None:
    """Each attachment of an e-mail as an annex of its own, in ``folder`` (under annexes/, named
    after the e-mail); one the dossier cannot use is left out and said so."""
    for attachment in attachments:
        added = _attachment(adder, folder, attachment, options, language, date)
        if isinstance(added, str):
            result.skipped.append(added)
            continue
        news.append(added[0])
        result.added.append(_added(*added))


def _attachment(
    adder: _Adder,
    folder: str,
    attachment: Attachment,
    options: AnnexOptions,
    language: str,
    date: Any,
) -> tuple[_New, Source, bool] | str:
    """One attachment of an e-mail as a new annex (with whether its language was read from its
    text), or why it is left out."""
    name = f"{folder}/{attachment.name}"
    try:
        name, copy = adder.place_data(name, attachment.data)
    except UsageError as exc:
        return f"{attachment.name}: {exc.message}"
    plain = AnnexOptions(issuer=options.issuer, confidential=options.confidential)
    pairs = _pairs(plain, AnnexKind.DOCUMENT.value, language, attachment.name, date)
    new = adder.record(name, attachment.data, copy, pairs, plain)
    try:
        opened = open_data(attachment.data, Path(name), new.annex, cache=None)
        read = read_language(opened)
    except AnnexError as exc:
        adder.forget(new)
        return f"{attachment.name}: not added ({exc.reason})"
    if read not in (None, language):
        pairs = _pairs(plain, AnnexKind.DOCUMENT.value, read or language, attachment.name, date)
        new = adder.record(name, attachment.data, copy, pairs, plain, new.annex.id)
    return new, opened, read is not None


class _Adder:
    """Where new annex files go, and their ids, checked against the register and each other."""

    def __init__(self, folder: Path, registered: dict[str, str]) -> None:
        self.folder = folder
        self.registered = registered
        self.taken: set[str] = set()
        self.names: set[str] = set()

    def name_of(self, source: Path) -> str:
        """The name of ``source`` inside annexes/: where it is when it is there already (e.g.
        annexes/letters/x.txt), else its file name."""
        if source.resolve().is_relative_to(self.folder.resolve()):
            return source.resolve().relative_to(self.folder.resolve()).as_posix()
        return clean_name(source.name)  # no line break or invisible character in annexes/

    def place(self, source: Path, data: bytes) -> tuple[str, bool]:
        """The name inside annexes/ of ``source`` and whether it must be copied there."""
        name = self.name_of(source)
        if (self.folder / name).resolve() == source.resolve():
            self._claim(name)
            return name, False
        return self.place_data(name, data)

    def place_data(self, name: str, data: bytes) -> tuple[str, bool]:
        dest = self.folder / name
        same = dest.is_file() and sha256_file(dest) == sha256_bytes(data)
        if dest.exists() and not same:  # before "already registered": it is another file
            raise UsageError(
                f"{dest}: a different file of that name is already there; "
                "rename the new file or remove the old one"
            )
        self._claim(name)
        return name, not same

    def _claim(self, name: str) -> None:
        if name in self.names:
            raise UsageError(f"{name}: given twice")
        if name in self.registered:
            raise UsageError(f"{name}: already registered as annex '{self.registered[name]}'")
        self.names.add(name)

    def record(
        self,
        name: str,
        data: bytes,
        copy: bool,
        pairs: list[tuple[str, Any]],
        options: AnnexOptions,
        annex_id: str | None = None,
    ) -> _New:
        """The register entry of a new annex (validated as a record)."""
        if annex_id is None:
            annex_id = unique_id(slugify(Path(name).stem, "annex"), self.taken)
            self.taken.add(annex_id)
        full = [("id", annex_id), *pairs, ("file", name), ("sha256", sha256_bytes(data))]
        if options.confidential:
            full.append(("confidential", True))
        plain = {k: (str(v) if k == "date" and v is not None else v) for k, v in full}
        validate_record(Annex, plain, name)
        return _New(data, name, mapping(full), Annex.model_validate(plain), copy)

    def forget(self, new: _New) -> None:
        self.taken.discard(new.annex.id)
        self.names.discard(new.name)


def _write(bundle: Any, news: list[_New], options: AnnexOptions, result: AnnexResult) -> None:
    """Write the new files, the register and the draft's annexes_extra (each atomically)."""
    register = bundle.root / "annexes.yaml"
    data = editable(bundle, register, "annexes")
    seq = list_in(data, "annexes", register)
    for new in news:
        append_item(seq, new.entry)
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
    for new in news:
        if new.copy:
            write_atomic(bundle.root / "annexes" / new.name, new.data)
    write_roundtrip(register, data)
    if draft_data is not None and draft_file is not None:
        write_roundtrip(draft_file, draft_data)
