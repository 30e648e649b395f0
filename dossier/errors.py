"""Errors and problems: one root exception, exit codes as class attributes.

A :class:`Problem` is one finding about the records (from loading or from the checks).
A :class:`DossierError` aborts a command; the CLI prints it once and exits with its code.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any

from pypdf.errors import DependencyError, PyPdfError


class Severity(enum.StrEnum):
    """How bad a problem is: errors block a build, warnings block only ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def word(self) -> str:
        """How a line of text names it: ``error``, ``warning`` or ``note``."""
        return "note" if self is Severity.INFO else self.value

    @property
    def rank(self) -> int:
        """Errors first, then warnings, then notes."""
        return (Severity.ERROR, Severity.WARNING, Severity.INFO).index(self)


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
        """The one-line text form: ``file:line: error: field: message — fix [CODE]``.

        The severity is named in words (``error``, ``warning``, ``note``), where compilers put
        it, so a line says how bad it is without colour.
        """
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        fix = f" — {self.fix}" if self.fix else ""
        return f"{where}: {self.severity.word}:{field} {self.message}{fix} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


@dataclass(frozen=True)
class Place:
    """Where a problem is: a file (as the user typed its path), a line (1-based, 0 when
    unknown) and a field path such as ``persons[3].aliases[0]`` (or "letter", "annex text")."""

    file: str
    line: int = 0
    field: str = ""


def problem(
    code: str, place: Place, message: str, fix: str = "", severity: Severity | None = None
) -> Problem:
    """The one way to make a :class:`Problem`: ``severity`` defaults to the code's own
    (:data:`CODES`); an unknown code is a bug (KeyError), so every code is documented."""
    default, _ = CODES[code]
    return Problem(place.file, place.line, place.field, code, severity or default, message, fix)


# Every problem code: its usual severity and what it means (docs/checks.md explains each).
# Codes follow cfa-brief.md §1.9 (FORM, REC, FACT, ANX, URG, TIME, CONS, PRIV, MAIL, SOL, CONC)
# plus the loader's YAML codes, the cross-record REF codes and the SENT codes of sent letters.
CODES: dict[str, tuple[Severity, str]] = {
    "YAML-01": (
        Severity.ERROR,
        "The file is not valid YAML (syntax error, duplicate key, tab indentation).",
    ),
    "YAML-02": (Severity.ERROR, "Unknown field: a misspelt or unsupported key."),
    "YAML-03": (
        Severity.ERROR,
        "Wrong value: wrong type, impossible date, value outside the allowed list.",
    ),
    "YAML-04": (
        Severity.ERROR,
        "Unsafe or unreadable file: not UTF-8, too large, anchors/aliases, too deep.",
    ),
    "YAML-05": (
        Severity.ERROR,
        "A file the records need is missing (case.yaml, a letter's Markdown file).",
    ),
    "YAML-06": (
        Severity.WARNING,
        "An old name the tool still reads (a category of earlier records); write the new one.",
    ),
    "REF-01": (Severity.ERROR, "A party id that parties.yaml does not define."),
    "REF-02": (Severity.ERROR, "An annex id that annexes.yaml does not define."),
    "REF-03": (Severity.ERROR, "A submission or allegation id that does not exist."),
    "REF-04": (Severity.ERROR, "Two records share one id."),
    "REF-05": (Severity.WARNING, "A party or annex that no record refers to."),
    "REF-06": (
        Severity.ERROR,
        "A Compilation section id in principles that data/principles.yaml lacks.",
    ),
    "FORM-01": (Severity.ERROR, "Not addressed to the ILO Director-General at headquarters."),
    "FORM-02": (
        Severity.WARNING,
        "Director-General's name misspelt, or not the one in office on the letter's date.",
    ),
    "FORM-03": (Severity.ERROR, "Letter undated, or dated in the future."),
    "FORM-04": (Severity.ERROR, "Sender not an organisation named in full."),
    "FORM-05": (Severity.ERROR, "Sender's permanent postal address missing."),
    "FORM-06": (Severity.ERROR, "Signature block without a named person, a title or a signature."),
    "FORM-07": (
        Severity.WARNING,
        "Signatory's office not among those able to bind the organisation.",
    ),
    "FORM-08": (
        Severity.ERROR,
        "A complaint that does not say it is a complaint to the CFA against the Government.",
    ),
    "FORM-09": (
        Severity.ERROR,
        "Government complained against missing, or not of the case's country.",
    ),
    "FORM-10": (
        Severity.ERROR,
        "An update that does not cite the case number (subject and body), or a wrong one.",
    ),
    "FORM-11": (Severity.ERROR, "Template placeholder left in the text, e.g. '(your union)'."),
    "FORM-12": (
        Severity.WARNING,
        "Annex in a language other than English, French or Spanish without a translation.",
    ),
    "FORM-13": (
        Severity.WARNING,
        "A submission whose id names another date than its 'date'.",
    ),
    "FORM-14": (
        Severity.WARNING,
        "A value the dossier prints (a name, the facts, a title) is still 'to be supplied'.",
    ),
    "FORM-15": (
        Severity.WARNING,
        "Two pieces of a cover letter (justification, paragraphs, requests) say the same thing.",
    ),
    "FORM-16": (
        Severity.WARNING,
        "A text the dossier prints has no version in the language it is built in.",
    ),
    "REC-02": (
        Severity.ERROR,
        "International complainant without consultative status and no affiliate named.",
    ),
    "FACT-01": (
        Severity.WARNING,
        "Allegation without a place, an acting authority or an affected party.",
    ),
    "FACT-02": (
        Severity.WARNING,
        "Relative date ('yesterday', 'in October') in an exactly dated allegation.",
    ),
    "FACT-03": (Severity.WARNING, "Allegation citing no evidence annex."),
    "FACT-04": (
        Severity.WARNING,
        "Legislative allegation without the act and its number or article.",
    ),
    "FACT-05": (
        Severity.WARNING,
        "An allegation of a category with principles in the Compilation that cites none.",
    ),
    "FACT-06": (
        Severity.ERROR,
        "An event dated after the submission that reports it, or after today.",
    ),
    "FACT-07": (
        Severity.WARNING,
        "A Convention article cited without where it was stated that the facts concern it.",
    ),
    "FACT-08": (
        Severity.WARNING,
        "A paragraph speaks of a person whom only a later paragraph introduces.",
    ),
    "FACT-09": (
        Severity.WARNING,
        "A cited Compilation section whose heading no source confirmed: it is not printed.",
    ),
    "ANX-01": (Severity.ERROR, "Pinpoint reference to a page the annex does not have."),
    "ANX-02": (Severity.ERROR, "Annex file missing, or outside annexes/."),
    "ANX-03": (
        Severity.WARNING,
        "Note of an uncopyable document without who saw it, where and when.",
    ),
    "ANX-04": (
        Severity.WARNING,
        "Annex pages that are image-only scans, with no text layer to search.",
    ),
    "ANX-05": (
        Severity.ERROR,
        "An annex file that cannot be used: damaged, hostile, encrypted without its password, "
        "not UTF-8 text, or of an unsupported type.",
    ),
    "ANX-06": (Severity.WARNING, "No sha256 pinned for an annex file."),
    "ANX-07": (Severity.ERROR, "An annex file no longer matches its pinned sha256."),
    "ANX-08": (Severity.WARNING, "An annex file still to be supplied."),
    "ANX-09": (Severity.WARNING, "An annex without the date or the issuer of the document."),
    "ANX-10": (Severity.WARNING, "A translation that does not say what it translates."),
    "ANX-11": (Severity.WARNING, "A sent letter without a copy kept as an annex."),
    "ANX-12": (Severity.WARNING, "The same annex pages cited twice by one allegation."),
    "ANX-13": (Severity.WARNING, "A file under annexes/ that no annex record names."),
    "ANX-14": (Severity.WARNING, "A damaged annex file, repaired for the dossier."),
    "ANX-15": (Severity.WARNING, "A photograph given the language of a text."),
    "ANX-16": (
        Severity.WARNING,
        "An annex language the dossier cannot name: undetermined (und) or an unknown code.",
    ),
    "ANX-17": (
        Severity.WARNING,
        "An annex the Office can read, with no translation into the dossier's language.",
    ),
    "ANX-18": (
        Severity.WARNING,
        "A translation whose page count is far from its original's.",
    ),
    "ANX-19": (
        Severity.WARNING,
        "A dynamic XFA form, whose pages show a placeholder instead of the form.",
    ),
    "URG-01": (Severity.ERROR, "Urgency requested without a ground or a justification."),
    "URG-03": (
        Severity.WARNING,
        "Urgency asked on events more than a year old, without what has happened since.",
    ),
    "URG-02": (Severity.INFO, "An allegation that may justify urgency, none requested."),
    "TIME-02": (
        Severity.WARNING,
        "A letter refers to an earlier letter that is not among the submissions.",
    ),
    "CONS-01": (
        Severity.WARNING,
        "A name shared by two parties, or a spelling that no alias records.",
    ),
    "CONS-02": (
        Severity.ERROR,
        "A word mixing scripts (e.g. a Cyrillic letter in a Latin word), an invisible "
        "character, or a character lost in a copy (U+FFFD).",
    ),
    "CONS-03": (
        Severity.WARNING,
        "A Convention not ratified, or cited with a wrong ratification year.",
    ),
    "PRIV-01": (
        Severity.ERROR,
        "A confidential party named in the cover letter, its subject, requests or urgency "
        "justification, or an annex title; no pseudonym.",
    ),
    "PRIV-02": (
        Severity.WARNING,
        "A non-confidential annex whose content names a confidential party: redacted in the "
        "public edition.",
    ),
    "PRIV-03": (
        Severity.ERROR,
        "Annex pages whose text cannot be read with enough confidence to find names, not "
        "reviewed by a person: refused for the public edition.",
    ),
    "PRIV-04": (
        Severity.ERROR,
        "A translation of a confidential annex that is not confidential itself.",
    ),
    "PRIV-05": (
        Severity.WARNING,
        "Scanned pages of an annex, in a case with confidential parties, that no person has "
        "reviewed: the public edition refuses those OCR cannot read (PRIV-03).",
    ),
    "MAIL-01": (
        Severity.WARNING,
        "An invalid e-mail address, or a CFA letter not sent to an ILO address.",
    ),
    "MAIL-02": (
        Severity.WARNING,
        "A draft whose addressee has no e-mail address (needed by build --eml).",
    ),
    "SOL-01": (Severity.ERROR, "A letter to a non-ILO recipient typed as a CFA submission."),
    "CONC-01": (
        Severity.INFO,
        "A complaint that does not say whether the complainant is open to conciliation.",
    ),
    "SENT-01": (
        Severity.WARNING,
        "A record or annex file used by a sent submission has changed, or no longer exists.",
    ),
    "SENT-02": (
        Severity.WARNING,
        "A submission has a frozen record (.sent.json) but is no longer marked sent.",
    ),
    "SENT-03": (Severity.ERROR, "The frozen record of a sent submission cannot be read."),
}


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


class SignError(UsageError):
    """The final PDF cannot be signed with what was given: a wrong password, a file that is not
    PKCS#12, a certificate expired on the letter's date or not the signatory's (exit 2)."""


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
    DependencyError,  # an image filter pypdf decodes with a program not installed (jbig2dec)
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
)
"""What pypdf raises on a malformed file (PdfReadError is a PyPdfError): caught wherever a PDF
is parsed or copied, so a broken annex becomes a clear problem, never a traceback."""
