"""`dossier init`: a new case folder that loads, passes `check`, and carries schema modelines."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from dossier.cli import cli
from dossier.commands.init import CaseSpec, init_case, yaml_scalar
from dossier.load import load_case, yaml_parser

TODAY = dt.date.today().isoformat()
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


def test_init_writes_the_case_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "3999"
    result = runner.invoke(
        cli,
        ["init", str(folder), "--case", "3999", "--country", "Kyrgyzstan", "--acronym", "MMTUK"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Created {folder} (Case No. 3999, Kyrgyzstan):",
        f"  {folder}/case.yaml",
        f"  {folder}/parties.yaml",
        f"  {folder}/annexes.yaml",
        f"  {folder}/submissions/{TODAY}-update.yaml",
        f"  {folder}/submissions/{TODAY}-update.md",
        f"  {folder}/schemas/ (JSON Schemas for your editor)",
        f"Next: fill in what is 'to be supplied', then run: dossier check {folder}",
    ]
    assert (folder / "allegations").is_dir() and (folder / "annexes").is_dir()
    bundle = load_case(folder)
    assert bundle.problems == []
    assert bundle.case is not None and bundle.case.case_no == 3999
    assert bundle.case.complainants[0].party == "mmtuk"
    (sub,) = bundle.submissions
    assert sub.id == f"{TODAY}-update" and not sub.sent and sub.date == dt.date.today()
    assert sub.subject == "Case No. 3999 (Kyrgyzstan): additional information"
    assert "Case No. 3999" in bundle.letters[sub.id]
    assert bundle.party(sub.addressee.party or "") is not None


def test_scaffold_passes_check(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    assert (
        runner.invoke(cli, ["init", str(folder), "--case", "42", "--country", "Chile"]).exit_code
        == 0
    )
    result = runner.invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stderr == ""
    assert re.fullmatch(
        rf"{re.escape(str(folder))}: 0 errors, \d+ warnings?, \d+ notes?",
        result.stdout.splitlines()[-1],
    )


def test_scaffold_builds(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    out = tmp_path / "out"
    assert (
        runner.invoke(cli, ["init", str(folder), "--case", "42", "--country", "Chile"]).exit_code
        == 0
    )
    result = runner.invoke(cli, ["build", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    reader = PdfReader(out / "dossier.pdf")
    text = reader.pages[0].extract_text()
    assert "Case No. 42 (Chile)" in text and "Gilbert F. Houngbo" in text


def test_every_yaml_has_a_modeline_to_an_existing_schema(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    init_case(folder, CaseSpec(7, "Chile"))
    yamls = sorted(folder.rglob("*.yaml"))
    assert len(yamls) == 4
    for path in yamls:
        match = MODELINE.match(path.read_text(encoding="utf-8"))
        assert match, path
        schema = (path.parent / match.group(1)).resolve()
        assert schema.is_file(), schema
        kind = json.loads(schema.read_text(encoding="utf-8"))["$id"]
        expected = {
            "case.yaml": "case.schema.json",
            "parties.yaml": "parties.schema.json",
            "annexes.yaml": "annexes.schema.json",
        }.get(path.name, "submission.schema.json")
        assert kind == expected


def test_refuses_a_non_empty_folder(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(cli, ["init", str(folder), "--case", "1", "--country", "Chile"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {folder}: exists and is not empty; give a new folder (nothing was written)\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_an_empty_existing_folder_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    init_case(folder, CaseSpec(1, "Chile"), today=dt.date(2024, 3, 1))
    assert (folder / "submissions" / "2024-03-01-update.yaml").is_file()


def test_bad_case_number_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["init", str(tmp_path / "x"), "--case", "0", "--country", "Chile"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --case 0: a case number is a positive integer\n"
    assert not (tmp_path / "x").exists()


def test_complaint_states_what_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    spec = CaseSpec(5, "Côte d'Ivoire", complainant='Union: of "all" workers', kind="complaint")
    init_case(folder, spec, today=dt.date(2024, 3, 1))
    bundle = load_case(folder)
    assert bundle.problems == []
    (sub,) = bundle.submissions
    assert sub.kind == "complaint" and sub.id == "2024-03-01-complaint"
    assert (  # the country as the Office writes it (dossier/l10n)
        "complaint to the Committee on Freedom of Association against the Government of "
        "Côte d’Ivoire" in bundle.letters[sub.id]
    )
    complainant = bundle.party(bundle.case.complainants[0].party)  # type: ignore[union-attr]
    assert complainant is not None and complainant.name == 'Union: of "all" workers'
    assert bundle.party("government-of-cote-d-ivoire") is not None


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_yaml_scalar_reads_back(text: str) -> None:
    assert yaml_parser().load(f"k: {yaml_scalar(text)}\n")["k"] == text


def test_init_with_address_and_signatory_leaves_only_the_signature(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "c"
    result = runner.invoke(
        cli,
        ["init", str(folder), "--case", "9999", "--country", "Ruritania",
         "--complainant", "Ruritanian Miners' Union", "--acronym", "RMU",
         "--address", "12 Station Road, Strelsau", "--email", "office@rmu.example",
         "--signatory", "Anna Holm", "--title", "President"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    bundle = load_case(folder)
    (sub,) = bundle.submissions
    assert sub.signatory.party == "anna-holm" and sub.signatory.title == "President"
    rmu = bundle.party("rmu")
    assert rmu is not None and rmu.address == "12 Station Road, Strelsau"
    check = runner.invoke(cli, ["check", str(folder)])
    assert check.exit_code == 0
    header, *lines, _, totals = check.stdout.splitlines()
    assert header == "2 warnings"
    assert totals == f"{folder}: 0 errors, 2 warnings, 0 notes"
    # what no option gives: the signature and the CFA's e-mail address
    assert [line.rsplit("[", 1)[1] for line in lines] == ["MAIL-02]", "FORM-06]"]


def test_a_fresh_case_names_what_is_missing_and_nothing_else(
    runner: CliRunner, tmp_path: Path
) -> None:
    """No false alarm (once 'to be supplied' was a name two parties shared, CONS-01): the
    complainant's and the signatory's names are reported as still to be supplied, and a final
    build would refuse them with the address and the signature."""
    folder = tmp_path / "c"
    assert (
        runner.invoke(cli, ["init", str(folder), "--case", "42", "--country", "Chile"]).exit_code
        == 0
    )
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "build/"
    check = runner.invoke(cli, ["check", str(folder)])
    assert check.exit_code == 0
    assert _found(check.stdout) == [
        ("organisations[0].name", "FORM-14]"),
        ("persons[1].name", "FORM-14]"),
        ("sender", "FORM-05]"),
        ("addressee.email", "MAIL-02]"),
        ("signatory.signed", "FORM-06]"),
    ]
    assert "the name of party 'complainant' is still 'to be supplied'" in check.stdout
    final = runner.invoke(cli, ["check", str(folder), "--final"])
    assert final.exit_code == 1
    assert final.stdout.splitlines()[-1] == f"{folder}: 4 errors, 1 warning, 0 notes"
    # the same problems, now errors; a letter without an e-mail address can still go by post
    errors = "\n".join(line for line in final.stdout.splitlines() if ": error: " in line)
    assert _found(errors) == [f for f in _found(check.stdout) if f[1] != "MAIL-02]"]
    assert "or sign it digitally (--sign FILE.p12) [FORM-06]" in final.stdout


def _found(stdout: str) -> list[tuple[str, str]]:
    """(field, code) of each problem line of ``dossier check``."""
    lines = [line for line in stdout.splitlines() if line.endswith("]")]
    return [(line.split(": ", 3)[2], line.rsplit("[", 1)[1]) for line in lines]


def test_a_french_case_is_written_in_french(tmp_path: Path) -> None:
    """``--language fr``: the records the tool writes are French (the Office's names in every
    language), so the French dossier has nothing to translate."""
    folder = tmp_path / "c"
    spec = CaseSpec(
        9, "Kyrgyzstan", complainant="Syndicat des mineurs", kind="complaint", language="fr"
    )
    init_case(folder, spec, today=dt.date(2024, 3, 1))
    bundle = load_case(folder)
    assert bundle.problems == [] and bundle.case is not None and bundle.case.language == "fr"
    (sub,) = bundle.submissions
    assert sub.subject == "Cas no 9 (Kirghizistan) : plainte"
    assert "contre le gouvernement du Kirghizistan" in bundle.letters[sub.id]
    government = bundle.party(bundle.case.government)
    assert government is not None and government.name == "Gouvernement du Kirghizistan"
    ilo = bundle.party("ilo")
    assert ilo is not None and ilo.name == "Bureau international du Travail"
    from dossier.checks import check_case

    for lang in ("fr", "en", "es"):
        problems = check_case(bundle, languages=(lang,))
        form16 = [p.format() for p in problems if p.code == "FORM-16"]
        if lang == "fr":
            assert form16 == []
        else:  # the union's name, its letter and subject are French only
            assert any("organisations[0].name" in line for line in form16)
            assert not any(
                "organisations[1]" in line or "organisations[2]" in line for line in form16
            )


@settings(max_examples=60, deadline=None)
@given(
    country=st.text(min_size=1, max_size=20),
    complainant=st.none() | st.text(max_size=30),
    signatory=st.none() | st.text(max_size=30),
    address=st.none() | st.text(max_size=30),
)
@example(country="Chile", complainant=" ", signatory=" ", address=" ")
def test_any_init_text_gives_a_case_without_errors_or_is_refused(
    country: str, complainant: str | None, signatory: str | None, address: str | None
) -> None:
    import tempfile

    from dossier.errors import DossierError

    spec = CaseSpec(1, country, complainant=complainant, signatory=signatory, address=address)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        try:
            init_case(folder, spec, today=dt.date(2024, 3, 1))
        except DossierError:
            assert not folder.exists()
            return
        bundle = load_case(folder)
        assert [p for p in bundle.problems if p.severity.value == "error"] == []
        assert bundle.case is not None and bundle.case.country == country.strip()
