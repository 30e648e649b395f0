"""Country names with their articles (countries.py, countries.yaml)."""

from __future__ import annotations

import pytest
from babel import Locale

from dossier.l10n import countries
from dossier.l10n.countries import UnknownCountry, country, country_name, resolve
from dossier.l10n.data import load


def fr(code: str, form: str) -> str:
    return country_name(code, "fr", form=form, apostrophe="'")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "form", "expected"),
    [
        ("KG", "bare", "Kirghizistan"),
        ("KG", "subject", "le Kirghizistan"),
        ("KG", "par", "par le Kirghizistan"),
        ("KG", "de", "du Kirghizistan"),
        ("KG", "a", "au Kirghizistan"),
        ("KG", "en", "au Kirghizistan"),
        ("FR", "subject", "la France"),
        ("FR", "de", "de la France"),
        ("FR", "en", "en France"),
        ("PH", "subject", "les Philippines"),
        ("PH", "de", "des Philippines"),
        ("PH", "a", "aux Philippines"),
        ("UZ", "subject", "l'Ouzbékistan"),
        ("UZ", "de", "de l'Ouzbékistan"),
        ("UZ", "en", "en Ouzbékistan"),
        ("IR", "en", "en République islamique d'Iran"),
        ("HN", "de", "du Honduras"),
        ("CU", "subject", "Cuba"),
        ("CU", "en", "à Cuba"),
        ("CU", "de", "de Cuba"),
        ("IL", "en", "en Israël"),
        ("IL", "de", "d'Israël"),
        ("HT", "de", "d'Haïti"),
        ("US", "en", "aux États-Unis"),
        ("VE", "bare", "Venezuela (République bolivarienne du)"),
        ("VE", "par", "par la République bolivarienne du Venezuela"),
        ("BO", "de", "de l'État plurinational de Bolivie"),
        ("BO", "en", "dans l'État plurinational de Bolivie"),
        ("KR", "subject", "la République de Corée"),
        ("MD", "de", "de la République de Moldova"),
        ("TZ", "a", "à la République-Unie de Tanzanie"),
        ("TR", "bare", "Türkiye"),
        ("GB", "de", "du Royaume-Uni"),
    ],
)
def test_french(code: str, form: str, expected: str) -> None:
    assert fr(code, form) == expected


@pytest.mark.parametrize(
    ("code", "form", "expected"),
    [
        ("KG", "bare", "Kirguistán"),
        ("KG", "subject", "Kirguistán"),
        ("KG", "de", "de Kirguistán"),
        ("KG", "a", "a Kirguistán"),
        ("KG", "par", "por Kirguistán"),
        ("PE", "subject", "el Perú"),
        ("PE", "de", "del Perú"),
        ("PE", "a", "al Perú"),
        ("PE", "en", "en el Perú"),
        ("GB", "de", "del Reino Unido"),
        ("KR", "par", "por la República de Corea"),
        ("VE", "bare", "Venezuela (República Bolivariana de)"),
        ("VE", "subject", "la República Bolivariana de Venezuela"),
        ("RU", "bare", "Federación de Rusia"),
        ("KE", "bare", "Kenya"),
        ("BH", "bare", "Bahrein"),
        ("SV", "de", "de El Salvador"),
        ("CL", "de", "de Chile"),
    ],
)
def test_spanish(code: str, form: str, expected: str) -> None:
    assert country_name(code, "es", form=form) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "form", "expected"),
    [
        ("KG", "bare", "Kyrgyzstan"),
        ("KG", "par", "by Kyrgyzstan"),
        ("PH", "subject", "the Philippines"),
        ("KR", "bare", "Republic of Korea"),
        ("VE", "subject", "the Bolivarian Republic of Venezuela"),
        ("IR", "bare", "Iran (Islamic Republic of)"),
        ("IR", "de", "of the Islamic Republic of Iran"),
        ("BO", "bare", "Bolivia (Plurinational State of)"),
        ("TZ", "subject", "the United Republic of Tanzania"),
        ("MD", "bare", "Republic of Moldova"),
        ("VN", "bare", "Viet Nam"),
        ("TR", "bare", "Türkiye"),
        ("CV", "bare", "Cabo Verde"),
        ("CD", "subject", "the Democratic Republic of the Congo"),
        ("GB", "subject", "the United Kingdom"),
    ],
)
def test_english(code: str, form: str, expected: str) -> None:
    assert country_name(code, "en", form=form) == expected  # type: ignore[arg-type]


def test_ilo_name_differs_from_cldr_where_expected() -> None:
    assert str(Locale("fr").territories["KG"]) == "Kirghizstan"  # CLDR
    assert country("KG", "fr").name == "Kirghizistan"  # NORMLEX
    assert not country("KG", "fr").from_cldr
    assert country("KG", "es").from_cldr  # CLDR and NORMLEX agree: Kirguistán


def test_capitalize_at_sentence_start() -> None:
    assert country_name("KG", "fr", form="subject", capitalize=True) == "Le Kirghizistan"
    assert country_name("PE", "es", form="subject", capitalize=True) == "El Perú"


def test_apostrophe_choice() -> None:
    assert country_name("UZ", "fr", form="subject") == "l\u2019Ouzbékistan"
    assert country_name("CI", "en", apostrophe="'") == "Côte d'Ivoire"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kyrgyzstan", "KG"),
        ("kyrgyzstan", "KG"),
        ("Kyrgyz Republic", "KG"),
        ("Republic of Kyrgyzstan", "KG"),
        ("Kirghizistan", "KG"),
        ("Kirghizstan", "KG"),
        ("Kirguistán", "KG"),
        ("kg", "KG"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turquie", "TR"),
        ("South Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("Côte d’Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Venezuela", "VE"),
        ("Venezuela (Bolivarian Republic of)", "VE"),
        ("Bolivarian Republic of Venezuela", "VE"),
        ("Congo", "CG"),
        ("Democratic Republic of the Congo", "CD"),
        ("Niger", "NE"),
        ("Nigeria", "NG"),
        ("Guinea", "GN"),
        ("Dominica", "DM"),
        ("United States", "US"),
    ],
)
def test_resolve(name: str, code: str) -> None:
    assert resolve(name) == code


@pytest.mark.parametrize("name", ["Narnia", "", "Monaco", "XX", "Palestine"])
def test_unknown(name: str) -> None:
    with pytest.raises(UnknownCountry):
        resolve(name)


def test_every_member_in_every_language() -> None:
    codes = countries.codes()
    assert len(codes) == 187
    for code in codes:
        for lang in ("en", "fr", "es"):
            entry = country(code, lang)
            assert entry.name and entry.text
            for form in ("bare", "subject", "de", "a", "par", "en"):
                assert entry.form(form)
            # every name in every language leads back to its code
            assert resolve(entry.name) == code, (code, lang, entry.name)
            assert resolve(entry.text) == code, (code, lang, entry.text)


def test_french_articles_have_genders_and_agree() -> None:
    for code in countries.codes():
        entry = country(code, "fr")
        if entry.article in ("le", "la"):
            assert entry.gender == ("m" if entry.article == "le" else "f"), code
        if entry.article == "l'":
            assert entry.gender in ("m", "f"), code


def test_yaml_sources_are_declared() -> None:
    data = load("countries.yaml")
    declared = set(data["sources"])
    for entry in data["countries"].values():
        for fields in entry.values():
            assert set(fields.get("src", [])) <= declared
    for source in data["sources"].values():
        assert source["url"].startswith(("http://", "https://"))


def test_overrides_and_unverified_lists() -> None:
    overridden = countries.overrides()
    assert ("KG", "fr") in overridden
    assert ("KG", "es") not in overridden
    assert ("VE", "en") in overridden
    todo = countries.unverified()
    assert ("KG", "fr") not in todo
    assert ("GB", "en") in todo
    assert countries.cldr_version()
