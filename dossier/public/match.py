"""One matcher for the names of confidential parties: pseudonymisation, PRIV checks, redaction
and the final leak scan all ask it, so they can never disagree.

How a text is read (:class:`NameMatcher`):

* The original text is cut into *words* (:func:`.fold.token_regex`: runs of characters whose
  skeleton is a letter or digit, with marks and invisible characters kept inside), and each word
  is folded to its skeleton (:func:`.fold.skeleton`). Offsets are those of the original text.
* A name is a sequence of slots (:mod:`.names`): each slot matches one word form exactly —
  every Russian and Kyrgyz case form of that word (:mod:`.inflect`) — so a short name never
  matches inside a longer word: ``Ali`` is not found in ``Alice``, nor ``Aida`` in ``Aidan``
  (``Aidan`` is no case form of ``Aida``), while ``Aida's`` is, and so is a word followed by
  digits (``aida.sultanova1985``: user names).
* One word of a name may be broken over several words of the text, joined by whitespace or
  hyphens only: ``Sulta-\\nnova``, ``Sulta\\fnova`` (page break), ``A i d a`` (letter-spaced
  titles); a joined form must have four letters or more.
* Between the words of a name: whitespace (line and page breaks included), hyphens, dots,
  ``_``, ``+``, and one comma (``Султанова, Айда``). After an initial, a dot is required
  (``А. Султанова``; ``а Султанова``, Russian "and Sultanova", is not an initial); an initial
  that ends a name must be followed by a dot, a comma, a semicolon, a colon, a closing bracket,
  a line break or the end of the text (``Султанова А.``, but not ``Султанова, а ...``).
* A whole name glued into one word (``AidaSultanova``, ``aida\\u200bsultanova1985`` in an
  address) is found anywhere inside a word; then the whole word is the match. Only names whose
  glued spelling has at least eight letters are looked for this way.
* Runs holding percent-escapes are decoded (:mod:`.uri`) and searched too; their matches are
  mapped back onto the encoded characters.
* Acronyms of up to eight letters only match a word without lower-case letters.

The longest name starting at each word is taken, and overlapping matches are merged into one
(``a. Султанова Айда``: the initial-and-surname reading and the surname-and-name reading make
one match), as are overlapping matches of the plain and the decoded reading; a merged match
names the party of its first part, :meth:`NameMatcher.parties_in` every party. Two parties
sharing a spelling: the first listed wins.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from .fold import fold_table, skeleton, token_regex
from .index import WORD, Folded, trie_regex
from .shapes import SlotKind, name_shape
from .uri import decoded_runs

_MIN_JOIN = 4
"""A word form spread over several words of the text must have at least this many letters."""
_MIN_GLUED = 8
_MIN_INNER = 4
"""A name whose word forms have at least this many letters is also found glued to the word
before it (``xAida Sultanova``, ``byАйда Султанова``) or after it (``Aida SultanovaB``): a
reader still sees it. The price: ``Baida Sultanova`` and ``Aida Sultanovalo`` match too."""
"""A name glued into one word is looked for only if it has at least this many letters."""
_LOOKAHEAD = 64
"""Words of the text looked at from where a name may start."""
_MAX_GAP = 120
_PREVIOUS_INITIAL = re.compile(r"(?<![^\W_])[^\W\d_]\s*\.\s*\Z")
_TRAILING_DIGITS = re.compile(r"[0-9]+\Z")
_JOIN = re.compile(r"[\s\-]+")
_NAME_GAP = re.compile(r"[\s\-ー._+]*(?:,[\s\-ー._+]*)?")
_AFTER_INITIAL = re.compile(r"\s*\.[\s\-ー]*")
_TRAILING = re.compile(r"\s*[.,;:)\]]|[^\S\n\r\f\v\u2028\u2029]*[\n\r\f\v\u2028\u2029]")


@dataclass(frozen=True)
class Protected:
    """A confidential party: its id, pseudonym and every spelling of its name (any script;
    an acronym too)."""

    party_id: str
    pseudonym: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A name of ``party_id`` at ``text[start:end]`` of the text that was searched."""

    start: int
    end: int
    party_id: str


class _Node:
    __slots__ = ("children", "party")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.party: int | None = None


class _Window:
    """The words of a text from one position on, folded, read lazily."""

    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self._words = token_regex().finditer(text, pos)
        self.spans: list[tuple[int, int]] = []
        self.folded: list[str] = []
        self.bare: list[str | None] = []
        self.candidates: dict[int, list[tuple[int, int]]] = {}

    def has(self, k: int) -> bool:
        table = fold_table()
        while len(self.spans) <= k and len(self.spans) < _LOOKAHEAD:
            word = next(self._words, None)
            if word is None:
                return False
            self.spans.append(word.span())
            self.folded.append(word.group().translate(table))
            bare = _TRAILING_DIGITS.sub("", word.group())
            self.bare.append(bare.translate(table) if bare != word.group() and bare else None)
        return k < len(self.spans)

    def gap(self, k: int) -> str | None:
        """Folded text between word ``k - 1`` and word ``k``; ``None`` if too long."""
        start, end = self.spans[k - 1][1], self.spans[k][0]
        return None if end - start > _MAX_GAP else skeleton(self.text[start:end])

    def trailing_ok(self, k: int) -> bool:
        """Whether what follows word ``k - 1`` may end a name that ends with an initial."""
        start = self.spans[k - 1][1]
        end = self.spans[k][0] if self.has(k) else len(self.text)
        rest = skeleton(self.text[start : min(end, start + _MAX_GAP)])
        return bool(_TRAILING.match(rest)) or (end == len(self.text) and not rest.strip())


class NameMatcher:
    """Finds the names of protected parties in text. Build once (a fraction of a second: the
    folding table and every form of every name), use on many texts."""

    def __init__(self, parties: Sequence[Protected]) -> None:
        self._parties = tuple(parties)
        self._kinds: list[SlotKind] = []
        self._forms: dict[str, list[int]] = {}
        self._initials: dict[str, list[int]] = {}
        self._any_initial: list[int] = []
        self._prefixes: set[str] = set()
        self._root = _Node()
        glued: dict[str, dict[int, set[str]]] = {}  # first form -> party -> rest patterns
        for index, party in enumerate(self._parties):
            for name in party.names:
                self._add_name(index, name, glued)
        # an initial starts a name only before a dot and a word that may follow it
        follow = trie_regex({form[:2]: "" for form in self._forms}, joins=True)
        after = f"(?=\\s*\\.[\\s\\-ー]*(?:{follow}|{WORD}{{1,2}}\\s*\\.))"
        ends = {initial: after for initial in self._initials}
        # digits may follow a name ("sultanova1985"; 0 and 1 fold to o and l; б folds to 6)
        digits = "".join(sorted(set("0123456789lo") - {skeleton(c) for c in "бБзЗчЧ"}))
        ends.update(
            (form, "" if len(form) >= _MIN_INNER else f"(?:(?!{WORD})|(?=[{digits}]))")
            for form in self._forms
        )
        guard = f"(?<!{WORD}[\\s\\S])"
        self._starts = re.compile(trie_regex(ends, guard=guard, joins=True))
        inner = {form: "" for form in self._forms if len(form) >= _MIN_INNER}
        inside = f"(?<={WORD}[\\s\\S])"  # a form that starts inside a word
        self._inner = re.compile(trie_regex(inner, guard=inside, joins=True)) if inner else None
        self._glued: re.Pattern[str] | None = None
        self._glued_by_party: list[tuple[int, re.Pattern[str]]] = []
        if glued:
            rests = {
                f: "(?:" + "|".join(sorted(set().union(*by.values()))) + ")"
                for f, by in glued.items()
            }
            self._glued = re.compile(trie_regex(rests))
            for index in range(len(self._parties)):
                alts = [
                    re.escape(f) + "(?:" + "|".join(sorted(by[index])) + ")"
                    for f, by in glued.items()
                    if index in by
                ]
                if alts:
                    self._glued_by_party.append((index, re.compile("|".join(alts))))

    def _add_name(self, party: int, name: str, glued: dict[str, dict[int, set[str]]]) -> None:
        shape = name_shape(name)
        if shape is None:
            return
        base = len(self._kinds)
        folded_slots: list[list[str]] = []
        for offset, slot in enumerate(shape.slots):
            self._kinds.append(slot.kind)
            if slot.kind == "any-initial":
                self._any_initial.append(base + offset)
            forms = sorted({skeleton(f) for f in slot.forms} - {""}, key=len, reverse=True)
            folded_slots.append(forms)
            target = self._initials if slot.kind == "initial" else self._forms
            for form in forms:
                target.setdefault(form, []).append(base + offset)
                if slot.kind == "word" and len(form) >= _MIN_JOIN:
                    self._prefixes.update(form[:i] for i in range(1, len(form)))
        for variant in shape.variants:
            node = self._root
            for slot_index in variant:
                node = node.children.setdefault(base + slot_index, _Node())
            if node.party is None:
                node.party = party
            if (
                len(variant) > 1
                and all(shape.slots[i].kind == "word" for i in variant)
                and sum(len(folded_slots[i][-1]) for i in variant) >= _MIN_GLUED
            ):
                rest = "".join(
                    "(?:" + "|".join(map(re.escape, folded_slots[i])) + ")" for i in variant[1:]
                )
                for form in folded_slots[variant[0]]:
                    glued.setdefault(form, {}).setdefault(party, set()).add(rest)

    def __bool__(self) -> bool:
        return bool(self._root.children)

    @property
    def pseudonyms(self) -> dict[str, str]:
        """Party id -> pseudonym, for every party of the matcher."""
        return {p.party_id: p.pseudonym for p in self._parties}

    def pseudonym(self, party_id: str) -> str:
        """The pseudonym of ``party_id`` (what errors and boxes show instead of the name)."""
        return self.pseudonyms.get(party_id, party_id)

    # ---- searching ----------------------------------------------------------------------

    def _candidates(self, win: _Window, k: int) -> list[tuple[int, int]]:
        """``(slot, next word index)`` for every slot a form starting at word ``k`` fills."""
        cached = win.candidates.get(k)
        if cached is not None:
            return cached
        out: list[tuple[int, int]] = []
        form = win.folded[k]
        out += ((slot, k + 1) for slot in self._initials.get(form, ()))
        if self._any_initial and len(form) <= 2:
            start, end = win.spans[k]
            if sum(ch.isalpha() for ch in win.text[start:end]) == 1:
                out += ((slot, k + 1) for slot in self._any_initial)
        j = k
        while True:
            for slot in self._forms.get(form, ()):
                if j > k and len(form) < _MIN_JOIN:
                    continue
                if self._kinds[slot] == "acronym":
                    start, end = win.spans[k][0], win.spans[j][1]
                    if any(ch.islower() for ch in win.text[start:end]):
                        continue
                out.append((slot, j + 1))
            if form not in self._prefixes or not win.has(j + 1):
                break
            gap = win.gap(j + 1)
            if gap is None or not _JOIN.fullmatch(gap):
                break
            j += 1
            form += win.folded[j]
        bare = win.bare[k]
        if bare is not None:  # "sultanova1985": digits glued to a name (user names)
            out += ((slot, k + 1) for slot in self._forms.get(bare, ()))
        word = win.folded[k]
        for size in range(len(word) - 1, _MIN_INNER - 1, -1):  # "SultanovaB": glued after
            for slot in self._forms.get(word[:size], ()):
                if self._kinds[slot] == "word":
                    out.append((slot, -(k + 1)))  # partial: may only end a name
        win.candidates[k] = out
        return out

    def _walk(self, win: _Window, node: _Node, k: int, after_initial: bool) -> tuple[int, int]:
        """Longest ``(end word index, party)`` reachable from ``node`` at word ``k``;
        ``(-1, -1)`` if none."""
        best = (-1, -1)
        if node.party is not None and (not after_initial or win.trailing_ok(k)):
            best = (k, node.party)
        if not node.children or not win.has(k):
            return best
        if node is not self._root:
            gap = win.gap(k)
            rule = _AFTER_INITIAL if after_initial else _NAME_GAP
            if gap is None or not rule.fullmatch(gap):
                return best
        for slot, nxt in self._candidates(win, k):
            child = node.children.get(slot)
            if child is not None and nxt < 0:  # a word glued to what follows: the name ends
                if child.party is not None and -nxt > best[0]:
                    best = (-nxt, child.party)
                continue
            if child is not None:
                initial = self._kinds[slot] in ("initial", "any-initial")
                found = self._walk(win, child, nxt, initial)
                if found[0] > best[0]:
                    best = found
        return best

    @staticmethod
    def _second_initial(win: _Window) -> bool:
        """Whether the name found starts with an initial that follows another one: in
        ``Б. А. Султанова`` the ``А.`` is a patronymic's, not Aida Sultanova's."""
        start, end = win.spans[0]
        if sum(ch.isalpha() for ch in win.text[start:end]) != 1:
            return False
        return bool(_PREVIOUS_INITIAL.search(win.text, max(0, start - 12), start))

    def _scan(self, text: str) -> Iterator[tuple[int, int, int]]:
        """``(start, end, party index)`` of the names in ``text`` read as it is."""
        folded = Folded(text)
        tried: set[int] = set()
        for regex in (self._starts, self._inner):
            if regex is None:
                continue
            search = regex.search
            candidate = search(folded.text)
            while candidate is not None:  # every start, even inside the previous candidate
                start = folded.offset(candidate.start())
                if start not in tried:
                    tried.add(start)
                    win = _Window(text, start)
                    end, party = self._walk(win, self._root, 0, False)
                    if end > 0 and not self._second_initial(win):
                        yield win.spans[0][0], win.spans[end - 1][1], party
                candidate = search(folded.text, candidate.start() + 1)
        if self._glued is None:
            return
        for hit in self._glued.finditer(folded.text):
            start = folded.offset(hit.start())
            party = next((i for i, rx in self._glued_by_party if rx.fullmatch(hit.group())), 0)
            for word in token_regex().finditer(text, max(0, start - _MAX_GAP)):
                if word.start() <= start < word.end():
                    yield word.start(), word.end(), party
                    break
                if word.start() > start:
                    break

    def _may_name(self, text: str) -> bool:
        """Whether a name may start in ``text`` (a quick reading of an encoded run)."""
        folded = skeleton(text)
        return bool(self._starts.search(folded) or (self._glued and self._glued.search(folded)))

    def _all(self, text: str) -> list[tuple[int, int, int]]:
        if not self or not text:
            return []
        hits = list(self._scan(text))
        if "%" in text:
            for offset, decoded in decoded_runs(text, self._may_name):
                for start, end, party in self._scan(decoded.text):
                    a, b = decoded.span(start, end)
                    hits.append((offset + a, offset + b, party))
        return hits

    def find(self, text: str) -> list[Match]:
        """Every name of a protected party in ``text``: sorted, non-overlapping, as offsets
        into ``text`` (overlapping readings merged into one match)."""
        merged: list[list[int]] = []
        for start, end, party in sorted(self._all(text), key=lambda h: (h[0], -h[1])):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end, party])
        return [Match(s, e, self._parties[p].party_id) for s, e, p in merged]

    def parties_in(self, text: str) -> set[str]:
        """Ids of the protected parties named in ``text``."""
        return {self._parties[p].party_id for _, _, p in self._all(text)}

    def replace(self, text: str) -> str:
        """``text`` with each name replaced by its party's pseudonym (percent-encoded inside a
        percent-encoded run, so a link stays a link)."""
        pseudonyms = {p.party_id: p.pseudonym for p in self._parties}
        out: list[str] = []
        last = 0
        for match in self.find(text):
            pseudonym = pseudonyms[match.party_id]
            if re.search(r"%[0-9A-Fa-f]{2}", text[match.start : match.end]):
                pseudonym = quote(pseudonym, safe="")
            out += [text[last : match.start], pseudonym]
            last = match.end
        out.append(text[last:])
        return "".join(out)

    def find_in_words(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """Names in a sequence of words in visual reading order (one entry per word, as a PDF
        text extractor gives them; whitespace-only entries mark line and page breaks):
        ``(first word index, last word index inclusive, party id)``.

        The words are read as one text with a space between each two, so a name split as
        ``"Sulta-"``, ``"nova"`` or over a line break is found like in running text."""
        starts: list[int] = []
        pos = 0
        for word in words:
            starts.append(pos)
            pos += len(word) + 1
        text = " ".join(words)
        out: list[tuple[int, int, str]] = []
        for match in self.find(text):
            first = bisect.bisect_right(starts, match.start) - 1
            last = bisect.bisect_right(starts, match.end - 1) - 1
            out.append((first, last, match.party_id))
        return out
