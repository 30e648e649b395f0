"""The public edition: pseudonyms for confidential parties, and the leak scan of the finished PDF.

:func:`scan_pdf` searches a PDF for the names and aliases of confidential parties everywhere a
reader could find them: the extracted text of every page, outline titles, link and annotation
strings (titles, contents, URIs), the document information dictionary, XMP metadata, and every
decompressed content stream and form XObject (strings of the text operators, joined as shown, and
the raw bytes). :func:`assert_no_leaks` raises :class:`~dossier.errors.LeakError` naming every
place. The build calls :func:`check_public_output` before it writes ``dossier-public.pdf``: the
scan, then the public manifest (withheld annexes reduced to number and pages), itself scanned.
Pages of PDF annexes that PRIV-02 (``checks/leaks.py``) already scanned clean skip only the text
extraction (:func:`mark_verified`, :func:`verified_pages`).

:func:`pseudonymise` (and :func:`redact_names`) replace names in free text with the same matching:
the render stage (``render.names.redact_text``) and the bookmarks (``assemble/outline.py``) use
it, so what is redacted and what the scan finds can never disagree.

Matching (:func:`fold`): NFKC, case folding, combining marks and invisible format characters
removed, Cyrillic/Greek look-alikes of Latin letters mapped to them, runs of whitespace collapsed.
A name matches where it starts a word; extra whitespace, line breaks and hyphenation inside it are
tolerated. Short names (under four letters) must also end a word, so "Ali" does not match "Alice".
A name of several words whose first word has three letters or more matches even glued to what
precedes it ("xAida Sultanova" still shows the name to a reader); the price is that "Baida
Sultanova" counts as a hit too. An initial ("A. Sultanova") must start a word, or "Dina Sultanova"
would match.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import sys
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from .errors import LeakError
from .load import CaseBundle
from .models import PartyBase

if TYPE_CHECKING:
    from .plan import Plan

_LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "һ": "h",
        "ӏ": "l",
        "ԛ": "q",
        "ԝ": "w",
        "ο": "o",
        "α": "a",
        "ν": "v",
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=\w)[-\u00ad\u2010\u2011]\s*\n\s*(?=\w)")
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011.,'\u2019_]+")
_SHORT = 4
"""Names with fewer letters than this must match a whole word."""


@functools.cache
def _invisible() -> dict[int, None]:
    """Combining marks and format characters (ZWSP, bidi controls…): deleted by :func:`fold`."""
    return {
        code: None
        for code in range(sys.maxunicode + 1)
        if unicodedata.combining(chr(code)) or unicodedata.category(chr(code)) == "Cf"
    }


def fold(text: str) -> str:
    """Normalise text for matching: see the module docstring. Idempotent."""
    text = _HYPHEN_BREAK.sub("", text)
    if text.isascii():
        return _SPACES.sub(" ", text.lower())
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFD", text).translate(_invisible())
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    return _SPACES.sub(" ", text)


# ---- who must not appear -------------------------------------------------------------------


@dataclass(frozen=True)
class Protected:
    """A confidential party: its id, pseudonym and every spelling of its name."""

    party_id: str
    pseudonym: str
    names: tuple[str, ...]


WITHHELD_NAME = "[name withheld]"
"""Printed for a confidential party that has no pseudonym (check reports the missing pseudonym)."""


def pseudonym_of(party: PartyBase) -> str:
    """The name printed for a confidential party in the public edition."""
    return party.pseudonym or WITHHELD_NAME


def protected_parties(bundle: CaseBundle) -> list[Protected]:
    """Every party marked confidential, with its name and all its aliases (any script)."""
    out = []
    for party in bundle.parties.all():
        if not party.confidential:
            continue
        names = [party.name, *(alias.name for alias in party.aliases)]
        acronym = getattr(party, "acronym", None)
        if isinstance(acronym, str) and acronym:
            names.append(acronym)
        out.append(Protected(party.id, pseudonym_of(party), tuple(dict.fromkeys(names))))
    return out


# ---- matching -------------------------------------------------------------------------------


def _token_pattern(token: str, loose: bool) -> str:
    if not loose:
        return re.escape(token)
    return r"\s?".join(re.escape(ch) for ch in token)


def _name_pattern(name: str) -> str | None:
    folded = fold(name).strip()
    tokens = [t for t in _SEPARATORS.split(folded) if t]
    if not tokens:
        return None
    letters = sum(len(t) for t in tokens)
    loose = letters >= _SHORT
    body = r"[\s\-\u2010\u2011.,'\u2019_]*".join(_token_pattern(t, loose) for t in tokens)
    end = "" if loose else r"(?!\w)"
    glued = loose and len(tokens) > 1 and len(tokens[0]) >= 3  # not after an initial: "A. X"
    start = "" if glued else r"(?<!\w)"
    return rf"{start}{body}{end}"


class Matcher:
    """Finds which protected parties a text names. Build once, use on many texts."""

    def __init__(self, parties: Iterable[Protected]) -> None:
        self.parties = list(parties)
        groups = []
        self._ids: dict[str, str] = {}
        for index, party in enumerate(self.parties):
            longest_first = sorted(party.names, key=lambda n: len(fold(n)), reverse=True)
            patterns = [p for p in (_name_pattern(n) for n in longest_first) if p]
            if not patterns:
                continue
            group = f"p{index}"
            self._ids[group] = party.party_id
            groups.append(f"(?P<{group}>{'|'.join(patterns)})")
        self._regex = re.compile("|".join(groups)) if groups else None

    def __bool__(self) -> bool:
        return self._regex is not None

    def find(self, text: str) -> set[str]:
        """Ids of the protected parties named in ``text``."""
        if self._regex is None or not text:
            return set()
        found: set[str] = set()
        folded = fold(text)
        for match in self._regex.finditer(folded):
            group = match.lastgroup
            if group is not None:
                found.add(self._ids[group])
        return found

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, party id)`` of every name in ``text``, as offsets into ``text``.

        Each character is folded on its own (so offsets map back); whitespace is kept as it is,
        which the patterns tolerate. A hyphenated line break inside a name is not undone here.
        """
        if self._regex is None or not text:
            return []
        pieces = [_fold_char(ch) for ch in text]
        folded = "".join(pieces)
        owner: list[int] = [i for i, piece in enumerate(pieces) for _ in piece]
        out = []
        for match in self._regex.finditer(folded):
            if match.lastgroup is None or match.end() == match.start():
                continue
            start, end = owner[match.start()], owner[match.end() - 1] + 1
            while end < len(text) and not pieces[end]:  # marks and invisibles after the name
                end += 1
            out.append((start, end, self._ids[match.lastgroup]))
        return out


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    if ch.isspace():
        return " "
    folded = unicodedata.normalize("NFKC", ch).casefold()
    folded = unicodedata.normalize("NFD", folded).translate(_invisible())
    return unicodedata.normalize("NFC", folded).translate(_LOOKALIKES)


# ---- scanning a PDF -------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Hit:
    """One place where a confidential party is named."""

    place: str
    party_id: str

    def __str__(self) -> str:
        return f"{self.place}: names confidential party '{self.party_id}'"


_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_SKIP_SUBTYPES = {"/Image", "/Type1C", "/CIDFontType0C", "/OpenType"}


def _strings_in_content(data: bytes) -> str:
    """The text operands of a content stream, TJ array parts joined, others space-separated.

    A small tokenizer: literal strings with escapes and nested parentheses, hex strings; the
    characters are taken as Latin-1 (what simple fonts mostly use), which is enough to find a
    name written in a standard encoding even when a kerning array splits it.
    """
    out: list[str] = []
    i, n = 0, len(data)
    in_array = False
    while i < n:
        c = data[i]
        if c == 0x28:  # (
            depth, i, buf = 1, i + 1, bytearray()
            while i < n and depth:
                b = data[i]
                if b == 0x5C and i + 1 < n:  # backslash
                    nxt = data[i + 1]
                    esc = {0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12}.get(nxt)
                    if esc is not None:
                        buf.append(esc)
                        i += 2
                    elif 0x30 <= nxt <= 0x37:
                        j = i + 1
                        while j < min(i + 4, n) and 0x30 <= data[j] <= 0x37:
                            j += 1
                        buf.append(int(data[i + 1 : j], 8) & 0xFF)
                        i = j
                    elif nxt in (0x0A, 0x0D):
                        i += 2
                    else:
                        buf.append(nxt)
                        i += 2
                    continue
                if b == 0x28:
                    depth += 1
                elif b == 0x29:
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                buf.append(b)
                i += 1
            out.append(_decode_bytes(bytes(buf)))
            out.append("" if in_array else " ")
            continue
        if c == 0x3C and i + 1 < n and data[i + 1] != 0x3C:  # <hex>
            end = data.find(b">", i + 1)
            if end < 0:
                break
            hexdigits = re.sub(rb"[^0-9A-Fa-f]", b"", data[i + 1 : end])
            if len(hexdigits) % 2:
                hexdigits += b"0"
            out.append(_decode_bytes(bytes.fromhex(hexdigits.decode("ascii"))))
            out.append("" if in_array else " ")
            i = end + 1
            continue
        if c == 0x5B:
            in_array = True
        elif c == 0x5D:
            in_array = False
            out.append(" ")
        i += 1
    return "".join(out)


def _decode_bytes(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _text_of(obj: Any) -> str | None:
    if isinstance(obj, TextStringObject):
        return str(obj)
    if isinstance(obj, ByteStringObject):
        return _decode_bytes(bytes(obj))
    if isinstance(obj, NameObject):
        return str(obj)[1:].replace("#20", " ")
    if isinstance(obj, str):
        return obj
    return None


def _strings(obj: Any, depth: int = 0) -> Iterator[str]:
    """Every string and name directly inside ``obj`` (not following indirect references)."""
    if depth > 50:
        return
    if isinstance(obj, IndirectObject):
        return
    text = _text_of(obj)
    if text is not None:
        yield text
        return
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in ("/Parent", "/P", "/Prev", "/Next", "/First", "/Last"):
                continue
            yield str(key)[1:]
            yield from _strings(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for item in obj:
            yield from _strings(item, depth + 1)


class _Scan:
    def __init__(self, reader: PdfReader, matcher: Matcher) -> None:
        self.reader = reader
        self.matcher = matcher
        self.hits: set[Hit] = set()
        self.failures: list[str] = []
        self.used_by: dict[int, set[int]] = {}
        """Stream object number -> pages whose contents or resources refer to it."""
        self.skip: frozenset[int] = frozenset()

    def look(self, place: str, text: str | None) -> None:
        if text:
            for party_id in self.matcher.find(text):
                self.hits.add(Hit(place, party_id))

    def pages(self, skip_text: Collection[int] = ()) -> dict[int, str]:
        """Scan page texts and annotations; return object number -> place of content streams.

        ``skip_text``: page numbers whose text need not be extracted (see :func:`scan_pdf`).
        """
        owners: dict[int, str] = {}
        self.skip = frozenset(skip_text)
        for number, page in enumerate(self.reader.pages, start=1):
            try:
                text = "" if number in skip_text else page.extract_text()
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
                self.failures.append(f"page {number}: text cannot be extracted ({exc})")
                text = ""
            self.look(f"page {number} text", text)
            contents = page.get("/Contents")
            refs = contents if isinstance(contents, ArrayObject) else [contents]
            for ref in refs:
                if isinstance(ref, IndirectObject):
                    owners[ref.idnum] = f"page {number} content stream (obj {ref.idnum})"
                    self.used_by.setdefault(ref.idnum, set()).add(number)
            resources = page.get("/Resources")
            xobjects = resources.get_object().get("/XObject") if resources else None
            if isinstance(xobjects, IndirectObject):
                xobjects = xobjects.get_object()
            if isinstance(xobjects, DictionaryObject):
                for name, ref in xobjects.items():
                    if isinstance(ref, IndirectObject):
                        owners.setdefault(
                            ref.idnum, f"page {number} XObject {name} (obj {ref.idnum})"
                        )
                        self.used_by.setdefault(ref.idnum, set()).add(number)
            annots = page.get("/Annots")
            annots = annots.get_object() if annots is not None else None
            if isinstance(annots, ArrayObject):
                for index, annot in enumerate(annots, start=1):
                    annot = annot.get_object()
                    if isinstance(annot, DictionaryObject):
                        kind = str(annot.get("/Subtype", "/Annot"))[1:]
                        place = f"page {number} {kind.lower()} annotation {index}"
                        for text in _strings(annot):
                            self.look(place, text)
                        action = annot.get("/A")
                        action = action.get_object() if action is not None else None
                        for text in _strings(action):
                            self.look(place, text)
        return owners

    def outline(self, items: Any, trail: str = "") -> None:
        for item in items:
            if isinstance(item, list):
                self.outline(item, trail)
                continue
            title = str(getattr(item, "title", "") or "")
            place = f'outline "{_clip(_replace(title, self.matcher))}"'  # the error names no one
            self.look(place, title)
            for text in _strings(item):
                self.look(place, text)

    def info(self) -> None:
        info = self.reader.trailer.get("/Info")
        info = info.get_object() if info is not None else None
        if isinstance(info, DictionaryObject):
            for key, value in info.items():
                for text in _strings(value.get_object() if value is not None else None):
                    self.look(f"metadata {key}", text)

    def objects(self, owners: dict[int, str]) -> None:
        """Every indirect object: strings and names, and decompressed streams."""
        font_files: set[int] = set()
        numbers = self._object_numbers()
        resolved: list[tuple[int, Any]] = []
        for idnum, generation in numbers:
            try:
                obj = self.reader.get_object(IndirectObject(idnum, generation, self.reader))
            except (PyPdfError, ValueError, KeyError, TypeError, OSError):
                continue
            resolved.append((idnum, obj))
            if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor":
                for key in _FONT_FILES:
                    ref = obj.get(key)
                    if isinstance(ref, IndirectObject):
                        font_files.add(ref.idnum)
        root = self.reader.trailer.get("/Root")
        root = root.get_object() if root is not None else None
        xmp_ref = root.get("/Metadata") if isinstance(root, DictionaryObject) else None
        xmp_id = xmp_ref.idnum if isinstance(xmp_ref, IndirectObject) else -1
        for idnum, obj in resolved:
            if isinstance(obj, StreamObject):
                self._stream(idnum, obj, owners, font_files, xmp_id)
            for text in _strings(obj):
                self.look(f"object {idnum}", text)

    def _stream(
        self, idnum: int, obj: StreamObject, owners: dict[int, str], fonts: set[int], xmp: int
    ) -> None:
        subtype = str(obj.get("/Subtype", ""))
        if idnum in fonts or subtype in _SKIP_SUBTYPES or "/Length1" in obj:
            return
        if self.skip and self.used_by.get(idnum, {0}) <= self.skip:
            return  # only on pages copied unchanged from an annex already scanned clean
        if idnum == xmp or obj.get("/Type") == "/Metadata":
            place = f"XMP metadata (obj {idnum})"
        elif idnum in owners:
            place = owners[idnum]
        elif subtype == "/Form":
            place = f"form XObject (obj {idnum})"
        else:
            place = f"stream (obj {idnum})"
        try:
            data = obj.get_data()
        except (PyPdfError, ValueError, KeyError, TypeError, OSError, NotImplementedError) as exc:
            self.failures.append(f"{place}: cannot be decompressed ({exc})")
            return
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.look(place, _decode_bytes(data))
        self.look(place, _strings_in_content(data))

    def _object_numbers(self) -> list[tuple[int, int]]:
        numbers: set[tuple[int, int]] = set()
        for generation, table in self.reader.xref.items():
            for idnum in table:
                numbers.add((idnum, generation))
        for idnum in self.reader.xref_objStm:
            numbers.add((idnum, 0))
        return sorted(numbers)


_PLACE_ORDER = ("page", "outline", "metadata", "XMP", "form", "stream", "object")


def _place_key(hit: Hit) -> tuple[int, int, str, str]:
    """Page texts first (in page order), then outline, metadata, streams, other objects."""
    head = hit.place.split(" ", 1)[0]
    rank = _PLACE_ORDER.index(head) if head in _PLACE_ORDER else len(_PLACE_ORDER)
    number = re.match(r"page (\d+) text", hit.place)
    sub = 0 if number else 1
    page = int(number.group(1)) if number else 0
    if rank == 0 and not number:
        page = int(hit.place.split()[1]) if hit.place.split()[1].isdigit() else 0
    return (rank * 2 + sub, page, hit.place, hit.party_id)


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def scan_reader(
    reader: PdfReader, matcher: Matcher, skip_text: Collection[int] = ()
) -> tuple[list[Hit], list[str]]:
    """Hits in an opened PDF, and the parts that could not be checked (see :func:`scan_pdf`)."""
    scan = _Scan(reader, matcher)
    owners = scan.pages(skip_text)
    try:
        outline = reader.outline
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        scan.failures.append(f"outline cannot be read ({exc})")
        outline = []
    scan.outline(outline)
    scan.info()
    scan.objects(owners)
    return sorted(scan.hits, key=_place_key), scan.failures


def scan_pdf(
    data: bytes, parties: Iterable[Protected], skip_text: Collection[int] = ()
) -> list[Hit]:
    """Every place in the PDF ``data`` that names one of ``parties``; see the module docstring.

    ``skip_text`` lists pages (1-based) whose text extraction may be skipped because their
    content streams come unchanged from an annex file already scanned clean (the slow part of a
    scan is pypdf's text extraction); their annotations, streams and objects are still scanned.

    Raises :class:`LeakError` when the PDF cannot be read or a part of it cannot be checked
    (text that cannot be extracted, a stream that cannot be decompressed): a public edition that
    cannot be verified is not written.
    """
    matcher = Matcher(parties)
    try:
        hits, failures = scan_reader(PdfReader(io.BytesIO(data)), matcher, skip_text)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise LeakError(f"public edition cannot be checked for leaks: {exc}") from None
    if failures:
        raise LeakError(
            "public edition cannot be fully checked for leaks: " + "; ".join(failures[:5])
        )
    return hits


MAX_PLACES = 20
"""At most this many places are listed in a LeakError message."""


def assert_no_leaks(data: bytes, bundle: CaseBundle, skip_text: Collection[int] = ()) -> None:
    """Raise :class:`LeakError` (exit 3) naming every place where a confidential party appears."""
    parties = protected_parties(bundle)
    if not parties:
        return
    hits = scan_pdf(data, parties, skip_text)
    if not hits:
        return
    shown = [str(hit) for hit in hits[:MAX_PLACES]]
    more = f"; and {len(hits) - MAX_PLACES} more" if len(hits) > MAX_PLACES else ""
    raise LeakError(
        f"the public edition would expose confidential parties in {len(hits)} place(s): "
        + "; ".join(shown)
        + more
        + " — use the pseudonym in the records, or mark the annex confidential"
    )


@functools.lru_cache(maxsize=16)
def matcher_for(parties: tuple[Protected, ...]) -> Matcher:
    """One :class:`Matcher` per set of protected parties, kept for the many texts of a build."""
    return Matcher(parties)


def pseudonymise(text: str, bundle: CaseBundle, matcher: Matcher | None = None) -> str:
    """Replace every spelling of every confidential party's name in ``text`` by its pseudonym.

    For generated text whose words come from free text in the records (the leak scan still runs
    on the result). Matching is the scanner's (:class:`Matcher`): case, accents, width, extra
    spaces and line breaks, invisible characters and look-alike letters do not hide a name.
    ``matcher`` defaults to the cached one of the bundle's protected parties.
    """
    if matcher is None:
        matcher = matcher_for(tuple(protected_parties(bundle)))
    return _replace(text, matcher)


def redact_names(text: str, parties: Iterable[Protected]) -> str:
    """:func:`pseudonymise` for callers that hold the protected parties, not the bundle
    (the assemble stage: ``Plan.protected``)."""
    parties = tuple(parties)
    return _replace(text, matcher_for(parties)) if parties else text


def _replace(text: str, matcher: Matcher) -> str:
    if not matcher or not text:
        return text
    pseudonyms = {p.party_id: p.pseudonym for p in matcher.parties}
    out, last = [], 0
    for start, end, party_id in matcher.spans(text):
        if start < last:
            continue
        out += [text[last:start], pseudonyms[party_id]]
        last = end
    out.append(text[last:])
    return "".join(out)


# ---- the public edition's output ---------------------------------------------------------------


def public_manifest(manifest: dict[str, Any], withheld: set[str]) -> dict[str, Any]:
    """The manifest of the public edition: nothing about withheld annexes but number and pages.

    Withheld annexes lose id, title, file and hash; their files leave the input list; the
    warnings (which quote records) are only counted.
    """
    files = set()
    annexes = []
    for entry in manifest.get("annexes", []):
        if entry.get("id") in withheld:
            if entry.get("file"):
                files.add(f"annexes/{entry['file']}")
            keep = ("number", "divider_page", "first_page", "last_page", "pages")
            entry = {key: entry[key] for key in keep if key in entry} | {"withheld": True}
        annexes.append(entry)
    parts = []
    for part in manifest.get("parts", []):
        if str(part.get("key", "")).split(":", 1)[-1] in withheld:
            part = {k: v for k, v in part.items() if k != "key"} | {"withheld": True}
        parts.append(part)
    out = dict(manifest)
    out["annexes"] = annexes
    out["parts"] = parts
    out["inputs"] = [i for i in manifest.get("inputs", []) if i.get("file") not in files]
    out["warnings"] = len(manifest.get("warnings", []))
    return out


_VERIFIED: set[tuple[tuple[str, ...], str]] = set()
"""(names searched, sha256) of annex files scanned whole and found clean in this process."""


def _names_key(parties: Iterable[Protected]) -> tuple[str, ...]:
    return tuple(sorted(name for party in parties for name in party.names))


def mark_verified(data: bytes, parties: Iterable[Protected]) -> None:
    """Record that the annex file ``data`` names none of ``parties`` (PRIV-02 scanned it)."""
    _VERIFIED.add((_names_key(parties), hashlib.sha256(data).hexdigest()))


def is_verified(sha256: str, parties: Iterable[Protected]) -> bool:
    return (_names_key(parties), sha256) in _VERIFIED


def verified_pages(plan: Plan, sources: Any, parties: Iterable[Protected]) -> set[int]:
    """Dossier pages of PDF annexes that PRIV-02 scanned clean: their text need not be
    extracted again (their content streams are copied unchanged; see DESIGN.md §3)."""
    parties = list(parties)
    pages: set[int] = set()
    for planned in plan.annexes:
        source = None if planned.withheld else sources.get(planned.annex.id)
        if source is not None and source.kind == "pdf" and is_verified(source.sha256, parties):
            pages.update(range(planned.first_page, planned.last_page + 1))
    return pages


def check_public_output(
    data: bytes, manifest: dict[str, Any], bundle: CaseBundle, plan: Plan, sources: Any
) -> dict[str, Any]:
    """Scan the public PDF (:func:`assert_no_leaks`) and return its manifest, also scanned.

    ``sources`` are the opened annexes (``dossier.assemble.Sources``).
    """
    withheld = {a.annex.id for a in plan.annexes if a.withheld}
    assert_no_leaks(data, bundle, verified_pages(plan, sources, protected_parties(bundle)))
    public = public_manifest(manifest, withheld)
    found = Matcher(protected_parties(bundle)).find(json.dumps(public, ensure_ascii=False))
    if found:
        names = ", ".join(f"'{party_id}'" for party_id in sorted(found))
        raise LeakError(
            f"the public manifest would name confidential parties {names} (in an annex id, file"
            " name or record file name) — rename it so that it does not contain the name"
        )
    return public


def check_public_volume(
    data: bytes, bundle: CaseBundle, manifest: Mapping[str, Any], first_page: int, last_page: int
) -> None:
    """Scan one volume of the public edition (``--max-size``): a cover sheet, then dossier pages
    ``first_page``..``last_page``. Raises :class:`LeakError` like :func:`assert_no_leaks`.

    Pages of PDF annexes that PRIV-02 scanned clean skip text extraction, as in the whole
    edition's scan (their content streams are copied unchanged into the volume).
    """
    parties = protected_parties(bundle)
    skip: set[int] = set()
    for annex in manifest.get("annexes", []):
        sha = annex.get("sha256")
        if annex.get("source_kind") != "pdf" or not sha or not is_verified(sha, parties):
            continue
        for page in range(
            max(annex["first_page"], first_page), min(annex["last_page"], last_page) + 1
        ):
            skip.add(page - first_page + 2)  # page 1 of a volume is its cover sheet
    assert_no_leaks(data, bundle, skip)
