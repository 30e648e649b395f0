"""Issue 17: content a CFA official would take seriously — the Compilation's taxonomy and
principles, paragraphs in date order, prose without repetition, each letter kind its own form.

Dossiers are built from a copy of Case 3386 and read back from the PDF; checks run on small edits
of the minimal case."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from casefiles import ALLEGATION, SUB, TODAY, edit, minimal_copy, problems
from click.testing import CliRunner
from pypdf import PdfReader

from dossier.checks import check_case
from dossier.cli import cli
from dossier.commands.build import build_dossier
from dossier.errors import Severity
from dossier.load import load_case
from dossier.models import Category
from dossier.models.allegation import event_key
from dossier.models.compilation import compilation
from dossier.plan import order_allegations

CASE_3386 = Path(__file__).resolve().parent.parent / "cases" / "3386"
DRAFT = "2026-11-24-additional-information"


def _text(pdf: Path, first: int = 0, last: int | None = None) -> str:
    pages = PdfReader(pdf).pages[first:last]
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


@pytest.fixture(scope="module")
def case3386(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("c17") / "3386"
    shutil.copytree(CASE_3386, dest)
    return dest


@pytest.fixture(scope="module")
def draft_pdf(case3386: Path) -> Path:
    return build_dossier(case3386, out_dir=case3386.parent / "draft").pdf


def _rebuild(case: Path, submission: str) -> Path:
    return build_dossier(case, submission_id=submission, out_dir=case.parent / submission).pdf


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return minimal_copy(tmp_path)


def codes(case: Path) -> list[str]:
    return [p.code for p in problems(case)]


def _add_allegation(case: Path, name: str, replacements: dict[str, str]) -> Path:
    text = (case / ALLEGATION).read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = case / "allegations" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- 1. the CFA's taxonomy and the Compilation ------------------------------------------------


def test_categories_follow_the_compilation() -> None:
    taxonomy = compilation()
    values = {c.value for c in Category}
    assert values == set(taxonomy.categories)
    # what the issue found missing from the old, case-shaped list
    for wanted in (
        "anti_union_discrimination",
        "dismissal",
        "refusal_of_registration",
        "dissolution_suspension",
        "collective_bargaining",
        "strikes",
        "right_to_life_security",
        "consultation",
    ):
        assert wanted in values
    # every section a category names exists, and every old category has a new home
    for info in taxonomy.categories.values():
        assert set(info.sections) <= set(taxonomy.sections), info.id
    assert set(taxonomy.migration.values()) <= values


def test_only_verified_headings_and_paragraph_numbers_are_offered() -> None:
    data = (
        Path(__file__).resolve().parent.parent / "dossier" / "data" / "principles.yaml"
    ).read_text()
    taxonomy = compilation()
    arrest = taxonomy.sections["civil-liberties.arrest-detention"]
    assert arrest.heading("en") == (
        "Arrest and detention of trade unionists and members of employers’ organizations"
    )
    # a section whose heading no source confirmed carries none
    unverified = [s for s in taxonomy.sections.values() if not s.headings]
    assert unverified and "verified: false" in data
    for section in taxonomy.sections.values():
        assert all(isinstance(n, int) for n in section.paragraphs)


def test_principles_are_validated(case: Path) -> None:
    edit(case / ALLEGATION, "[civil-liberties.premises-property]", "[civil-liberties.premises]")
    (found,) = problems(case)
    assert (found.code, found.severity, found.field) == ("REF-06", Severity.ERROR, "principles[0]")
    assert "did you mean 'civil-liberties.premises-property'?" in found.fix


def test_a_category_with_principles_citing_none_is_warned(case: Path) -> None:
    edit(case / ALLEGATION, "principles: [civil-liberties.premises-property]\n", "")
    (found,) = problems(case)
    assert (found.code, found.severity) == ("FACT-05", Severity.WARNING)
    assert "civil-liberties.premises-property" in found.fix


def test_an_unverified_section_is_reported_and_not_printed(case: Path) -> None:
    taxonomy = compilation()
    unverified = next(s.id for s in taxonomy.sections.values() if not s.headings)
    edit(case / ALLEGATION, "civil-liberties.premises-property]", f"{unverified}]")
    assert "FACT-09" in codes(case)


def test_a_convention_article_needs_its_source(case: Path) -> None:
    edit(case / ALLEGATION, "[{ref: C087 art. 3, source: test fixture}]", "[C087 art. 3]")
    (found,) = problems(case)
    assert (found.code, found.field) == ("FACT-07", "conventions[0]")
    edit(case / ALLEGATION, "[C087 art. 3]", "[C087]")  # the Convention alone needs none
    assert problems(case) == []


def test_old_categories_still_load_with_a_warning(case: Path) -> None:
    edit(case / ALLEGATION, "category: premises_property", "category: search_of_premises")
    bundle = load_case(case)
    assert bundle.allegations[0].category is Category.PREMISES_PROPERTY
    (found,) = check_case(bundle, today=TODAY)
    assert (found.code, found.severity) == ("YAML-06", Severity.WARNING)
    assert "premises_property" in found.fix


def test_allegation_new_cites_principles_and_lists_those_of_its_category(
    runner: CliRunner, case: Path
) -> None:
    base = ["allegation", "new", str(case), "--title", "Arrest of the chair", "--date", "2024-03"]
    result = runner.invoke(
        cli, [*base, "--category", "arrest_detention", "--principle", "civil-liberties.arrest"]
    )
    assert result.exit_code == 2
    assert "--principle civil-liberties.arrest: no section with this id" in result.stderr
    result = runner.invoke(cli, [*base, "--category", "arrest_detention"])
    assert result.exit_code == 0, result.output
    written = (case / "allegations" / "2024-03-arrest-of-the-chair.yaml").read_text()
    assert "principles: []" in written
    assert "# Compilation sections for this category: civil-liberties.arrest-detention" in written
    result = runner.invoke(
        cli,
        [
            *base,
            "--category",
            "arrest_detention",
            "--principle",
            "civil-liberties.arrest-detention",
        ],
    )
    assert result.exit_code == 0, result.output
    bundle = load_case(case)
    cited = bundle.allegation("2024-03-arrest-of-the-chair-2")
    assert cited is not None and cited.principles == ("civil-liberties.arrest-detention",)


def test_the_statement_names_the_sections_cited(draft_pdf: Path, case3386: Path) -> None:
    text = _text(draft_pdf, 3, 8)
    assert (
        "The facts fall under the following principles of the Compilation of decisions of the "
        "Committee on Freedom of Association (sixth edition, 2018):" in text
    )
    bundle = load_case(case3386)
    detentions = [
        a.id for a in bundle.allegations if "civil-liberties.arrest-detention" in a.principles
    ]
    assert "2023-12-06-detentions" in detentions
    assert re.search(
        r"– paragraphs \d+ and \d+: section “Arrest and detention of trade unionists and members "
        r"of employers’ organizations”",
        text,
    )
    # no 2018 paragraph number is printed unless a source gave it
    verified = {n for s in compilation().sections.values() for n in s.paragraphs}
    for number in re.findall(r"\(para\. ([\d, ]+)\)", text):
        assert {int(n) for n in number.split(",")} <= verified


# ---- 2. order ----------------------------------------------------------------------------------


def test_3386_paragraphs_are_in_date_order(case3386: Path, draft_pdf: Path) -> None:
    text = _text(draft_pdf, 3, 8)
    heads = re.findall(
        r"(\d+)\. ((?:\d+[–-]?\d* )?(?:[A-Z][a-z]+ )?\d{4}(?: \(approx\.\))?) —", text
    )
    dates = [d for _, d in heads]
    assert dates.index("6 December 2023") < dates.index("December 2023 (approx.)")
    assert dates.index("28 December 2023") < dates.index("December 2023 (approx.)")
    assert [int(n) for n, _ in heads] == list(range(1, len(heads) + 1))


def test_a_month_event_follows_the_dated_events_of_its_month(case: Path) -> None:
    _add_allegation(
        case, "2024-01-late", {"2024-01-05-search": "2024-01-late", "2024-01-05": "2024-01-31"}
    )
    _add_allegation(
        case,
        "2024-01-month",
        {"2024-01-05-search": "2024-01-month", "date: 2024-01-05": "date: 2024-01"},
    )
    _add_allegation(
        case, "2024-02-early", {"2024-01-05-search": "2024-02-early", "2024-01-05": "2024-02-01"}
    )
    bundle = load_case(case)
    order = [a.id for a in order_allegations(bundle.allegations)]
    assert order == ["2024-01-05-search", "2024-01-late", "2024-01-month", "2024-02-early"]
    # a sequence puts it first among the month's events
    edit(
        case / "allegations" / "2024-01-month.yaml",
        "precision: exact",
        "precision: exact\nsequence: 0",
    )
    bundle = load_case(case)
    order = [a.id for a in order_allegations(bundle.allegations)]
    assert order == ["2024-01-month", "2024-01-05-search", "2024-01-late", "2024-02-early"]
    assert sorted(bundle.allegations, key=event_key)[0].id == "2024-01-month"


def test_a_person_spoken_of_before_the_paragraph_that_introduces_them(case: Path) -> None:
    edit(
        case / "parties.yaml",
        "persons:\n",
        "persons:\n  - id: chair\n    name: Nurlan Tashiev\n",
    )
    _add_allegation(
        case,
        "2024-01-20-arrest",
        {
            "2024-01-05-search": "2024-01-20-arrest",
            "2024-01-05": "2024-01-20",
            "victims: [union]": "victims: [chair]",
        },
    )
    edit(case / ALLEGATION, "and took its membership records.", "after Tashiev's arrest.")
    found = [p for p in problems(case) if p.code == "FACT-08"]
    assert [(p.field, p.message) for p in found] == [
        (
            "facts",
            "paragraph 1 speaks of 'chair', whom paragraph 2 ('2024-01-20-arrest') introduces",
        )
    ]
    edit(case / "allegations" / "2024-01-20-arrest.yaml", "date: 2024-01-20", "date: 2024-01-02")
    assert "FACT-08" not in codes(case)


# ---- 3. prose ----------------------------------------------------------------------------------


def test_3386_cover_letter_reads_as_prose(draft_pdf: Path) -> None:
    text = _text(draft_pdf, 0, 2)
    assert re.search(r"paragraphs 1 to \d+ \(page \d+\)", text)
    assert text.count("associated themselves with the complaint") == 1
    assert "associated itself" not in text
    # the urgency sentence is worded for its ground: personal freedom, not human life
    assert "as it concerns the personal freedom of trade unionists" in text
    assert "human life" not in text


def test_3386_draft_repeats_nothing(case3386: Path) -> None:
    found = check_case(load_case(case3386), today=dt.date(2026, 12, 4))
    assert not [p for p in found if p.code == "FORM-15"]


def test_a_repeated_piece_of_the_letter_is_warned(case: Path) -> None:
    edit(
        case / SUB,
        "requests:\n",
        "urgency:\n  requested: true\n  ground: personal_freedom\n  justification: On 5 January"
        " 2024 officers searched our office and took our membership records without warrant.\n"
        "requests:\n",
    )
    found = [p for p in problems(case) if p.code == "FORM-15"]
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    assert Path(found[0].file).name == "2024-02-01-complaint.md"


def test_urgency_on_old_events_needs_what_happened_since(case: Path) -> None:
    edit(
        case / SUB,
        "requests:\n",
        "urgency:\n  requested: true\n  ground: personal_freedom\n  justification: The union's"
        " president is still held.\nrequests:\n",
    )
    assert "URG-03" not in codes(case)
    edit(case / SUB, "date: 2024-02-01", "date: 2025-03-01")
    found = [
        p for p in check_case(load_case(case), today=dt.date(2025, 3, 2)) if p.code == "URG-03"
    ]
    assert len(found) == 1
    assert "5 January 2024, more than a year before the letter" in found[0].message


def test_chronology_separates_victims_and_authorities(draft_pdf: Path) -> None:
    reader = PdfReader(draft_pdf)
    chronology = next(
        i
        for i, page in enumerate(reader.pages)
        if "Chronology of events" in page.extract_text() and "Victims" in page.extract_text()
    )
    text = _text(draft_pdf, chronology, chronology + 1)
    assert "Date Event Victims Authorities responsible Para." in text
    assert "Actors" not in text


# ---- 4. each letter kind its own form ---------------------------------------------------------


def test_the_2020_itUC_letter_rebuilds_as_a_copy_of_a_letter_to_the_president(
    case3386: Path,
) -> None:
    bundle = load_case(case3386)
    sub = bundle.submission("2020-06-18-solidarity-letter")
    assert sub is not None and sub.kind.value == "letter_to_government"
    pdf = _rebuild(case3386, sub.id)
    text = _text(pdf, 0, 1)
    assert "Copy of the communication sent on 18 June 2020 — not a new letter" in text
    assert "to Sooronbay Jeenbekov" in text
    assert "Subject: Case No." not in text and "Case No. 3386 (Kyrgyzstan)" not in text
    assert "requests the Committee" not in text
    assert "Report No." not in text  # no complaint or report dated after the letter
    assert "COPY" in text  # the mark on every page, in place of DRAFT
    assert "DRAFT" not in _text(pdf)


def test_a_rebuild_keeps_what_was_sent_and_says_it_is_a_copy(case3386: Path) -> None:
    pdf = _rebuild(case3386, "2023-12-11-urgent-intervention")
    text = _text(pdf, 0, 1)
    assert "Copy of the communication sent on 11 December 2023 — not a new letter" in text
    assert "E-mail: Hougbo@ilo.org" in text  # as sent, misspelt
    assert "Dear Director-General" not in text  # not composed again


def test_the_model_letter_marks_its_gaps(case3386: Path) -> None:
    pdf = _rebuild(case3386, "undated-bwi-solidarity-letter")
    reader = PdfReader(pdf)
    first = reader.pages[0]
    text = re.sub(r"\s+", " ", first.extract_text())
    assert "MODEL" in text and "Model letter — fill in the marked parts before sending" in text
    assert "Dear Mr. President," in text
    assert "Unnamed affiliate" not in text
    assert "at the disposal of the Office" not in text  # not a letter to the Office
    assert "President of Kyrgyzstan" not in text  # the office already names it
    assert "(if applicable)" in text and "(your union)" in text
    # each gap is highlighted: a filled rectangle behind it (your union ×3, if applicable ×2,
    # the date, the signatory)
    content = first.get_contents()
    assert content is not None
    assert content.get_data().count(b"1 .890196 .541176 rg") >= 7
    assert "DRAFT" not in _text(pdf)


def test_a_model_letter_never_builds_final(runner: CliRunner, case3386: Path) -> None:
    model = "undated-bwi-solidarity-letter"
    out = case3386.parent / "model-final"
    result = runner.invoke(cli, ["build", str(case3386), "--submission", model, "--final"])
    assert result.exit_code == 1
    assert "a model letter is not sent as it is" in result.stderr
    assert "[FORM-11]" in result.stderr
    assert not out.exists()
    check = runner.invoke(cli, ["check", str(case3386), "--final", "--submission", model])
    assert check.exit_code == 1
    assert "error: kind: a model letter is not sent as it is" in check.stdout
