"""`dossier build` end to end on a copy of Case 3386: output, manifest, exit codes, atomicity."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pdfs
import pytest
from pypdf import PdfReader

from dossier.cli import cli
from dossier.errors import BuildError

DRAFT = "2026-11-24-additional-information"


def _build(runner, case_dir: Path, out: Path, *extra: str):
    return runner.invoke(cli, ["build", str(case_dir), "--out", str(out), *extra])


@pytest.fixture
def built(runner, case_dir, tmp_path):
    out = tmp_path / "out"
    result = _build(runner, case_dir, out)
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return out, result


def test_build_writes_pdf_and_manifest(built, case_dir):
    out, result = built
    pdf, manifest_path = out / "dossier.pdf", out / "manifest.json"
    assert f"Case No. 3386 — {DRAFT}" in result.stdout
    assert str(pdf) in result.stdout
    data = pdf.read_bytes()
    manifest = json.loads(manifest_path.read_text())
    reader = PdfReader(pdf)
    total = len(reader.pages)
    assert manifest["case"] == 3386
    assert manifest["submission"]["id"] == DRAFT
    assert manifest["pages"] == total
    assert manifest["output"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["output"]["size"] == len(data)
    assert manifest["tool"]["libraries"]["pypdf"]
    inputs = {item["file"]: item for item in manifest["inputs"]}
    registry = case_dir / "annexes.yaml"
    assert inputs["annexes.yaml"]["sha256"] == hashlib.sha256(registry.read_bytes()).hexdigest()
    for annex in manifest["annexes"]:
        if annex["file"]:
            item = inputs[f"annexes/{annex['file']}"]
            path = case_dir / "annexes" / annex["file"]
            assert (
                item["sha256"] == annex["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
            )
    parts = manifest["parts"]
    assert parts[0]["first_page"] == 1 and parts[-1]["last_page"] == total
    assert parts[0]["label"] == "Cover letter"
    annex_parts = [part for part in parts if part["annex_no"] is not None]
    assert {part["annex_no"] for part in annex_parts} == {a["number"] for a in manifest["annexes"]}
    for part in annex_parts:
        assert part["label"] == f"Annex {part['annex_no']}"
        first_text = reader.pages[part["first_page"] - 1].extract_text()
        assert f"Case No. 3386 — Annex {part['annex_no']}" in first_text
    for before, after in zip(parts, parts[1:], strict=False):
        assert after["first_page"] == before["last_page"] + 1
    assert [a["number"] for a in manifest["annexes"]] == list(
        range(1, len(manifest["annexes"]) + 1)
    )
    for index, page in enumerate(reader.pages):
        text = page.extract_text()
        assert f"Page {index + 1} of {total}" in text
        assert "Case No. 3386 — " in text
    assert reader.page_labels == [str(n) for n in range(1, total + 1)]


def test_annex_bookmarks_and_contents_links(built):
    out, _ = built
    reader = PdfReader(out / "dossier.pdf")
    manifest = json.loads((out / "manifest.json").read_text())
    titles = {item.title: item for item in reader.outline if not isinstance(item, list)}
    for annex in manifest["annexes"]:
        title = f"Annex {annex['number']} — {annex['title']} (p. {annex['divider_page']})"
        assert title in titles
        assert reader.get_destination_page_number(titles[title]) == annex["divider_page"] - 1
    dividers = {a["divider_page"] for a in manifest["annexes"]}
    bodies = {
        page for a in manifest["annexes"] for page in range(a["first_page"], a["last_page"] + 1)
    }
    assert dividers <= _link_targets(reader, manifest, "contents")
    pinpoints = _link_targets(reader, manifest, "allegations")
    assert pinpoints and pinpoints <= bodies


def _link_targets(reader: PdfReader, manifest: dict, key: str) -> set[int]:
    part = next(p for p in manifest["parts"] if p["key"] == key)
    targets = set()
    for page in reader.pages[part["first_page"] - 1 : part["last_page"]]:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            assert "dossier:" not in str(annot.get("/A", {}).get("/URI", ""))
            if "/Dest" in annot:
                targets.add(reader.get_page_number(annot["/Dest"][0].get_object()) + 1)
    return targets


def test_rebuild_is_byte_identical(runner, built, case_dir, tmp_path):
    out, _ = built
    again = tmp_path / "again"
    assert _build(runner, case_dir, again).exit_code == 0
    assert (again / "dossier.pdf").read_bytes() == (out / "dossier.pdf").read_bytes()
    assert (again / "manifest.json").read_bytes() == (out / "manifest.json").read_bytes()


def test_the_library_takes_paths_as_strings_and_builds_the_same_bytes(built, case_dir, tmp_path):
    from dossier import build_dossier

    out, _ = built
    result = build_dossier(str(case_dir), out_dir=str(tmp_path / "lib"))
    assert result.pdf == tmp_path / "lib" / "dossier.pdf"
    assert result.pdf.read_bytes() == (out / "dossier.pdf").read_bytes()


def test_qpdf_check_passes(built):
    out, _ = built
    if not shutil.which("qpdf"):
        pytest.skip("qpdf not installed")
    check = subprocess.run(["qpdf", "--check", str(out / "dossier.pdf")], capture_output=True)
    assert check.returncode == 0, check.stdout


def test_failed_build_leaves_previous_output_and_no_partial_file(
    runner, built, case_dir, monkeypatch
):
    out, _ = built
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken_write(self, stream):
        stream.write(b"%PDF-1.7\n% half a file")
        raise BuildError("disk gremlin")

    monkeypatch.setattr("dossier.assemble.document.Assembled.write", broken_write)
    result = _build(runner, case_dir, out)
    assert result.exit_code == 3
    assert "Error: disk gremlin" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_unknown_submission_is_a_usage_error(runner, case_dir, tmp_path):
    result = _build(runner, case_dir, tmp_path / "out", "--submission", "nope")
    assert result.exit_code == 2
    assert "Error: unknown submission 'nope'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_public_edition_is_written_beside_the_full_one(runner, case_dir, tmp_path):
    # the public edition itself is tested in test_public_edition.py
    result = _build(runner, case_dir, tmp_path / "out", "--edition", "public")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "dossier-public.pdf",
        "manifest-public.json",
    ]


def test_record_errors_stop_the_build(runner, case_dir, tmp_path):
    case_yaml = case_dir / "case.yaml"
    case_yaml.write_text(case_yaml.read_text() + "\nnonsense_field: 1\n")
    result = _build(runner, case_dir, tmp_path / "out")
    assert result.exit_code == 1
    assert "nonsense_field" in result.stderr
    assert not (tmp_path / "out").exists()


def _add_locked_annex(case_dir: Path) -> None:
    data = pdfs.encrypted_pdf("hunter2")
    (case_dir / "annexes" / "locked.pdf").write_bytes(data)
    with (case_dir / "annexes.yaml").open("a") as registry:
        registry.write(
            "  - id: locked-report\n"
            "    title: Encrypted report\n"
            "    date: 2023-12-01\n"
            "    issuer: industriall\n"
            "    language: en\n"
            "    kind: document\n"
            "    file: locked.pdf\n"
            f"    sha256: {hashlib.sha256(data).hexdigest()}\n"
            "    password_env: DOSSIER_TEST_LOCKED\n"
            "    source: test\n"
        )
    draft = case_dir / "submissions" / f"{DRAFT}.yaml"
    draft.write_text(draft.read_text() + "annexes_extra: [locked-report]\n")


def test_encrypted_annex_needs_its_password(runner, case_dir, tmp_path, monkeypatch):
    _add_locked_annex(case_dir)
    monkeypatch.delenv("DOSSIER_TEST_LOCKED", raising=False)
    result = _build(runner, case_dir, tmp_path / "out")
    assert result.exit_code == 3, result.output
    assert "annex 'locked-report' (locked.pdf)" in result.stderr
    assert "DOSSIER_TEST_LOCKED" in result.stderr
    assert not (tmp_path / "out" / "dossier.pdf").exists()
    monkeypatch.setenv("DOSSIER_TEST_LOCKED", "hunter2")
    result = _build(runner, case_dir, tmp_path / "out")
    assert result.exit_code == 0, result.output + result.stderr
    reader = PdfReader(tmp_path / "out" / "dossier.pdf")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    locked = next(a for a in manifest["annexes"] if a["id"] == "locked-report")
    assert "Encrypted one" in reader.pages[locked["first_page"] - 1].extract_text()
    assert not reader.is_encrypted


def test_sanitised_annex_is_reported_in_summary_and_manifest(runner, case_dir, tmp_path):
    data = pdfs.active_pdf()
    (case_dir / "annexes" / "active.pdf").write_bytes(data)
    with (case_dir / "annexes.yaml").open("a") as registry:
        registry.write(
            "  - id: active-report\n"
            "    title: Report with scripts\n"
            "    date: 2023-12-01\n"
            "    issuer: industriall\n"
            "    language: en\n"
            "    kind: document\n"
            "    file: active.pdf\n"
            f"    sha256: {hashlib.sha256(data).hexdigest()}\n"
            "    source: test\n"
        )
    draft = case_dir / "submissions" / f"{DRAFT}.yaml"
    draft.write_text(draft.read_text() + "annexes_extra: [active-report]\n")
    result = _build(runner, case_dir, tmp_path / "out")
    assert result.exit_code == 0, result.output + result.stderr
    assert "removed from annexes" in result.stdout
    assert "(active.pdf) p. 1: Launch action" in result.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    removed = "\n".join(manifest["removed_from_annexes"])
    assert "document JavaScript" in removed and "embedded files" in removed
    assert b"app.alert" not in (tmp_path / "out" / "dossier.pdf").read_bytes()
