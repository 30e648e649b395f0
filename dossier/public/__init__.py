"""The public edition: pseudonyms for confidential parties, and the leak scan of what is built.

``match`` finds the names of confidential parties in text and replaces them by pseudonyms (the
render stage and the bookmarks use it); ``scan`` searches a finished PDF everywhere a reader
could find a name; ``edition`` runs the scan on the public edition and writes its manifest.
"""

from __future__ import annotations

from .edition import assert_no_leaks, check_public_output, check_public_volume, public_manifest
from .match import (
    WITHHELD_NAME,
    Matcher,
    Protected,
    fold,
    matcher_for,
    protected_parties,
    pseudonym_of,
    pseudonymise,
    redact_names,
)
from .scan import Hit, scan_pdf, scan_reader

__all__ = [
    "WITHHELD_NAME",
    "Hit",
    "Matcher",
    "Protected",
    "assert_no_leaks",
    "check_public_output",
    "check_public_volume",
    "fold",
    "matcher_for",
    "protected_parties",
    "pseudonym_of",
    "pseudonymise",
    "public_manifest",
    "redact_names",
    "scan_pdf",
    "scan_reader",
]
