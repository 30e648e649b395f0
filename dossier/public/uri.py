"""Percent-decoding, keeping track of where each decoded character came from.

A name in a link is often percent-encoded (``Aida%20Sultanova``,
``%D0%90%D0%B9%D0%B4%D0%B0``): :func:`uri_text` decodes it the way a browser shows it — UTF-8,
byte by byte falling back to Latin-1 where the bytes are not UTF-8, ``+`` read as a space,
repeated while a decoding still leaves escapes (``%2520``). :func:`decoded_runs` finds the
encoded runs of a text and decodes each with an offset map, so that a name found in the decoded
text can be mapped back onto the characters of the original. Where the bytes are not UTF-8, the
Windows Cyrillic code page (cp1251) is tried as well, since Kyrgyz web sites still use it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import unquote_plus

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_RUN = re.compile(r"[^\s<>\"'`{}|\\^\[\]]*%[0-9A-Fa-f]{2}[^\s<>\"'`{}|\\^\[\]]*")
_MAX_ROUNDS = 3
_FALLBACKS = ("latin-1", "cp1251")


@dataclass(frozen=True)
class Decoded:
    """A decoded string, and for each of its characters the span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the encoded string that ``text[start:end]`` (non-empty) came from."""
        return self.starts[start], self.ends[end - 1]


def _utf8_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _decode_bytes(
    data: list[tuple[int, int, int]], fallback: str
) -> Iterator[tuple[str, int, int]]:
    """``(byte, start, end)`` triples → ``(character, start, end)``; UTF-8 first."""
    i = 0
    while i < len(data):
        size = _utf8_length(data[i][0])
        chunk = bytes(b for b, _, _ in data[i : i + size]) if size else b""
        try:
            if size == 0 or len(chunk) < size:
                raise UnicodeDecodeError("utf-8", chunk, 0, 1, "truncated or invalid")
            ch = chunk.decode("utf-8")
        except UnicodeDecodeError:
            yield (
                bytes([data[i][0]]).decode(fallback, errors="replace"),
                data[i][1],
                data[i][2],
            )
            i += 1
            continue
        yield ch, data[i][1], data[i + size - 1][2]
        i += size


def _decode_once(text: str, fallback: str) -> Decoded:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending: list[tuple[int, int, int]] = []

    def flush() -> None:
        for ch, start, end in _decode_bytes(pending, fallback):
            chars.append(ch)
            starts.append(start)
            ends.append(end)
        pending.clear()

    i = 0
    while i < len(text):
        if _ESCAPE.match(text, i):
            pending.append((int(text[i + 1 : i + 3], 16), i, i + 3))
            i += 3
            continue
        flush()
        chars.append(" " if text[i] == "+" else text[i])
        starts.append(i)
        ends.append(i + 1)
        i += 1
    flush()
    return Decoded("".join(chars), tuple(starts), tuple(ends))


def decode(text: str, fallback: str = "latin-1") -> Decoded:
    """Percent-decode ``text`` (see the module docstring) with its offset map.

    ``fallback`` decodes the bytes that are not UTF-8."""
    result = Decoded(text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))
    for _ in range(_MAX_ROUNDS):
        if not _ESCAPE.search(result.text) and "+" not in result.text:
            break
        step = _decode_once(result.text, fallback)
        result = Decoded(
            step.text,
            tuple(result.starts[s] for s in step.starts),
            tuple(result.ends[e - 1] for e in step.ends),
        )
    return result


def uri_text(uri: str) -> str:
    """``uri`` as a reader sees it: percent-escapes decoded as UTF-8 (Latin-1 for bytes that
    are not UTF-8), ``+`` as a space, repeated for double encoding."""
    return decode(uri).text


@functools.cache
def _escaped_bytes(fallback: str) -> Mapping[int, str]:
    """``surrogateescape``'s lone surrogates (bytes that are not UTF-8) → their ``fallback``
    reading."""
    return MappingProxyType(
        {0xDC00 + b: bytes([b]).decode(fallback, errors="replace") for b in range(0x80, 0x100)}
    )


def quick_readings(run: str) -> set[str]:
    """What ``run`` decodes to, quickly and without offsets (:func:`unquote_plus`, up to three
    times; bytes that are not UTF-8 read as Latin-1, and again as cp1251)."""
    text = run
    for _ in range(_MAX_ROUNDS):
        again = unquote_plus(text, errors="surrogateescape")
        if again == text:
            break
        text = again
    return {text.translate(_escaped_bytes(fallback)) for fallback in _FALLBACKS}


def decoded_runs(
    text: str, wanted: Callable[[str], bool] = lambda _: True
) -> Iterator[tuple[int, Decoded]]:
    """Each run of ``text`` that holds a percent-escape: ``(offset of the run, decoding)``,
    once per distinct decoding (UTF-8 with Latin-1, and with cp1251, fallback).

    ``wanted`` is first asked about quick decodings of the run (:func:`quick_readings`); a run
    none of whose readings it wants is not decoded with offsets (which is slower)."""
    for run in _RUN.finditer(text):
        if not any(wanted(reading) for reading in quick_readings(run.group())):
            continue
        seen: set[str] = set()
        for fallback in _FALLBACKS:
            decoded = decode(run.group(), fallback)
            if decoded.text not in seen:
                seen.add(decoded.text)
                yield run.start(), decoded
