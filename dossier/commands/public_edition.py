"""The public edition's last steps: its own objects scanned for confidential names, its manifest
reduced to what may be shown, and the written file read back and scanned (see dossier/public/)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..plan import Plan
from ..public import (
    case_matcher,
    check_manifest,
    leak_error,
    public_manifest,
    redactions_entry,
    scan_file,
    scan_structure,
)
from .editions import Edition, Prepared


def page_place(plan: Plan) -> Callable[[int], str]:
    """Dossier page -> how an error names it: ``page 142 (Annex 7, p. 3)``."""

    def place(number: int) -> str:
        for part in plan.parts:
            if part.first_page <= number <= part.last_page:
                if part.annex_no is not None and part.kind.value == "annex":
                    return (
                        f"page {number} (Annex {part.annex_no}, p. {number - part.first_page + 1})"
                    )
                if part.annex_no is not None:
                    return f"page {number} (divider of Annex {part.annex_no})"
                return f"page {number} ({part.kind.value.replace('_', ' ')})"
        return f"page {number}"

    return place


def finish(
    ready: Prepared,
    edition: Edition,
    manifest: dict[str, Any],
    pdf_name: str = "dossier-public.pdf",
) -> dict[str, Any]:
    """The manifest of the edition; a public edition's own objects are scanned first (the text
    a reader sees is scanned once written, :func:`verify_public`) and its manifest reduced."""
    if edition.name != "public":
        return manifest
    matcher = case_matcher(ready.bundle)
    scan_structure(edition.assembled.objects(), matcher, matcher.pseudonyms, pdf_name)
    plan = edition.plan
    withheld = {a.annex.id for a in plan.annexes if a.withheld}
    numbers = {a.annex.id: (a.number, a.first_page) for a in plan.annexes}
    made = ready.public.annexes if ready.public is not None else {}
    redactions = redactions_entry(numbers, made, matcher.pseudonyms)
    public = public_manifest(manifest, withheld, redactions)
    check_manifest(
        public, matcher, pdf_name.replace("dossier", "manifest").replace(".pdf", ".json")
    )
    return public


def verify_public(ready: Prepared, plan: Plan, name: str) -> Callable[[Path | bytes], None]:
    """The final scan of a written public edition (a file, or a volume's bytes): the text of
    every page, the document information and the bookmarks, as pdfium reads them."""
    matcher = case_matcher(ready.bundle)

    def verify(pdf: Path | bytes) -> None:
        if not matcher:
            return
        where = page_place(plan) if isinstance(pdf, Path) else (lambda n: f"page {n} of the volume")
        hits = scan_file(pdf, matcher, matcher.pseudonyms, file=name, page_place=where)
        if hits:
            advice = "use the pseudonym in the records, or mark the annex confidential"
            raise leak_error(name if isinstance(pdf, Path) else "", hits, advice)

    return verify
