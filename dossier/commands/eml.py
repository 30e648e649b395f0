"""``submission.eml``: the built dossier as an e-mail ready to open in any mail client.

Standard library only (``email``). To and Cc come from the submission's addressee and copies
(their ``email``, or the e-mail of the party they name); the subject carries the case number; the
body is a short plain-text note; every dossier PDF (one, or one per volume) is attached. The
message is reproducible: its Date is the submission date and it has no random Message-ID (the
mail client adds one when it sends).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from ..errors import RecordError
from ..load import CaseBundle
from ..models import Addressee, Submission
from ..write import write_atomic

_KIND_TEXT = {
    "en": {
        "complaint": "our complaint",
        "additional_information": "additional information",
        "reply_comment": "our comments on the Government's reply",
        "urgent_intervention": "our request for urgent intervention",
        "solidarity_letter": "our letter",
    },
    "fr": {
        "complaint": "notre plainte",
        "additional_information": "des informations complémentaires",
        "reply_comment": "nos commentaires sur la réponse du gouvernement",
        "urgent_intervention": "notre demande d'intervention urgente",
        "solidarity_letter": "notre lettre",
    },
    "es": {
        "complaint": "nuestra queja",
        "additional_information": "informaciones complementarias",
        "reply_comment": "nuestros comentarios sobre la respuesta del Gobierno",
        "urgent_intervention": "nuestra solicitud de intervención urgente",
        "solidarity_letter": "nuestra carta",
    },
}

_BODY = {
    "en": (
        "Dear {to},\n\n"
        "Please find attached {what} of {sender} in Case No. {case} ({country}), "
        "dated {date}, with its annexes:\n\n{files}\n\n"
        "Yours sincerely,\n\n{sign}\n"
    ),
    "fr": (
        "{to},\n\n"
        "Veuillez trouver ci-joint {what} de {sender} dans le cas no {case} ({country}), "
        "en date du {date}, avec ses annexes :\n\n{files}\n\n"
        "Veuillez agréer l'expression de nos salutations distinguées.\n\n{sign}\n"
    ),
    "es": (
        "{to}:\n\n"
        "Adjuntamos {what} de {sender} en el caso núm. {case} ({country}), "
        "de fecha {date}, con sus anexos:\n\n{files}\n\n"
        "Atentamente,\n\n{sign}\n"
    ),
}


def _address(bundle: CaseBundle, who: Addressee, where: str) -> Address | None:
    party = bundle.party(who.party) if who.party else None
    email = who.email or (party.email if party else None)
    if not email:
        return None
    name = who.name or (party.name if party else None) or who.office or ""
    try:
        return Address(display_name=name, addr_spec=email.strip())
    except (HeaderParseError, ValueError, IndexError):
        raise RecordError(
            f"submission: {where}: '{email}' is not an e-mail address; fix it [MAIL-01]"
        ) from None


def subject_line(bundle: CaseBundle, submission: Submission) -> str:
    """The submission's subject, made to name the case number when it does not."""
    case = bundle.case
    number = f"Case No. {case.case_no}" if case else ""
    subject = submission.subject or (
        f"{number} ({case.country}): {submission.kind.value.replace('_', ' ')}"
        if case
        else submission.kind.value.replace("_", " ")
    )
    if case and str(case.case_no) not in subject:
        subject = f"{number}: {subject}"
    return " ".join(subject.split())


def recipients(bundle: CaseBundle, submission: Submission) -> tuple[Address, list[Address]]:
    """To and Cc of the message; RecordError without a To (``build --eml`` asks this before it
    builds anything, and ``check`` warns of it: MAIL-02)."""
    to = _address(bundle, submission.addressee, "addressee.email")
    if to is None:
        raise RecordError(
            f"submission '{submission.id}': the addressee has no e-mail address; "
            "add addressee.email (or the party's email) before writing the .eml"
        )
    cc = [
        addr
        for i, who in enumerate(submission.cc)
        if (addr := _address(bundle, who, f"cc[{i}].email")) is not None
    ]
    return to, cc


def build_eml(bundle: CaseBundle, submission: Submission, pdfs: Sequence[Path]) -> EmailMessage:
    """The message for ``submission`` with ``pdfs`` attached (raises RecordError without a To)."""
    to, cc = recipients(bundle, submission)
    sender = bundle.party(submission.sender)
    signatory = bundle.party(submission.signatory.party) if submission.signatory.party else None
    lang = submission.language if submission.language in _BODY else "en"
    msg = EmailMessage(policy=policy.SMTP)
    sender_address = (
        _address(bundle, Addressee(party=sender.id), "sender's email") if sender else None
    )
    if sender_address is not None:
        msg["From"] = sender_address
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject_line(bundle, submission)
    if submission.date is not None:
        noon = dt.datetime.combine(submission.date, dt.time(12, 0), tzinfo=dt.UTC)
        msg["Date"] = format_datetime(noon)
    sign_lines = [
        signatory.name if signatory else "",
        submission.signatory.title or "",
        sender.name if sender else "",
    ]
    body = _BODY[lang].format(
        to=submission.addressee.name
        or submission.addressee.office
        or to.display_name
        or "Sir or Madam",
        what=_KIND_TEXT[lang][submission.kind.value],
        sender=sender.name if sender else submission.sender,
        case=bundle.case.case_no if bundle.case else "",
        country=bundle.case.country if bundle.case else "",
        date=submission.date.isoformat() if submission.date else "",
        files="\n".join(f"- {pdf.name} ({pdf.stat().st_size:,} bytes)" for pdf in pdfs),
        sign="\n".join(line for line in sign_lines if line),
    )
    msg.set_content(body, cte="quoted-printable")
    digest = hashlib.sha256(f"{submission.id}\n{body}".encode())
    for pdf in pdfs:
        data = pdf.read_bytes()
        digest.update(data)
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=pdf.name)
    msg["Content-Language"] = lang
    msg.set_boundary(f"=_dossier_{digest.hexdigest()[:32]}")  # reproducible, unlike the default
    return msg


def write_eml(
    bundle: CaseBundle,
    submission: Submission,
    pdfs: Path | Sequence[Path],
    out: Path | None = None,
) -> Path:
    """Write ``submission.eml`` beside the (first) PDF, or at ``out``; return its path.

    ``pdfs`` is the dossier PDF, or the list of its volumes. Written atomically.
    """
    files = [pdfs] if isinstance(pdfs, Path) else list(pdfs)
    if not files:
        raise RecordError(f"submission '{submission.id}': no PDF to attach")
    for pdf in files:
        if not pdf.is_file():
            raise RecordError(f"{pdf}: no such PDF to attach; build the dossier first")
    target = out or files[0].parent / "submission.eml"
    write_atomic(target, build_eml(bundle, submission, files).as_bytes())
    return target
