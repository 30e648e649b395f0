"""FORM-15: the cover letter does not say the same thing twice.

A draft's cover letter is built from its urgency justification, its Markdown letter (paragraphs
and list items) and its lettered requests. When most of the words of one piece (a share of
:data:`THRESHOLD` or more of the shorter one, in the same order) stand in another, the letter
reads as a machine at work to the Office: the second is reported, with the line of the first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Place, Problem, problem
from ..load import CaseBundle
from . import Context
from .common import drafts, submission_text

THRESHOLD = 0.7
"""Share of the shorter piece's words found, in order, in the other."""
MIN_WORDS = 8
"""Shorter pieces ("Yours sincerely") are not compared."""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Piece:
    place: Place
    label: str
    words: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


def _pieces(bundle: CaseBundle, ctx: Context, sub_id: str) -> Iterator[_Piece]:
    sub = bundle.submission(sub_id)
    if sub is None:
        return
    justification = sub.urgency.justification or ""
    if justification:
        place = bundle.at("submission", sub.id, "urgency", "justification")
        yield _Piece(place, "the urgency justification", _words(justification))
    text = submission_text(bundle, sub, ctx.sources)
    if text is not None and not text.in_annex:
        offset = 0
        for block in re.split(r"\n\s*\n|\n(?=\s*[-*] )", text.text):
            start = text.text.find(block, offset)
            offset = max(start, offset)
            yield _Piece(text.at(bundle, max(start, 0)), "a paragraph of the letter", _words(block))
    for index, request in enumerate(sub.requests):
        place = bundle.at("submission", sub.id, "requests", index)
        yield _Piece(place, f"request ({chr(ord('a') + index)})", _words(request))


def _shared(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / min(len(a), len(b))


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    for sub in drafts(bundle):
        pieces = [p for p in _pieces(bundle, ctx, sub.id) if len(p.words) >= MIN_WORDS]
        for later_index, later in enumerate(pieces):
            for earlier in pieces[:later_index]:
                ratio = _shared(earlier.words, later.words)
                if ratio >= THRESHOLD:
                    where = f"{earlier.place.file}:{earlier.place.line}"
                    yield problem(
                        "FORM-15",
                        later.place,
                        f"{later.label} repeats {earlier.label} ({where}) almost word for word "
                        f"({ratio:.0%} alike)",
                        "say it once, and refer to it (e.g. 'the detentions in paragraph 5')",
                    )
                    break
