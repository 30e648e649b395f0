"""The copy to send: `build --final` (no DRAFT anywhere, refused while anything is to be
supplied), `--sign` (PAdES, checked with pyHanko's validator), `verify`, and what is sent staying
frozen. A new case is filled in through the CLI, as the user guide does."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest
from asn1crypto import x509 as asn1_x509
from casefiles import edit
from certificates import PASSWORD, make_p12, pki, valid_around
from click.testing import CliRunner
from pdfs import text_pdf
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from dossier.cli import cli

TODAY = dt.date.today().isoformat()
SUB = f"{TODAY}-update"
ENV = {"DOSSIER_SIGN_PASSWORD": PASSWORD.decode()}


def _ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def filled(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case made and filled in with the CLI only (init, party, annex, allegation)."""
    monkeypatch.chdir(tmp_path)
    case = Path("cases/9999")
    scan = tmp_path / "order.pdf"
    scan.write_bytes(text_pdf(["Detention order of 6 December 2023"]))
    for args in (
        ["init", str(case), "--case", "9999", "--country", "Ruritania",
         "--complainant", "Ruritanian Miners' Union", "--acronym", "RMU",
         "--address", "12 Station Road, Strelsau", "--signatory", "Anna Holm",
         "--title", "President"],
        ["party", "new", str(case), "--name", "Anton Berg"],
        ["party", "new", str(case), "--name", "State Security Service", "--kind",
         "organisation", "--acronym", "SSS"],
        ["annex", "add", str(case), str(scan), "--title", "Detention order", "--date",
         "2023-12-06", "--language", "en", "--issuer", "sss"],
        ["allegation", "new", str(case), "--title", "Detention of the president", "--date",
         "2023-12-06", "--category", "arrest_detention", "--place", "Strelsau", "--victim",
         "anton-berg", "--perpetrator", "sss", "--evidence", "order:1", "--source",
         "RMU report", "--facts", "On 6 December 2023 the SSS detained Anton Berg."],
    ):  # fmt: skip
        _ok(runner.invoke(cli, args))
    return case


def _texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _problem_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.endswith("]")]


def _y(page: Any, needle: str) -> float:
    """The baseline of the text piece holding ``needle`` on ``page`` (points from the bottom)."""
    found: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if needle in text:
            found.append(float(tm[5]) * float(cm[3]) + float(cm[5]))

    page.extract_text(visitor_text=visit)
    assert found, f"{needle!r} not on the page"
    return found[0]


def test_a_new_case_goes_final_signed_verified_sent_and_frozen(
    runner: CliRunner, filled: Path, tmp_path: Path
) -> None:
    case = filled
    out = case / "build" / SUB
    # a draft: every page we typeset is marked
    _ok(runner.invoke(cli, ["build", str(case)]))
    draft = _texts(out / "dossier.pdf")
    assert (
        "DRAFT — not sent" in draft[0]
        and json.loads((out / "manifest.json").read_text())["kind"] == "draft"
    )
    before = (out / "dossier.pdf").read_bytes()

    # final, unsigned: refused, listing what check --final lists; nothing written
    refused = runner.invoke(cli, ["build", str(case), "--final"])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: not final: 1 problem to fix or supply before")
    check = runner.invoke(cli, ["check", str(case), "--final"])
    assert check.exit_code == 1
    errors = [line for line in _problem_lines(check.stdout) if ": error: " in line]
    assert _problem_lines(refused.stderr) == errors  # the warnings do not stop a final
    [line] = errors
    assert line.startswith(f"{case}/submissions/{SUB}.yaml:") and "[FORM-06]" in line
    assert (out / "dossier.pdf").read_bytes() == before

    # final and signed with Anna Holm's certificate
    p12 = tmp_path / "anna.p12"
    start, end = valid_around(dt.date.today())
    p12.write_bytes(make_p12("Anna Holm", start=start, end=end))
    args = ["build", str(case), "--final", "--sign", str(p12)]
    built = _ok(runner.invoke(cli, args, env=ENV))
    assert built.stdout.startswith(f"Case No. 9999 — {SUB} (final, signed by Anna Holm)\n")
    pdf = out / "dossier.pdf"
    texts = _texts(pdf)
    assert not any("DRAFT" in t or "not sent" in t for t in texts)
    if shutil.which("pdftotext"):
        poppler = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
        assert b"DRAFT" not in poppler.stdout and b"Anna Holm" in poppler.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "signed"
    assert manifest["signature"]["signer"] == "Anna Holm"
    assert manifest["signature"]["signing_time"] == f"{TODAY}T12:00:00+00:00"

    # pyHanko's validator: intact, valid, whole file, trusted when the test CA is given
    sig = PdfFileReader(io.BytesIO(pdf.read_bytes())).embedded_signatures[0]
    root = asn1_x509.Certificate.load(pki().root_der)
    status = validate_pdf_signature(
        sig, signer_validation_context=ValidationContext(trust_roots=[root], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE

    # the visible field sits in the cover letter's signature block: below the closing,
    # above the signatory's name, on the page that has both
    reader = PdfReader(pdf)
    widgets = [
        (index, annot.get_object())
        for index, page in enumerate(reader.pages)
        for annot in cast(Any, page).get("/Annots", [])
        if annot.get_object().get("/FT") == "/Sig"
    ]
    [(index, widget)] = widgets
    assert index + 1 == manifest["signature"]["page"]
    page = reader.pages[index]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert _y(page, "Anna Holm") < y1 < y2 < _y(page, "Yours sincerely")
    assert 60 < x1 < x2 < float(page.mediabox.width) / 2 + 60

    # verify, from another directory, finds the build and says OK; a changed record is not
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    verified = _ok(runner.invoke(cli, ["verify", f"../{case}"]))
    assert "  signature: valid, covers the whole file\n" in verified.stdout
    assert "  signed by: Anna Holm\n" in verified.stdout
    assert verified.stdout.endswith("OK\n")
    # in a real process, pyHanko's log of the untrusted chain stays off the screen
    alone = subprocess.run(
        [sys.executable, "-m", "dossier", "verify", f"../{case}"], capture_output=True, text=True
    )
    assert (alone.returncode, alone.stderr) == (0, "")

    # mark it sent from there: the PDF's sha256 is recorded, the YAML says it was sent
    sent = _ok(runner.invoke(cli, ["submission", "mark-sent", f"../{case}", SUB, "--date", TODAY]))
    sha = manifest["output"]["sha256"]
    assert f"  PDF sent: ../{case}/build/{SUB}/dossier.pdf (signed), sha256 {sha}\n" in (
        sent.stdout
    )
    yaml_text = (tmp_path / case / "submissions" / f"{SUB}.yaml").read_text()
    assert "still a draft" not in yaml_text
    assert f"# A communication to the Committee, sent on {TODAY} (frozen in " in yaml_text
    frozen = json.loads((tmp_path / case / "submissions" / f"{SUB}.sent.json").read_text())
    assert frozen["sent_pdf"]["sha256"] == sha and frozen["sent_pdf"]["kind"] == "signed"

    # the signed copy is rebuilt byte for byte with the same certificate
    rebuilt = _ok(
        runner.invoke(
            cli, ["submission", "rebuild", f"../{case}", SUB, "--sign", str(p12)], env=ENV
        )
    )
    assert "  identical to the PDF sent (signed)\n" in rebuilt.stdout
    direct = _ok(runner.invoke(cli, ["verify", f"../{case}/build/{SUB}/dossier.pdf"]))
    assert direct.stdout == verified.stdout
    # the next draft, started from the letter sent, says again that it is a draft
    _ok(runner.invoke(cli, ["submission", "new", f"../{case}"]))
    addendum = tmp_path / case / "submissions" / f"{TODAY}-additional-information.yaml"
    assert addendum.read_text().splitlines()[1] == (
        "# A communication to the Committee, still a draft (sent: false)."
    )

    # an edit to a record it used: build --submission refuses, naming the rebuild
    os.chdir(tmp_path)
    edit(case / "parties.yaml", "President", "General Secretary")
    changed = runner.invoke(cli, ["build", str(case), "--submission", SUB])
    assert changed.exit_code == 1
    assert f"rebuild it as sent with 'dossier submission rebuild {case} {SUB}'" in changed.stderr
    assert "parties.yaml" in changed.stderr and "[SENT-01]" in changed.stderr
    unchanged = runner.invoke(cli, ["verify", str(case)])
    assert unchanged.exit_code == 1 and "    changed: parties.yaml\n" in unchanged.stdout


def test_mark_sent_needs_the_final_build_that_was_sent(
    runner: CliRunner, filled: Path, tmp_path: Path
) -> None:
    case = filled
    edit(case / "submissions" / f"{SUB}.yaml", "signed: false", "signed: true")
    mark = ["submission", "mark-sent", str(case), SUB, "--date", TODAY]
    nothing = runner.invoke(cli, mark)
    assert nothing.exit_code == 2
    assert f"no final build of '{SUB}' to record" in nothing.stderr
    assert f"'dossier build {case} --submission {SUB} --final'" in nothing.stderr
    _ok(runner.invoke(cli, ["build", str(case)]))
    draft = runner.invoke(cli, mark)
    assert draft.exit_code == 2 and "is a draft (marked DRAFT), not the copy to send" in (
        draft.stderr
    )
    final = _ok(runner.invoke(cli, ["build", str(case), "--final"]))
    assert final.stdout.startswith(f"Case No. 9999 — {SUB} (final)\n")
    assert not any("DRAFT" in t for t in _texts(case / "build" / SUB / "dossier.pdf"))
    edit(case / "allegations" / "2023-12-06-detention-of-the-president.yaml", "Strelsau", "Osh")
    stale = runner.invoke(cli, mark)
    assert stale.exit_code == 2
    assert "2023-12-06-detention-of-the-president.yaml has changed since the final build" in (
        stale.stderr
    )
    assert not (case / "submissions" / f"{SUB}.sent.json").exists()
    outside = _ok(runner.invoke(cli, [*mark, "--without-pdf"]))
    assert "  no PDF recorded (--without-pdf): the letter was sent outside dossier\n" in (
        outside.stdout
    )
    frozen = json.loads((case / "submissions" / f"{SUB}.sent.json").read_text())
    assert frozen["sent_pdf"] is None and frozen["numbers_from"] == "plan"


def test_a_build_run_from_another_directory_lands_in_the_case(
    runner: CliRunner, new_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = _ok(runner.invoke(cli, ["build", "../case"]))
    pdf = Path("../case/build/2024-03-01-update/dossier.pdf")
    assert f"  {pdf}\n" in result.stdout
    assert PdfReader(pdf).pages[0].extract_text().startswith("DRAFT")
    assert not Path("build").exists()


def test_3386_is_not_final_and_says_what_is_still_to_be_supplied(
    runner: CliRunner, case_dir: Path
) -> None:
    previous = case_dir / "build" / "2026-11-24-additional-information" / "dossier.pdf"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"%PDF- the draft built before\n")
    result = runner.invoke(cli, ["build", str(case_dir), "--final"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: not final: 6 problems to fix or supply before the copy to send can be built "
        f"(see 'dossier check {case_dir} --final')"
    )
    lines = _problem_lines(result.stderr)
    codes = sorted(line.rsplit("[", 1)[1].rstrip("]") for line in lines)
    assert codes == ["ANX-08"] * 2 + ["ANX-16"] * 2 + ["FORM-05", "FORM-06"]
    assert all("to be supplied" in line for line in lines if "ANX-16" not in line)
    assert previous.read_bytes() == b"%PDF- the draft built before\n"
    assert sorted(p.name for p in previous.parent.iterdir()) == ["dossier.pdf"]
    check = runner.invoke(cli, ["check", str(case_dir), "--final"])
    errors = [line for line in _problem_lines(check.stdout) if line in lines]
    assert errors == lines  # check --final lists the same lines, in the same order
    signed = runner.invoke(cli, ["check", str(case_dir), "--final", "--sign", "x.p12"])
    unsigned = [line for line in lines if "FORM-06" in line]
    assert unsigned and unsigned[0] in check.stdout
    assert unsigned[0] not in signed.stdout  # a digital signature will sign it
