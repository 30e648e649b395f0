"""ANX-04: annex pages that are image-only scans, with no text a reader can search or copy.

A CFA officer searches the dossier for names and dates; a scanned Russian or Kyrgyz document is
a picture to that search. ``dossier build --ocr`` (the ``[ocr]`` extra, see
:mod:`dossier.commands.ocr`) adds an invisible text layer to exactly those pages, so ``check``
names them. The intake stage classifies the pages (:mod:`dossier.intake.scans`) when it opens
each annex; JPEG, PNG and TIFF annexes are image-only by nature.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem, problem
from ..load import CaseBundle
from . import Context

FIX = "run `dossier build --ocr` or supply a searchable copy"


def page_ranges(pages: tuple[int, ...]) -> str:
    """``(2, 3, 4, 5, 7)`` -> ``"2-5, 7"``."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _message(pages: tuple[int, ...], total: int) -> str:
    if len(pages) == total:
        which = "the page has" if total == 1 else f"all {total} pages have"
    elif len(pages) == 1:
        which = f"page {pages[0]} has"
    else:
        which = f"pages {page_ranges(pages)} have"
    return f"{which} no text layer (image-only scan)"


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for source in ctx.sources:
        if not source.scans or source.page_count is None:
            continue
        label = f"annex '{source.annex.id}' ({source.annex.file})"
        if source.kind == "image":
            message = f"{label} is an image: it has no text layer (image-only scan)"
        else:
            message = f"{label}: {_message(source.scans, source.page_count)}"
        yield problem("ANX-04", bundle.at("annex", source.annex.id, "file"), message, FIX)
