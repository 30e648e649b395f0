"""Sign a final dossier PDF: PAdES baseline B-B, whole file, visible field, repeatable bytes.

``dossier build CASE --final --sign FILE.p12``. The signature is one incremental update made by
pyHanko: a CAdES detached CMS (``ETSI.CAdES.detached``, SHA-256, RSA PKCS#1 v1.5,
signing-certificate-v2 attribute, no CMS signing-time as PAdES wants, no timestamp: B-B) in a
new signature field whose widget sits in the cover letter's signature block, where the render
stage drew the blank for the signature. Nothing is appended after it, so the ``/ByteRange``
covers the whole file. The certificate chain from the PKCS#12 file is embedded.

The claimed signing time (``/M``) is :func:`signing_time`: 12:00 UTC on the submission's date,
the date the letter bears. Noon UTC is the same calendar day from UTC-11 to UTC+11 (Geneva
included), so every viewer shows the letter's date, and a certificate issued that morning is
already valid; one issued later that day is refused as "not yet valid".

Same input bytes, same PKCS#12 and same signing time give byte-identical output when the key
is RSA (PKCS#1 v1.5 signatures are deterministic; ECDSA ones are not). What pyHanko would
otherwise vary, and how it is pinned:

- the claimed signing time: the signing session's ``system_time`` (:class:`_FixedTimeSigner`);
- the field name: fixed, :data:`FIELD_NAME`;
- the appearance: typeset by us (:func:`dossier.render.signature_stamp`, reportlab invariant
  mode, DejaVu: any name shows as written) and imported under a fixed resource name;
- the second half of the trailer ``/ID`` (``os.urandom``) and ``/ModDate``, XMP
  ``ModifyDate`` and ``/Producer`` (the wall clock): :func:`_deterministic_writer`, the one
  place that touches pyHanko's private attributes (hence the pin ``pyHanko<0.39``);
- the certificates' order in the CMS: DER SET OF, which asn1crypto sorts;
- object numbers: pyHanko numbers new objects from the input's ``/Size`` in a fixed order.

pyHanko takes a third of a second to import: the build imports this module only to sign.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import cast

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import CertificateRegistry

from ..errors import SignError
from ..render import SignatureBox, signature_stamp
from .certificate import check_certificate

__all__ = ["FIELD_NAME", "SignatureBox", "Signing", "sign_pdf", "signing_time"]

FIELD_NAME = "DossierSignature"
"""Name of the signature field the signature goes into (fixed: part of the signed bytes)."""
SIGNING_HOUR = dt.time(12, 0, tzinfo=dt.UTC)
"""Time of day of the claimed signing time (see the module docstring)."""


_AS_IS = layout.SimpleBoxLayoutRule(
    x_align=layout.AxisAlignment.ALIGN_MIN,
    y_align=layout.AxisAlignment.ALIGN_MIN,
    margins=layout.Margins(0, 0, 0, 0),
    inner_content_scaling=layout.InnerScaling.NO_SCALING,
)
"""The appearance is typeset at the box's size: placed as it is, not shrunk into margins."""


def signing_time(date: dt.date) -> dt.datetime:
    """The signing time a final of a letter dated ``date`` claims: 12:00 UTC that day."""
    return dt.datetime.combine(date, SIGNING_HOUR)


@dataclass(frozen=True)
class Signing:
    """What ``--sign`` gives: the PKCS#12 file's bytes and its password (never shown)."""

    p12: bytes = field(repr=False)
    password: bytes = field(repr=False)
    file: str = ""
    """The file's name as the user typed it, for messages."""


def sign_pdf(
    data: bytes,
    p12: bytes,
    password: bytes,
    *,
    signing_time: dt.datetime,
    signer_name: str,
    box: SignatureBox,
    lang: str = "en",
    reason: str | None = None,
    location: str | None = None,
) -> bytes:
    """``data`` signed with the key and certificate in ``p12`` (PAdES B-B, visible, whole file).

    ``signing_time`` (timezone-aware) is the claimed signing time, and its date is shown in the
    stamp (in ``lang``); the certificate must be valid then and be ``signer_name``'s.
    Raises :class:`SignError`.
    """
    material = check_certificate(p12, password, signer_name=signer_name, signing_time=signing_time)
    reader = _read_unsigned(data)
    _check_box(reader, box)

    cert = asn1_x509.Certificate.load(material.cert.public_bytes(serialization.Encoding.DER))
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(
            material.key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=CertificateRegistry.build(
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in material.chain
        ),
        prefer_pss=False,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm=_digest_for(material.key),
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    field_spec = fields.SigFieldSpec(
        sig_field_name=FIELD_NAME,
        on_page=box.page_index,
        # pyHanko annotates the box as ints but takes any number (it rounds to 4 decimals)
        box=cast("tuple[int, int, int, int]", box.rect),
    )
    x1, y1, x2, y2 = box.rect
    stamp = signature_stamp(signer_name, signing_time.date(), lang, (x2 - x1, y2 - y1))
    pdf_signer = _FixedTimeSigner(
        meta,
        signer,
        signing_time=signing_time,
        stamp_style=StaticStampStyle(
            background=_Appearance(stamp),
            background_opacity=1.0,
            background_layout=_AS_IS,
            border_width=0,
        ),
        new_field_spec=field_spec,
    )
    file_id = hashlib.sha256(
        b"dossier-sign\0"
        + hashlib.sha256(data).digest()
        + hashlib.sha256(cert.dump()).digest()
        + signing_time.isoformat().encode()
    ).digest()[:16]
    writer = _deterministic_writer(reader, file_id)
    try:
        out = pdf_signer.sign_pdf(writer)
    except (SigningError, PdfError) as exc:
        raise SignError(
            f"pyHanko could not sign the PDF ({_line(exc)}): rebuild the dossier"
        ) from exc
    return cast(BytesIO, out).getvalue()


def _digest_for(key: object) -> str:
    """The message digest the key's signature scheme takes: SHA-512 for Ed25519 and SHAKE256 for
    Ed448 (RFC 8419: their signatures fix it), SHA-256 for RSA and ECDSA keys."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "sha512"
    if isinstance(key, ed448.Ed448PrivateKey):
        return "shake256"
    return "sha256"


class _Appearance(content.PdfContent):
    """The stamp's appearance: page 1 of a PDF of the box's size, imported as a form XObject
    under a fixed name (pyHanko's own ``ImportedPdfPage`` names it with a random uuid)."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        writer = self.writer
        if writer is None:
            raise SignError("the signature appearance has no PDF to go into (a bug)")
        xobj = writer.import_page_as_xobject(PdfFileReader(BytesIO(self.pdf)), page_ix=0)
        self.resources.xobject["/DossierStamp"] = xobj
        x1, y1, x2, y2 = (float(v) for v in xobj.get_object()["/BBox"])
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return b"/DossierStamp Do"


class _FixedTimeSigner(signers.PdfSigner):
    """A PdfSigner whose sessions claim ``signing_time`` instead of the wall clock.

    pyHanko's sessions take ``datetime.now()`` for ``/M``, and its API has no parameter for
    it; the session's public ``system_time`` attribute is what later steps read, so it is set
    here, through the public ``init_signing_session`` (no private API).
    """

    def __init__(
        self,
        signature_meta: signers.PdfSignatureMetadata,
        signer: signers.Signer,
        *,
        signing_time: dt.datetime,
        stamp_style: StaticStampStyle,
        new_field_spec: fields.SigFieldSpec,
    ) -> None:
        super().__init__(
            signature_meta, signer, stamp_style=stamp_style, new_field_spec=new_field_spec
        )
        self.signing_time = signing_time

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self.signing_time
        return session


def _deterministic_writer(reader: PdfFileReader, file_id: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer over ``reader`` whose output depends only on its inputs.

    The one place that touches pyHanko's private API, because it offers no switch for either
    (re-check both on a pyHanko upgrade; the tests catch a change):
    - ``_document_id``: the writer draws the second half of ``/ID`` from ``os.urandom``; it
      becomes ``file_id`` (the first half stays the input's, as ISO 32000 wants);
    - ``_update_meta``: run before writing, it stamps ``/ModDate`` and XMP ``ModifyDate``
      with the wall clock and ``/Producer`` with pyHanko's version; made a no-op, so the
      document keeps the metadata its build gave it (dated from the submission).
    """
    writer = IncrementalPdfFileWriter.from_reader(reader)
    first = writer.document_id[0] if "/ID" in reader.trailer else file_id
    writer._document_id = generic.ArrayObject(
        [generic.ByteStringObject(first), generic.ByteStringObject(file_id)]
    )
    writer._update_meta = lambda: None  # type: ignore[method-assign]
    return writer


def _read_unsigned(data: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(BytesIO(data))
        signed = any(True for _ in fields.enumerate_sig_fields(reader, filled_status=True))
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SignError(
            f"cannot read the PDF to sign ({_line(exc)}): rebuild the dossier"
        ) from None
    if reader.security_handler is not None:
        raise SignError("the PDF is encrypted: sign the unencrypted final build")
    if signed:
        raise SignError("the PDF is already signed: sign the unsigned final build instead")
    return reader


def _check_box(reader: PdfFileReader, box: SignatureBox) -> None:
    pages = int(reader.root["/Pages"]["/Count"])
    if not 0 <= box.page_index < pages:
        raise SignError(
            f"the signature box is on page {box.page_index + 1} but the PDF has {pages} pages: "
            "fix the signature block's page"
        )
    x1, y1, x2, y2 = box.rect
    if not (x1 < x2 and y1 < y2):
        raise SignError(
            f"the signature box {box.rect} is empty: give (x1, y1, x2, y2) with x1<x2, y1<y2"
        )


def _line(exc: Exception) -> str:
    """The first line of an exception's message, for a one-line error."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
