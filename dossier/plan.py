"""Plan the dossier: order, paragraph and annex numbers, page ranges. Pure: no I/O.

A translation of an annex (``translation_of``) goes with its original: it is in the dossier
whenever the original is (and brings the original with it when it is cited), right after it,
numbered with the original's number and a letter: Annex 6, then Annex 6a, 6b.

The plan is computed twice during a build: once with the page counts of a first render of our own
pages (whose page numbers are placeholders), and again after the final render, to confirm that the
counts did not move. Annex page counts come from reading the annex files (done by the caller).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .models import Allegation, Annex, Submission
from .models.allegation import event_key


class PartKind(enum.StrEnum):
    COVER = "cover"
    CONTENTS = "contents"
    ALLEGATIONS = "allegations"
    CHRONOLOGY = "chronology"
    ANNEX_LIST = "annex_list"
    DIVIDER = "divider"
    ANNEX = "annex"


FRONT_PARTS: tuple[PartKind, ...] = (
    PartKind.COVER,
    PartKind.CONTENTS,
    PartKind.ALLEGATIONS,
    PartKind.CHRONOLOGY,
    PartKind.ANNEX_LIST,
)
"""Our own parts, in dossier order; each is rendered from the plan."""


def divider_key(annex_id: str) -> str:
    return f"divider:{annex_id}"


def annex_key(annex_id: str) -> str:
    return f"annex:{annex_id}"


def annex_label(number: int, letter: str = "") -> str:
    """``6``, or ``6a`` for the first translation of Annex 6."""
    return f"{number}{letter}"


@dataclass(frozen=True)
class Part:
    """A run of consecutive dossier pages with one stamp label and one bookmark."""

    key: str
    kind: PartKind
    first_page: int
    pages: int
    annex_no: int | None = None
    annex_id: str | None = None
    annex_letter: str = ""
    """``a``, ``b``… for a translation printed after its original."""

    @property
    def annex_label(self) -> str | None:
        return None if self.annex_no is None else annex_label(self.annex_no, self.annex_letter)

    @property
    def last_page(self) -> int:
        return self.first_page + self.pages - 1


@dataclass(frozen=True)
class PinRef:
    """``(Annex 3, p. 27)``: a pinpoint reference resolved to a dossier page."""

    annex_id: str
    annex_no: int
    pages: str | None
    dossier_page: int
    annex_letter: str = ""

    @property
    def annex_label(self) -> str:
        return annex_label(self.annex_no, self.annex_letter)


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph of the statement of allegations."""

    number: int
    allegation: Allegation
    refs: tuple[PinRef, ...]


@dataclass(frozen=True)
class PlannedAnnex:
    number: int
    annex: Annex
    pages: int
    divider_page: int
    first_page: int
    withheld: bool = False
    letter: str = ""
    """``a``, ``b``… for a translation, printed after its original (``original``)."""
    original: str | None = None

    @property
    def last_page(self) -> int:
        return self.first_page + self.pages - 1

    @property
    def label(self) -> str:
        """``6`` or ``6a``: what the dossier prints after "Annex"."""
        return annex_label(self.number, self.letter)


@dataclass(frozen=True)
class Plan:
    """Everything the render and assemble stages need to know about order and numbering."""

    submission: Submission
    language: str
    edition: str
    paragraphs: tuple[Paragraph, ...]
    annexes: tuple[PlannedAnnex, ...]
    parts: tuple[Part, ...]
    total_pages: int
    own_pages: Mapping[str, int] = field(default_factory=dict)
    volumes: Mapping[int, int] = field(default_factory=dict)
    """Annex number -> volume it is in, when the dossier is split (``--max-size``); an annex
    and its translations are never split apart."""
    records_language: str = "en"
    """The language the records are written in (their plain texts)."""

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)

    @property
    def front(self) -> tuple[PartKind, ...]:
        """The front parts this dossier has (none for late additions to a sent one)."""
        return tuple(p.kind for p in self.parts if p.kind in FRONT_PARTS)

    def annex_number(self, annex_id: str) -> int:
        return next(a.number for a in self.annexes if a.annex.id == annex_id)

    def dossier_page(self, annex_id: str, annex_page: int) -> int:
        """Dossier page of page ``annex_page`` (1-based, the annex's own) of an annex."""
        planned = next(a for a in self.annexes if a.annex.id == annex_id)
        if planned.withheld:
            return planned.first_page
        return planned.first_page + min(max(annex_page, 1), planned.pages) - 1


def order_allegations(allegations: Iterable[Allegation]) -> list[Allegation]:
    """Chronological order (:func:`~dossier.models.allegation.event_key`): an event known only to
    the month or year follows that period's dated events; never by file order."""
    return sorted(allegations, key=event_key)


def _pairs(translations: Mapping[str, str], prior: Mapping[str, int]) -> dict[str, list[str]]:
    """Original id -> its translations, in ``translations``' order. A translation numbered on
    its own before (in ``prior``, with another number than its original) keeps that number."""
    pairs: dict[str, list[str]] = {}
    for translation, original in translations.items():
        if translation == original:
            continue
        if translation in prior and prior[translation] != prior.get(original):
            continue
        pairs.setdefault(original, []).append(translation)
    return pairs


def number_annexes(
    paragraphs: Sequence[Allegation],
    extra: Sequence[str],
    prior: Mapping[str, int] | None = None,
    translations: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Annex numbers: first citation order, then ``extra``; ``prior`` numbers are kept.

    New annexes continue after the highest number used before, so numbers stay stable across
    the submissions of a case (Annex 7 in August is still Annex 7 in December).
    ``translations`` (translation id -> original id, in register order): an original and its
    translations are in the dossier together, all with the original's number (the letters
    are :func:`translation_letters`), whichever of them is cited first.
    """
    prior = dict(prior or {})
    pairs = _pairs(translations or {}, prior)
    root = {t: original for original, found in pairs.items() for t in found}
    numbers: dict[str, int] = {}
    cited = [ev.annex for allegation in paragraphs for ev in allegation.evidence]
    next_no = max(prior.values(), default=0) + 1
    for annex_id in [*cited, *extra]:
        original = root.get(annex_id, annex_id)
        if original in numbers:
            continue
        if original in prior:
            numbers[original] = prior[original]
        else:
            numbers[original] = next_no
            next_no += 1
        for translation in pairs.get(original, ()):
            numbers[translation] = numbers[original]
    return numbers


def translation_letters(
    numbers: Mapping[str, int], translations: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Translation id -> its letter (``a``, ``b``…) after its original's number, for the
    translations :func:`number_annexes` numbered with their original."""
    letters: dict[str, str] = {}
    count: dict[str, int] = {}
    for translation, original in (translations or {}).items():
        if translation == original or translation not in numbers or original not in numbers:
            continue
        if numbers[translation] != numbers[original]:
            continue
        count[original] = count.get(original, 0) + 1
        letters[translation] = _letters(count[original])
    return letters


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def make_plan(
    submission: Submission,
    allegations: Iterable[Allegation],
    annexes: Mapping[str, Annex],
    annex_pages: Mapping[str, int],
    own_pages: Mapping[str, int],
    *,
    language: str,
    edition: str = "full",
    prior_numbers: Mapping[str, int] | None = None,
    volumes: Mapping[int, int] | None = None,
    appendix_to: int = 0,
    translations: Mapping[str, str] | None = None,
    records_language: str = "en",
) -> Plan:
    """Lay out the dossier.

    ``annex_pages`` gives the page count of every annex body (for withheld annexes: 1);
    ``own_pages`` the page count of each of :data:`FRONT_PARTS` (missing ones count 1).
    ``appendix_to``: the page count of a dossier already sent that this one continues (late
    additions): no front parts and no paragraphs, only the annexes that ``prior_numbers`` does
    not number yet, their pages numbered on after the sent ones.
    ``translations``: translation id -> original id (see :func:`number_annexes`).
    """
    ordered = order_allegations(allegations)
    numbers = number_annexes(ordered, submission.annexes_extra, prior_numbers, translations)
    letters = translation_letters(numbers, translations)
    originals = {t: o for t, o in (translations or {}).items() if t in letters}
    parts: list[Part] = []
    page = appendix_to + 1
    if appendix_to:
        numbers = {i: n for i, n in numbers.items() if i not in (prior_numbers or {})}
        ordered = []
    for kind in () if appendix_to else FRONT_PARTS:
        count = max(int(own_pages.get(kind.value, 1)), 1)
        parts.append(Part(kind.value, kind, page, count))
        page += count
    planned: list[PlannedAnnex] = []
    order = sorted(
        numbers.items(),
        key=lambda item: (item[1], len(letters.get(item[0], "")), letters.get(item[0], "")),
    )
    for annex_id, number in order:
        annex = annexes[annex_id]
        withheld = edition == "public" and annex.confidential
        count = 1 if withheld else max(int(annex_pages.get(annex_id, 1)), 1)
        letter = letters.get(annex_id, "")
        divider = Part(divider_key(annex_id), PartKind.DIVIDER, page, 1, number, annex_id, letter)
        body = Part(annex_key(annex_id), PartKind.ANNEX, page + 1, count, number, annex_id, letter)
        parts += [divider, body]
        planned.append(
            PlannedAnnex(
                number, annex, count, page, page + 1, withheld, letter, originals.get(annex_id)
            )
        )
        page += 1 + count
    by_id = {a.annex.id: a for a in planned}
    paragraphs = []
    for index, allegation in enumerate(ordered, start=1):
        refs = []
        for ev in allegation.evidence:
            target = by_id[ev.annex]
            first = ev.page_numbers()[0]
            dossier_page = target.first_page
            if not target.withheld:
                dossier_page += min(max(first, 1), target.pages) - 1
            refs.append(PinRef(ev.annex, target.number, ev.pages, dossier_page, target.letter))
        paragraphs.append(Paragraph(index, allegation, tuple(refs)))
    return Plan(
        submission=submission,
        language=language,
        edition=edition,
        paragraphs=tuple(paragraphs),
        annexes=tuple(planned),
        parts=tuple(parts),
        total_pages=page - 1,
        own_pages=dict(own_pages),
        volumes=dict(volumes or {}),
        records_language=records_language,
    )
