"""Write a genuine Outlook .msg file (MS-OXMSG) for the tests, with extract-msg's OLE writer.

The compound file (OLE2/CFB) is written by ``extract_msg.OleWriter``; the MAPI property streams,
recipient and attachment storages are laid out here as MS-OXMSG describes them: a
``__properties_version1.0`` stream of 16-byte entries (tag, flags, value — or size for strings
and binaries) and a ``__substg1.0_<id><type>`` stream for each variable-length value.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass

from extract_msg import OleWriter

PT_LONG, PT_SYSTIME, PT_UNICODE, PT_BINARY = 0x0003, 0x0040, 0x001F, 0x0102
_FLAGS = 0x00000006  # readable | writable
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class MsgAttachment:
    name: str
    mime: str
    data: bytes
    embedded_subject: str | None = None
    """When set, the attachment is an embedded Outlook e-mail with this subject (data = body)."""


Value = int | str | bytes | dt.datetime
Props = list[tuple[int, int, Value]]


def _filetime(when: dt.datetime) -> int:
    return int((when - _FILETIME_EPOCH).total_seconds() * 10_000_000)


def _add_props(writer: OleWriter, storage: str, header: bytes, props: Props) -> None:
    entries = [header]
    for prop_id, prop_type, value in props:
        tag = (prop_id << 16) | prop_type
        if prop_type == PT_LONG:
            assert isinstance(value, int)
            entries.append(struct.pack("<IIiI", tag, _FLAGS, value, 0))
        elif prop_type == PT_SYSTIME:
            assert isinstance(value, dt.datetime)
            entries.append(struct.pack("<IIQ", tag, _FLAGS, _filetime(value)))
        else:
            raw = value.encode("utf-16-le") if isinstance(value, str) else value
            assert isinstance(raw, bytes)
            size = len(raw) + (2 if prop_type == PT_UNICODE else 0)
            entries.append(struct.pack("<IIII", tag, _FLAGS, size, 0))
            writer.addEntry(f"{storage}__substg1.0_{prop_id:04X}{prop_type:04X}", raw)
    writer.addEntry(f"{storage}__properties_version1.0", b"".join(entries))


def _add_nameid(writer: OleWriter) -> None:
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")


def _add_embedded(writer: OleWriter, storage: str, index: int, att: MsgAttachment) -> None:
    """An attached e-mail (ATTACH_EMBEDDED_MSG): its own message storage, no recipients."""
    props: Props = [
        (0x0E21, PT_LONG, index),
        (0x3705, PT_LONG, 5),
        (0x370B, PT_LONG, -1),
        (0x3001, PT_UNICODE, att.name),
    ]
    _add_props(writer, storage, b"\0" * 8, props)
    inner = f"{storage}__substg1.0_3701000D/"
    writer.addEntry(inner.rstrip("/"), storage=True)
    subject = att.embedded_subject or ""
    message: Props = [
        (0x001A, PT_UNICODE, "IPM.Note"),
        (0x0037, PT_UNICODE, subject),
        (0x1000, PT_UNICODE, att.data.decode("utf-8")),
        (0x340D, PT_LONG, 0x00040000),
    ]
    _add_props(writer, inner, b"\0" * 24, message)


def build_msg(
    *,
    subject: str,
    sender: tuple[str, str],
    to: list[tuple[str, str]],
    cc: list[tuple[str, str]],
    body: str,
    sent: dt.datetime,
    attachments: list[MsgAttachment],
) -> bytes:
    """The bytes of an Outlook e-mail (IPM.Note) with these fields, recipients and files."""
    writer = OleWriter()
    recipients = [(1, name, addr) for name, addr in to] + [(2, name, addr) for name, addr in cc]
    top: Props = [
        (0x001A, PT_UNICODE, "IPM.Note"),
        (0x0037, PT_UNICODE, subject),
        (0x0039, PT_SYSTIME, sent),
        (0x0E06, PT_SYSTIME, sent),
        (0x0C1A, PT_UNICODE, sender[0]),
        (0x0C1E, PT_UNICODE, "SMTP"),
        (0x0C1F, PT_UNICODE, sender[1]),
        (0x0042, PT_UNICODE, sender[0]),
        (0x0E04, PT_UNICODE, "; ".join(name for name, _ in to)),
        (0x0E03, PT_UNICODE, "; ".join(name for name, _ in cc)),
        (0x1000, PT_UNICODE, body),
        (0x0E07, PT_LONG, 1),
        (0x340D, PT_LONG, 0x00040000),
    ]
    header = struct.pack(
        "<8xIIII8x", len(recipients), len(attachments), len(recipients), len(attachments)
    )
    _add_props(writer, "", header, top)
    _add_nameid(writer)
    for index, (kind, name, addr) in enumerate(recipients):
        storage = f"__recip_version1.0_#{index:08X}/"
        writer.addEntry(storage.rstrip("/"), storage=True)
        props: Props = [
            (0x0C15, PT_LONG, kind),
            (0x3000, PT_LONG, index),
            (0x3001, PT_UNICODE, name),
            (0x3002, PT_UNICODE, "SMTP"),
            (0x3003, PT_UNICODE, addr),
            (0x39FE, PT_UNICODE, addr),
        ]
        _add_props(writer, storage, b"\0" * 8, props)
    for index, att in enumerate(attachments):
        storage = f"__attach_version1.0_#{index:08X}/"
        writer.addEntry(storage.rstrip("/"), storage=True)
        if att.embedded_subject is not None:
            _add_embedded(writer, storage, index, att)
            continue
        props = [
            (0x0E21, PT_LONG, index),
            (0x3705, PT_LONG, 1),  # ATTACH_BY_VALUE
            (0x370B, PT_LONG, -1),
            (0x3001, PT_UNICODE, att.name),
            (0x3707, PT_UNICODE, att.name),
            (0x3704, PT_UNICODE, att.name[:12]),
            (0x3703, PT_UNICODE, "." + att.name.rsplit(".", 1)[-1]),
            (0x370E, PT_UNICODE, att.mime),
            (0x3701, PT_BINARY, att.data),
        ]
        _add_props(writer, storage, b"\0" * 8, props)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
