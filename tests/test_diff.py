"""`dossier diff CASE FROM TO`: new allegations and annexes, changed facts, withdrawn ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_addenda import COMPLAINT, FIRST, MINIMAL, _addendum, _allegation, _annex, _sent

from dossier.cli import cli
from dossier.commands.diff import diff_lines, diff_submissions, word_diff
from dossier.errors import UsageError


@pytest.fixture
def sent_case(runner, tmp_path: Path) -> Path:
    """The minimal case with its complaint sent and a draft addendum with one new allegation."""
    case = tmp_path / "9999"
    shutil.copytree(MINIMAL, case)
    _sent(runner, case, COMPLAINT, "2024-02-01", "--without-pdf")
    _annex(case, "arrest-order", "Order to arrest the chair", "2024-03-01", "Arrest order.\n")
    _allegation(
        case, "2024-03-01-arrest", "Arrest of the chair", "arrest_detention", ["arrest-order"]
    )
    _addendum(case, FIRST)
    return case


def test_new_allegation_and_annex(sent_case: Path) -> None:
    diff = diff_submissions(sent_case, COMPLAINT, FIRST)
    assert diff.before_frozen and not diff.after_frozen
    assert [a.id for a in diff.new_allegations] == ["2024-03-01-arrest"]
    assert [(n, a.id) for n, a in diff.new_annexes] == [(2, "arrest-order")]
    assert not diff.changed_allegations and not diff.changed_annexes and not diff.withdrawn
    assert diff_lines(diff)[:2] == [
        f"From {COMPLAINT} (2024-02-01, sent, frozen)",
        f"  to {FIRST} (2024-04-02, draft)",
    ]


def test_changed_annex_entry_and_withdrawn_allegation(sent_case: Path) -> None:
    register = sent_case / "annexes.yaml"
    register.write_text(
        register.read_text().replace(
            "Note on the search of the union office", "Note on the search (corrected)"
        )
    )
    (sent_case / "allegations" / "2024-01-05-search.yaml").unlink()
    diff = diff_submissions(sent_case, COMPLAINT, FIRST)
    assert [(c.id, c.number, c.fields) for c in diff.changed_annexes] == [
        ("search-note", 1, ("title",))
    ]
    assert diff.withdrawn == ("2024-01-05-search",)
    lines = diff_lines(diff)
    assert "  ~ Annex 1: Note on the search (corrected) (search-note) [title]" in lines
    assert "  - 2024-01-05-search" in lines


def test_changed_facts_show_their_old_and_new_words(runner, sent_case: Path) -> None:
    search = sent_case / "allegations" / "2024-01-05-search.yaml"
    search.write_text(
        search.read_text()
        .replace("membership records", "membership lists")
        .replace("place: Bishkek", "place: Osh")
    )
    result = runner.invoke(cli, ["diff", str(sent_case), COMPLAINT, FIRST])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    at = lines.index("  ~ 2024-01-05-search: Search of the union office [place, facts]")
    assert lines[at + 1] == "      place: [-Bishkek-] {+Osh+}"
    facts = lines[at + 2]
    assert facts == "      facts: … Workers' Union and took its membership [-records.-] {+lists.+}"


def test_word_diff_keeps_some_context_and_cuts_the_rest() -> None:
    old = " ".join(f"w{i}" for i in range(30))
    new = old.replace("w15", "W15")
    assert (
        word_diff(old, new) == "… w9 w10 w11 w12 w13 w14 [-w15-] {+W15+} w16 w17 w18 w19 w20 w21 …"
    )
    assert word_diff("", "Osh") == "{+Osh+}"
    assert word_diff("a b c", "a c") == "a [-b-] c"
    assert word_diff("same words", "same words") == "same words"


def test_nothing_new(runner, sent_case: Path) -> None:
    (sent_case / "allegations" / "2024-03-01-arrest.yaml").unlink()
    result = runner.invoke(cli, ["diff", str(sent_case), COMPLAINT, FIRST])
    assert result.exit_code == 0
    assert result.stdout.endswith("No new allegations, no new annexes, no changed facts.\n")


def test_usage_errors(runner, sent_case: Path) -> None:
    with pytest.raises(UsageError):
        diff_submissions(sent_case, FIRST, FIRST)
    result = runner.invoke(cli, ["diff", str(sent_case), COMPLAINT, "nope"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown submission 'nope' (known: ")


def test_letters_sent_before_the_tool_numbered_no_annexes(case_dir: Path) -> None:
    diff = diff_submissions(
        case_dir, "2023-12-11-urgent-intervention", "2026-11-24-additional-information"
    )
    assert not diff.before_frozen
    # the allegations of the draft were all reported by the letters of 2023, except the court's
    # extension of the detentions on 28 December 2023, which the draft is the first to report
    assert [a.id for a in diff.new_allegations] == ["2023-12-28-detention-extended"]
    # none of the 2023 letters had numbered annexes: every annex of the draft is new, 1 to n
    numbers = [n for n, _ in diff.new_annexes]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    earlier = diff_submissions(
        case_dir, "2023-08-30-additional-information", "2026-11-24-additional-information"
    )
    assert "2023-12-06-detentions" in {a.id for a in earlier.new_allegations}
    assert "2022-06-16-jk-resolution-341-vii" not in {a.id for a in earlier.new_allegations}
