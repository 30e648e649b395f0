"""Fast paths of the scan: a regex that finds candidate words in the folded text, and the map
from offsets in the folded text back to offsets in the original.

Scanning word by word in Python costs about a microsecond a word; a 5 MB text has a million
words. So :class:`.match.NameMatcher` folds the whole text at once (``str.translate``), lets one
compiled regex (:func:`trie_regex`: a trie of every form, tolerant of a word broken over lines)
pick out the few words where a name may start, maps their offsets back (:class:`Folded`) and
only there reads the original text word by word.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import Any

from .fold import fold_table

WORD = r"[^\W_ー]"
"""A character of a word in *folded* text (``ー`` is the skeleton of dashes and box lines)."""


JOIN = r"[\s\-]*"
"""What may break a word over several words of the text (folded): whitespace and hyphens."""


def _emit(node: dict[str, Any], ends: dict[str, str], path: str, joins: bool) -> str:
    alternatives: list[str] = []
    for ch in sorted(k for k in node if k):
        child = node[ch]
        gap = JOIN if joins and any(child) else ""
        alternatives.append(re.escape(ch) + gap + _emit(child, ends, path + ch, joins))
    if "" in node:
        alternatives.append(ends[path])
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def trie_regex(ends: dict[str, str], *, guard: str = "", joins: bool = False) -> str:
    """A regex matching each key of ``ends`` followed by its value (a look-ahead, say), shaped
    as a trie so that ``re`` tries few alternatives at a time.

    The pattern is an alternation of literals at the top level, which lets ``re`` skip every
    position whose character starts no key; ``guard`` (a look-behind) is placed right after the
    first character. With ``joins``, :data:`JOIN` may separate any two characters."""
    root: dict[str, Any] = {}
    for string in ends:
        node = root
        for ch in string:
            node = node.setdefault(ch, {})
        node[""] = {}
    out: list[str] = []
    for ch in sorted(k for k in root if k):
        child = root[ch]
        gap = JOIN if joins and any(child) else ""
        out.append(re.escape(ch) + guard + gap + _emit(child, ends, ch, joins))
    return "|".join(out)


@functools.cache
def _irregular() -> re.Pattern[str]:
    """A character whose skeleton is not exactly one character long."""
    codes = sorted(code for code, value in fold_table().items() if len(value) != 1)
    bmp = "".join(re.escape(chr(c)) for c in codes if c < 0x10000)
    astral = "".join(re.escape(chr(c)) for c in codes if c >= 0x10000)
    return re.compile(f"[{bmp}]|(?=[\\U00010000-\\U0010FFFF])[{astral}]")


_CHUNK = 1024


class Folded:
    """``skeleton(text)``, and the map from its offsets back to offsets in ``text``.

    Only the characters whose skeleton is empty or longer than one character break the
    one-to-one correspondence. The text is folded in chunks whose folded offsets are kept; an
    offset is mapped back by looking for those characters in its chunk only, from the last
    offset mapped when offsets are asked in increasing order."""

    def __init__(self, text: str) -> None:
        table = fold_table()
        pieces = [text[i : i + _CHUNK].translate(table) for i in range(0, len(text), _CHUNK)]
        self.original = text
        self.text = "".join(pieces)
        self._starts = [0, *itertools.accumulate(map(len, pieces))]
        self._cursor = (0, 0)  # an aligned (original, folded) pair: offsets asked in order

    def offset(self, folded: int) -> int:
        """The offset in the original text of the character at ``folded`` in the folded one
        (the first character after it, if that character was dropped)."""
        chunk = bisect.bisect_right(self._starts, folded) - 1
        chunk = min(chunk, max(len(self._starts) - 2, 0))
        o, f = chunk * _CHUNK, self._starts[chunk]
        if o <= self._cursor[0] and self._cursor[1] <= folded:
            o, f = self._cursor
        table = fold_table()
        end = min(chunk * _CHUNK + _CHUNK, len(self.original))
        for hit in _irregular().finditer(self.original, o, end):
            i = hit.start()
            if folded < f + (i - o):
                break
            f, o = f + (i - o), i
            size = len(table[ord(hit.group())])
            if folded < f + size:
                self._cursor = (o, f)
                return i
            f, o = f + size, i + 1
        self._cursor = (o, f)
        return o + (folded - f)
