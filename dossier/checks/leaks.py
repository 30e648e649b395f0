"""PRIV-02: an annex that is not confidential names a confidential party in its content.
PRIV-05: its scanned pages, which only OCR can read for names, have not been reviewed.

Annexes are evidence and are kept as they are in the full edition. The public edition shows
every page of such an annex as pixels with each form of the name burnt out under a box labelled
with the pseudonym, so this is a warning: look at the redactions in ``dossier-public.pdf`` (the
manifest lists them), or mark the annex confidential to withhold it whole.

The annex is read as the intake stage opened it: a text annex's text; a PDF's page text, and
every string and decoded stream of its objects (metadata, XMP, outline, annotations, link URIs,
hidden text), which the public edition drops but which show that the document names the person.
Names are found by the public edition's one matcher (any inflection, word order, initials,
look-alike letters, invisible characters, percent-encoding).
"""

from __future__ import annotations

from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from ..errors import PDF_READ_ERRORS, Problem, problem
from ..intake.pagetext import contents, page_text
from ..intake.repairs import collect_repairs
from ..load import CaseBundle
from ..public import Hit, Looker, NameMatcher, case_matcher, scan_objects
from . import Context

FIX = (
    "check the boxes over the name in the public edition (manifest-public.json lists them), or "
    "mark the annex confidential"
)


def _objects(reader: PdfReader) -> Iterator[tuple[int, object]]:
    numbers = {(i, g) for g, table in reader.xref.items() for i in table}
    numbers.update((i, 0) for i in reader.xref_objStm)
    for idnum, generation in sorted(numbers):
        try:
            yield idnum, reader.get_object(IndirectObject(idnum, generation, reader))
        except (*PDF_READ_ERRORS, OSError):
            continue


def _pages(reader: PdfReader) -> dict[int, str]:
    """Object number -> ``page N text`` for the content streams of each page."""
    out: dict[int, str] = {}
    for number, page in enumerate(reader.pages, start=1):
        for ref in contents(page):
            if isinstance(ref, IndirectObject):
                out.setdefault(ref.idnum, f"page {number} text")
    return out


def _page_texts(reader: PdfReader, looker: Looker) -> None:
    """The text of each page as a reader sees it (:func:`~dossier.intake.pagetext.page_text`)."""
    for number, page in enumerate(reader.pages, start=1):
        text = page_text(page)
        if text is not None:
            looker.look(f"page {number} text", text)


def pdf_places(reader: PdfReader, matcher: NameMatcher) -> dict[str, list[str]]:
    """Pseudonym -> places in the PDF that name that party."""
    looker = Looker(matcher, matcher.pseudonyms)
    try:
        with collect_repairs():
            scan_objects(_objects(reader), looker, places=_pages(reader))
    except (*PDF_READ_ERRORS, OSError, NotImplementedError):
        pass  # an unreadable part: the public edition shows pixels of what pdfium draws
    _page_texts(reader, looker)
    places: dict[str, list[str]] = {}
    for hit in sorted(looker.hits, key=_page_first):
        places.setdefault(hit.who, []).append(hit.place)
    for who, found in places.items():  # "page 1 text" says it: not also "page 1 text (object 9)"
        texts = [p for p in found if p.startswith("page ") and p.endswith(" text")]
        places[who] = [p for p in found if not any(p.startswith(f"{t} (object") for t in texts)]
    return places


def _page_first(hit: Hit) -> tuple[int, int, str]:
    words = hit.place.split()  # "page 3 text (object 12)" first, in page order
    if words[0] == "page" and words[1].isdigit():
        return 0, int(words[1]), hit.place
    return 1, 0, hit.place


def _places(text: list[str]) -> str:
    shown = ", ".join(text[:3])
    return shown + (f" and {len(text) - 3} more places" if len(text) > 3 else "")


def _unreviewed(bundle: CaseBundle, annex_id: str, scans: tuple[int, ...]) -> Problem:
    """PRIV-05: what `build --edition public` may refuse (PRIV-03) is known here only as a
    risk: whether OCR reads a scan with enough confidence is learnt by running it."""
    many = len(scans) > 1
    pages = ", ".join(map(str, scans[:20])) + (" …" if len(scans) > 20 else "")
    return problem(
        "PRIV-05",
        bundle.at("annex", annex_id, "file"),
        f"page{'s' if many else ''} {pages} of the annex {'are scans' if many else 'is a scan'} "
        "without text: the public edition reads them with OCR for confidential names and "
        "refuses the annex if a page cannot be read with enough confidence (PRIV-03)",
        "have a person read the annex's pages and add 'public_review: {by: <name>, date: "
        "<date>}' to it in annexes.yaml, or mark it confidential",
    )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    if not any(p.confidential for p in bundle.parties.all()):
        return
    matcher = case_matcher(bundle)
    if not matcher:
        return
    for source in ctx.sources:
        annex = source.annex
        if annex.confidential:
            continue
        if source.scans and annex.public_review is None:
            yield _unreviewed(bundle, annex.id, source.scans)
        if (
            source.kind in ("pdf", "office", "email")
            and source.reader is not None
            and not source.released
        ):
            places = pdf_places(source.reader, matcher)
        elif source.text is not None:
            found = {matcher.pseudonym(p) for p in matcher.parties_in(source.text)}
            places = {who: ["text"] for who in found}
        else:
            continue
        for who, where in sorted(places.items()):
            yield problem(
                "PRIV-02",
                bundle.at("annex", annex.id, "file"),
                f"the annex names confidential party '{who}' ({_places(where)}); the public "
                f"edition covers each mention with a box labelled '{who}'",
                FIX,
            )
