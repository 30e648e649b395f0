"""Certificates the signing tests sign with: generated here (a test CA and its signer), nothing
shipped. RSA keys, so that signatures are repeatable byte for byte."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = b"correct horse"


@dataclass(frozen=True)
class Pki:
    ca_key: rsa.RSAPrivateKey
    ca_cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def root_der(self) -> bytes:
        return self.ca_cert.public_bytes(serialization.Encoding.DER)


def _self_signed(
    key: PrivateKeyTypes, name: x509.Name, *, serial: int, ca: bool = False
) -> x509.Certificate:
    """A certificate for ``name`` signed by its own ``key``, valid 2020-2040."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2040, 1, 1, tzinfo=UTC))
    )
    if ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=0), critical=True
        )
    edwards = isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey)
    return builder.sign(key, None if edwards else hashes.SHA256())


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Union"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@cache
def pki() -> Pki:
    """One test CA and one signer key for the whole run (key generation is the slow part)."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("Dossier Test CA")
    ca_cert = _self_signed(ca_key, ca_name, serial=1, ca=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return Pki(ca_key, ca_cert, key)


def make_p12(
    cn: str,
    *,
    start: datetime = datetime(2020, 1, 1, tzinfo=UTC),
    end: datetime = datetime(2040, 1, 1, tzinfo=UTC),
    password: bytes = PASSWORD,
    with_key: bool = True,
    serial: int = 7,
) -> bytes:
    """A PKCS#12 with the signer's key, a certificate for ``cn`` from the test CA, and the CA."""
    p = pki()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(p.ca_cert.subject)
        .public_key(p.key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(p.ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"signer",
        p.key if with_key else None,
        cert,
        [p.ca_cert],
        serialization.BestAvailableEncryption(password),
    )


def valid_around(day: dt.date) -> tuple[datetime, datetime]:
    """A validity period from the day before ``day`` to a year later."""
    start = datetime.combine(day - dt.timedelta(days=1), dt.time(0, 0), tzinfo=UTC)
    return start, start + dt.timedelta(days=366)


def self_signed_p12(key: PrivateKeyTypes, cn: str) -> tuple[bytes, x509.Certificate]:
    """A PKCS#12 holding ``key`` and a certificate for ``cn`` it signs itself (any key type:
    Ed25519 and Ed448 sign without a separate hash)."""
    cert = _self_signed(key, _name(cn), serial=11)
    p12 = pkcs12.serialize_key_and_certificates(
        b"id",
        key,
        cert,
        None,
        serialization.BestAvailableEncryption(PASSWORD),  # type: ignore[arg-type]
    )
    return p12, cert
