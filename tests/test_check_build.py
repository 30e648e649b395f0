"""`check` passing means `build` succeeds: whatever the build refuses, `check` reports first.

Over every case of tests/corpus (each annex file in place of the small case's text annex, each
record overlay) and over random mixes of good, damaged and hostile annex files with defects in
the records: `check` exits 0 exactly when `build` does, and every problem line the build refuses
with is one that `check` printed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

import annexfiles
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "confidential"
OVERLAYS = sorted(p.name for p in (CORPUS / "records").iterdir())
CORPUS_FILES = {p.name: p.read_bytes() for p in sorted((CORPUS / "files").iterdir())}
MORE_FILES = {
    **{f"damaged-{name}": data for name, data in annexfiles.damaged_pdfs().items()},
    "locked.pdf": annexfiles.encrypted_pdf(),
    "message.eml": annexfiles.eml("A message", "The body of the message."),
    "message.msg": annexfiles.msg("A message", "The body of the message."),
    "broken.docx": b"PK\x03\x04 not a zip",
    "archive.zip": b"PK\x05\x06" + bytes(18),
}
FILES = {**CORPUS_FILES, **MORE_FILES}
IMAGES = ["photo.png", "bad-header.png", "truncated.png", "bad-header.jpg"]


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args}") from result.exception
    return result


def set_annex_file(case: Path, annex_id: str, name: str, data: bytes, pin: str) -> None:
    """Make annex ``annex_id``'s file ``annexes/name`` holding ``data``; ``pin``: right, wrong
    or none (no sha256)."""
    (case / "annexes" / name).write_bytes(data)
    register = case / "annexes.yaml"
    text = register.read_text(encoding="utf-8")
    entry = re.search(rf"  - id: {annex_id}\n(?:    .*\n)*", text)
    assert entry is not None
    old = entry.group(0)
    new = re.sub(r"file: .*\n", f"file: {name}\n", old)
    digest = {"right": hashlib.sha256(data).hexdigest(), "wrong": "0" * 64}.get(pin)
    new = re.sub(r"    sha256: .*\n", f"    sha256: {digest}\n" if digest else "", new)
    register.write_text(text.replace(old, new), encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PHOTO_FILE = {
    "present": None,
    "missing": "file: gone.png",
    "to-be-supplied": "file: null",
}
RECORD_DEFECTS = {
    "page-beyond": lambda case: edit(
        case / "allegations" / "2025-03-06-questioning.yaml", 'pages: "1"', 'pages: "9"'
    ),
    "unknown-party": lambda case: edit(
        case / "allegations" / "2025-03-06-questioning.yaml",
        "perpetrators: [security-service]",
        "perpetrators: [security-servise]",
    ),
    "unregistered-file": lambda case: (case / "annexes" / "stray.pdf").write_bytes(
        CORPUS_FILES["good.pdf"]
    ),
}


def assert_check_means_build(case: Path, out: Path) -> None:
    check = invoke("check", case)
    build = invoke("build", case, "--out", out)
    assert check.exit_code in (0, 1), check.output
    assert (check.exit_code == 0) == (build.exit_code == 0), (
        f"check exit {check.exit_code}, build exit {build.exit_code}\n"
        f"--- check\n{check.stdout}\n--- build\n{build.stderr}"
    )
    if build.exit_code != 0:
        assert build.exit_code in (1, 3)
        refused = build.stderr.splitlines()[1:]
        assert refused, build.stderr
        printed = check.stdout.splitlines()
        assert all(line in printed for line in refused), (refused, printed)
        assert not out.exists() or not any(out.rglob("*.pdf"))


def copy_base(root: Path) -> Path:
    case = root / "case"
    shutil.copytree(BASE, case)
    return case


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_corpus_file_check_means_build(name: str, tmp_path: Path) -> None:
    case = copy_base(tmp_path)
    (case / "annexes" / "union-note.txt").unlink()
    set_annex_file(case, "union-note", "evidence-" + name, FILES[name], "right")
    assert_check_means_build(case, tmp_path / "out")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_corpus_record_overlay_check_means_build(overlay: str, tmp_path: Path) -> None:
    case = copy_base(tmp_path)
    shutil.copytree(CORPUS / "records" / overlay, case, dirs_exist_ok=True)
    assert_check_means_build(case, tmp_path / "out")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    note=st.sampled_from(sorted(FILES)),
    note_pin=st.sampled_from(["right", "right", "wrong", "none"]),
    photo=st.sampled_from(IMAGES),
    photo_file=st.sampled_from(sorted(PHOTO_FILE)),
    defects=st.lists(st.sampled_from(sorted(RECORD_DEFECTS)), max_size=2, unique=True),
    overlay=st.sampled_from([None, None, None, *OVERLAYS]),
)
def test_random_cases_check_means_build(
    note: str,
    note_pin: str,
    photo: str,
    photo_file: str,
    defects: list[str],
    overlay: str | None,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case = copy_base(Path(tmp))
        (case / "annexes" / "union-note.txt").unlink()
        set_annex_file(case, "union-note", "evidence-" + note, FILES[note], note_pin)
        if photo != "photo.png":
            (case / "annexes" / "photo.png").unlink()
            set_annex_file(case, "photo", "photo-" + photo, CORPUS_FILES[photo], "right")
            edit(case / "annexes.yaml", f"file: photo-{photo}", "file: photo.png")
            (case / "annexes" / f"photo-{photo}").rename(case / "annexes" / "photo.png")
        if PHOTO_FILE[photo_file] is not None:
            edit(case / "annexes.yaml", "file: photo.png", str(PHOTO_FILE[photo_file]))
        for defect in defects:
            RECORD_DEFECTS[defect](case)
        if overlay is not None:
            shutil.copytree(CORPUS / "records" / overlay, case, dirs_exist_ok=True)
        assert_check_means_build(case, Path(tmp) / "out")
