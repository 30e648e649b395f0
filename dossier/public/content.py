"""Reading bytes as text the ways a PDF may hold it: string encodings and content-stream operands.

:func:`decodings` gives every plausible reading of a byte string (a PDF string, a decoded
stream): UTF-16 by its BOM, UTF-8, else Latin-1 and Windows Cyrillic (cp1251), and both UTF-16
byte orders when the bytes look like UTF-16 without a BOM (a page's XMP packet, say).
:func:`content_strings` gives the text operands of a content stream, the parts of a TJ array
joined, others space-separated, so a name split by kerning is whole again.
"""

from __future__ import annotations

import re

_ESCAPES = {0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12}
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")


def decodings(raw: bytes) -> list[str]:
    """Every plausible reading of ``raw`` as text (see the module docstring)."""
    if not raw:
        return []
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        codec = "utf-16-be" if raw[0] == 0xFE else "utf-16-le"
        return [raw[2:].decode(codec, "replace")]
    out: list[str] = []
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        out.append(body.decode("utf-8"))
    except UnicodeDecodeError:
        out.append(body.decode("latin-1"))
        out.append(body.decode("cp1251", "replace"))
    zeros = body.count(0)
    if zeros * 5 >= len(body) and len(body) >= 4:
        out.append(body.decode("utf-16-be", "replace"))
        out.append(body.decode("utf-16-le", "replace"))
        out.append(body[1:].decode("utf-16-be", "replace"))
    return out


def _literal(data: bytes, i: int) -> tuple[bytes, int]:
    """The literal string starting after the ``(`` at ``i - 1``, and the index after it."""
    n = len(data)
    depth, buf = 1, bytearray()
    while i < n and depth:
        b = data[i]
        if b == 0x5C and i + 1 < n:  # backslash
            nxt = data[i + 1]
            esc = _ESCAPES.get(nxt)
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
                return bytes(buf), i + 1
        buf.append(b)
        i += 1
    return bytes(buf), i


def _best(raw: bytes) -> str:
    readings = decodings(raw)
    return readings[0] if readings else ""


def content_strings(data: bytes) -> str:
    """The text operands of a content stream (see the module docstring)."""
    out: list[str] = []
    i, n = 0, len(data)
    depth = 0
    while i < n:
        c = data[i]
        if c == 0x28:  # (
            raw, i = _literal(data, i + 1)
            out += [_best(raw), "" if depth else " "]
            continue
        if c == 0x3C and i + 1 < n and data[i + 1] == 0x3C:  # << : a dictionary
            i += 2
            continue
        if c == 0x3C:  # <hex>
            end = data.find(b">", i + 1)
            if end < 0:
                break
            digits = _NOT_HEX.sub(b"", data[i + 1 : end])
            if len(digits) % 2:
                digits += b"0"
            out += [_best(bytes.fromhex(digits.decode("ascii"))), "" if depth else " "]
            i = end + 1
            continue
        if c == 0x5B:
            depth += 1
        elif c == 0x5D:
            depth = max(0, depth - 1)
            out.append(" ")
        i += 1
    return "".join(out)
