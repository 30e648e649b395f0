"""``dossier verify``: check a signed dossier PDF, and the case files its manifest lists.

:func:`verify_pdf` reads the first signature of the PDF with pyHanko's validator
(``pyhanko.sign.validation``): whether the bytes it covers are intact and its CMS signature
checks out, whether it covers the whole file (nothing appended after signing), who signed
and when they say they did (``/M``, as PAdES keeps no signing time in the CMS).

Trust is reported apart: the dossier ships no trust roots, so a signature by a certificate
that chains to no given root is ``trusted=False`` but still ``valid``. The certificate is
checked at the current time, offline (no OCSP/CRL fetching).

:func:`check_manifest` compares each input of a build manifest (``{"file", "sha256",
"size"}``, relative to the case folder) with the file now in the case folder.
:func:`verify_build` does both for a PDF and the manifest written beside it by the build.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ..errors import UsageError
from ..write import BUILD_FOLDER

PADES_SUBFILTER = "/ETSI.CAdES.detached"

State = Literal["ok", "changed", "missing"]


@dataclass(frozen=True)
class Verification:
    """What :func:`verify_pdf` found."""

    signed: bool
    """The PDF has at least one signature."""
    valid: bool
    """The first signature's signed bytes are intact and its CMS signature checks out."""
    covers_whole_file: bool
    """The first signature covers every byte of the file but its own contents."""
    signer: str | None
    """The signing certificate's subject common name (or whole subject, if no CN)."""
    signing_time: datetime | None
    """The signing time the signer claims (``/M``); not proven by a timestamp."""
    trusted: bool
    """The signing certificate chains to one of the given trust roots (by default none)."""
    problems: list[str] = field(default_factory=list)
    """What is wrong, one sentence each; empty when signed, valid and whole."""


@dataclass(frozen=True)
class InputStatus:
    """One input of a manifest against the case folder."""

    file: str
    """Path relative to the case folder, as the manifest has it."""
    state: State
    """``ok``: same sha256 (and size); ``changed``: different; ``missing``: no such file."""
    expected_sha256: str
    actual_sha256: str | None
    """The file's sha256 now, or None if missing."""


def verify_pdf(data: bytes, *, trust_roots: Iterable[bytes] = ()) -> Verification:
    """The state of the first signature in ``data``.

    ``trust_roots`` are DER certificates to trust (the dossier passes none); the answer's
    ``trusted`` says whether the signer chains to one of them. Never raises for a bad PDF:
    what is wrong is in ``problems``.
    """
    try:
        reader = PdfFileReader(BytesIO(data))
        filled = len(list(enumerate_sig_fields(reader, filled_status=True)))
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return _unsigned(f"not a readable PDF: {_line(exc)}")
    if not filled:
        return _unsigned("the PDF has no signature")
    try:
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return Verification(
            signed=True,
            valid=False,
            covers_whole_file=False,
            signer=None,
            signing_time=None,
            trusted=False,
            problems=[f"the signature cannot be read: {_line(exc)}"],
        )
    sig = signatures[0]
    problems: list[str] = []
    if len(signatures) > 1:
        problems.append(f"{len(signatures)} signatures; this reports the first")
    subfilter = str(sig.sig_object.get("/SubFilter", "none"))
    if subfilter != PADES_SUBFILTER:
        problems.append(f"not a PAdES signature: SubFilter {subfilter}, not {PADES_SUBFILTER}")
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in trust_roots],
        allow_fetching=False,
    )
    try:
        with _quiet_pyhanko():
            status = validate_pdf_signature(sig, signer_validation_context=context)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        return Verification(
            signed=True,
            valid=False,
            covers_whole_file=_whole(sig),
            signer=_signer(sig),
            signing_time=sig.self_reported_timestamp,
            trusted=False,
            problems=[*problems, f"the signature cannot be checked: {_line(exc)}"],
        )
    return _from_status(sig, status, problems)


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a traceback for each certificate it cannot trust (every certificate, as
    no root is given); what matters is reported in ``Verification.trusted``."""
    logger = logging.getLogger("pyhanko")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _from_status(
    sig: EmbeddedPdfSignature, status: PdfSignatureStatus, problems: list[str]
) -> Verification:
    if not status.intact:
        problems.append("the signed bytes were changed after signing (digest mismatch)")
    elif not status.valid:
        problems.append("the CMS signature does not check out with the signer's key")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not whole:
        if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            level = status.modification_level
            what = level.name.lower().replace("_", " ") if level else "unknown"
            problems.append(f"changes were appended after signing (modification level: {what})")
        else:
            problems.append(f"the signature covers only part of the file ({status.coverage})")
    return Verification(
        signed=True,
        valid=status.intact and status.valid,
        covers_whole_file=whole,
        signer=_common_name(status.signing_cert),
        signing_time=status.signer_reported_dt,
        trusted=status.trusted,
        problems=problems,
    )


def _line(exc: Exception) -> str:
    """The first line of an exception's message (asn1crypto's run over several)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _unsigned(problem: str) -> Verification:
    return Verification(
        signed=False,
        valid=False,
        covers_whole_file=False,
        signer=None,
        signing_time=None,
        trusted=False,
        problems=[problem],
    )


def _whole(sig: EmbeddedPdfSignature) -> bool:
    try:
        return sig.evaluate_signature_coverage() == SignatureCoverageLevel.ENTIRE_FILE
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
        return False


def _signer(sig: EmbeddedPdfSignature) -> str | None:
    try:
        return _common_name(sig.signer_cert)
    except (SignatureValidationError, ValueError, KeyError, TypeError):
        return None


def _common_name(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject
    cn = subject.native.get("common_name")
    if isinstance(cn, list):
        cn = cn[0]
    return str(cn) if cn else str(subject.human_friendly)


def check_manifest(manifest: Mapping[str, Any], base: Path) -> list[InputStatus]:
    """Each of the manifest's ``inputs`` checked against the file under ``base`` now.

    Raises ValueError for a manifest without a well-formed ``inputs`` list, or with a path
    that leaves the case folder.
    """
    inputs = manifest.get("inputs")
    if not isinstance(inputs, list):
        raise ValueError("manifest: no 'inputs' list; is this a dossier build manifest?")
    out = []
    for i, item in enumerate(inputs):
        if not isinstance(item, Mapping):
            raise ValueError(f"manifest: inputs[{i}] is not an object")
        name, sha, size = item.get("file"), item.get("sha256"), item.get("size")
        if not isinstance(name, str) or not isinstance(sha, str):
            raise ValueError(f"manifest: inputs[{i}] needs 'file' and 'sha256' strings")
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"manifest: inputs[{i}].file {name!r} leaves the case folder")
        out.append(_input_status(name, sha.lower(), size, base.joinpath(*rel.parts)))
    return out


def _input_status(name: str, sha: str, size: object, path: Path) -> InputStatus:
    if not path.is_file():
        return InputStatus(name, "missing", sha, None)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    actual = digest.hexdigest()
    same_size = not isinstance(size, int) or size == path.stat().st_size
    state: State = "ok" if actual == sha and same_size else "changed"
    return InputStatus(name, state, sha, actual)


@dataclass(frozen=True)
class BuildCheck:
    """A PDF checked with :func:`verify_build`: its signature, and its manifest if found."""

    pdf: Path
    signature: Verification
    manifest: Path | None
    """The manifest beside the PDF that describes it (None: none found)."""
    pdf_matches: bool | None
    """The PDF is the one the manifest describes (its sha256), or None without a manifest."""
    kind: str | None
    """What the manifest says the build was: draft, final or signed."""
    inputs: list[InputStatus] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Signed, valid, whole, and (with a manifest) the PDF and every input as built."""
        s = self.signature
        inputs_ok = all(i.state == "ok" for i in self.inputs)
        return (
            s.signed
            and s.valid
            and s.covers_whole_file
            and self.pdf_matches is not False
            and (inputs_ok)
        )


def _manifest_beside(pdf: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The manifest in the PDF's folder whose ``output.file`` is the PDF's name."""
    for candidate in sorted(pdf.parent.glob("manifest*.json")):
        try:
            data = json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        output = data.get("output") if isinstance(data, dict) else None
        if isinstance(output, dict) and output.get("file") == pdf.name:
            return candidate, data
    return None


def case_of(manifest: Path) -> Path:
    """The case folder of a manifest written to its default place, ``CASE/build/<id>/``."""
    folder = manifest.parent
    if folder.parent.name == BUILD_FOLDER:
        return folder.parent.parent
    raise UsageError(
        f"{manifest}: not in a case's build/<submission>/ folder; give the case with --case"
    )


def verify_build(pdf: Path, case: Path | None = None) -> BuildCheck:
    """Check ``pdf``'s signature and, beside it, its manifest: the PDF's hash and every input's
    against the case folder (``case``, default: the folder the build folder is in)."""
    try:
        data = pdf.read_bytes()
    except OSError as exc:
        raise UsageError(f"{pdf}: cannot read the file ({exc.strerror or exc})") from None
    signature = verify_pdf(data)
    found = _manifest_beside(pdf)
    if found is None:
        return BuildCheck(pdf, signature, None, None, None)
    path, manifest = found
    output = manifest.get("output", {})
    matches = output.get("sha256") == hashlib.sha256(data).hexdigest()
    try:
        inputs = check_manifest(manifest, case or case_of(path))
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None
    kind = manifest.get("kind")
    return BuildCheck(pdf, signature, path, matches, str(kind) if kind else None, inputs)
