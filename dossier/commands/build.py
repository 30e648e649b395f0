"""``dossier build``: prepare -> plan, typeset, assemble each edition -> [volumes] -> write.

:func:`build_dossier` is the list of stage calls (see :mod:`.editions`): the annex files are
read once, both editions are assembled from them, and every output (PDFs, volumes, manifests)
is written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..assemble.fit import PAGE_SIZES
from ..assemble.volumes import DEFAULT_DPI, Volume, split_volumes
from ..digest import sha256_bytes
from ..errors import UsageError
from ..intake.limits import mb
from ..intake.repairs import collect_repairs
from ..write import Output, output_folder, write_outputs
from .editions import (
    Edition,
    Prepared,
    Progress,
    Silent,
    assemble_edition,
    manifest_of,
    prepare,
    writer_of,
)
from .public_edition import finish, verify_public
from .public_pages import MapJobs

if TYPE_CHECKING:  # signing imports pyHanko (a third of a second): only when asked for
    from .sign import Signing

EDITIONS = ("full", "public", "both")
FILES = {
    "full": ("dossier.pdf", "manifest.json", "dossier-vol{k}.pdf"),
    "public": ("dossier-public.pdf", "manifest-public.json", "dossier-public-vol{k}.pdf"),
}
"""Edition -> its PDF, its manifest and the name pattern of its volumes."""
VOLUME_ROUNDS = 3
"""Builds with the volume of each annex known, until the split no longer moves."""

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]i?[bB]?|[bB])?\s*$")
_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}


def parse_size(text: str) -> int:
    """``20MB`` -> 20_000_000, ``1.5 MiB`` -> 1_572_864, ``500kB``; anything else: UsageError."""
    match = _SIZE_RE.match(text)
    if not match:
        raise UsageError(f"'{text}' is not a size; write e.g. 20MB, 500kB or 1.5MiB")
    unit = (match.group(2) or "").lower().rstrip("b")
    size = int(float(match.group(1)) * _UNITS[unit])
    if size < 100_000:
        raise UsageError(f"--max-size {text} is too small; a volume needs at least 100kB")
    return size


@dataclass
class BuildResult:
    """What the summary screen shows."""

    case_no: int
    submission: str
    pdf: Path
    manifest: Path
    pages: int
    annexes: int
    size: int
    sha256: str
    seconds: float
    warnings: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    record_warnings: list[str] = field(default_factory=list)
    public_pdf: Path | None = None
    """With ``--edition both``: the public edition (``pdf`` is then the full one)."""
    volumes: list[Path] = field(default_factory=list)
    """With ``--max-size``: the volume files written (the full edition's first)."""
    volume_table: list[Volume] = field(default_factory=list)
    fitted: int = 0
    """Annex pages scaled down (or moved) so that the stamp covers none of their content."""
    kind: str = "draft"
    """``draft``, ``final`` or ``signed`` (as the manifest says)."""
    record_notes: int = 0
    signature: dict[str, Any] | None = None
    """With ``--sign``: signer, signing time, certificate, page (as the manifest says)."""


@dataclass
class _Finished:
    edition: Edition
    data: bytes | None
    manifest: dict[str, Any]
    volumes: list[Volume] = field(default_factory=list)
    verify: Callable[[Path | bytes], None] | None = None
    """The final leak scan of a public edition (of its file, or of each volume's bytes)."""


def _editions(
    ready: Prepared,
    names: tuple[str, ...],
    progress: Progress,
    volumes: Mapping[int, int],
    last: bool,
    page_size: tuple[float, float] | None,
) -> list[_Finished]:
    """Each edition assembled and finished (the full one first); ``last``: no later round."""
    built = [
        assemble_edition(
            ready,
            name,
            progress=progress,
            release=last,  # each edition copies its own sources: freed once copied the last time
            volumes=volumes,
            page_size=page_size,
        )
        for name in names
    ]
    built.sort(key=lambda e: e.name != "full")  # the full edition is the main output
    warnings = ready.warnings + ready.record_warnings
    out = []
    for edition in built:
        name = FILES[edition.name][0]
        manifest = finish(ready, edition, manifest_of(ready, edition, warnings), name)
        verify = verify_public(ready, edition.plan, name) if edition.name == "public" else None
        out.append(_Finished(edition, None, manifest, verify=verify))
    return out


def _split(
    ready: Prepared,
    done: list[_Finished],
    max_bytes: int,
    dpi: int,
    assignment: Mapping[int, int] | None,
) -> None:
    """Split each edition into volumes; the second edition keeps the volumes of the first."""
    for item in done:
        if item.data is None:
            item.data = item.edition.assembled.to_bytes()
        check = item.verify
        item.volumes = split_volumes(
            item.data,
            item.manifest | {"output": {"size": len(item.data), "sha256": sha256_bytes(item.data)}},
            max_bytes,
            pattern=FILES[item.edition.name][2],
            lang=ready.language,
            assignment=assignment,
            dpi=dpi,
            check=check,
        )
        if not assignment:
            assignment = {n: v.number for v in item.volumes for n in v.annexes}


def _oversize(volume: Volume, max_bytes: int) -> str:
    """The warning for a volume over ``--max-size``: what it holds cannot be cut or moved."""
    over = f"{volume.name} is {mb(volume.size)}, over --max-size {mb(max_bytes)}"
    if len(volume.annexes) > 1:  # the second edition keeps the volumes the references name
        listed = ", ".join(str(n) for n in volume.annexes)
        return (
            f"{over}: it holds Annexes {listed}, as the volume of that number of the other "
            "edition does (the references name one volume for both) — lower --max-size"
        )
    what = (
        f"Annex {volume.annexes[0]} alone is larger and an annex is"
        if volume.annexes
        else "the pages before the annexes alone are larger and they are"
    )
    return f"{over}: {what} never cut — lower --max-dpi, or supply the annex in parts"


def _check_signing(ready: Prepared, signing: Signing) -> dict[str, Any]:
    """Before anything is typeset: the certificate may sign for the signatory on the letter's
    date. Returns what the manifest will say of the signature."""
    from cryptography.hazmat.primitives import hashes

    from .certificate import check_certificate
    from .sign import FIELD_NAME, signing_time

    sub = ready.submission
    party = ready.bundle.party(sub.signatory.party) if sub.signatory.party else None
    if party is None or sub.date is None:  # FORM-06 / FORM-03 refuse these first
        raise UsageError(f"submission '{sub.id}' names no signatory or no date to sign with")
    when = signing_time(sub.date)
    material = check_certificate(
        signing.p12, signing.password, signer_name=party.name, signing_time=when
    )
    cert = material.cert
    return {
        "signer": party.name,
        "signing_time": when.isoformat(),
        "certificate": {
            "subject": cert.subject.rfc4514_string(),
            "issuer": cert.issuer.rfc4514_string(),
            "serial": format(cert.serial_number, "x"),
            "sha256": cert.fingerprint(hashes.SHA256()).hex(),
        },
        "field": FIELD_NAME,
        "standard": "PAdES B-B",
    }


def _sign(ready: Prepared, item: _Finished, signing: Signing, info: dict[str, Any]) -> None:
    """Sign the full edition in its signature block (its bytes replace the unsigned ones)."""
    from .sign import sign_pdf

    box = item.edition.signature_box
    if box is None:
        raise UsageError("the cover letter has no signature block to sign in (a bug)")
    data = item.data if item.data is not None else item.edition.assembled.to_bytes()
    item.data = sign_pdf(
        data,
        signing.p12,
        signing.password,
        signing_time=dt.datetime.fromisoformat(info["signing_time"]),
        signer_name=info["signer"],
        box=box,
        lang=ready.language,
        reason=item.edition.title,
        location=ready.submission.place,
    )
    item.manifest["kind"] = "signed"
    item.manifest["signature"] = {**info, "page": box.page_index + 1, "rect": list(box.rect)}


def _output(item: _Finished, dpi: int | None) -> Output:
    pdf_name, manifest_name, _ = FILES[item.edition.name]
    manifest = dict(item.manifest)
    if item.volumes:
        manifest["volumes"] = [v.entry() for v in item.volumes]
        manifest["volumes_dpi"] = dpi
    extras = tuple((v.name, v.data) for v in item.volumes)
    replaces = FILES[item.edition.name][2].format(k="*")
    return Output(
        pdf_name,
        writer_of(item.edition, item.data),
        manifest_name,
        manifest,
        extras,
        replaces,
        verify=item.verify if item.data is None else None,  # volumes were scanned as made
    )


def build_dossier(
    case_path: str | Path,
    *,
    submission_id: str | None = None,
    edition: str = "full",
    language: str | None = None,
    out_dir: str | Path | None = None,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
    ocr: bool = False,
    max_size: int | None = None,
    max_dpi: int = DEFAULT_DPI,
    page_size: str | None = None,
    final: bool = False,
    signing: Signing | None = None,
    map_jobs: MapJobs | None = None,
) -> BuildResult:
    """Build the dossier of one submission and write it with its manifest (see DESIGN.md §2).

    ``ocr`` adds an invisible text layer to image-only annex pages (needs the ``[ocr]`` extra).
    ``max_size`` also splits each edition into volumes of at most that many bytes, at annex
    boundaries, with the pinpoint references naming their volume ("Vol. 2, Annex 7, p. 3").
    ``page_size`` (``a4``) puts every annex page on that sheet.
    ``final``: the copy to send, without DRAFT marks, refused while anything it would print
    is a placeholder. ``signing``: the final's full edition is signed (PAdES) in the cover
    letter's signature block; the certificate is checked before anything is typeset.
    ``map_jobs``: how the public edition's annex pages are made (None: in this process; the CLI
    passes worker processes, :func:`~dossier.commands.workers.process_map`).
    """
    started = clock()
    progress = progress or Silent()
    if edition not in EDITIONS:
        raise UsageError(f"unknown edition '{edition}'; use full, public or both")
    if signing is not None:
        if not final:
            raise UsageError("--sign signs the copy to send: add --final")
        if edition == "public":
            raise UsageError(
                "--sign signs the full edition, the copy sent: use --edition full or both"
            )
        if max_size is not None:
            raise UsageError("--sign makes one signed file: build it without --max-size")
    names = ("public", "full") if edition == "both" else (edition,)
    if page_size is not None and page_size not in PAGE_SIZES:
        raise UsageError(f"unknown page size '{page_size}'; use {', '.join(PAGE_SIZES)}")
    sheet = PAGE_SIZES[page_size] if page_size is not None else None
    with (
        collect_repairs() as complaints,  # pypdf's complaints while copying, kept off stderr
        prepare(
            case_path,
            submission_id,
            language=language,
            public_only=edition == "public",
            ocr=ocr,
            progress=progress,
            final=final,
            digital_signature=signing is not None,
            map_jobs=map_jobs,
        ) as ready,
    ):
        signature = _check_signing(ready, signing) if signing is not None else None
        known = {r for source in ready.sources for r in source.repairs}  # reported already
        complaints[:] = [m for m in complaints if m not in known]
        seen = 0
        mapping: dict[int, int] = {}
        rounds = VOLUME_ROUNDS if max_size is not None else 1
        for round_no in range(1, rounds + 1):
            done = _editions(ready, names, progress, mapping, round_no == rounds, sheet)
            if max_size is None:
                break
            _split(ready, done, max_size, max_dpi, None)
            found = {n: v.number for v in done[0].volumes for n in v.annexes}
            if found == mapping:
                break
            if round_no == rounds:  # not settled: keep the volumes the references name
                _split(ready, done, max_size, max_dpi, mapping)
            mapping = found
        ready.warnings.extend(f"an annex was {m}" for m in complaints[seen:])
        seen = len(complaints)
        if max_size is not None:  # the volumes as they will be written
            ready.warnings.extend(
                _oversize(v, max_size) for item in done for v in item.volumes if v.size > max_size
            )
        if signing is not None and signature is not None:
            progress.stage("Signing", 1)
            _sign(ready, done[0], signing, signature)
        progress.stage("Writing", len(done))
        target = Path(out_dir) if out_dir else output_folder(Path(case_path), ready.submission.id)
        written = write_outputs(target, [_output(item, max_dpi) for item in done])
        # pypdf reads some objects of an annex only when the dossier is written
        ready.warnings.extend(f"an annex was {m}" for m in complaints[seen:])
    main = done[0]
    return BuildResult(
        case_no=ready.case_no,
        submission=ready.submission.id,
        pdf=written[0].pdf,
        manifest=written[0].manifest,
        pages=main.edition.plan.total_pages,
        annexes=len(main.edition.plan.annexes),
        size=written[0].size,
        sha256=written[0].sha256,
        seconds=clock() - started,
        warnings=ready.warnings,
        removed=main.edition.assembled.report.removed,
        record_warnings=ready.record_warnings,
        public_pdf=written[1].pdf if len(written) > 1 else None,
        volumes=[target / v.name for item in done for v in item.volumes],
        volume_table=[v for item in done for v in item.volumes],
        fitted=sum(len(pages) for pages in main.edition.assembled.report.fitted.values()),
        kind=main.manifest["kind"],
        record_notes=ready.record_notes,
        signature=main.manifest.get("signature"),
    )
