"""Salutations, closings and letter layout (letters.py, letters.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from dossier.l10n import letters
from dossier.l10n.articles import GrammarError
from dossier.l10n.letters import closing, date_line, formulae, quote, salutation, subject_label


@pytest.mark.parametrize(
    ("lang", "office", "gender", "surname", "expected_salutation", "expected_closing"),
    [
        ("fr", "director_general", "male", "Houngbo", "Monsieur le Directeur général,",
         "Veuillez agréer, Monsieur le Directeur général, l'expression de notre haute "
         "considération."),
        ("fr", "director_general", "female", None, "Madame la Directrice générale,",
         "Veuillez agréer, Madame la Directrice générale, l'expression de notre haute "
         "considération."),
        ("fr", "director_general", "unknown", None, "Madame, Monsieur,",
         "Veuillez agréer, Madame, Monsieur, l'expression de notre haute considération."),
        ("fr", "minister", "female", None, "Madame la Ministre,",
         "Nous vous prions d'agréer, Madame la Ministre, l'expression de notre très haute "
         "considération."),
        ("fr", "head_of_state", "male", None, "Monsieur le Président,",
         "Nous vous prions d'agréer, Monsieur le Président, l'expression de notre très "
         "haute considération."),
        ("fr", "generic", "female", "Dupont", "Madame,",
         "Veuillez agréer, Madame, nos salutations distinguées."),
        ("es", "director_general", "male", "Houngbo", "Señor Director General:",
         "Le saluda atentamente,"),
        ("es", "director_general", "female", None, "Señora Directora General:",
         "Le saluda atentamente,"),
        ("es", "minister", "female", None, "Señora Ministra:", "Le saluda atentamente,"),
        ("es", "fol_chief", "male", "López", "Estimado Sr. López:", "Le saluda atentamente,"),
        ("es", "head_of_state", "unknown", None, "Excelencia:", "Le saluda atentamente,"),
        ("en", "director_general", "male", "Houngbo", "Dear Mr Director-General,",
         "Yours sincerely,"),
        ("en", "director_general", "unknown", None, "Dear Director-General,",
         "Yours sincerely,"),
        ("en", "fol_chief", "female", "Smith", "Dear Ms Smith,", "Yours sincerely,"),
        ("en", "generic", "unknown", None, "Dear Sir or Madam,", "Yours faithfully,"),
        ("en", "head_of_state", "female", "Otunbayeva", "Madam,", "Yours faithfully,"),
        ("en", "minister", "unknown", None, "Dear Minister,", "Yours faithfully,"),
    ],
)  # fmt: skip
def test_formulae(
    lang: str,
    office: str,
    gender: str,
    surname: str | None,
    expected_salutation: str,
    expected_closing: str,
) -> None:
    assert salutation(lang, office, gender, surname=surname, apostrophe="'") == (
        expected_salutation
    )
    assert closing(lang, office, gender, surname=surname, apostrophe="'") == expected_closing


def test_named_director_general_is_never_madame_monsieur() -> None:
    # The bug measured in the French edition today.
    assert salutation("fr", "director_general", "male", surname="Houngbo") != "Madame, Monsieur,"


def test_french_closing_repeats_the_salutation() -> None:
    for office in letters.OFFICES:
        for gender in letters.GENDERS:
            appel = salutation("fr", office, gender).rstrip(",")
            assert f", {appel}, " in closing("fr", office, gender)


def test_english_full_name_when_gender_unknown() -> None:
    assert salutation("en", "generic", "unknown", full_name="Alex Kim") == "Dear Alex Kim,"
    assert closing("en", "generic", "unknown", full_name="Alex Kim") == "Yours sincerely,"


def test_salutation_punctuation_per_language() -> None:
    for office in letters.OFFICES:
        for gender in letters.GENDERS:
            assert salutation("en", office, gender).endswith(",")
            assert salutation("fr", office, gender).endswith(",")
            assert salutation("es", office, gender).endswith(":")


def test_formal_closing_is_flagged_unverified() -> None:
    plain = formulae("es", "minister", "male")
    formal = formulae("es", "minister", "male", formal=True)
    assert plain.verified and not formal.verified
    assert formal.closing.startswith("Aprovechamos")
    assert formulae("en", "head_of_state", "male", formal=True).closing == (
        "Accept, Sir, the assurances of our highest consideration."
    )


def test_sources_recorded() -> None:
    assert "oqlf-titres" in formulae("fr", "director_general", "male").sources
    assert "swan" in formulae("en", "director_general", "male", surname="Houngbo").sources


@pytest.mark.parametrize(
    ("lang", "place", "day", "expected"),
    [
        ("fr", "Geneva", 24, "Genève, le 24 novembre 2026"),
        ("fr", "Genève", 1, "Genève, le 1er novembre 2026"),
        ("fr", None, 24, "Le 24 novembre 2026"),
        ("es", "Geneva", 24, "Ginebra, 24 de noviembre de 2026"),
        ("es", "Bishkek", 1, "Bishkek, 1 de noviembre de 2026"),
        ("en", "Ginebra", 24, "Geneva, 24 November 2026"),
        ("en", None, 2, "2 November 2026"),
    ],
)
def test_date_line(lang: str, place: str | None, day: int, expected: str) -> None:
    assert date_line(dt.date(2026, 11, day), lang, place) == expected


def test_subject_and_quotes() -> None:
    assert subject_label("fr") == "Objet\u00a0:"
    assert subject_label("es") == "Asunto:"
    assert subject_label("en") == "Subject:"
    assert quote("grève", "fr") == "«\u00a0grève\u00a0»"
    assert quote("huelga", "es") == "«huelga»"
    assert quote("strike", "en") == "\u201cstrike\u201d"
    assert quote("strike", "en", nested=True) == "\u2018strike\u2019"


def test_errors() -> None:
    with pytest.raises(GrammarError, match="unknown office"):
        salutation("fr", "pope")
    with pytest.raises(GrammarError, match="unknown gender"):
        salutation("fr", "generic", "other")
    with pytest.raises(GrammarError, match="unsupported language"):
        closing("de", "generic")
