"""The loaded case: records, where each one lives (file and line), and the problems found.

:class:`CaseBundle` is what every later stage receives. Its lookups (``party``, ``annex`` …) and
its ``place``/``problem`` helpers turn a record's field into the file and line a user can open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Place, Problem
from ..models import Allegation, Annex, Case, Parties, PartyBase, Submission
from .frozen import Frozen

PathKey = tuple[str | int, ...]


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
    texts: dict[Path, list[str]] = field(default_factory=dict)
    """The lines of each file, to find a value inside a multi-line block."""

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
    """Submission id -> its Markdown letter in the records' language (or the one it has)."""
    letter_texts: dict[tuple[str, str], str] = field(default_factory=dict)
    """``(submission id, language)`` -> its letter in that language, for each one given."""
    where: dict[tuple[str, str], Location] = field(default_factory=dict)
    sources: SourceMap = field(default_factory=SourceMap)
    problems: list[Problem] = field(default_factory=list)
    unloaded: set[tuple[str, str]] = field(default_factory=set)
    """``(kind, id)`` of records that failed validation: references to them are not dangling."""
    unread: set[str] = field(default_factory=set)
    """Kinds of record (``party``, ``annex``…) of which a whole file or list could not be read:
    any id of such a kind may be among them, so a reference to one is not reported as unknown."""
    frozen: dict[str, Frozen] = field(default_factory=dict)
    """Submission id -> its frozen record, for submissions marked sent that have one."""

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

    def at(self, kind: str, record_id: str, *fieldpath: str | int, needle: str = "") -> Place:
        """Where a record's field is: its file (as displayed), line and field path. With
        ``needle``, the line of a multi-line value (a YAML block) that holds it."""
        loc = self.where.get((kind, record_id))
        if loc is None:
            return Place(self.display_root, 0, format_path(fieldpath))
        path = loc.prefix + tuple(fieldpath)
        line = self.sources.line(loc.file, path)
        if needle and line:
            lines = self.sources.texts.get(loc.file, [])
            line = next(
                (n for n in range(line, min(len(lines), line + 400) + 1) if needle in lines[n - 1]),
                line,
            )
        return Place(self.display(loc.file), line, format_path(path))

    def at_file(self, file: Path, *path: str | int) -> Place:
        """Where a key of a YAML file is (a file that holds no record, or a part of one)."""
        return Place(self.display(file), self.sources.line(file, path), format_path(path))

    def field_line(self, kind: str, record_id: str, *fieldpath: str | int) -> str:
        """The text of the line that holds a record's field ('' when unknown)."""
        loc = self.where.get((kind, record_id))
        if loc is None:
            return ""
        line = self.sources.line(loc.file, loc.prefix + tuple(fieldpath))
        lines = self.sources.texts.get(loc.file, [])
        return lines[line - 1] if 0 < line <= len(lines) else ""
