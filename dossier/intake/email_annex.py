"""E-mails (.eml, Outlook .msg) typeset as a PDF annex; their attachments handed back.

The PDF (A4, DejaVu Sans, reportlab invariant mode: the same input gives the same bytes) shows
a header block (From, To, Cc, Date, Subject), the body, then the list of attachments (name, type,
size, sha256 prefix). The caller adds each returned :class:`Attachment` as an annex of its own.

* **.eml**: the standard library ``email`` package with ``policy.default``. The body is the
  text/plain part when there is one, else the text/html part turned into text by
  :func:`html_text` (stdlib ``html.parser``; nothing is fetched: images are shown by their alt
  text, links by their address). Attachments are all other leaf parts, except alternative
  text/plain or text/html renderings that have no file name; a forwarded message
  (message/rfc822) is one attachment (``.eml``), not opened further.
* **.msg**: the ``extract-msg`` package; an embedded Outlook item becomes a ``.msg`` attachment.

Typesetting (:mod:`.textpage`) is linear in the input size, so a 1 MB single-line body typesets
in about a second; nothing is drawn in the bottom 28 pt of a page (the stamp area).
"""

from __future__ import annotations

import email
import hashlib
import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import format_datetime
from types import MappingProxyType

from reportlab.lib.pagesizes import A4

from ..canvas import plain_streams
from ..errors import AnnexError
from .html_text import html_text
from .sniff import renamed_fix
from .textpage import (
    BODY_LEADING,
    BODY_SIZE,
    GREY,
    LEFT,
    TextPages,
    clean_name,
    clean_text,
    fonts,
)

EMAIL_SUFFIXES = frozenset({".eml", ".msg"})
HEADER_NAMES = ("From", "To", "Cc", "Date", "Subject")

_EXTENSIONS = MappingProxyType(
    {
        "message/rfc822": ".eml",
        "text/plain": ".txt",
        "text/html": ".html",
        "application/pdf": ".pdf",
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "application/vnd.ms-outlook": ".msg",
    }
)


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class EmailAnnex:
    pdf: bytes
    headers: dict[str, str]
    attachments: list[Attachment]


@dataclass(frozen=True)
class Mail:
    """An e-mail as read: its headers, its body as text (an HTML body turned to text), a note on
    the body, its attachments and those left out."""

    headers: dict[str, str]
    body: str
    note: str
    attachments: list[Attachment]
    skipped: list[str]


class _Refused(Exception):
    """The message cannot be used: ``reason`` and ``fix`` of the :class:`AnnexError`."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason, self.fix = reason, fix


_SAVE_AGAIN = "save the message again from the mail program (File › Save as)"


def email_pdf(data: bytes, suffix: str, label: str) -> EmailAnnex:
    """Typeset an e-mail (``suffix`` ``.eml`` or ``.msg``); :class:`AnnexError` naming ``label``
    when it cannot be read."""
    mail = read_mail(data, suffix, label)
    with plain_streams():
        pdf = _typeset(mail)
    return EmailAnnex(pdf, mail.headers, mail.attachments)


def read_mail(data: bytes, suffix: str, label: str) -> Mail:
    """An e-mail's headers, body and attachments, not typeset; :class:`AnnexError` naming
    ``label`` when it cannot be read."""
    suffix = suffix.lower()
    try:
        if suffix not in EMAIL_SUFFIXES:
            raise _Refused(f"'{suffix}' is not an e-mail type", "use .eml or .msg")
        if not data:
            raise _Refused(f"the {suffix} file is empty (0 bytes)", "supply the message again")
        if suffix == ".msg":
            mail = _parse_msg(data)
        else:
            try:
                mail = _parse_eml(data)
            except (MessageError, ValueError, LookupError, TypeError, AttributeError) as exc:
                raise _Refused(f"the .eml file cannot be read ({exc})", _SAVE_AGAIN) from None
    except _Refused as exc:
        fix = renamed_fix(data, suffix, exc.fix)
        raise AnnexError(label, " ".join(exc.reason.split()), fix) from None
    return mail


# ---- .eml -------------------------------------------------------------------------------------


def _parse_eml(data: bytes) -> Mail:
    msg = email.message_from_bytes(data, policy=policy.default)
    headers = {name: _header(msg, name) for name in HEADER_NAMES}
    if not any(headers.values()) and msg.get("Message-ID") is None:
        raise _Refused(
            "the .eml file is not an e-mail (no From, To, Date or Subject header)", _SAVE_AGAIN
        )
    body_part = msg.get_body(preferencelist=("plain", "html"))
    body, note = "", "(the message has no text body)"
    if body_part is not None:
        body = _part_text(body_part)
        note = ""
        if body_part.get_content_subtype() == "html":
            body, note = html_text(body), "(body converted from HTML)"
    attachments: list[Attachment] = []
    for part in _leaves(msg):
        if part is body_part or _is_alternative(part):
            continue
        attachments.append(_attachment(part, len(attachments) + 1))
    return Mail(headers, body, note, attachments, [])


def _header(msg: Message, name: str) -> str:
    values: list[str] = []
    for raw in msg.get_all(name) or []:
        try:
            value = str(raw)
        except (MessageError, ValueError, TypeError, IndexError, AttributeError):
            value = str(make_header(decode_header(str(raw))))
        values.append(" ".join(value.split()))
    return ", ".join(values)


def _leaves(part: Message) -> Iterator[Message]:
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub)
    else:
        yield part


def _is_alternative(part: Message) -> bool:
    return (
        part.get_content_type() in ("text/plain", "text/html")
        and part.get_filename() is None
        and part.get_content_disposition() != "attachment"
    )


def _part_text(part: Message) -> str:
    if isinstance(part, EmailMessage):
        try:
            content = part.get_content()
            if isinstance(content, str):
                return content
        except (LookupError, ValueError, KeyError, AssertionError):
            pass
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def _attachment(part: Message, index: int) -> Attachment:
    content_type = part.get_content_type()
    if part.get_content_maintype() == "message" and part.is_multipart():
        inner = part.get_payload(0)
        data = inner.as_bytes() if isinstance(inner, Message) else b""
    else:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
    return Attachment(_safe_name(part.get_filename(), index, content_type), content_type, data)


def _safe_name(name: str | None, index: int, content_type: str) -> str:
    """The last path component, without control characters; a made-up name when there is none."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = clean_name(base).strip(".")
    return base or f"attachment-{index}{_EXTENSIONS.get(content_type, '.bin')}"


# ---- .msg -------------------------------------------------------------------------------------


def _parse_msg(data: bytes) -> Mail:
    import extract_msg
    from extract_msg.enums import AttachmentType
    from extract_msg.exceptions import ExMsgBaseException
    from extract_msg.msg_classes import MessageBase

    fix = "save it again from Outlook, or save it as .eml or PDF"
    errors = (ExMsgBaseException, OSError, ValueError, LookupError, TypeError, AttributeError,
              NotImplementedError, EOFError, struct.error)  # fmt: skip
    if not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _Refused("the .msg file is not an Outlook message (no OLE2 header)", fix)
    try:
        msg = extract_msg.openMsg(data, delayAttachments=False)
    except errors as exc:
        raise _Refused(f"the .msg file cannot be read ({exc})", fix) from None
    try:
        if not isinstance(msg, MessageBase):
            raise _Refused(
                f"the .msg file is an Outlook {type(msg).__name__} item, not an e-mail",
                "export it as PDF from Outlook",
            )
        date = msg.date
        headers = {
            "From": msg.sender or "",
            "To": msg.to or "",
            "Cc": msg.cc or "",
            "Date": format_datetime(date) if isinstance(date, datetime) else "",
            "Subject": msg.subject or "",
        }
        headers = {name: " ".join(value.split()) for name, value in headers.items()}
        body, note = msg.body or "", ""
        if not body.strip() and msg.htmlBody:
            body, note = html_text(_decode_html(msg.htmlBody)), "(body converted from HTML)"
        if not body.strip():
            body, note = "", "(the message has no text body)"
        attachments: list[Attachment] = []
        skipped: list[str] = []
        for att in msg.attachments:
            index = len(attachments) + 1
            name = att.longFilename or att.shortFilename or att.name or ""
            if isinstance(att.data, bytes) and att.type != AttachmentType.MSG:
                kind = att.mimetype or "application/octet-stream"
                attachments.append(Attachment(_safe_name(name, index, kind), kind, att.data))
            elif isinstance(att.data, MessageBase):
                kind = "application/vnd.ms-outlook"
                name = _safe_name(name or att.data.subject, index, kind)
                name += "" if name.lower().endswith(".msg") else ".msg"
                attachments.append(Attachment(name, kind, att.data.exportBytes()))
            else:
                skipped.append(f"{name or index} ({att.type.name.lower()})")
        return Mail(headers, body, note, attachments, skipped)
    except errors as exc:
        raise _Refused(f"the .msg file cannot be read ({exc})", fix) from None
    finally:
        msg.close()


def _decode_html(data: bytes) -> str:
    """Outlook's HTML body: UTF-8 when it decodes as such, else Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


# ---- typesetting ------------------------------------------------------------------------------


def _typeset(mail: Mail) -> bytes:
    regular, bold = fonts()
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(clean_text(mail.headers.get("Subject", "")) or "E-mail")
    canvas.setCreator("dossier")
    page = TextPages(canvas, regular, bold)
    page.para(mail.headers.get("Subject") or "(no subject)", bold, 13, 17)
    page.line("", regular, BODY_SIZE, 6)
    for name in HEADER_NAMES:
        page.field(f"{name}:", mail.headers.get(name, ""))
    page.rule()
    if mail.note:
        canvas.setFillColorRGB(*GREY)
        page.para(mail.note, regular, 8, 11)
        canvas.setFillColorRGB(0, 0, 0)
    page.para(mail.body, regular, BODY_SIZE, BODY_LEADING)
    page.rule()
    page.para(f"Attachments ({len(mail.attachments)})", bold, BODY_SIZE, BODY_LEADING)
    for number, att in enumerate(mail.attachments, 1):
        page.para(f"{number}. {att.name}", regular, BODY_SIZE, BODY_LEADING)
        digest = hashlib.sha256(att.data).hexdigest()[:16]
        facts = f"{att.content_type} · {len(att.data):,} bytes · sha256 {digest}…"
        page.para(facts, regular, 8.5, 11, LEFT + 14)
    for skipped in mail.skipped:
        page.para(f"Not extracted: {skipped}", regular, 8.5, 11)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
