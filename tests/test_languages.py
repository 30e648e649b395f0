"""Dossiers in French and Spanish: records in their language, no sentence in one edition only,
check --lang (FORM-16), final builds refusing a mixed-language dossier, Case 3386 in French."""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dossier.cli import cli
from dossier.commands.build import build_dossier
from dossier.render import i18n

HERE = Path(__file__).resolve().parent
FR_SAMPLE = HERE / "cases" / "fr-sample"


def text_of(pdf: Path) -> str:
    """Every page's text, the bookmarks and the metadata, whitespace and no-break spaces folded."""
    reader = PdfReader(pdf)
    parts = [page.extract_text() for page in reader.pages]

    def titles(items: list) -> Iterator[str]:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield str(item.title)

    parts += list(titles(reader.outline))
    parts += [str(v) for v in (reader.metadata or {}).values()]
    text = unicodedata.normalize("NFC", "\n".join(parts)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text)


def english_phrases() -> set[str]:
    """The dossier's English boilerplate (data/i18n.yaml) in pieces of two words or more that
    French does not share, and the English of the letters' formulae."""
    tables = i18n._strings()  # noqa: SLF001 - the boilerplate itself is what is scanned for
    french = " ".join(tables["fr"].values())
    phrases: set[str] = set()
    for value in tables["en"].values():
        for piece in re.split(r"\{[^}]*\}", value):
            piece = piece.replace("\u00a0", " ").strip(" .,:;()“”\"'")
            if len(piece.split()) >= 2 and piece not in french:
                phrases.add(piece)
    return phrases | {"Dear ", "Yours sincerely", "Yours faithfully", "Case No.", "Annex "}


ENGLISH_WORDS = re.compile(r"\b(?:the|of|and|which|with|by|to be supplied)\b", re.IGNORECASE)


@pytest.fixture
def fr_sample(tmp_path: Path) -> Path:
    case = tmp_path / "fr-sample"
    shutil.copytree(FR_SAMPLE, case)
    return case


def test_the_french_sample_builds_a_french_dossier_without_an_english_sentence(
    fr_sample: Path, tmp_path: Path
) -> None:
    result = build_dossier(fr_sample, out_dir=tmp_path / "out")
    text = text_of(result.pdf)
    assert "Monsieur le Directeur général," in text
    assert "présentée par le Syndicat national des mineurs de Ruritanie" in text
    assert "ratifiée par la Ruritanie en 1960" in text
    assert "Annexe 1a — Ordonnance de placement en détention" in text
    found = sorted(p for p in english_phrases() if p in text)
    assert not found, f"English in the French dossier: {found}"
    assert not ENGLISH_WORDS.findall(text), ENGLISH_WORDS.findall(text)[:10]
    assert "[en]" not in text and "[es]" not in text
    # the scan itself finds English: the same case built in English prints its French, marked
    english = text_of(build_dossier(fr_sample, language="en", out_dir=tmp_path / "en").pdf)
    assert "Case No." in english and "[fr] Placement en détention" in english
    assert ENGLISH_WORDS.search(english)


def _keys_used(case: Path, language: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    used: set[str] = set()
    real = i18n._strings  # noqa: SLF001

    def recording(lang: str, key: str, **values: object) -> str:
        used.add(key)
        table = real()[lang if lang in real() else "en"]
        text = table.get(key, real()["en"][key])
        return text.format(**values) if values else text

    monkeypatch.setattr(i18n, "t", recording)
    build_dossier(case, language=language, out_dir=out / language)
    monkeypatch.undo()
    return used


@pytest.mark.parametrize("case_name", ["3386", "fr-sample"])
def test_every_edition_says_the_same_sentences(
    case_name: str,
    case_dir: Path,
    fr_sample: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No sentence in one language's edition only (the French edition of Case 3386 used to add
    "La présente communication fait suite à nos lettres des …"): the same boilerplate keys are
    used in English, French and Spanish."""
    case = case_dir if case_name == "3386" else fr_sample
    keys = {lang: _keys_used(case, lang, tmp_path, monkeypatch) for lang in ("en", "fr", "es")}
    assert keys["fr"] == keys["en"], keys["fr"] ^ keys["en"]
    assert keys["es"] == keys["en"], keys["es"] ^ keys["en"]
    assert {"standing_case", "pointer", "further_info"} <= keys["en"]


def test_check_lang_lists_each_text_without_its_language(
    runner: CliRunner, fr_sample: Path
) -> None:
    result = runner.invoke(cli, ["check", str(fr_sample), "--lang", "en"])
    assert result.exit_code == 0, result.output  # warnings while drafting
    lines = [line for line in result.stdout.splitlines() if "[FORM-16]" in line]
    allegation = fr_sample / "allegations" / "2024-03-07-detention-berg.yaml"
    title_line = (
        allegation.read_text(encoding="utf-8")
        .splitlines()
        .index("title: Placement en détention du président du SNMR")
    )
    assert any(
        line.startswith(f"{allegation}:{title_line + 1}: warning: title: title of allegation")
        and "has no English text" in line
        and "title: {fr: …, en: …}" in line
        for line in lines
    ), lines
    parties = f"{fr_sample}/parties.yaml"
    assert any(line.startswith(f"{parties}:4: warning: organisations[0].name:") for line in lines)
    assert any(
        "organisations[0].article: article of party 'snmr' has no English word" in line
        for line in lines
    )
    assert not any("persons[" in line for line in lines)  # a person's name is not translated
    assert not any(": country" in line for line in lines) or "country_article" in result.stdout
    # given in English, the title is no longer listed
    source = allegation.read_text(encoding="utf-8").replace(
        "title: Placement en détention du président du SNMR",
        "title:\n  fr: Placement en détention du président du SNMR\n"
        "  en: Detention of the SNMR's president",
    )
    allegation.write_text(source, encoding="utf-8")
    again = runner.invoke(cli, ["check", str(fr_sample), "--lang", "en"])
    assert not any(
        "title of allegation '2024-03-07-detention-berg'" in line
        for line in again.stdout.splitlines()
    )
    assert "[FORM-16]" in again.stdout


def test_a_draft_prints_the_fallback_marked_and_a_final_refuses_it(
    runner: CliRunner, fr_sample: Path, tmp_path: Path
) -> None:
    english = text_of(build_dossier(fr_sample, language="en", out_dir=tmp_path / "en").pdf)
    assert "Dear Mr Director-General," in english and "Yours sincerely," in english
    assert "[fr] Le 7 mars 2024, le Service de sécurité de l'État" in english
    assert "against the Government" not in english  # an update: no complaint sentence
    final = runner.invoke(
        cli, ["build", str(fr_sample), "--lang", "en", "--final", "--out", str(tmp_path / "f")]
    )
    assert final.exit_code == 1
    assert final.stderr.startswith("Error: not final:")
    assert "error: title: title of allegation '2024-03-07-detention-berg'" in final.stderr
    assert not (tmp_path / "f" / "dossier.pdf").exists()
    # in its own language, the final builds
    ok = runner.invoke(cli, ["build", str(fr_sample), "--final", "--out", str(tmp_path / "ok")])
    assert ok.exit_code == 0, ok.output
    assert "PROJET" not in text_of(tmp_path / "ok" / "dossier.pdf")


def test_case_3386_in_french_refuses_final_listing_the_fields(
    runner: CliRunner, case_dir: Path, tmp_path: Path
) -> None:
    """Case 3386's records are in English only (no source gives them in French): the French
    copy to send is refused, each text without French listed with its file and line."""
    check = runner.invoke(cli, ["check", str(case_dir), "--lang", "fr", "--final"])
    assert check.exit_code == 1
    errors = [line for line in check.stdout.splitlines() if ": error: " in line]
    form16 = [line for line in errors if line.endswith("[FORM-16]")]
    detentions = f"{case_dir}/allegations/2023-12-06-detentions.yaml"
    expected = [
        f"{detentions}:3: error: title: title of allegation '2023-12-06-detentions' has no "
        "French text",
        f"{detentions}:",  # its facts
        f"{case_dir}/submissions/2026-11-24-additional-information.yaml:21: error: subject:",
        f"{case_dir}/parties.yaml:",  # organisations' names and articles
    ]
    for start in expected:
        assert any(line.startswith(start) for line in form16), start
    assert any("facts of allegation '2023-12-06-detentions'" in line for line in form16)
    assert any("requests[0] of submission" in line for line in form16)
    assert not any("houngbo" in line or "name of party 'hoie'" in line for line in form16)
    build = runner.invoke(
        cli, ["build", str(case_dir), "--lang", "fr", "--final", "--out", str(tmp_path / "fr")]
    )
    assert build.exit_code == 1
    assert build.stderr.startswith("Error: not final:")
    for line in form16[:5]:
        assert line.split(": error: ")[1] in build.stderr
    assert not (tmp_path / "fr").exists() or not list((tmp_path / "fr").iterdir())
    # the English copy is refused for other reasons only (placeholders), never FORM-16
    english = runner.invoke(cli, ["check", str(case_dir), "--final"])
    assert "[FORM-16]" not in english.stdout


def test_a_letter_per_language(fr_sample: Path, tmp_path: Path, runner: CliRunner) -> None:
    sub = fr_sample / "submissions" / "2024-04-02-informations.yaml"
    text = sub.read_text(encoding="utf-8").replace(
        "letter: 2024-04-02-informations.md",
        "letter: {fr: 2024-04-02-informations.md, en: 2024-04-02-informations.en.md}",
    )
    sub.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["check", str(fr_sample)])
    assert "letter '2024-04-02-informations.en.md' not found" in result.stdout
    line = text.splitlines().index(
        "letter: {fr: 2024-04-02-informations.md, en: 2024-04-02-informations.en.md}"
    )
    assert f"informations.yaml:{line + 1}: error: letter.en:" in result.stdout
    (sub.parent / "2024-04-02-informations.en.md").write_text(
        "Since March 2024 the authorities have targeted the union's leaders (Case No. 9902).\n",
        encoding="utf-8",
    )
    english = text_of(build_dossier(fr_sample, language="en", out_dir=tmp_path / "en").pdf)
    assert "Since March 2024 the authorities have targeted" in english
    french = text_of(build_dossier(fr_sample, out_dir=tmp_path / "fr").pdf)
    assert "Depuis le début du mois de mars 2024" in french
    assert "Since March 2024" not in french


def test_every_language_of_a_text_is_checked(runner: CliRunner, fr_sample: Path) -> None:
    """A confidential name or a placeholder in a translation is found like in the records'
    language; a recorded article must be one of its language."""
    parties = fr_sample / "parties.yaml"
    parties.write_text(
        parties.read_text(encoding="utf-8")
        .replace(
            "  - id: berg\n    name: Anton Berg\n",
            "  - id: berg\n    name: Anton Berg\n    confidential: true\n    pseudonym: Témoin A\n",
        )
        .replace(
            "    article: le\n    acronym: SNMR\n",
            "    article: {fr: le, en: der}\n    acronym: SNMR\n",
        ),
        encoding="utf-8",
    )
    register = fr_sample / "annexes.yaml"
    register.write_text(
        register.read_text(encoding="utf-8").replace(
            "    title: Rapport du SNMR sur la perquisition du siège\n",
            "    title:\n      fr: Rapport du SNMR sur la perquisition du siège\n"
            "      en: Report on the search, by Anton Berg\n",
        ),
        encoding="utf-8",
    )
    sub = fr_sample / "submissions" / "2024-04-02-informations.yaml"
    sub.write_text(
        sub.read_text(encoding="utf-8").replace(
            "letter: 2024-04-02-informations.md",
            "letter: {fr: 2024-04-02-informations.md, en: letter.en.md}",
        ),
        encoding="utf-8",
    )
    (sub.parent / "letter.en.md").write_text(
        "On Case No. 9902 we write on behalf of (your union).\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["check", str(fr_sample)])
    out = result.stdout
    assert "annexes[2].title.en: the annex title names confidential party 'Témoin A'" in out
    assert "letter.en.md:1: error: letter: template placeholder '(your union)'" in out
    assert "organisations[0].article: 'der' is not a definite article in English" in out


@pytest.mark.parametrize(("lang", "marker"), [("es", "por aportar"), ("fr", "à fournir")])
def test_a_new_case_in_spanish_or_french_marks_what_is_missing_in_its_language(
    runner: CliRunner, tmp_path: Path, lang: str, marker: str
) -> None:
    case = tmp_path / "case"
    made = runner.invoke(
        cli, ["init", str(case), "--case", "9986", "--country", "Chile", "--language", lang]
    )
    assert made.exit_code == 0, made.output
    text = text_of(build_dossier(case, out_dir=tmp_path / "out").pdf)
    assert marker in text  # the signatory's name, still to be supplied
    assert "to be supplied" not in text.casefold()
