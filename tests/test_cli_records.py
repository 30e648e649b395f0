"""`annex add`, `party new`, `allegation new`, `list`, `timeline` through the CLI."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pdfs import image_bytes, text_pdf

from dossier.cli import cli
from dossier.commands.edit import slugify, unique_id
from dossier.commands.init import CaseSpec, init_case
from dossier.commands.tables import BOLD, list_lines, timeline_lines
from dossier.load import load_case
from dossier.models.common import SLUG_PATTERN

SUB = "2024-03-01-update"


@pytest.fixture
def case(new_case: Path) -> Path:
    return new_case


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _run(runner: CliRunner, *args: str | Path) -> tuple[int, list[str], str]:
    result = runner.invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout.splitlines(), result.stderr


# ---- annex add --------------------------------------------------------------------------------


def test_annex_add_copies_hashes_registers_and_includes(
    runner: CliRunner, case: Path, tmp_path: Path
) -> None:
    src = _file(tmp_path, "GKNB request (Oct. 2023).pdf", text_pdf(["GKNB request"]))
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    code, out, err = _run(
        runner, "annex", "add", case, src, "--date", "2023-10", "--language", "ru"
    )
    assert code == 0, err
    assert out == [
        f"Added annex 'gknb-request-oct-2023' (copied to annexes/GKNB request (Oct. 2023).pdf, "
        f"sha256 {digest[:12]}…, language ru)",
        f"Listed in annexes_extra of submission '{SUB}'",
    ]
    assert (case / "annexes" / src.name).read_bytes() == src.read_bytes()
    bundle = load_case(case)
    assert bundle.problems == []
    (annex,) = bundle.annexes
    assert annex.id == "gknb-request-oct-2023"
    assert annex.title == src.name
    assert str(annex.date) == "2023-10"
    assert annex.language == "ru" and annex.sha256 == digest and annex.file == src.name
    assert bundle.submissions[0].annexes_extra == ("gknb-request-oct-2023",)
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/annexes.schema.json\n")
    assert "# The annex register." in text


def test_annex_add_copies_a_name_with_a_line_break_under_a_clean_name(
    runner: CliRunner, case: Path, tmp_path: Path
) -> None:
    src = _file(tmp_path, "Order of\n12 June\u200b.pdf", text_pdf(["Order"]))
    code, out, err = _run(runner, "annex", "add", case, src)
    assert code == 0, err
    assert out[0].startswith(
        "Added annex 'order-of-12-june' (copied to annexes/Order of 12 June.pdf,"
    )
    assert (case / "annexes" / "Order of 12 June.pdf").read_bytes() == src.read_bytes()
    (annex,) = load_case(case).annexes
    assert annex.file == "Order of 12 June.pdf"


def test_annex_add_keeps_comments_and_order(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    (case / "annexes" / "first.txt").write_text("one", encoding="utf-8")
    first_sha = hashlib.sha256(b"one").hexdigest()
    (case / "annexes.yaml").write_text(
        "# yaml-language-server: $schema=schemas/annexes.schema.json\n"
        "# Register kept by hand.\n"
        "annexes:\n"
        "  # the first letter\n"
        "  - id: zz-first   # not alphabetical on purpose\n"
        "    title: >\n"
        "      A long folded title\n"
        "      on two lines\n"
        "    language: en\n"
        "    file: first.txt\n"
        f"    sha256: {first_sha}\n"
        "# end of register: add new annexes above\n",
        encoding="utf-8",
    )
    src = _file(tmp_path, "second.txt", b"two")
    code, _, err = _run(runner, "annex", "add", case, src, "--title", "Second", "--no-include")
    assert code == 0, err
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=schemas/annexes.schema.json\n"
        "# Register kept by hand.\n"
        "annexes:\n"
        "  # the first letter\n"
        "  - id: zz-first   # not alphabetical on purpose\n"
        "    title: >\n"
        "      A long folded title\n"
        "      on two lines\n"
    )
    assert text.index("id: zz-first") < text.index("id: second")
    assert text.rstrip().endswith("# end of register: add new annexes above")
    bundle = load_case(case)
    assert bundle.problems == []
    assert [a.id for a in bundle.annexes] == ["zz-first", "second"]
    assert bundle.annexes[1].title == "Second"
    assert bundle.submissions[0].annexes_extra == ()


def test_annex_ids_are_unique(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    a = _file(tmp_path, "report 1.txt", b"a")
    b = _file(tmp_path, "report-1.txt", b"b")
    code, out, err = _run(runner, "annex", "add", case, a, b)
    assert code == 0, err
    assert [line.split("'")[1] for line in out[:2]] == ["report-1", "report-1-2"]
    bundle = load_case(case)
    assert bundle.submissions[0].annexes_extra == ("report-1", "report-1-2")


def test_annex_add_refuses_a_different_file_of_the_same_name(
    runner: CliRunner, case: Path, tmp_path: Path
) -> None:
    (case / "annexes" / "scan.pdf").write_bytes(b"old evidence")
    before = (case / "annexes.yaml").read_bytes()
    src = _file(tmp_path, "scan.pdf", b"new evidence")
    code, out, err = _run(runner, "annex", "add", case, src)
    assert code == 2 and out == []
    assert err == (
        f"Error: {case.resolve()}/annexes/scan.pdf: a different file of that name is already "
        "there; rename the new file or remove the old one\n"
    )
    assert (case / "annexes" / "scan.pdf").read_bytes() == b"old evidence"
    assert (case / "annexes.yaml").read_bytes() == before


def test_a_different_file_with_a_registered_name_is_not_called_registered(
    runner: CliRunner, case: Path, tmp_path: Path
) -> None:
    first = _file(tmp_path, "order.pdf", text_pdf(["First order"]))
    assert _run(runner, "annex", "add", case, first)[0] == 0
    other = tmp_path / "elsewhere" / "order.pdf"
    other.parent.mkdir()
    other.write_bytes(text_pdf(["Second order"]))
    code, _, err = _run(runner, "annex", "add", case, other)
    assert code == 2
    assert err == (
        f"Error: {case.resolve()}/annexes/order.pdf: a different file of that name is already "
        "there; rename the new file or remove the old one\n"
    )
    code, _, err = _run(runner, "annex", "add", case, first)
    assert (code, err) == (2, "Error: order.pdf: already registered as annex 'order'\n")


def test_annex_add_refuses_what_the_build_would_refuse(
    runner: CliRunner, case: Path, tmp_path: Path
) -> None:
    """The same problem line as `check` (ANX-05), exit 3, and nothing written."""
    before = {p: p.read_bytes() for p in case.rglob("*") if p.is_file()}
    src = _file(tmp_path, "scan.pdf", b"%PDF-1.4 not really")
    code, out, err = _run(runner, "annex", "add", case, src)
    assert code == 3
    assert out == []
    assert err.splitlines() == [
        f"Error: {src} cannot be an annex: the build would refuse it; nothing added",
        f"{src}: error: annex 'scan' (scan.pdf): the PDF is truncated (it ends without %%EOF "
        "after 0.0 kB), and qpdf cannot read it either (unable to find trailer dictionary while "
        "recovering damaged file) — copy or download the document again [ANX-05]",
    ]
    assert {p: p.read_bytes() for p in case.rglob("*") if p.is_file()} == before


def test_annex_add_same_bytes_already_in_place_is_registered_without_copy(
    runner: CliRunner, case: Path
) -> None:
    inside = case / "annexes" / "photo.jpg"
    inside.write_bytes(image_bytes("JPEG"))
    code, out, _ = _run(runner, "annex", "add", case, inside, "--kind", "photo")
    assert code == 0
    assert out[0].startswith("Added annex 'photo' (already in annexes/photo.jpg, sha256 ")
    assert out[0].endswith(", language zxx)")  # a photo has no language of its own
    code, _, err = _run(runner, "annex", "add", case, inside)
    assert code == 2
    assert err == "Error: photo.jpg: already registered as annex 'photo'\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--date", "2023-02-30"],
            "Error: --date 2023-02-30: '2023-02-30' is not a real calendar day",
        ),
        (["--title", "T", "EXTRA"], "Error: --title applies to one file; add the files one by one"),
        (["--language", "Russian"], "Error: a.txt: language: String should match pattern"),
    ],
)
def test_annex_add_usage_errors_write_nothing(
    runner: CliRunner, case: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    src = _file(tmp_path, "a.txt", b"a")
    extra = _file(tmp_path, "b.txt", b"b")
    argv = ["annex", "add", str(case), str(src)]
    argv += [str(extra) if a == "EXTRA" else a for a in args]
    before = (case / "annexes.yaml").read_bytes()
    result = runner.invoke(cli, argv)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert (case / "annexes.yaml").read_bytes() == before
    assert sorted(p.name for p in (case / "annexes").iterdir()) == [".gitkeep"]


def test_annex_add_missing_file_is_click_usage_error(runner: CliRunner, case: Path) -> None:
    result = runner.invoke(cli, ["annex", "add", str(case), str(case / "nope.pdf")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


# ---- party new / allegation new ---------------------------------------------------------------


def test_party_new_appends_with_next_free_id(runner: CliRunner, case: Path) -> None:
    code, out, err = _run(runner, "party", "new", case, "--name", "Ryskul Babayeva")
    assert code == 0, err
    assert out == [f"Added person 'ryskul-babayeva' to {case}/parties.yaml"]
    code, out, _ = _run(runner, "party", "new", case, "--name", "Ryskul  Babayeva")
    assert out == [f"Added person 'ryskul-babayeva-2' to {case}/parties.yaml"]
    code, out, _ = _run(
        runner,
        "party",
        "new",
        case,
        "--name",
        "Federation of Trade Unions of Kyrgyzstan",
        "--kind",
        "organisation",
        "--acronym",
        "FTUK",
    )
    assert out == [f"Added organisation 'ftuk' to {case}/parties.yaml"]
    bundle = load_case(case)
    assert bundle.problems == []
    assert [p.id for p in bundle.parties.persons][-2:] == ["ryskul-babayeva", "ryskul-babayeva-2"]
    assert bundle.parties.organisations[-1].acronym == "FTUK"
    text = (case / "parties.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/parties.schema.json\n")
    assert "# the officer who signs the letters" in text
    assert "  - id: ryskul-babayeva\n    name: Ryskul Babayeva\n    source: null\n" in text


def test_party_new_confidential_needs_pseudonym(runner: CliRunner, case: Path) -> None:
    code, _, err = _run(runner, "party", "new", case, "--name", "X Y", "--confidential")
    assert code == 2
    assert err == "Error: --confidential needs --pseudonym (the name printed instead)\n"
    code, _, _ = _run(
        runner, "party", "new", case, "--name", "X Y", "--confidential", "--pseudonym", "Witness A"
    )
    assert code == 0
    person = load_case(case).parties.persons[-1]
    assert person.confidential and person.pseudonym == "Witness A"


def test_allegation_new_writes_a_loadable_file(runner: CliRunner, case: Path) -> None:
    args = ["allegation", "new", case, "--title", "Detention of six leaders", "--date"]
    code, out, err = _run(runner, *args, "2023-12-06", "--category", "arrest_detention")
    assert code == 0, err
    assert out == [f"Wrote {case}/allegations/2023-12-06-detention-of-six-leaders.yaml"]
    code, out, _ = _run(runner, *args, "2023-12-06", "--category", "arrest_detention")
    assert out == [f"Wrote {case}/allegations/2023-12-06-detention-of-six-leaders-2.yaml"]
    code, out, _ = _run(
        runner,
        *args,
        "2020-06",
        "--category",
        "arrest_detention",
        "--approximate",
        "--place",
        "Bishkek",
    )
    assert code == 0
    bundle = load_case(case)
    assert bundle.problems == []
    ids = sorted(a.id for a in bundle.allegations)
    assert ids == [
        "2020-06-detention-of-six-leaders",
        "2023-12-06-detention-of-six-leaders",
        "2023-12-06-detention-of-six-leaders-2",
    ]
    approx = bundle.allegation("2020-06-detention-of-six-leaders")
    assert approx is not None and approx.precision == "approximate" and approx.place == "Bishkek"
    text = (case / "allegations" / f"{ids[1]}.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/allegation.schema.json\n")


def test_allegation_new_rejects_bad_date(runner: CliRunner, case: Path) -> None:
    code, _, err = _run(
        runner, "allegation", "new", case, "--title", "T", "--date", "June", "--category", "other"
    )
    assert code == 2
    assert err == (
        "Error: --date June: 'June' is not a date; write it as YYYY-MM-DD (e.g. 2023-06-12 for "
        "12 June 2023), YYYY-MM or YYYY\n"
    )
    assert list((case / "allegations").glob("*.yaml")) == []


def test_allegation_new_with_every_option(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    _run(runner, "party", "new", case, "--name", "Eldar Tadjibaev")
    _run(runner, "party", "new", case, "--name", "GKNB", "--kind", "organisation")
    _run(runner, "annex", "add", case, _file(tmp_path, "order.txt", b"o"), "--date", "2023-12-06")
    code, out, err = _run(
        runner,
        "allegation",
        "new",
        case,
        "--title",
        "Detention of the union chair",
        "--date",
        "2023-12-06",
        "--category",
        "arrest_detention",
        "--place",
        "Bishkek",
        "--victim",
        "eldar-tadjibaev",
        "--perpetrator",
        "gknb",
        "--evidence",
        "order:1-2",
        "--evidence",
        "order",
        "--source",
        "Letter of 11 Dec 2023: L21",
        "--facts",
        "On 6 December 2023 the GKNB detained him.\n\nHe is still held.",
    )
    assert code == 0, err
    bundle = load_case(case)
    assert bundle.problems == []
    (a,) = bundle.allegations
    assert a.victims == ("eldar-tadjibaev",) and a.perpetrators == ("gknb",)
    assert [(e.annex, e.pages) for e in a.evidence] == [("order", "1-2"), ("order", None)]
    assert a.source == "Letter of 11 Dec 2023: L21"
    assert a.facts == "On 6 December 2023 the GKNB detained him.\n\nHe is still held.\n"
    result = runner.invoke(cli, ["check", str(case)])
    assert "[REF-05]" not in result.stdout
    assert "[FACT-01]" not in result.stdout and "[FACT-03]" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--victim", "nobody"], "Error: --victim nobody: no party with this id; known: "),
        (["--evidence", "nothing:1"], "Error: --evidence nothing: no annex with this id"),
    ],
)
def test_allegation_new_refuses_unknown_ids(
    runner: CliRunner, case: Path, args: list[str], message: str
) -> None:
    base = ["allegation", "new", str(case), "--title", "T", "--date", "2023", "--category", "other"]
    result = runner.invoke(cli, base + args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert list((case / "allegations").glob("*.yaml")) == []


# ---- list / timeline --------------------------------------------------------------------------


def _populate(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    _run(runner, "annex", "add", case, _file(tmp_path, "letter.txt", b"x"), "--date", "2023-12-11")
    for title, date, cat, extra in [
        ("Detention of six trade union leaders by the GKNB", "2023-12-06", "arrest_detention", []),
        ("House arrest", "2020-06", "arrest_detention", ["--approximate"]),
    ]:
        _run(
            runner,
            "allegation",
            "new",
            case,
            "--title",
            title,
            "--date",
            date,
            "--category",
            cat,
            *extra,
        )


def test_list_prints_every_table(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    _populate(runner, case, tmp_path)
    code, out, err = _run(runner, "list", case)
    assert code == 0 and err == ""
    assert out == [
        "Case No. 3999 (Kyrgyzstan)",
        "",
        "Parties (5)",
        "ID                        KIND          NAME",
        "mmtuk                     organisation  Mining and Metallurgy Trade Union of",
        "                                        Kyrgyzstan",
        "government-of-kyrgyzstan  organisation  Government of Kyrgyzstan",
        "ilo                       organisation  International Labour Office",
        "director-general          person        Gilbert F. Houngbo",
        "signatory                 person        to be supplied",
        "",
        "Allegations (2)",
        "DATE               TITLE                                        CATEGORY",
        "2020-06 (approx.)  House arrest                                 arrest detention",
        "2023-12-06         Detention of six trade union leaders by the  arrest detention",
        "                   GKNB",
        "",
        "Annexes (1)",
        "ID      DATE        LANG  TITLE",
        "letter  2023-12-11  en    letter.txt",
        "",
        "Submissions (1)",
        "DATE        ID                 KIND                    STATUS",
        "2024-03-01  2024-03-01-update  additional information  draft",
    ]
    assert max(len(line) for line in out) <= 80


def test_list_submissions_register(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    _populate(runner, case, tmp_path)
    code, out, _ = _run(runner, "list", case, "--submissions")
    assert code == 0
    assert out == [
        "Case No. 3999 (Kyrgyzstan)",
        "",
        "Submissions (1: 0 sent, 1 draft)",
        "DATE        ID                 KIND            STATUS  ANNEXES",
        "2024-03-01  2024-03-01-update  additional      draft   1",
        "                               information",
        "            to: Gilbert F. Houngbo, Director-General",
    ]


def test_timeline_shows_precision_honestly(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    _populate(runner, case, tmp_path)
    code, out, _ = _run(runner, "timeline", case)
    assert code == 0
    assert out == [
        "Case No. 3999 (Kyrgyzstan)",
        "",
        "Chronology (2)",
        "DATE               EVENT                                        CATEGORY",
        "2020-06 (approx.)  House arrest                                 arrest detention",
        "                   source: to be supplied",
        "2023-12-06         Detention of six trade union leaders by the  arrest detention",
        "                   GKNB",
        "                   source: to be supplied",
    ]
    assert all(len(line) <= 80 for line in out)
    assert "\x1b" not in "".join(out)


def test_colour_only_when_asked(case: Path) -> None:
    bundle = load_case(case)
    assert BOLD in list_lines(bundle, color=True)[0]
    assert not any("\x1b" in line for line in timeline_lines(bundle, color=False))


def test_terminal_colour_respects_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from dossier import cli as cli_module

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_module.terminal()[1] is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_module.terminal()[1] is False
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    monkeypatch.delenv("NO_COLOR")
    assert cli_module.terminal() == (80, False)


# ---- the real case: machine edits only insert ---------------------------------------------------


def _only_inserted(before: str, after: str) -> list[str]:
    """The lines added, asserting that nothing of ``before`` was changed, moved or removed."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    added: list[str] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), (tag, after.splitlines()[j1:j2])
        if tag == "insert":
            added += after.splitlines()[j1:j2]
    return added


def test_edits_of_case_3386_only_insert(runner: CliRunner, case_dir: Path, tmp_path: Path) -> None:
    parties = (case_dir / "parties.yaml").read_text(encoding="utf-8")
    annexes = (case_dir / "annexes.yaml").read_text(encoding="utf-8")
    for kind in ("person", "organisation", "group"):
        code, _, err = _run(
            runner, "party", "new", case_dir, "--name", f"New {kind}", "--kind", kind
        )
        assert code == 0, err
    src = _file(tmp_path, "new-evidence.txt", b"text")
    code, out, err = _run(runner, "annex", "add", case_dir, src, "--date", "2024-01")
    assert code == 0, err
    added = _only_inserted(parties, (case_dir / "parties.yaml").read_text(encoding="utf-8"))
    assert [line for line in added if "id:" in line] == [
        "  - id: new-organisation",
        "  - id: new-person",
        "  - id: new-group",
    ]
    added = _only_inserted(annexes, (case_dir / "annexes.yaml").read_text(encoding="utf-8"))
    assert added[0] == "  - id: new-evidence" and len(added) == 8
    bundle = load_case(case_dir)
    assert bundle.problems == []
    assert bundle.parties.persons[-1].id == "new-person"
    assert bundle.parties.organisations[-1].id == "new-organisation"
    assert bundle.parties.groups[-1].id == "new-group"
    draft = bundle.submission(out[1].split("'")[1])
    assert draft is not None and draft.annexes_extra[-1] == "new-evidence"


# ---- submission new -----------------------------------------------------------------------------


def test_submission_new_refuses_while_a_draft_exists(runner: CliRunner, case: Path) -> None:
    code, out, err = _run(runner, "submission", "new", case)
    assert code == 2 and out == []
    assert err == (
        f"Error: submission '{SUB}' is still a draft; send it ('dossier submission mark-sent') "
        "or delete it before starting another\n"
    )


def test_submission_new_after_sending(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    sub_file = case / "submissions" / f"{SUB}.yaml"
    text = sub_file.read_text(encoding="utf-8").replace("sent: false", "sent: true")
    sub_file.write_text(text.replace("  signed: false", "  signed: true"), encoding="utf-8")
    code, out, err = _run(runner, "submission", "new", case, "--date", "2024-04-02")
    assert code == 0, err
    new_id = "2024-04-02-additional-information"
    assert out == [
        f"Wrote {case}/submissions/{new_id}.yaml",
        f"Wrote {case}/submissions/{new_id}.md",
    ]
    bundle = load_case(case)
    assert bundle.problems == []
    new = bundle.submission(new_id)
    old = bundle.submission(SUB)
    assert new is not None and old is not None
    assert not new.sent and new.date == dt.date(2024, 4, 2)
    assert new.references == (SUB,) and new.allegations == "new" and new.annexes_extra == ()
    assert new.addressee == old.addressee and new.cc == old.cc and new.sender == old.sender
    assert new.signatory.party == old.signatory.party and not new.signatory.signed
    assert new.subject == "Case No. 3999 (Kyrgyzstan): additional information"
    assert bundle.letters[new_id] == (
        "Further to our letter of 1 March 2024, we set out below, for the Committee's examination "
        "of Case No. 3999, the facts that have come to our knowledge since then, with the "
        "evidence that supports them.\n"
    )
    yaml_text = (case / "submissions" / f"{new_id}.yaml").read_text(encoding="utf-8")
    assert yaml_text.startswith("# yaml-language-server: $schema=../schemas/submission.schema.json")
    result = runner.invoke(cli, ["check", str(case)])
    assert result.exit_code == 0, result.output
    assert "TIME-02" not in result.output and "FORM-10" not in result.output
    code, _, err = _run(runner, "submission", "new", case, "--date", "2024-04-03")
    assert code == 2 and "is still a draft" in err


def test_submission_new_in_french(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "fr"
    init_case(folder, CaseSpec(9999, "Ruritanie", language="fr"), today=dt.date(2024, 3, 1))
    sub_file = folder / "submissions" / f"{SUB}.yaml"
    sub_file.write_text(
        sub_file.read_text(encoding="utf-8").replace("sent: false", "sent: true"), encoding="utf-8"
    )
    code, _, err = _run(runner, "submission", "new", folder, "--date", "2024-04-02")
    assert code == 0, err
    new = load_case(folder).submission("2024-04-02-additional-information")
    assert new is not None and new.language == "fr"
    assert new.subject == "Cas no 9999 (Ruritanie) : informations complémentaires"


def test_annex_add_without_register_or_draft(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    (case / "annexes.yaml").unlink()
    sub_file = case / "submissions" / f"{SUB}.yaml"
    sub_file.write_text(
        sub_file.read_text(encoding="utf-8").replace("sent: false", "sent: true"), encoding="utf-8"
    )
    code, out, err = _run(runner, "annex", "add", case, _file(tmp_path, "x.txt", b"x"))
    assert code == 0, err
    assert out[1] == "No draft submission: not listed in any annexes_extra"
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=schemas/annexes.schema.json\nannexes:\n"
    )
    assert [a.id for a in load_case(case).annexes] == ["x"]


@given(st.text(max_size=80))
def test_slugs_are_valid_ids(text: str) -> None:
    slug = slugify(text, "annex")
    assert re.fullmatch(SLUG_PATTERN, slug) and len(slug) <= 60
    taken = {slug, f"{slug}-2"}
    assert unique_id(slug, taken) == f"{slug}-3"


def test_translation_of_resolves_form_12(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    src = _file(tmp_path, "order-ru.txt", "Приказ".encode())
    _run(runner, "annex", "add", case, src, "--language", "ru", "--date", "2023-12-06")
    assert "[FORM-12]" in runner.invoke(cli, ["check", str(case)]).output
    code, _, err = _run(
        runner, "annex", "add", case, _file(tmp_path, "order-en.txt", b"Order"),
        "--translation-of", "order-ru", "--language", "en", "--date", "2023-12-06",
    )  # fmt: skip
    assert code == 0, err
    translation = load_case(case).annex("order-en")
    assert translation is not None
    assert translation.kind == "translation" and translation.translation_of == "order-ru"
    assert "[FORM-12]" not in runner.invoke(cli, ["check", str(case)]).output
    code, _, err = _run(
        runner, "annex", "add", case, _file(tmp_path, "x.txt", b"x"), "--translation-of", "nope"
    )
    assert code == 2 and err == "Error: --translation-of nope: no annex with this id\n"


def test_party_new_with_address_and_email(runner: CliRunner, case: Path) -> None:
    code, out, err = _run(
        runner, "party", "new", case, "--name", "Union of Textile Workers", "--kind",
        "organisation", "--address", "1 Main Street, Strelsau", "--email", "office@utw.example",
    )  # fmt: skip
    assert code == 0, err
    org = load_case(case).party("union-of-textile-workers")
    assert org is not None
    assert org.address == "1 Main Street, Strelsau" and org.email == "office@utw.example"
    code, _, err = _run(
        runner, "party", "new", case, "--name", "Council members", "--kind", "group"
    )
    assert code == 0, err
    assert load_case(case).parties.groups[-1].id == "council-members"


@pytest.mark.parametrize(
    "content",
    [
        "annexes:\n  - id: a\n    id: b\n",
        "annexes: &a [*a]\n",
        "annexes:\n  - id: x\n    titel: y\n",
    ],
)
def test_a_broken_file_is_not_edited(
    runner: CliRunner, case: Path, tmp_path: Path, content: str
) -> None:
    (case / "annexes.yaml").write_text(content, encoding="utf-8")
    code, out, err = _run(runner, "annex", "add", case, _file(tmp_path, "x.txt", b"x"))
    assert code == 1 and out == []
    lines = err.splitlines()
    assert (
        lines[0]
        == f"Error: {case}/annexes.yaml has errors; fix them first (see 'dossier check {case}')"
    )
    assert all(line.startswith(f"{case}/annexes.yaml:") for line in lines[1:]) and lines[1:]
    assert (case / "annexes.yaml").read_text(encoding="utf-8") == content
    assert sorted(p.name for p in (case / "annexes").iterdir()) == [".gitkeep"]


def test_a_file_already_in_a_subfolder_of_annexes_stays_there(
    runner: CliRunner, case: Path
) -> None:
    inside = case / "annexes" / "letters" / "2023-08-30-letter.txt"
    inside.parent.mkdir()
    inside.write_text("Dear Karen Curtis,", encoding="utf-8")
    code, out, err = _run(runner, "annex", "add", case, inside, "--kind", "letter")
    assert code == 0, err
    assert out[0].startswith(
        "Added annex '2023-08-30-letter' (already in annexes/letters/2023-08-30-letter.txt, "
    )
    annex = load_case(case).annex("2023-08-30-letter")
    assert annex is not None and annex.file == "letters/2023-08-30-letter.txt"
    assert annex.title == "2023-08-30-letter.txt"
    assert sorted(p.name for p in (case / "annexes").iterdir()) == [".gitkeep", "letters"]
    check = runner.invoke(cli, ["check", str(case)])
    assert check.exit_code == 0
    assert "sha256" not in check.stdout and "not found" not in check.stdout


def test_register_shows_pages_of_the_last_build(
    runner: CliRunner, case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = case / "build" / SUB / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"case": 3999, "pages": 12}', encoding="utf-8")
    code, out, _ = _run(runner, "list", case, "--submissions")
    assert code == 0
    assert out[-1] == "            to: Gilbert F. Houngbo, Director-General; last build: 12 pages"
    manifest.write_text("{not json", encoding="utf-8")
    code, out, _ = _run(runner, "list", case, "--submissions")
    assert code == 0 and out[-1] == "            to: Gilbert F. Houngbo, Director-General"


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=60), acronym=st.none() | st.text(max_size=12))
def test_any_party_name_reads_back_or_is_refused(name: str, acronym: str | None) -> None:
    import tempfile

    from dossier.commands.records import new_party
    from dossier.errors import DossierError

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        init_case(folder, CaseSpec(1, "Chile"), today=dt.date(2024, 3, 1))
        kind = "organisation" if acronym is not None else "person"
        try:
            party_id = new_party(folder, name, kind, acronym or None)
        except DossierError:
            return
        bundle = load_case(folder)
        assert bundle.problems == []
        party = bundle.party(party_id)
        assert party is not None and party.name == name.strip()


@settings(max_examples=80, deadline=None)
@given(
    title=st.text(min_size=1, max_size=40),
    facts=st.none() | st.text(min_size=1, max_size=120),
    place=st.none() | st.text(min_size=1, max_size=20),
)
@example(title="0", facts=None, place=" ")  # a blank place is no place (CI, stop 19)
def test_any_allegation_text_reads_back_or_is_refused(
    title: str, facts: str | None, place: str | None
) -> None:
    import tempfile

    from dossier.commands.records import AllegationSpec, new_allegation
    from dossier.errors import DossierError

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        init_case(folder, CaseSpec(1, "Chile"), today=dt.date(2024, 3, 1))
        spec = AllegationSpec(title, "2023-10", "other", place=place, facts=facts, source="s")
        try:
            path = new_allegation(folder, spec)
        except DossierError:
            return
        bundle = load_case(folder)
        assert bundle.problems == [], path.read_text(encoding="utf-8")
        (a,) = bundle.allegations
        assert a.title == title.strip() and a.place == ((place or "").strip() or None)
        if facts is not None and facts.strip():
            assert " ".join(a.facts.split()) == " ".join(facts.split())


@settings(max_examples=60, deadline=None)
@given(title=st.none() | st.text(max_size=40), issuer=st.none() | st.text(max_size=30))
@example(title=" ", issuer="  ")  # blank options are not given (the file name is the title)
def test_any_annex_title_reads_back_or_is_refused(title: str | None, issuer: str | None) -> None:
    import tempfile

    from dossier.commands.annex_add import AnnexOptions, add_annexes
    from dossier.errors import DossierError

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        init_case(folder, CaseSpec(1, "Chile"), today=dt.date(2024, 3, 1))
        src = Path(tmp) / "order.txt"
        src.write_bytes(b"The order of 6 December 2023.")
        try:
            add_annexes(folder, [src], AnnexOptions(title=title, issuer=issuer, date="2023-12-06"))
        except DossierError:
            return
        bundle = load_case(folder)
        assert [p for p in bundle.problems if p.severity.value == "error"] == []
        (annex,) = bundle.annexes
        assert annex.title == ((title or "").strip() or "order.txt")
        assert annex.issuer == ((issuer or "").strip() or None)


CONTROL = "Error: --{}: contains the control character U+{}; remove it\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["party", "new", "--name", "Anna\u202eHolm"], CONTROL.format("name", "202E")),
        (
            ["party", "new", "--name", "A", "--address", "1\nMain"],
            CONTROL.format("address", "000A"),
        ),
        (
            ["allegation", "new", "--title", "T\x85x", "--date", "2023", "--category", "other"],
            CONTROL.format("title", "0085"),
        ),
    ],
)
def test_control_characters_are_refused(
    runner: CliRunner, case: Path, args: list[str], message: str
) -> None:
    before = (case / "parties.yaml").read_bytes()
    result = runner.invoke(cli, [*args[:2], str(case), *args[2:]])
    assert result.exit_code == 2 and result.stderr == message
    assert (case / "parties.yaml").read_bytes() == before
