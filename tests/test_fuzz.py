"""Fuzzing: mutated records (YAML text) and annex bytes of a small case.

Every outcome of load + check, and of a build, must be a success or a DossierError with a
message: never another exception (a traceback is a bug). The check fuzz runs 500 examples; the
build fuzz runs fewer (100) because one build takes a few tenths of a second.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dossier.checks import check_case
from dossier.commands.build import build_dossier
from dossier.errors import DossierError, Problem
from dossier.load import load_case

CASE = Path(__file__).resolve().parent / "corpus" / "confidential"
FILES = {
    p.relative_to(CASE).as_posix(): p.read_bytes() for p in sorted(CASE.rglob("*")) if p.is_file()
}
RECORDS = sorted(name for name in FILES if name.endswith(".yaml"))
ANNEXES = sorted(name for name in FILES if name.startswith("annexes/"))

SPECIAL = [
    b"\t",
    b"\x00",
    b"\xff\xfe",
    "\u202e".encode(),
    "\u200b".encode(),
    b": ",
    b"- ",
    b"&a ",
    b"*a",
    b"{",
    b"]",
    b"'",
    b'"',
    b"\n",
    b"2023-02-30",
    b"null",
    b"!!python/object:os.system",
    b"%PDF-",
    b"%%EOF",
    b"obj",
    b"endstream",
    b"/Kids [",
    b"/Type /Pages",
    b" 0 R",
    b"9999 0 R",
    b"<<",
    b">>",
    b"/Filter /FlateDecode",
    b"/Length 0",
    b"/Rotate 45",
    b"/MediaBox [0 0 0 0]",
    b"/Encrypt 1 0 R",
    "Айда Султанова".encode(),
    b"Bakyt Oruzbaev",
    b"../" * 3,
    b"/etc/passwd",
]


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One to three edits: delete, insert, replace, duplicate a slice, or truncate."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        size = len(out)
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
        at = draw(st.integers(0, size))
        if kind == "delete" and size:
            end = draw(st.integers(at, min(size, at + 40)))
            del out[at:end]
        elif kind == "insert":
            piece = draw(st.one_of(st.sampled_from(SPECIAL), st.binary(min_size=1, max_size=8)))
            out[at:at] = piece
        elif kind == "replace" and size:
            end = draw(st.integers(at, min(size, at + 8)))
            out[at:end] = draw(st.one_of(st.sampled_from(SPECIAL), st.binary(max_size=8)))
        elif kind == "duplicate" and size:
            end = draw(st.integers(at, min(size, at + 60)))
            out[end:end] = out[at:end]
        else:
            out = out[:at]
    return bytes(out)


def repin(files: dict[str, bytes], annex: str) -> None:
    """Write the mutated annex's sha256 into annexes.yaml, so the build gets to read it."""
    name = annex.removeprefix("annexes/")
    digest = hashlib.sha256(files[annex]).hexdigest().encode()
    files["annexes.yaml"] = re.sub(
        rb"(file: " + re.escape(name.encode()) + rb"\n    sha256: )[0-9a-f]{64}",
        rb"\g<1>" + digest,
        files["annexes.yaml"],
    )


@st.composite
def mutated_case(draw: st.DrawFn, records: bool = True, annexes: bool = True) -> dict[str, bytes]:
    files = dict(FILES)
    targets = (RECORDS if records else []) + (ANNEXES if annexes else [])
    for name in draw(st.lists(st.sampled_from(targets), min_size=1, max_size=2, unique=True)):
        files[name] = draw(mutation(files[name]))
        if name in ANNEXES and draw(st.integers(0, 9)) < 8:
            repin(files, name)
    return files


def write(root: Path, files: dict[str, bytes]) -> Path:
    case = root / "case"
    for name, data in files.items():
        path = case / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return case


def assert_problems_are_well_formed(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.message and problem.code
        line = problem.format()
        assert "\n" not in line.strip() or problem.code  # one finding, one report


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=mutated_case())
def test_check_never_crashes(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case = write(Path(tmp), files)
        try:
            bundle = load_case(case)
            problems = check_case(bundle)
        except DossierError as exc:
            event("load refused the folder")
            assert exc.message
            return
        event(f"{sum(p.severity == 'error' for p in problems)} errors"[:9])
        assert_problems_are_well_formed(problems)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    files=st.one_of(mutated_case(records=False), mutated_case()),
    edition=st.sampled_from(["full", "public", "both"]),
)
def test_build_succeeds_or_fails_cleanly(files: dict[str, bytes], edition: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case = write(Path(tmp), files)
        out = Path(tmp) / "out"
        try:
            result = build_dossier(case, edition=edition, out_dir=out)
        except DossierError as exc:
            event(f"build failed: exit {exc.exit_code}")
            assert exc.message
            assert exc.exit_code in (1, 2, 3)
            written = sorted(p.name for p in out.iterdir()) if out.exists() else []
            assert written == [], f"a failed build left {written}"
            return
        event("build succeeded")
        assert result.pdf.is_file() and result.pages > 0
        assert not [p for p in out.iterdir() if p.name.endswith(".part")]
