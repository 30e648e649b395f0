"""Organisation names read as English prose: 'the Federation of …', not 'Federation of …'."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from dossier.commands.build import build_dossier


def _cover_text(pdf: Path) -> str:
    return re.sub(r"\s+", " ", PdfReader(pdf).pages[0].extract_text())


def test_history_uses_the_recorded_article(case_dir: Path, tmp_path: Path) -> None:
    text = _cover_text(build_dossier(case_dir, out_dir=tmp_path / "en").pdf)
    assert "presented by the Mining and Metallurgy Trade Union of Kyrgyzstan" in text
    # the associated complainants in one sentence, each with its article (or none recorded)
    assert "in a communication dated 29 June 2020. IndustriALL Global Union (on 18" in text
    assert ", the Trade Union of Food and Processing Industry Workers of the Kyrgyz" in text
    assert "and the Federation of Trade Unions of Kyrgyzstan (on 15 February 2021)" in text
    assert text.count("associated themselves with the complaint") == 1


def test_a_name_without_french_text_takes_no_french_article(case_dir: Path, tmp_path: Path) -> None:
    """Case 3386 records its names in English only: the French draft prints them marked, with
    no article of either language; given a French name and article, it reads as French."""
    text = _cover_text(build_dossier(case_dir, language="fr", out_dir=tmp_path / "fr").pdf)
    assert "présentée par [en] Mining and Metallurgy Trade Union of Kyrgyzstan" in text
    assert "par the " not in text and "par le [en]" not in text
    parties = case_dir / "parties.yaml"
    source = parties.read_text(encoding="utf-8")
    source = source.replace(
        "    name: Mining and Metallurgy Trade Union of Kyrgyzstan\n    article: the\n",
        "    name:\n      en: Mining and Metallurgy Trade Union of Kyrgyzstan\n"
        "      fr: Syndicat des travailleurs des mines et de la métallurgie du Kirghizistan\n"
        "    article: {en: the, fr: le}\n",
    )
    parties.write_text(source, encoding="utf-8")
    text = _cover_text(build_dossier(case_dir, language="fr", out_dir=tmp_path / "fr2").pdf)
    assert "présentée par le Syndicat des travailleurs des mines et de la métallurgie du" in text
    assert "cas n° 3386 (Kirghizistan)" in text
    assert "Monsieur le Directeur général," in text


def test_letter_salutation_and_closing_are_not_repeated() -> None:
    from dossier.render.cover import split_letter

    body = "Dear Mr. Director-General,\n\nWe write again.\n\nMore facts.\n\nYours sincerely,\n"
    assert split_letter(body) == ("Dear Mr. Director-General,", "We write again.\n\nMore facts.")
    assert split_letter("Only text.") == (None, "Only text.")
    assert split_letter("Text.\n\nWith best regards,\n\n") == (None, "Text.")
