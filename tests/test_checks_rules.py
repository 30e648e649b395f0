"""One test per CFA rule family on small edits of the minimal case (library level)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from casefiles import ALLEGATION, LETTER, SUB, TODAY, edit, minimal_copy, problems
from pypdf import PdfWriter

from dossier.checks import FinalBuild, check_case
from dossier.errors import Severity
from dossier.load import load_case


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return minimal_copy(tmp_path)


def summary(case: Path) -> list[tuple[str, Severity, str]]:
    return [(p.code, p.severity, p.message) for p in problems(case)]


def as_update(case: Path) -> None:
    """Turn the draft complaint into additional information on Case No. 9999."""
    edit(case / SUB, "kind: complaint", "kind: additional_information")
    edit(case / SUB, "conciliation: false\n", "")
    edit(
        case / SUB,
        "subject: Complaint against the Government of Kyrgyzstan",
        "subject: Case No. 9999 (Kyrgyzstan) — additional information",
    )
    edit(
        case / LETTER, "hereby submits a complaint", "refers to Case No. 9999 and adds a complaint"
    )


def test_update_is_clean(case: Path) -> None:
    as_update(case)
    assert summary(case) == []


def test_form10_case_number(case: Path) -> None:
    as_update(case)
    edit(case / SUB, "Case No. 9999 (Kyrgyzstan)", "Case No. 9998 (Kyrgyzstan)")
    edit(case / LETTER, "refers to Case No. 9999", "refers to Case No. 3386")
    assert summary(case) == [
        ("FORM-10", Severity.ERROR, "the letter never cites Case No. 9999"),
        ("FORM-10", Severity.ERROR, "cites case 3386, but this is Case No. 9999"),
        ("FORM-10", Severity.ERROR, "the subject does not cite Case No. 9999"),
    ]


def test_form01_not_to_the_director_general(case: Path) -> None:
    as_update(case)
    edit(case / SUB, "  office: Director-General\n", "  office: Chief of Branch\n")
    edit(case / SUB, "  party: dg\n", "")
    assert [x for x in summary(case) if x[0] == "FORM-01"][0] == (
        "FORM-01",
        Severity.WARNING,
        "not addressed to the ILO Director-General",
    )


def test_form07_signatory_office(case: Path) -> None:
    edit(case / SUB, "title: General Secretary", "title: Press Officer")
    assert summary(case) == [
        (
            "FORM-07",
            Severity.WARNING,
            "'Press Officer' is not an office listed as able to bind the organisation",
        )
    ]


def test_form08_complaint_statement(case: Path) -> None:
    edit(case / LETTER, "submits a complaint to", "writes to")
    edit(case / SUB, "subject: Complaint against", "subject: Violations by")
    assert [p.code for p in problems(case)] == ["FORM-08"]


def test_form09_government_of_another_country(case: Path) -> None:
    edit(
        case / "parties.yaml",
        "    kind: government\n    country: Kyrgyzstan",
        "    kind: government\n    country: Kazakhstan",
    )
    assert [(p.code, p.field) for p in problems(case)] == [("FORM-09", "government")]


def test_fact02_relative_date(case: Path) -> None:
    edit(case / ALLEGATION, "On 5 January 2024 officers", "Yesterday officers")
    found = problems(case)
    assert [(p.code, p.line, p.message) for p in found] == [
        (
            "FACT-02",
            8,
            "relative date 'Yesterday' in the facts of an exactly dated allegation",
        )
    ]
    edit(case / ALLEGATION, "precision: exact", "precision: approximate")
    assert problems(case) == []


def test_fact04_legislative_without_act(case: Path) -> None:
    edit(case / ALLEGATION, "title: Search of the union office", "title: Resolution on unions")
    assert [p.code for p in problems(case)] == ["FACT-04"]
    edit(case / ALLEGATION, "conventions:", "legal_basis: [Resolution No. 1293-VII]\nconventions:")
    assert problems(case) == []


def test_fact03_no_evidence(case: Path) -> None:
    edit(case / ALLEGATION, '  - annex: search-note\n    pages: "1"\n', "")
    edit(case / ALLEGATION, "evidence:\n", "evidence: []\n")
    edit(case / SUB, "allegations: new", "allegations: new\nannexes_extra: [search-note]")
    assert [(p.code, p.severity) for p in problems(case)] == [("FACT-03", Severity.WARNING)]


def test_time02_earlier_letter_not_recorded(case: Path) -> None:
    as_update(case)
    edit(case / LETTER, "On 5 January", "Following our letters of 24 and 25 January, on 5 January")
    assert summary(case) == [
        (
            "TIME-02",
            Severity.WARNING,
            "refers to an earlier letter of 2024-01-24, which is not among the submissions",
        ),
        (
            "TIME-02",
            Severity.WARNING,
            "refers to an earlier letter of 2024-01-25, which is not among the submissions",
        ),
    ]


def test_rec02_global_union_needs_an_affiliate(case: Path) -> None:
    edit(case / "parties.yaml", "    kind: union\n", "    kind: global_union\n")
    assert [(p.code, p.field) for p in problems(case)] == [("REC-02", "complainants[0].party")]
    with (case / "parties.yaml").open("a", encoding="utf-8") as handle:
        handle.write("groups: []\n")
    text = (case / "parties.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "organisations:\n",
        "organisations:\n  - id: local\n    name: Local Miners Union\n    kind: union\n"
        "    country: Kyrgyzstan\n    affiliated_to: [union]\n",
    )
    (case / "parties.yaml").write_text(text, encoding="utf-8")
    assert [(p.code, p.message) for p in problems(case)] == [
        (
            "REC-02",
            "the letter does not name an affiliate of 'union' in Kyrgyzstan "
            "(e.g. Local Miners Union)",
        )
    ]
    edit(
        case / LETTER,
        "On 5 January",
        "Our affiliate, the Local Miners Union, reports that on 5 January",
    )
    assert problems(case) == []


def test_mail01(case: Path) -> None:
    edit(case / SUB, "email: ilo@ilo.org", "email: director@example.org")
    assert summary(case) == [
        ("MAIL-01", Severity.WARNING, "'director@example.org' is not an ILO address")
    ]
    edit(case / SUB, "email: director@example.org", "email: director.example.org")
    assert summary(case) == [
        ("MAIL-01", Severity.WARNING, "'director.example.org' is not a valid e-mail address")
    ]


def test_cons01_same_name_for_two_parties(case: Path) -> None:
    with (case / "parties.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - id: ana2\n    name: Ana  example\n")
    edit(case / ALLEGATION, "victims: [union]", "victims: [union, ana2]")
    assert summary(case) == [
        ("CONS-01", Severity.WARNING, "'Ana  example' also names party 'secretary'")
    ]


def test_cons01_variant_spelling_in_facts(case: Path) -> None:
    edit(case / "parties.yaml", "name: Ana Example", "name: Ana Kadyrbekova")
    edit(case / ALLEGATION, "and took its", "and Ana Kadyrbekovva saw them take its")
    assert summary(case) == [
        (
            "CONS-01",
            Severity.WARNING,
            "'Kadyrbekovva' looks like a variant of the name of party 'secretary'",
        )
    ]


def test_cons02_in_the_letter_is_an_error(case: Path) -> None:
    edit(case / LETTER, "took our membership", "took our membership and Сouncil")
    found = problems(case)
    assert [(p.code, p.severity, p.field, p.line) for p in found] == [
        ("CONS-02", Severity.ERROR, "letter", 6)
    ]


def test_cons03_convention_not_ratified(case: Path) -> None:
    edit(case / ALLEGATION, "source: test fixture}]", "source: test fixture}, C151]")
    assert summary(case) == [
        ("CONS-03", Severity.WARNING, "C151 is not recorded as ratified by Kyrgyzstan")
    ]


def test_cons03_wrong_year_in_the_letter(case: Path) -> None:
    edit(
        case / LETTER, "Yours sincerely,", "Convention No. 87, ratified in 1993, applies.\n\nYours"
    )
    assert summary(case) == [
        ("CONS-03", Severity.WARNING, "Kyrgyzstan ratified C087 in 1992, not 1993")
    ]


def _protect(case: Path) -> None:
    with (case / "parties.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "  - id: witness\n    name: Bakyt Witness\n    confidential: true\n"
            "    pseudonym: Witness A\n"
        )
    edit(case / ALLEGATION, "victims: [union]", "victims: [union, witness]")


def test_priv02_text_annex_naming_a_protected_person(case: Path) -> None:
    _protect(case)
    note = case / "annexes" / "search-note.txt"
    note.write_text("Statement of Bakyt Witness.\n", encoding="utf-8")
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    old = text.split("sha256: ")[1].split()[0]
    edit(case / "annexes.yaml", old, hashlib.sha256(note.read_bytes()).hexdigest())
    found = [p for p in problems(case) if p.code.startswith("PRIV")]
    assert [(p.code, p.severity) for p in found] == [("PRIV-02", Severity.WARNING)]
    assert found[0].message.startswith("the annex names confidential party 'Witness A' (text)")
    edit(case / "annexes.yaml", "kind: document", "kind: document\n    confidential: true")
    assert [p for p in problems(case) if p.code.startswith("PRIV")] == []


def test_priv01_needs_a_pseudonym(case: Path) -> None:
    _protect(case)
    edit(case / "parties.yaml", "    pseudonym: Witness A\n", "")
    assert summary(case) == [("PRIV-01", Severity.ERROR, "confidential without a pseudonym")]


def test_anx01_page_beyond_the_annex(case: Path) -> None:
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(200, 200)
    pdf = case / "annexes" / "search.pdf"
    with pdf.open("wb") as handle:
        writer.write(handle)
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    old = text.split("sha256: ")[1].split()[0]
    edit(case / "annexes.yaml", old, hashlib.sha256(pdf.read_bytes()).hexdigest())
    edit(case / "annexes.yaml", "file: search-note.txt", "file: search.pdf")
    (case / "annexes" / "search-note.txt").unlink()
    assert problems(case) == []
    edit(case / ALLEGATION, 'pages: "1"', 'pages: "2-4"')
    assert [(p.code, p.severity, p.field, p.message) for p in problems(case)] == [
        (
            "ANX-01",
            Severity.ERROR,
            "evidence[0].pages",
            "page 4 cited, but annex 'search-note' has 3 pages",
        )
    ]


def test_anx03_note_of_uncopyable_document(case: Path) -> None:
    edit(
        case / "annexes.yaml",
        "kind: document",
        "kind: note_of_uncopyable_document\n    seen_by: Ana Example",
    )
    assert summary(case) == [
        ("ANX-03", Severity.WARNING, "note of an uncopyable document without seen_at, seen_on")
    ]


def test_urg02_suggests_urgency_for_detention(case: Path) -> None:
    edit(case / ALLEGATION, "category: premises_property", "category: arrest_detention")
    assert [(p.code, p.severity) for p in problems(case)] == [("URG-02", Severity.INFO)]


def test_conc01(case: Path) -> None:
    edit(case / SUB, "conciliation: false\n", "")
    assert [(p.code, p.severity) for p in problems(case)] == [("CONC-01", Severity.INFO)]


def test_form12_annex_in_russian_without_translation(case: Path) -> None:
    edit(case / "annexes.yaml", "language: en", "language: ru")
    assert [(p.code, p.severity) for p in problems(case)] == [("FORM-12", Severity.WARNING)]


def test_fact01_missing_place(case: Path) -> None:
    edit(case / ALLEGATION, "place: Bishkek\n", "")
    assert [(p.code, p.severity, p.line, p.field, p.message) for p in problems(case)] == [
        ("FACT-01", Severity.WARNING, 1, "place", "no place recorded")
    ]
    edit(case / ALLEGATION, "category:", "place: null  # to be supplied\ncategory:")
    assert [(p.line, p.message) for p in problems(case)] == [(5, "place to be supplied")]


# ---- FORM-14, ANX-16 and the final build ------------------------------------------------------


def test_form13_a_printed_value_still_to_be_supplied(case: Path) -> None:
    as_update(case)
    edit(case / ALLEGATION, "title: Search of the union office", "title: To be supplied")
    edit(case / ALLEGATION, "source: test fixture", "source: to be supplied")  # never printed
    assert summary(case) == [
        (
            "FORM-14",
            Severity.WARNING,
            "the title of allegation '2024-01-05-search' is still 'to be supplied' "
            "(the dossier would print it so)",
        )
    ]


def test_anx06_a_language_the_list_cannot_name(case: Path) -> None:
    as_update(case)
    register = case / "annexes.yaml"
    edit(register, "language: en", "language: rus")
    assert [(p.code, p.severity) for p in problems(case)] == [
        ("ANX-16", Severity.WARNING),
        ("FORM-12", Severity.WARNING),
    ]
    edit(register, "language: rus", "language: und")
    found = {p.code: p for p in problems(case)}
    assert found["ANX-16"].severity is Severity.INFO
    assert "would print 'Unknown language'" in found["ANX-16"].message
    edit(register, "language: und", "language: ky-Cyrl")  # a known language, with a script
    assert "ANX-16" not in {p.code for p in problems(case)}


def test_a_final_build_raises_only_what_it_prints(case: Path) -> None:
    """In a final build, placeholders of the submission and of the records it prints are
    errors; the same placeholder in a record it does not print stays a warning."""
    as_update(case)
    edit(case / SUB, "signed: true", "signed: false")
    with (case / "annexes.yaml").open("a") as register:
        register.write(
            "  - id: unused\n    title: Not presented\n    date: 2024-01-06\n"
            "    issuer: union\n    language: und\n"
        )
    edit(case / "annexes.yaml", "language: en", "language: und")
    bundle = load_case(case)
    draft = {(p.code, p.field, p.severity) for p in check_case(bundle, today=TODAY)}
    final = check_case(bundle, today=TODAY, final=FinalBuild())
    errors = {(p.code, p.field) for p in final if p.severity is Severity.ERROR}
    assert errors == {
        ("FORM-06", "signatory.signed"),
        ("ANX-16", "annexes[0].language"),
    }
    assert ("ANX-08", "annexes[1].file", Severity.WARNING) in draft  # not presented: stays
    assert ("ANX-16", "annexes[1].language", Severity.INFO) in {
        (p.code, p.field, p.severity) for p in final
    }
    signed = check_case(bundle, today=TODAY, final=FinalBuild(digital_signature=True))
    assert {(p.code, p.field) for p in signed if p.severity is Severity.ERROR} == {
        ("ANX-16", "annexes[0].language")
    }
