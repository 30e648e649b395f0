"""Errors and problems: one root exception, exit codes as class attributes.

A :class:`Problem` is one finding about the records (from loading or from the checks).
A :class:`DossierError` aborts a command; the CLI prints it once and exits with its code.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any

from pypdf.errors import PyPdfError


class Severity(enum.StrEnum):
    """How bad a problem is: errors block a build, warnings block only ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located in the case folder.

    ``file`` is relative to the current directory when possible (as the user typed the case path),
    ``line`` is 1-based (0 when unknown), ``field`` is a dotted path
    such as ``persons[3].aliases[0]``.
    """

    file: str
    line: int
    field: str
    code: str
    severity: Severity
    message: str
    fix: str = ""

    def format(self) -> str:
        """The one-line text form: ``file:line: field: message — fix [CODE]``."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        fix = f" — {self.fix}" if self.fix else ""
        return f"{where}:{field} {self.message}{fix} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


class DossierError(Exception):
    """Root of every error the library raises on purpose. ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class RecordError(DossierError):
    """The case records have errors (exit 1)."""

    exit_code = 1


class UsageError(DossierError):
    """The command was called wrongly, e.g. an unknown submission id (exit 2)."""

    exit_code = 2


class BuildError(DossierError):
    """The build could not produce a dossier, e.g. an unreadable annex (exit 3)."""

    exit_code = 3


class AnnexError(BuildError):
    """One annex file cannot be used (exit 3): ``label`` names it, ``reason`` says why, ``fix``
    what to do; ``message`` is ``label: reason — fix``."""

    def __init__(self, label: str, reason: str, fix: str = "") -> None:
        super().__init__(f"{label}: {reason}" + (f" — {fix}" if fix else ""))
        self.label = label
        self.reason = reason
        self.fix = fix


class LeakError(BuildError):
    """The public edition would expose a confidential name (exit 3)."""


class WriteError(DossierError):
    """An output or a record file cannot be written (disk full, read-only folder…) (exit 3)."""

    exit_code = 3


PDF_READ_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
)
"""What pypdf raises on a malformed file (PdfReadError is a PyPdfError): caught wherever a PDF
is parsed or copied, so a broken annex becomes a clear problem, never a traceback."""
