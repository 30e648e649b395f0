"""Texts in the records' language or in several: the model, the loader's lines, the schema."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from dossier.checks.common import iter_strings
from dossier.load import load_case
from dossier.load.frozen import record_hash
from dossier.models import Allegation, Annex
from dossier.models.schema import schema_of
from dossier.models.texts import Texts, has_language, in_language, only_in

MINIMAL = Path(__file__).resolve().parent / "cases" / "minimal"


def _annex(title: object, language: str | None = None) -> Annex:
    data = {"id": "a", "title": title, "language": "en"}
    return Annex.model_validate(data, context={"language": language} if language else None)


def test_a_mapping_is_a_str_in_the_records_language() -> None:
    annex = _annex({"en": "Order", "fr": "Ordonnance"}, "fr")
    assert isinstance(annex.title, Texts)
    assert annex.title == "Ordonnance" and str(annex.title) == "Ordonnance"
    assert _annex({"fr": "Ordonnance", "es": "Orden"}).title == "Ordonnance"  # no en: the first
    assert annex.model_dump(mode="json")["title"] == {"en": "Order", "fr": "Ordonnance"}
    assert copy.deepcopy(annex) == annex
    assert _annex({"en": "Order", "fr": "Autre"}, "fr") != annex  # every language counts


def test_in_language_falls_back_and_says_from_what() -> None:
    title = _annex({"en": "Order", "es": "Orden"}).title
    assert in_language(title, "es", "en") == ("Orden", "es")
    assert in_language(title, "fr", "en") == ("Order", "en")
    assert in_language("Ordonnance", "en", "fr") == ("Ordonnance", "fr")  # a plain string
    assert has_language(title, "es", "en") and not has_language(title, "fr", "en")
    assert has_language("Order", "en", "en") and not has_language("Order", "fr", "en")
    assert only_in(_annex({"en": "the", "fr": "la"}).title, "es", "en") is None


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ({"de": "Anordnung"}, "'de' is not a language of the dossier"),
        ({"en": ""}, "the en text is empty"),
        ({}, "at least one language"),
        ("", "the text is empty"),
        (["a"], "expected a text"),
    ],
)
def test_bad_texts_are_refused(title: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _annex(title)


def test_the_loader_points_at_the_language_inside_the_mapping(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(MINIMAL, case)
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    title: Note on the search of the union office\n",
        "    title:\n      en: Note on the search\n      de: Vermerk\n",
    )
    (case / "annexes.yaml").write_text(text, encoding="utf-8")
    bundle = load_case(case)
    [found] = [p for p in bundle.problems if p.code == "YAML-03"]
    assert found.field == "annexes[0].title.de"
    assert found.line == text.splitlines().index("      de: Vermerk") + 1


def test_the_case_language_decides_which_text_a_mapping_reads_as(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(MINIMAL, case)
    (case / "case.yaml").write_text(
        (case / "case.yaml").read_text(encoding="utf-8") + "language: fr\n", encoding="utf-8"
    )
    text = (case / "annexes.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    title: Note on the search of the union office\n",
        "    title: {en: Note on the search, fr: Note sur la perquisition}\n",
    )
    (case / "annexes.yaml").write_text(text, encoding="utf-8")
    bundle = load_case(case)
    assert not bundle.problems
    assert bundle.annexes[0].title == "Note sur la perquisition"
    place = bundle.at("annex", "search-note", "title", "fr")
    assert (
        place.line
        == text.splitlines().index(
            "    title: {en: Note on the search, fr: Note sur la perquisition}"
        )
        + 1
    )


def test_checks_read_every_language_with_its_yaml_path() -> None:
    allegation = Allegation.model_validate(
        {
            "id": "x",
            "title": {"en": "Search", "fr": "Perquisition"},
            "date": "2024-01-05",
            "category": "other",
            "facts": "F.",
            "source": "s",
        }
    )
    found = dict(iter_strings(allegation))
    assert found[("title", "en")] == "Search" and found[("title", "fr")] == "Perquisition"
    assert found[("facts",)] == "F."


def test_the_schema_offers_a_text_or_one_per_language() -> None:
    title = schema_of("allegation")["properties"]["title"]
    assert title["anyOf"][0]["type"] == "string"
    assert set(title["anyOf"][1]["properties"]) == {"en", "fr", "es"}
    assert title["anyOf"][1]["additionalProperties"] is False
    assert json.dumps(schema_of("parties"))  # serialisable


@given(
    st.dictionaries(
        st.sampled_from(["en", "fr", "es"]), st.text(min_size=1).filter(str.strip), min_size=1
    ),
    st.sampled_from(["en", "fr", "es"]),
)
def test_a_record_round_trips_and_hashes_every_language(texts: dict[str, str], lang: str) -> None:
    annex = _annex(texts, lang)
    again = Annex.model_validate(annex.model_dump(mode="json"), context={"language": lang})
    assert again == annex and str(again.title) == str(annex.title)
    assert record_hash(again) == record_hash(annex)
    if len(texts) > 1:
        changed = {**texts, next(iter(texts)): "changed " + next(iter(texts.values()))}
        assert record_hash(_annex(changed, lang)) != record_hash(annex)
