"""The public edition: confidential names found in any form, annex pages as pixels, the leak scan.

* :mod:`.match` (with :mod:`.fold`, :mod:`.index`, :mod:`.shapes`, :mod:`.inflect`,
  :mod:`.kyrgyz`, :mod:`.uri`): :class:`NameMatcher`, the one matcher of confidential names
  (look-alike letters, invisible characters, Russian and Kyrgyz inflections, word orders,
  initials, percent-encoded URIs) that pseudonymisation, the PRIV checks, redaction and the
  final scan share; :mod:`.parties`: who is protected, and the matcher of a case;
* :mod:`.pixels` (with :mod:`.words`, :mod:`.find`, :mod:`.raster`, :mod:`.pdfout`,
  :mod:`.ocr`): an annex PDF re-rendered as pixels, names burnt out under labelled boxes, an
  invisible text layer of our own;
* :mod:`.scan` and :mod:`.content`: names in the objects and streams of a PDF (the check of
  annexes, and the public edition's own objects); :mod:`.verify`: the final scan of what a
  reader of the public edition can see; :mod:`.edition`: its manifest.
"""

from __future__ import annotations

from .edition import check_manifest, public_manifest, redactions_entry
from .match import Match, NameMatcher, Protected
from .ocr import OcrCache, OcrError, tesseract_runner
from .parties import (
    WITHHELD_NAME,
    case_matcher,
    label_of,
    matcher_for,
    protected_parties,
    pseudonym_of,
    pseudonymise,
    redact_names,
)
from .pixels import PublicAnnex, Redaction, public_annex
from .scan import Hit, Looker, scan_objects
from .verify import leak_error, scan_file, scan_structure

__all__ = [
    "WITHHELD_NAME",
    "Hit",
    "Looker",
    "Match",
    "NameMatcher",
    "OcrCache",
    "OcrError",
    "Protected",
    "PublicAnnex",
    "Redaction",
    "case_matcher",
    "check_manifest",
    "label_of",
    "leak_error",
    "matcher_for",
    "protected_parties",
    "pseudonym_of",
    "pseudonymise",
    "public_annex",
    "public_manifest",
    "redact_names",
    "redactions_entry",
    "scan_file",
    "scan_objects",
    "scan_structure",
    "tesseract_runner",
]
