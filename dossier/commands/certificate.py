"""The signatory's certificate: its PKCS#12 file, its password, and whether it may sign.

A final dossier is signed with the key and certificate of a PKCS#12 file (``.p12``/``.pfx``).
The password comes from ``DOSSIER_SIGN_PASSWORD`` or a hidden prompt on a terminal, never from
the command line, and never appears in a message. The file is opened with ``cryptography``
(pyHanko never sees the password), which also tells "not a PKCS#12 file" from "wrong password".

The certificate must be valid at the signing time and be the signatory's: its subject common
name (CN), or its given name and surname (GN + SN, either order) when those are present, must
equal the signatory's name ignoring case, accents, letters such as ø/æ/ł and runs of spaces.
Pseudonym and e-mail attributes are not accepted: neither says who the signatory is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ..errors import SignError

PASSWORD_ENV = "DOSSIER_SIGN_PASSWORD"
"""Environment variable holding the PKCS#12 password."""

_FOLD = MappingProxyType(
    str.maketrans(
        {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "ł": "l", "þ": "th"}
        | {"ı": "i", "Ø": "O", "Æ": "AE", "Œ": "OE", "Đ": "D", "Ð": "D", "Ł": "L", "Þ": "TH"}
    )
)
"""Letters that Unicode does not decompose into a base letter and an accent."""


@dataclass(frozen=True)
class KeyMaterial:
    """What a PKCS#12 file holds: the private key, its certificate and the rest of the chain."""

    key: PrivateKeyTypes
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def password_from_env_or_prompt(env: Mapping[str, str], prompt: Callable[[], str] | None) -> bytes:
    """The PKCS#12 password: ``DOSSIER_SIGN_PASSWORD`` if set (empty counts), else ``prompt()``.

    The CLI passes a hidden prompt only when standard input is a terminal. The password is
    never logged and never part of an error message.
    """
    value = env.get(PASSWORD_ENV)
    if value is None and prompt is not None:
        value = prompt()
    if value is None:
        raise SignError(
            f"no password for the PKCS#12 file: set {PASSWORD_ENV} "
            "or run on a terminal to be asked for it"
        )
    return value.encode("utf-8")


def load_p12(p12: bytes, password: bytes) -> KeyMaterial:
    """The key, certificate and chain of a PKCS#12 file; :class:`SignError` when unusable."""
    try:
        _ = asn1_pkcs12.Pfx.load(p12).native  # parses the whole (outer, unencrypted) structure
    except (ValueError, TypeError, KeyError):
        raise SignError(
            "the signing file is not a PKCS#12 (.p12/.pfx) file: export the certificate "
            "with its private key as PKCS#12"
        ) from None
    try:
        loaded = pkcs12.load_pkcs12(p12, password or None)
    except ValueError:
        raise SignError(
            f"wrong password for the PKCS#12 file: check {PASSWORD_ENV} or the password typed"
        ) from None
    if loaded.key is None:
        raise SignError(
            "the PKCS#12 file holds no private key: export the certificate with its private key"
        )
    if loaded.cert is None:
        raise SignError("the PKCS#12 file holds no certificate for its key: export both together")
    cert = loaded.cert.certificate
    if loaded.key.public_key() != cert.public_key():
        raise SignError(
            "the private key in the PKCS#12 file does not belong to its certificate: "
            "export the matching pair"
        )
    return KeyMaterial(loaded.key, cert, tuple(c.certificate for c in loaded.additional_certs))


def check_validity(cert: x509.Certificate, when: datetime) -> None:
    """The certificate is valid at ``when`` (both bounds inclusive), else :class:`SignError`."""
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if when > end:
        raise SignError(
            f"the certificate expired on {end:%Y-%m-%d}, before the signing date "
            f"{when:%Y-%m-%d}: renew it or sign with a current one"
        )
    if when < start:
        raise SignError(
            f"the certificate is valid only from {start:%Y-%m-%d %H:%M} UTC, after the signing "
            f"time {when:%Y-%m-%d %H:%M} UTC: sign with a certificate valid then"
        )


def name_key(name: str) -> str:
    """``name`` folded for comparison: no case, no accents, ø as o, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def subject_names(cert: x509.Certificate) -> list[str]:
    """The names in the certificate's subject that may identify the signatory."""
    subject = cert.subject

    def values(oid: x509.ObjectIdentifier) -> list[str]:
        return [str(a.value) for a in subject.get_attributes_for_oid(oid)]

    names = values(NameOID.COMMON_NAME)
    for given in values(NameOID.GIVEN_NAME):
        for surname in values(NameOID.SURNAME):
            names += [f"{given} {surname}", f"{surname} {given}"]
    return names


def check_subject(cert: x509.Certificate, signer_name: str) -> None:
    """The certificate names ``signer_name`` (see the module docstring), else SignError."""
    names = subject_names(cert)
    if name_key(signer_name) in {name_key(n) for n in names}:
        return
    shown = ", ".join(repr(n) for n in names) or "no name (no CN, GN or SN)"
    raise SignError(
        f"the certificate is for {shown}, not the signatory {signer_name!r}: "
        "sign with the signatory's certificate or correct the signatory's name"
    )


def check_certificate(
    p12: bytes, password: bytes, *, signer_name: str, signing_time: datetime
) -> KeyMaterial:
    """Open the PKCS#12 file and check that it may sign for ``signer_name`` at
    ``signing_time`` (timezone-aware): what a build checks before it typesets anything."""
    if signing_time.tzinfo is None or signing_time.utcoffset() is None:
        raise ValueError("signing_time must be timezone-aware")
    material = load_p12(p12, password)
    check_validity(material.cert, signing_time)
    check_subject(material.cert, signer_name)
    return material
