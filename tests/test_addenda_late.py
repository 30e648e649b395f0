"""`dossier build CASE --late`: the dossier as sent, then the draft's new annexes numbered on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_addenda import COMPLAINT, FIRST, MINIMAL, _addendum, _allegation, _annex, _ok, _sent

from dossier.cli import cli


@pytest.fixture
def case(tmp_path: Path) -> Path:
    dest = tmp_path / "9999"
    shutil.copytree(MINIMAL, dest)
    return dest


def test_late_annexes_follow_the_last_page_sent(runner, case: Path, tmp_path: Path) -> None:
    sent = tmp_path / "sent"
    _ok(runner.invoke(cli, ["build", str(case), "--final", "--out", str(sent)]))
    _sent(runner, case, COMPLAINT, "2024-02-01", "--manifest", str(sent / "manifest.json"))
    _annex(case, "arrest-order", "Order to arrest the chair", "2024-03-01", "Arrest order.\n")
    _allegation(
        case, "2024-03-01-arrest", "Arrest of the chair", "arrest_detention",
        ["arrest-order", "search-note"],
    )  # fmt: skip
    _addendum(case, FIRST)
    out = tmp_path / "late"
    result = _ok(runner.invoke(cli, ["build", str(case), "--late", "--final", "--out", str(out)]))
    assert f"Sent dossier '{COMPLAINT}' with Annex(es) 2 appended" in result.stdout
    before = PdfReader(sent / "dossier.pdf")
    after = PdfReader(out / "dossier-late.pdf")
    n = len(before.pages)
    total = len(after.pages)
    assert total > n + 1
    # the pages sent are kept as they were: same text, same stamps ("of n"), same labels
    for index in range(n):
        assert after.pages[index].extract_text() == before.pages[index].extract_text()
    assert after.page_labels == [str(i) for i in range(1, total + 1)]
    divider = after.pages[n].extract_text()
    assert "Annex 2" in divider and "Order to arrest the chair" in divider
    assert "Case No. 9999 — Annex 2" in divider and f"Page {n + 1} of {total}" in divider
    assert f"Page {total} of {total}" in after.pages[-1].extract_text()
    titles = [o.title for o in after.outline if not isinstance(o, list)]
    assert f"Annex 2 — Order to arrest the chair (p. {n + 1})" in titles
    manifest = json.loads((out / "manifest-late.json").read_text())
    sent_manifest = json.loads((sent / "manifest.json").read_text())
    assert manifest["base"] == {
        "submission": COMPLAINT,
        "sha256": sent_manifest["output"]["sha256"],
        "pages": n,
    }
    assert [(a["number"], a["id"], a["divider_page"]) for a in manifest["annexes"]] == [
        (2, "arrest-order", n + 1)
    ]
    assert manifest["pages"] == total
    assert manifest["kind"] == "final"
    # a final: the pages appended carry no DRAFT mark (a draft's do)
    assert not any("DRAFT" in page.extract_text() for page in after.pages)
    draft = tmp_path / "late-draft"
    _ok(runner.invoke(cli, ["build", str(case), "--late", "--out", str(draft)]))
    pages = PdfReader(draft / "dossier-late.pdf").pages
    marked = ["DRAFT" in p.extract_text() for p in pages]
    assert marked[:n] == [False] * n and marked[n]  # the pages sent as they were; the divider
    p12 = tmp_path / "any.p12"
    p12.write_bytes(b"not read: refused before")
    signed = runner.invoke(cli, ["build", str(case), "--late", "--sign", str(p12)])
    assert signed.exit_code == 2 and "--late builds the full edition, without" in signed.stderr


def test_late_needs_something_sent_and_something_new(runner, case: Path, tmp_path: Path) -> None:
    nothing_sent = runner.invoke(cli, ["build", str(case), "--late", "--out", str(tmp_path)])
    assert nothing_sent.exit_code == 2 and "no submission was marked sent" in nothing_sent.stderr
    _sent(runner, case, COMPLAINT, "2024-02-01", "--without-pdf")
    _addendum(case, FIRST)
    nothing_new = runner.invoke(cli, ["build", str(case), "--late", "--out", str(tmp_path)])
    assert nothing_new.exit_code == 2 and "adds no annex" in nothing_new.stderr
    both = runner.invoke(cli, ["build", str(case), "--late", "--max-size", "1MB"])
    assert both.exit_code == 2
