"""Names on a run of pages: the finder runs on the words of consecutive pages as one text.

Each page read for the public edition (:class:`PageRead`) gives four token sequences (see
``words.py``): the visual order, the visual order with a hyphenated line end joined to the next
line's first word, pdfium's content order, and the words OCR read in the pictures of a page that
also has text. :func:`find_pages` joins each sequence over the pages it is given, so a name that
runs over a page break ("…by Aida" / "Sultanova, who…", or "Sulta-" / "nova") is found like one
inside a page, and returns for every page the words each match covers there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PIL import Image

from .words import HYPHENS, Token, Word

ORDERS = 4
"""Visual, visual dehyphenated, content, OCR of pictures (see the module docstring)."""

Finder = Callable[[Sequence[str]], list[tuple[int, int, str]]]
"""Word texts -> ``(first word, last word inclusive, party id)`` of every name among them
(``NameMatcher.find_in_words``)."""

PageMatches = list[tuple[str, set[int]]]
"""``(party id, indices of the page's words)`` of each name on one page."""


@dataclass
class PageRead:
    """What pass 1 learnt of one page: its words and how to search them."""

    size: tuple[float, float]
    """Displayed width and height in points."""
    words: list[Word]
    orders: list[list[Token]]
    """:data:`ORDERS` token sequences over ``words``."""
    layer: set[int] = field(default_factory=set)
    """Words written to the public page's invisible text layer (unless redacted)."""
    ocr: bool = False
    unreadable: bool = False
    confidence: float | None = None
    image: Image.Image | None = field(default=None, repr=False)
    """The page as rendered in pass 1 (a scan: rendered for OCR), kept for pass 2 while the
    run's budget allows (:data:`pixels.KEEP_BYTES`)."""


def _joined(
    tokens: list[tuple[str, list[tuple[int, tuple[int, ...]]]]], page: int, tok: Token
) -> bool:
    """Join ``tok`` (the first of ``page``) to the last token when that ends in a hyphen."""
    if not tokens or not tok.text:
        return False
    text, owners = tokens[-1]
    if not text.endswith(HYPHENS) or owners[-1][0] != page - 1:
        return False
    tokens[-1] = (text[:-1] + tok.text, [*owners, (page, tok.words)])
    return True


Match = tuple[str, dict[int, set[int]]]
"""A name found: its party, and for each page it touches (index into the pages searched) the
indices of the words it covers there."""


def find_pages(pages: Sequence[PageRead], find: Finder) -> list[Match]:
    """Every name on ``pages`` read as one text in each order; a name over a page break touches
    both pages."""
    out: list[Match] = []
    for order in range(ORDERS):
        tokens: list[tuple[str, list[tuple[int, tuple[int, ...]]]]] = []
        for number, page in enumerate(pages):
            sequence = page.orders[order] if order < len(page.orders) else []
            for position, tok in enumerate(sequence):
                if order == 1 and position == 0 and _joined(tokens, number, tok):
                    continue
                tokens.append((tok.text, [(number, tok.words)]))
        if not tokens:
            continue
        for first, last, party_id in find([text for text, _ in tokens]):
            covered: dict[int, set[int]] = {}
            for _, owners in tokens[max(0, first) : last + 1]:
                for number, words in owners:
                    covered.setdefault(number, set()).update(words)
            covered = {number: words for number, words in covered.items() if words}
            if covered:
                out.append((party_id, covered))
    return out


def merge(matches: PageMatches) -> PageMatches:
    """Matches of the same party that share a word, as one (the orders find the same names)."""
    out: PageMatches = []
    for party_id, words in matches:
        for other_id, other in out:
            if other_id == party_id and other & words:
                other |= words
                break
        else:
            out.append((party_id, set(words)))
    return out
