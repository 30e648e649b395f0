"""The folding every comparison goes through: a TR39-style *skeleton* of the text.

:func:`skeleton` maps each code point on its own (so offsets can be mapped back) through one
translation table, built once from constants:

1. NFKC, then full case folding (``"Ａｉｄａ"``, ``"𝐀ida"``, ``"AIDA"`` → ``"aida"``);
2. canonical decomposition, and every combining or enclosing mark dropped, so accents do not
   hide a name (``"Aïda"`` → ``"aida"``; note that Cyrillic ``й`` and ``ё`` fold like ``и``
   and ``е``, on both sides of every comparison);
3. every *default-ignorable* code point (DerivedCoreProperties.txt: soft hyphen, ZWSP/ZWJ/ZWNJ,
   bidi controls, CGJ U+034F, variation selectors U+FE0F…, tags, fillers such as U+3164), every
   format character (category Cf) and every invisible control character dropped;
4. every TR39 confusable (``confusables.txt``, as shipped by the PyPI package
   ``confusable-homoglyphs``) replaced by its prototype: Cyrillic ``а`` and Latin alpha ``ɑ``
   → ``a``, dotless ``ı`` → ``i``, Armenian ``օ`` → ``o``, ``1`` and ``|`` → ``l``, ``0`` → ``o``,
   ``m`` → ``rn`` and so on;
5. steps 1–4 repeated until nothing changes, so that ``skeleton`` is idempotent;
6. one extension, because TR39 is case-sensitive and the matching is not: a capital of another
   script confusable with a Latin capital, and a small letter of another script whose own
   skeleton is no Latin letter but whose capital is, fold to that Latin letter (Cyrillic
   ``т``/``Т`` → ``t``, ``н``/``Н`` → ``h``, ``в``/``В`` → ``b``, ``к``/``К`` → ``k``, Greek
   ``Ν`` → ``n``), so that ``SULТАNОVА`` spelt with Cyrillic or Greek capitals is caught and
   ``СУЛТАНОВА`` still equals ``Султанова``. Latin letters are left as TR39 has them (``I``
   → ``l`` but ``i`` → ``i``: folding ``i`` with ``l`` would make ``Aida`` equal ``Alda``), and
   an I-like capital of another script folds like ``I``.

The skeleton is only ever compared with other skeletons: the same words in Cyrillic and in
look-alike Latin letters fold to the same string, and so do ``"Sultanova"`` and
``"Ѕu1tаnоvа"``. It is not meant to be read.

The package data only holds the symmetric "x looks like y" pairs; the direction of each TR39
mapping is recovered from it: in ``confusables.txt`` a source maps to exactly one prototype and
is nobody's prototype, so a character listed with several look-alikes is a prototype, one with a
single multi-character look-alike is a source, and a character whose single look-alike has a
single look-alike too (an isolated pair) is mapped to the smaller code point of the two — which
preserves what matters here, that both fold to the same thing.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
import unicodedata
from collections.abc import Iterable
from types import MappingProxyType

_PLANES_END = 0x323B0
"""Code points below this are scanned when the table is built (planes 0–3: every script)."""

# Default_Ignorable_Code_Point, DerivedCoreProperties.txt (Unicode 15.1); Cf and marks are
# added by category on top of these.
_IGNORABLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_BIDI_MARKS = MappingProxyType(str.maketrans("", "", "\u200e\u200f"))
"""The package's data wraps right-to-left characters in LRM/RLM: not part of the glyphs."""


def is_ignorable(ch: str) -> bool:
    """Whether ``ch`` is dropped by :func:`skeleton`: default-ignorable, a format character,
    a combining or enclosing mark, or a control character that is not whitespace."""
    code = ord(ch)
    if any(low <= code <= high for low, high in _IGNORABLE_RANGES):
        return True
    category = unicodedata.category(ch)
    return category in ("Mn", "Me", "Cf") or (category == "Cc" and not ch.isspace())


@functools.cache
def _prototypes() -> dict[str, str]:
    """TR39 source character → prototype string, from ``confusable-homoglyphs``' data."""
    resource = importlib.resources.files("confusable_homoglyphs").joinpath("confusables.json")
    raw: dict[str, list[dict[str, str]]] = json.loads(resource.read_text("utf-8"))
    looks: dict[str, set[str]] = {}
    for key, entries in raw.items():
        bucket = looks.setdefault(key.translate(_BIDI_MARKS), set())
        bucket.update(entry["c"].translate(_BIDI_MARKS) for entry in entries)
    out: dict[str, str] = {}
    for key, alikes in looks.items():
        if len(key) != 1 or len(alikes) != 1:
            continue  # a multi-character string, or a prototype with several sources
        (alike,) = alikes
        if len(alike) > 1 or len(looks.get(alike, ())) > 1:
            out[key] = alike
        elif alike and alike != key:
            out[max(key, alike)] = min(key, alike)  # an isolated pair
    return out


def _step(text: str, prototypes: dict[str, str]) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFD", text)
    return "".join(prototypes.get(ch, ch) for ch in text if not is_ignorable(ch))


def _settle(text: str, prototypes: dict[str, str]) -> str:
    for _ in range(8):
        again = _step(text, prototypes)
        if again == text:
            break
        text = again
    return text


def _capital_lookalike(ch: str, prototypes: dict[str, str]) -> str | None:
    """The Latin letter the capital of ``ch`` looks like (Cyrillic к, К → k), if any."""
    capital = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch).upper())
    capital = "".join(c for c in capital if not is_ignorable(c))
    if len(capital) != 1:
        return None
    latin = prototypes.get(capital, capital)
    if len(latin) != 1 or not latin.isascii() or not latin.isalpha():
        return None
    return "i" if latin == "l" else latin.lower()  # TR39's prototype of I-like capitals is l


def _fold_char(ch: str, prototypes: dict[str, str]) -> str:
    if is_ignorable(ch):
        return ""
    folded = _settle(ch, prototypes)
    if ch.isascii() or not ch.isalpha():
        return folded
    if ch.isupper() or not (folded.isascii() and folded.isalpha()):
        latin = _capital_lookalike(ch, prototypes)
        if latin is not None:
            return _settle(latin, prototypes)
    return folded


def _candidates() -> Iterable[str]:
    """Characters that may fold to something else than themselves."""
    prototypes = _prototypes()
    for code in range(_PLANES_END):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category == "Cn" and not is_ignorable(ch):
            continue
        if (
            ch in prototypes
            or category in ("Mn", "Me", "Cf", "Cc")
            or unicodedata.decomposition(ch)
            or ch.casefold() != ch
            or unicodedata.normalize("NFD", ch) != ch
            or is_ignorable(ch)
        ):
            yield ch
    for low, high in _IGNORABLE_RANGES:
        if high >= _PLANES_END:
            yield from map(chr, range(max(low, _PLANES_END), high + 1))
    yield from (ch for ch in prototypes if ord(ch) >= _PLANES_END)


@functools.cache
def fold_table() -> dict[int, str]:
    """The translation table of :func:`skeleton` (``str.translate`` form), built once.

    Only characters that change are listed; every value is a fixed point of the table."""
    prototypes = _prototypes()
    table: dict[int, str] = {}
    for ch in _candidates():
        folded = _fold_char(ch, prototypes)
        if folded != ch:
            table[ord(ch)] = folded
    for _ in range(8):  # close the table under itself (idempotence)
        changed = False
        for code, value in table.items():
            again = value.translate(table)
            if again != value:
                table[code] = again
                changed = True
        if not changed:
            break
    return table


def skeleton(text: str) -> str:
    """The folded form of ``text`` used for every comparison (see the module docstring).

    Idempotent; character by character, so ``"".join(map(skeleton, text)) == skeleton(text)``.
    """
    return text.translate(fold_table())


def _ranges(codes: Iterable[int]) -> str:
    """A regex character-class body for a set of code points, as ranges."""
    out: list[str] = []
    ordered = sorted(set(codes))
    start = prev = -2
    for code in [*ordered, -1]:
        if code == prev + 1:
            prev = code
            continue
        if start >= 0:
            out.append(re.escape(chr(start)))
            if prev > start:
                out.append("-" + re.escape(chr(prev)))
        start = prev = code
    return "".join(out)


@functools.cache
def token_regex() -> re.Pattern[str]:
    """A word of the *original* text: a maximal run of characters whose skeleton is a letter
    or digit, or empty (marks and invisible characters stay inside the word they split).

    ``"Su|tanova"``, ``"Ai\\u200bda"`` and ``"Ａｉｄａ"`` are one word each; whitespace, ``_``
    and punctuation separate words. (The characters outside the Basic Multilingual Plane are a
    separate class behind a cheap look-ahead: ``re`` tests a class holding them range by range,
    which would make every character cost as much as the rarest.)"""
    table = fold_table()
    bmp: list[int] = []
    astral: list[int] = []
    for code in range(_PLANES_END):
        ch = chr(code)
        if ch.isspace() or ch == "_":
            continue
        folded = table.get(code, ch)
        if folded == "" or any(c.isalnum() and c != "ー" for c in folded):
            (bmp if code < 0x10000 else astral).append(code)
    astral += (code for code, value in table.items() if code >= _PLANES_END and not value)
    outside = r"(?=[\U00010000-\U0010FFFF])"
    return re.compile(f"(?:[{_ranges(bmp)}]+|{outside}[{_ranges(astral)}])+")
