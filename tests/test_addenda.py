"""A case through three submissions (complaint, two addenda): freezing, stable annex numbers,
``allegations: new``, ``dossier diff``, identical rebuilds of what was sent, SENT-01."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier.checks import check_case
from dossier.cli import cli
from dossier.commands.diff import diff_submissions
from dossier.load import load_case
from dossier.load.frozen import frozen_path, read_frozen
from dossier.load.sent import first_reported

MINIMAL = Path(__file__).resolve().parent / "cases" / "minimal"
COMPLAINT = "2024-02-01-complaint"
FIRST = "2024-04-02-addendum"
SECOND = "2024-06-03-addendum"

ADDENDUM = """\
id: {id}
date: {date}
kind: additional_information
sender: union
place: Bishkek
addressee:
  party: dg
  office: Director-General
  organisation: ilo
  address: 4 route des Morillons, CH-1211 Genève 22, Switzerland
  email: ilo@ilo.org
signatory:
  party: secretary
  title: General Secretary
  signed: true
subject: "Case No. 9999 (Kyrgyzstan): additional information"
requests:
  - to ask the Government to release the chair of the union
allegations: new
conciliation: false
sent: false
"""

ALLEGATION = """\
id: {id}
title: {title}
date: {date}
precision: exact
place: Bishkek
category: {category}
facts: >
  {facts}
victims: [union]
perpetrators: [government]
conventions: [C087 art. 3]
evidence:
{evidence}
source: test fixture
"""


def _annex(case: Path, annex_id: str, title: str, date: str, text: str) -> None:
    path = case / "annexes" / f"{annex_id}.txt"
    path.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with (case / "annexes.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f"  - id: {annex_id}\n    title: {title}\n    date: {date}\n    issuer: union\n"
            f"    language: en\n    kind: document\n    file: {annex_id}.txt\n"
            f"    sha256: {digest}\n"
        )


def _allegation(case: Path, allegation_id: str, title: str, category: str, cites: list[str]):
    evidence = "".join(f"  - annex: {a}\n    pages: '1'\n" for a in cites)
    (case / "allegations" / f"{allegation_id}.yaml").write_text(
        ALLEGATION.format(
            id=allegation_id,
            title=title,
            date=allegation_id[:10],
            category=category,
            facts=f"On {allegation_id[:10]} the authorities acted against the union ({title}).",
            evidence=evidence,
        ),
        encoding="utf-8",
    )


def _addendum(case: Path, submission_id: str) -> None:
    (case / "submissions" / f"{submission_id}.yaml").write_text(
        ADDENDUM.format(id=submission_id, date=submission_id[:10]), encoding="utf-8"
    )


def _ok(result):
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result


def _build(runner, case: Path, out: Path, submission: str, *extra: str) -> dict:
    args = ["build", str(case), "--submission", submission, "--out", str(out), *extra]
    _ok(runner.invoke(cli, args))
    return json.loads((out / "manifest.json").read_text())


def _numbers(manifest: dict) -> dict[str, int]:
    return {a["id"]: a["number"] for a in manifest["annexes"]}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def case(tmp_path: Path) -> Path:
    dest = tmp_path / "9999"
    shutil.copytree(MINIMAL, dest)
    text = (dest / "submissions" / f"{COMPLAINT}.yaml").read_text()
    (dest / "submissions" / f"{COMPLAINT}.yaml").write_text(
        "# the complaint: reviewed by the legal officer\n" + text
    )
    return dest


def _sent(runner, case: Path, submission: str, date: str, *extra: str):
    return _ok(
        runner.invoke(
            cli, ["submission", "mark-sent", str(case), submission, "--date", date, *extra]
        )
    )


def test_three_submissions(runner, case: Path, tmp_path: Path) -> None:
    # 1. the complaint: built, then marked sent (numbers from the manifest of that build)
    out = tmp_path / "complaint"
    assert _numbers(_build(runner, case, out, COMPLAINT, "--final")) == {"search-note": 1}
    result = _sent(runner, case, COMPLAINT, "2024-02-01", "--manifest", str(out / "manifest.json"))
    assert "numbers from the manifest" in result.stdout
    assert f"PDF sent: {out / 'dossier.pdf'} (final), sha256 {_sha(out / 'dossier.pdf')}" in (
        result.stdout
    )
    yaml_text = (case / "submissions" / f"{COMPLAINT}.yaml").read_text()
    assert yaml_text.startswith("# the complaint: reviewed by the legal officer\n")
    assert "sent: true" in yaml_text and "date: 2024-02-01" in yaml_text
    frozen = read_frozen(frozen_path(case, COMPLAINT))
    assert frozen.annex_numbers == {"search-note": 1}
    assert frozen.allegations == ("2024-01-05-search",)
    sent_pdf = _sha(out / "dossier.pdf")
    assert frozen.sent_pdf is not None and frozen.sent_pdf["sha256"] == sent_pdf
    rebuilt = _ok_rebuild(runner, case, COMPLAINT, tmp_path / "sent-1")
    assert _sha(rebuilt / "dossier.pdf") == sent_pdf  # the final built before sending, exactly

    # 2. first addendum: a new allegation citing a new annex and the complaint's annex
    _annex(case, "arrest-order", "Order to arrest the chair", "2024-03-01", "Arrest order.\n")
    _allegation(
        case, "2024-03-01-arrest", "Arrest of the chair", "arrest_detention",
        ["arrest-order", "search-note"],
    )  # fmt: skip
    _addendum(case, FIRST)
    manifest = _build(runner, case, tmp_path / "first", FIRST, "--final")
    # search-note keeps Annex 1 although the new allegation cites arrest-order first
    assert _numbers(manifest) == {"search-note": 1, "arrest-order": 2}
    sel = [p["key"] for p in manifest["parts"] if p["kind"] == "annex"]
    assert sel == ["annex:search-note", "annex:arrest-order"]
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "first" / "dossier.pdf").pages)
    assert "Arrest of the chair" in text
    assert "Search of the union office" not in text  # reported by the complaint, not new
    _sent(runner, case, FIRST, "2024-04-02", "--manifest", str(tmp_path / "first/manifest.json"))

    # 3. second addendum: a further event, a new annex, and a correction to sent facts
    _annex(case, "court-ruling", "Ruling of the district court", "2024-05-02", "Ruling.\n")
    _allegation(
        case, "2024-05-02-trial", "Trial of the chair", "criminal_prosecution",
        ["court-ruling", "arrest-order"],
    )  # fmt: skip
    _addendum(case, SECOND)
    search = case / "allegations" / "2024-01-05-search.yaml"
    search.write_text(search.read_text().replace("membership records", "membership lists"))
    manifest = _build(runner, case, tmp_path / "second", SECOND)
    assert _numbers(manifest) == {"arrest-order": 2, "court-ruling": 3}
    reader = PdfReader(tmp_path / "second" / "dossier.pdf")
    divider = next(p for p in manifest["annexes"] if p["id"] == "court-ruling")["divider_page"]
    assert "Annex 3" in reader.pages[divider - 1].extract_text()

    # diff: what the second addendum adds to the first
    diff = diff_submissions(case, FIRST, SECOND)
    assert [a.id for a in diff.new_allegations] == ["2024-05-02-trial"]
    assert [(n, a.id) for n, a in diff.new_annexes] == [(3, "court-ruling")]
    assert [(c.id, c.fields) for c in diff.changed_allegations] == [
        ("2024-01-05-search", ("facts",))
    ]
    assert diff.changed_annexes == () and diff.withdrawn == ()
    whole = diff_submissions(case, COMPLAINT, SECOND)
    assert [a.id for a in whole.new_allegations] == ["2024-03-01-arrest", "2024-05-02-trial"]
    assert [n for n, _ in whole.new_annexes] == [2, 3]
    printed = _ok(runner.invoke(cli, ["diff", str(case), FIRST, SECOND])).stdout
    assert "New allegations (1):\n  + 2024-05-02-trial: Trial of the chair" in printed
    assert "  + Annex 3: Ruling of the district court (court-ruling)" in printed
    assert "  ~ 2024-01-05-search: Search of the union office [facts]" in printed

    # the edit after sending is reported, naming the file and the sent submission
    problems = [p for p in check_case(load_case(case)) if p.code == "SENT-01"]
    assert len(problems) == 1
    assert problems[0].file.endswith("allegations/2024-01-05-search.yaml")
    assert COMPLAINT in problems[0].message and "2024-02-01" in problems[0].message
    checked = runner.invoke(cli, ["check", str(case), "--strict"])
    assert checked.exit_code == 1 and "[SENT-01]" in checked.stdout

    # the complaint as sent rebuilds byte for byte; from today's records it would differ
    again = _ok_rebuild(runner, case, COMPLAINT, tmp_path / "sent-2") / "dossier.pdf"
    assert _sha(again) == sent_pdf
    # ... and a build of it from today's records is refused, naming the rebuild
    now = runner.invoke(cli, ["build", str(case), "--submission", COMPLAINT])
    assert now.exit_code == 1
    assert f"rebuild it as sent with 'dossier submission rebuild {case} {COMPLAINT}'" in (
        now.stderr
    )
    assert "allegations/2024-01-05-search.yaml" in now.stderr and "[SENT-01]" in now.stderr

    # a rebuilt first addendum keeps its numbers
    rebuilt = _ok_rebuild(runner, case, FIRST, tmp_path / "first-again")
    assert _numbers(json.loads((rebuilt / "manifest.json").read_text())) == {
        "search-note": 1,
        "arrest-order": 2,
    }
    # the second addendum knows when its older allegations were first reported
    bundle = load_case(case)
    second = bundle.submission(SECOND)
    assert second is not None
    dates = first_reported(bundle, second)
    assert str(dates["2024-01-05-search"]) == "2024-02-01"
    assert str(dates["2024-03-01-arrest"]) == "2024-04-02"
    assert "2024-05-02-trial" not in dates


def _ok_rebuild(runner, case: Path, submission: str, out: Path) -> Path:
    result = _ok(
        runner.invoke(cli, ["submission", "rebuild", str(case), submission, "--out", str(out)])
    )
    assert "(as sent)" in result.stdout
    return out


def test_changed_annex_file_after_sending(runner, case: Path, tmp_path: Path) -> None:
    _sent(runner, case, COMPLAINT, "2024-02-01", "--without-pdf")
    assert not [p for p in check_case(load_case(case)) if p.code.startswith("SENT")]
    note = case / "annexes" / "search-note.txt"
    note.write_text(note.read_text() + "A line added later.\n")
    problems = [p for p in check_case(load_case(case)) if p.code == "SENT-01"]
    # the changed file (its pinned sha256 no longer matches either: ANX reports that too)
    assert any("annexes/search-note.txt has changed" in p.message for p in problems)
    assert all(p.file.endswith("annexes.yaml") for p in problems)
    result = runner.invoke(
        cli, ["submission", "rebuild", str(case), COMPLAINT, "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 3
    assert (
        "annexes/search-note.txt (annex 'search-note') has changed since submission"
        in result.stderr
    )


def test_mark_sent_refusals(runner, case: Path) -> None:
    bad = runner.invoke(cli, ["submission", "mark-sent", str(case), COMPLAINT, "--date", "1 Feb"])
    assert bad.exit_code == 2 and "is not a date" in bad.stderr
    unknown = runner.invoke(
        cli, ["submission", "mark-sent", str(case), "nope", "--date", "2024-02-01"]
    )
    assert unknown.exit_code == 2
    assert "Error: unknown submission 'nope' (known: 2024-02-01-complaint)" in unknown.stderr
    _sent(runner, case, COMPLAINT, "2024-02-01", "--without-pdf")
    twice = runner.invoke(
        cli, ["submission", "mark-sent", str(case), COMPLAINT, "--date", "2024-02-02"]
    )
    assert twice.exit_code == 2 and "already marked sent on 2024-02-01" in twice.stderr
    draft = runner.invoke(cli, ["submission", "rebuild", str(case), "nope"])
    assert draft.exit_code == 2


def test_mark_sent_refuses_records_with_errors(runner, case: Path) -> None:
    search = case / "allegations" / "2024-01-05-search.yaml"
    search.write_text(search.read_text().replace("annex: search-note", "annex: no-such-annex"))
    result = runner.invoke(
        cli, ["submission", "mark-sent", str(case), COMPLAINT, "--date", "2024-02-01"]
    )
    assert result.exit_code == 1 and "fix them before marking" in result.stderr
    assert not frozen_path(case, COMPLAINT).exists()
    assert "sent: false" in (case / "submissions" / f"{COMPLAINT}.yaml").read_text()


def test_unsent_again_and_damaged_frozen_record(runner, case: Path) -> None:
    _sent(runner, case, COMPLAINT, "2024-02-01", "--without-pdf")
    path = frozen_path(case, COMPLAINT)
    path.write_text("{not json")
    codes = {p.code for p in check_case(load_case(case))}
    assert "SENT-03" in codes
    yaml_file = case / "submissions" / f"{COMPLAINT}.yaml"
    yaml_file.write_text(yaml_file.read_text().replace("sent: true", "sent: false"))
    problems = [p for p in check_case(load_case(case)) if p.code == "SENT-02"]
    assert len(problems) == 1 and problems[0].field == "sent"


def _pdf_text(path: Path) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    return " ".join(text.replace("\u00a0", " ").split())


def test_addendum_pages_tell_the_history(runner, case: Path, tmp_path: Path) -> None:
    _sent(runner, case, COMPLAINT, "2024-02-01", "--without-pdf")
    _annex(case, "arrest-order", "Order to arrest the chair", "2024-03-01", "Arrest order.\n")
    _allegation(
        case, "2024-03-01-arrest", "Arrest of the chair", "arrest_detention", ["arrest-order"]
    )
    _addendum(case, FIRST)
    path = case / "submissions" / f"{FIRST}.yaml"
    text = path.read_text().replace("allegations: new", "allegations: all")
    path.write_text(text + "references: [2024-02-01-complaint]\n")
    search = case / "allegations" / "2024-01-05-search.yaml"
    search.write_text(search.read_text().replace("membership records", "membership lists"))
    _build(runner, case, tmp_path / "en", FIRST)
    got = _pdf_text(tmp_path / "en" / "dossier.pdf")
    assert "This communication follows our letter of 1 February 2024." in got
    assert (
        "Since our letter of 1 February 2024, this communication reports a new fact "
        "(paragraph 2), updates a fact reported earlier (paragraph 1) and submits a new annex "
        "(Annex 2)." in got
    )
    assert got.count("First reported on 1 February 2024.") == 1  # the search, not the arrest
    _ok(
        runner.invoke(
            cli,
            [
                "build",
                str(case),
                "--submission",
                FIRST,
                "--lang",
                "fr",
                "--out",
                str(tmp_path / "fr"),
            ],
        )
    )
    got = _pdf_text(tmp_path / "fr" / "dossier.pdf")
    assert "Signalé pour la première fois le 1er février 2024." in got
    assert "La présente communication fait suite à notre lettre du 1er février 2024." in got
    # a letter that already names the earlier letter is not repeated by the cover letter
    (case / "submissions" / f"{FIRST}.md").write_text(
        "Further to our letter of 1 February 2024 on Case No. 9999, we report new events.\n"
    )
    path.write_text(path.read_text() + f"letter: {FIRST}.md\n")
    _build(runner, case, tmp_path / "again", FIRST)
    got = _pdf_text(tmp_path / "again" / "dossier.pdf")
    assert "Further to our letter of 1 February 2024" in got
    assert "This communication follows our letter" not in got


def test_letters_sent_before_the_tool_are_not_frozen_again(runner, case_dir: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "submission",
            "mark-sent",
            str(case_dir),
            "2023-12-11-urgent-intervention",
            "--date",
            "2023-12-11",
        ],
    )
    assert result.exit_code == 2
    assert "already marked sent, without a frozen record" in result.stderr
    assert not frozen_path(case_dir, "2023-12-11-urgent-intervention").exists()


def test_submissions_are_marked_sent_in_order(runner, case: Path) -> None:
    _sent(runner, case, COMPLAINT, "2024-02-10", "--without-pdf")
    _annex(case, "arrest-order", "Order to arrest the chair", "2024-03-01", "Arrest order.\n")
    _allegation(
        case, "2024-03-01-arrest", "Arrest of the chair", "arrest_detention", ["arrest-order"]
    )
    _addendum(case, FIRST)
    result = runner.invoke(
        cli, ["submission", "mark-sent", str(case), FIRST, "--date", "2024-02-09"]
    )
    assert result.exit_code == 2
    assert f"2024-02-09 is before 2024-02-10, when '{COMPLAINT}' was marked sent" in result.stderr


def test_a_hostile_snapshot_cannot_write_outside(runner, case: Path, tmp_path: Path) -> None:
    _sent(runner, case, COMPLAINT, "2024-02-01", "--without-pdf")
    path = frozen_path(case, COMPLAINT)
    data = json.loads(path.read_text())
    data["snapshot"]["../../escaped.yaml"] = "x: 1\n"
    path.write_text(json.dumps(data))
    result = runner.invoke(
        cli, ["submission", "rebuild", str(case), COMPLAINT, "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1 and "outside the case folder" in result.stderr
    assert not (Path(tempfile.gettempdir()) / "escaped.yaml").exists()


def test_a_change_reported_in_a_later_submission_is_settled(runner, case: Path) -> None:
    _sent(runner, case, COMPLAINT, "2024-02-01", "--without-pdf")
    search = case / "allegations" / "2024-01-05-search.yaml"
    search.write_text(search.read_text().replace("membership records", "membership lists"))
    warned = [p for p in check_case(load_case(case)) if p.code == "SENT-01"]
    assert [p.file.rsplit("/", 1)[-1] for p in warned] == ["2024-01-05-search.yaml"]
    # an addendum that does not present the corrected allegation leaves the warning
    _addendum(case, FIRST)
    path = case / "submissions" / f"{FIRST}.yaml"
    path.write_text(path.read_text().replace("allegations: new", "allegations: []"))
    _sent(runner, case, FIRST, "2024-04-02", "--without-pdf")
    warned = [p for p in check_case(load_case(case)) if p.code == "SENT-01"]
    assert len(warned) == 1 and COMPLAINT in warned[0].message
    # one that presents it again, as it is now, settles it
    _addendum(case, SECOND)
    path = case / "submissions" / f"{SECOND}.yaml"
    path.write_text(path.read_text().replace("allegations: new", "allegations: all"))
    _sent(runner, case, SECOND, "2024-06-03", "--without-pdf")
    assert not [p for p in check_case(load_case(case)) if p.code == "SENT-01"]
