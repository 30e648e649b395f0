"""Organisation names after prepositions, and agreement words (articles.py)."""

from __future__ import annotations

import pytest

from dossier.l10n.articles import (
    AGREEMENT,
    CONVENTION_GENDER,
    Gender,
    GrammarError,
    Named,
    affected_label,
    agree,
    default_article,
    guess_gender,
    phrase,
    starts_with_vowel,
)

FTUK_FR = "Fédération des syndicats du Kirghizistan"
UNION_FR = "Syndicat des travailleurs de l'industrie minière et métallurgique"
PSI_FR = "Internationale des services publics"
FTUK_ES = "Federación de Sindicatos de Kirguistán"
UNION_ES = "Sindicato de Trabajadores Mineros"
FTUK_EN = "Federation of Trade Unions of Kyrgyzstan"

CASES = [
    # French, feminine
    (FTUK_FR, "fr", "la", "subject", f"la {FTUK_FR}"),
    (FTUK_FR, "fr", "la", "par", f"par la {FTUK_FR}"),
    (FTUK_FR, "fr", "la", "de", f"de la {FTUK_FR}"),
    (FTUK_FR, "fr", "la", "a", f"à la {FTUK_FR}"),
    (FTUK_FR, "fr", "la", "bare", FTUK_FR),
    # French, masculine: contractions du / au
    (UNION_FR, "fr", "le", "subject", f"le {UNION_FR}"),
    (UNION_FR, "fr", "le", "de", f"du {UNION_FR}"),
    (UNION_FR, "fr", "le", "a", f"au {UNION_FR}"),
    (UNION_FR, "fr", "le", "par", f"par le {UNION_FR}"),
    # French, elided article
    (PSI_FR, "fr", "l'", "subject", f"l'{PSI_FR}"),
    (PSI_FR, "fr", "l'", "de", f"de l'{PSI_FR}"),
    (PSI_FR, "fr", "l'", "a", f"à l'{PSI_FR}"),
    (PSI_FR, "fr", "l'", "par", f"par l'{PSI_FR}"),
    (PSI_FR, "fr", "la", "de", f"de l'{PSI_FR}"),  # "la" before a vowel is corrected
    (PSI_FR, "fr", "L’", "subject", f"l'{PSI_FR}"),  # recorded with a typographic apostrophe
    # French, plural: des / aux
    ("Syndicats unis", "fr", "les", "de", "des Syndicats unis"),
    ("Syndicats unis", "fr", "les", "a", "aux Syndicats unis"),
    # French, no article
    ("Kyrgyz Trade Union Centre", "fr", None, "de", "de Kyrgyz Trade Union Centre"),
    ("Unite the Union", "fr", None, "de", "d'Unite the Union"),
    ("Unite the Union", "fr", None, "par", "par Unite the Union"),
    # French, h aspiré recorded with "le": no elision, contraction kept
    ("Haut Conseil du travail", "fr", "le", "de", "du Haut Conseil du travail"),
    ("Hôpital général", "fr", "l'", "a", "à l'Hôpital général"),
    # Spanish
    (FTUK_ES, "es", "la", "par", f"por la {FTUK_ES}"),
    (FTUK_ES, "es", "la", "de", f"de la {FTUK_ES}"),
    (FTUK_ES, "es", "la", "a", f"a la {FTUK_ES}"),
    (UNION_ES, "es", "el", "subject", f"el {UNION_ES}"),
    (UNION_ES, "es", "el", "de", f"del {UNION_ES}"),
    (UNION_ES, "es", "el", "a", f"al {UNION_ES}"),
    (UNION_ES, "es", "el", "par", f"por el {UNION_ES}"),
    ("Sindicatos Unidos", "es", "los", "de", "de los Sindicatos Unidos"),
    ("Centrales Obreras", "es", "las", "a", "a las Centrales Obreras"),
    ("Unite the Union", "es", None, "de", "de Unite the Union"),
    # English
    (FTUK_EN, "en", "the", "subject", f"the {FTUK_EN}"),
    (FTUK_EN, "en", "the", "par", f"by the {FTUK_EN}"),
    (FTUK_EN, "en", "the", "de", f"of the {FTUK_EN}"),
    (FTUK_EN, "en", None, "a", f"to {FTUK_EN}"),
    ("Mining and Metallurgy Trade Union of Kyrgyzstan", "en", "The", "subject",
     "the Mining and Metallurgy Trade Union of Kyrgyzstan"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "lang", "article", "form", "expected"), CASES)
def test_phrase(name: str, lang: str, article: str | None, form: str, expected: str) -> None:
    assert phrase(name, lang, article=article, form=form, apostrophe="'") == expected


def test_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


def test_typographic_apostrophe_by_default() -> None:
    assert phrase(PSI_FR, "fr", article="l'", form="de") == f"de l\u2019{PSI_FR}"


@pytest.mark.parametrize(
    ("article", "form", "expected"),
    [
        ("le", "de", "Du Syndicat national"),
        ("la", "subject", "La Syndicat national"),  # capitalisation only; article as recorded
        ("le", "par", "Par le Syndicat national"),
    ],
)
def test_capitalize(article: str, form: str, expected: str) -> None:
    assert phrase("Syndicat national", "fr", article=article, form=form, capitalize=True) == (
        expected
    )


def test_named_record() -> None:
    union = Named("Fédération des syndicats du Kirghizistan", "fr", article="la", gender="f")
    assert union.form("par") == "par la Fédération des syndicats du Kirghizistan"
    assert not union.plural
    assert Named("Syndicats", "es", article="los", gender="m").plural


@pytest.mark.parametrize(
    ("name", "lang", "gender", "plural", "expected"),
    [
        ("Fédération", "fr", "f", False, "la"),
        ("Syndicat", "fr", "m", False, "le"),
        ("Internationale", "fr", "f", False, "l'"),
        ("Union", "fr", "f", False, "l'"),
        ("Syndicats", "fr", "m", True, "les"),
        ("Federación", "es", "f", False, "la"),
        ("Sindicato", "es", "m", False, "el"),
        ("Sindicatos", "es", "m", True, "los"),
        ("Federation", "en", "f", False, "the"),
    ],
)
def test_default_article(name: str, lang: str, gender: str, plural: bool, expected: str) -> None:
    assert default_article(name, lang, "f" if gender == "f" else "m", plural=plural) == expected


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        ("Fédération des syndicats du Kirghizistan", "fr", "f"),
        ("Syndicat des travailleurs", "fr", "m"),
        ("Internationale des services publics", "fr", "f"),
        ("Confédération syndicale internationale", "fr", "f"),
        ("Federación de Sindicatos", "es", "f"),
        ("Sindicato de Trabajadores", "es", "m"),
        ("Internacional de Servicios Públicos", "es", "f"),
        ("Kyrgyz Trade Union Centre", "fr", None),
        ("Federation of Trade Unions", "en", None),
    ],
)
def test_guess_gender(name: str, lang: str, expected: str | None) -> None:
    assert guess_gender(name, lang) == expected


@pytest.mark.parametrize(
    ("key", "lang", "gender", "plural", "expected"),
    [
        ("presented", "fr", "f", False, "présentée"),
        ("presented", "fr", "m", False, "présenté"),
        ("presented", "fr", "f", True, "présentées"),
        ("presented", "es", "f", False, "presentada"),
        ("presented", "es", "m", False, "presentado"),
        ("presented", "en", "f", False, "presented"),
        ("associated", "fr", "f", False, "s'est associée"),
        ("associated", "fr", "m", False, "s'est associé"),
        ("associated", "fr", "m", True, "se sont associés"),
        ("associated", "es", "f", False, "se asoció"),
        ("associated", "es", "m", True, "se asociaron"),
        ("associated", "en", "m", False, "associated itself"),
        ("willing", "fr", "f", False, "est disposée"),
        ("willing", "fr", "m", False, "est disposé"),
        ("willing", "es", "m", False, "está abierto"),
        ("ratified", "fr", "f", False, "ratifiée"),
        ("ratified", "es", "m", False, "ratificado"),
        ("presented", "fr", None, False, "présenté"),  # unrecorded gender: masculine
    ],
)
def test_agree(key: str, lang: str, gender: str | None, plural: bool, expected: str) -> None:
    g: Gender | None = None if gender is None else ("f" if gender == "f" else "m")
    assert agree(key, lang, g, plural=plural, apostrophe="'") == expected


def test_convention_gender_drives_ratified() -> None:
    assert agree("ratified", "fr", CONVENTION_GENDER["fr"]) == "ratifiée"
    assert agree("ratified", "es", CONVENTION_GENDER["es"]) == "ratificado"


def test_agreement_table_is_complete() -> None:
    for key, langs in AGREEMENT.items():
        assert set(langs) == {"en", "fr", "es"}, key
        for forms in langs.values():
            assert len(forms) == 4 and all(forms)


@pytest.mark.parametrize(
    ("kinds", "lang", "expected"),
    [
        (["person"], "fr", "Personnes visées\u00a0:"),
        (["group", "person"], "fr", "Personnes visées\u00a0:"),
        (["organisation"], "fr", "Organisations visées\u00a0:"),
        (["organisation", "person"], "fr", "Personnes et organisations visées\u00a0:"),
        (["organisation"], "es", "Organizaciones afectadas:"),
        (["person", "organisation"], "es", "Personas y organizaciones afectadas:"),
        (["organisation"], "en", "Affected:"),
    ],
)
def test_affected_label(kinds: list[str], lang: str, expected: str) -> None:
    assert affected_label(kinds, lang) == expected


def test_starts_with_vowel() -> None:
    assert starts_with_vowel("Ouzbékistan")
    assert starts_with_vowel("État")
    assert starts_with_vowel("«Union»")
    assert not starts_with_vowel("Honduras")
    assert not starts_with_vowel("Kirghizistan")
    assert not starts_with_vowel("")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: phrase("X", "de"), "unsupported language"),
        (lambda: phrase("X", "fr", article="el"), "not a fr definite article"),
        (lambda: phrase("X", "fr", form="dative"), "unknown form"),
        (lambda: phrase("  ", "fr"), "empty name"),
        (lambda: agree("nonsense", "fr", "f"), "no agreement entry"),
        (lambda: affected_label(["animal"], "fr"), "unknown kind"),
    ],
)
def test_errors(call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(GrammarError, match=message):
        call()


def test_docstring_examples() -> None:
    """The examples in the modules' docstrings hold (they are the helpers' documentation)."""
    import doctest

    from dossier.l10n import articles, conventions, countries, letters

    for module in (articles, conventions, countries, letters):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__
        assert result.attempted > 0, module.__name__
