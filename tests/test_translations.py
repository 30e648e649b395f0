"""Translations of annexes: printed with their original as Annex 1a, 1b; pinpoints to either;
ANX-17 (no translation into the dossier's language), ANX-18 (page counts), annex add options."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dossier.cli import cli
from dossier.commands.build import build_dossier
from dossier.load import load_case

HERE = Path(__file__).resolve().parent
FR_SAMPLE = HERE / "cases" / "fr-sample"

ENGLISH_TRANSLATION = """ORDER
on placement in detention

Strelsau, 7 March 2024

The State Security Service ordered that Anton Berg, chair of the National Miners' Union, be
placed in detention for two months.
"""


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """The French sample with an unofficial English translation of the Russian order, cited by
    the first allegation (page 1) beside the original and the French translation."""
    folder = tmp_path / "case"
    shutil.copytree(FR_SAMPLE, folder)
    (folder / "annexes" / "ordonnance-en.txt").write_text(ENGLISH_TRANSLATION, encoding="utf-8")
    register = folder / "annexes.yaml"
    register.write_text(
        register.read_text(encoding="utf-8")
        + """  - id: ordonnance-en
    title:
      fr: Ordonnance de placement en détention (traduction anglaise)
      en: Order on placement in detention (translation)
    date: 2024-03-21
    issuer: snmr
    language: en
    translation_of: ordonnance
    translator: snmr
    file: ordonnance-en.txt
""",
        encoding="utf-8",
    )
    allegation = folder / "allegations" / "2024-03-07-detention-berg.yaml"
    allegation.write_text(
        allegation.read_text(encoding="utf-8").replace(
            '  - {annex: ordonnance-fr, pages: "1"}\n',
            '  - {annex: ordonnance-fr, pages: "1"}\n  - {annex: ordonnance-en, pages: "1"}\n',
        ),
        encoding="utf-8",
    )
    return folder


def _link_targets(reader: PdfReader, page_index: int) -> list[tuple[str, int]]:
    """(text near the link, 1-based target page) of each internal link on a page."""
    out = []
    for annot in reader.pages[page_index].get("/Annots") or []:
        obj = annot.get_object()
        if "/Dest" in obj:
            target = reader.get_page_number(obj["/Dest"][0].get_object()) + 1
            out.append((str(obj.get("/Rect")), target))
    return out


def test_a_russian_order_and_its_translations_are_printed_as_a_pair(
    case: Path, tmp_path: Path
) -> None:
    result = build_dossier(case, out_dir=tmp_path / "out")
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    annexes = {a["id"]: a for a in manifest["annexes"]}
    assert [a["label"] for a in manifest["annexes"]] == ["1", "1a", "1b", "2"]
    assert annexes["ordonnance-en"]["translation_of"] == "ordonnance"
    assert annexes["ordonnance-en"]["number"] == 1
    reader = PdfReader(result.pdf)
    texts = [re.sub(r"\s+", " ", p.extract_text().replace("\u00a0", " ")) for p in reader.pages]
    # the list of annexes shows both translations, each described
    listing = next(t for t in texts if "Liste des annexes N°" in t)
    assert "traduction non officielle en anglais de l’annexe 1, par Syndicat national" in listing
    assert "traduction certifiée en français de l’annexe 1, par Claire Martin" in listing
    # each annex page is stamped with its own label and page
    for annex_id, label in (("ordonnance", "1"), ("ordonnance-fr", "1a"), ("ordonnance-en", "1b")):
        first = annexes[annex_id]["first_page"]
        assert f"Cas n° 9902 — Annexe {label}, p. 1" in texts[first - 1]
        divider = texts[annexes[annex_id]["divider_page"] - 1]
        assert f"Annexe {label}" in divider
    # the pinpoints cite the original and both translations and link to their pages
    paragraph_page = next(i for i, t in enumerate(texts) if "Exposé des allégations" in t[:80])
    assert "(Annexe 1, p. 1 ; Annexe 1a, p. 1 ; Annexe 1b, p. 1)" in texts[paragraph_page]
    targets = {target for _, target in _link_targets(reader, paragraph_page)}
    for annex_id in ("ordonnance", "ordonnance-fr", "ordonnance-en"):
        assert annexes[annex_id]["first_page"] in targets
    # bookmarks: one per annex, the translations right after their original
    titles = [str(item.title) for item in reader.outline if not isinstance(item, list)]
    annex_titles = [t for t in titles if t.startswith("Annexe")]
    assert [t.split(" — ")[0] for t in annex_titles] == [
        "Annexe 1",
        "Annexe 1a",
        "Annexe 1b",
        "Annexe 2",
    ]
    # in English, the English title of the translation and English stamps
    english = build_dossier(case, language="en", out_dir=tmp_path / "en")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(english.pdf).pages))
    assert "Order on placement in detention (translation)" in text
    assert "unofficial English translation of Annex 1" in text
    assert "Annex 1b, p." in text


def test_translation_checks(case: Path, runner: CliRunner) -> None:
    # ANX-17: in Spanish, no annex has a Spanish translation; the Russian one is readable
    # through its French and English translations, so it is ANX-17, not FORM-12
    result = runner.invoke(cli, ["check", str(case), "--lang", "es"])
    anx17 = [line for line in result.stdout.splitlines() if line.endswith("[ANX-17]")]
    assert any(
        "annexes[0].language: annex in 'ru' has no Spanish translation" in line for line in anx17
    )
    assert any("annexes[2].language" in line for line in anx17)  # the French report
    assert not any("annexes[1]" in line or "annexes[3]" in line for line in anx17)  # translations
    assert "[FORM-12]" not in result.stdout
    # in French, the French report and the translated order need nothing
    french = runner.invoke(cli, ["check", str(case)])
    assert "[ANX-17]" not in french.stdout
    # ANX-18: a translation far longer than its original
    long_text = "\n\n".join(f"Paragraphe {n}. " + "texte " * 400 for n in range(12))
    (case / "annexes" / "ordonnance-fr.txt").write_text(long_text, encoding="utf-8")
    register = case / "annexes.yaml"
    text = register.read_text(encoding="utf-8")
    text = re.sub(r"(file: ordonnance-fr.txt\n)    sha256: [0-9a-f]+\n", r"\1", text)
    register.write_text(text, encoding="utf-8")
    again = runner.invoke(cli, ["check", str(case)])
    [anx18] = [line for line in again.stdout.splitlines() if line.endswith("[ANX-18]")]
    line = text.splitlines().index("    translation_of: ordonnance") + 1
    assert anx18.startswith(f"{case}/annexes.yaml:{line}: warning: annexes[1].translation_of:")
    assert "its original 'ordonnance' 1" in anx18


def test_a_russian_annex_without_any_translation_is_form12_only(
    case: Path, runner: CliRunner
) -> None:
    register = case / "annexes.yaml"
    register.write_text(
        register.read_text(encoding="utf-8").replace(
            "    translation_of: ordonnance\n", "    translation_of: rapport\n"
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["check", str(case), "--lang", "es"])
    lines = result.stdout.splitlines()
    assert any(line.endswith("[FORM-12]") and "annexes[0]" in line for line in lines)
    assert not any(line.endswith("[ANX-17]") and "annexes[0]" in line for line in lines)


def test_annex_add_records_the_translator_and_certification(
    case: Path, runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "order-es.txt"
    source.write_text("ORDEN de detención (traducción).\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "annex", "add", str(case), str(source), "--translation-of", "ordonnance",
            "--language", "es", "--translator", "M. García", "--certified",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    added = load_case(case).annex("order-es")
    assert added is not None
    assert added.translation_of == "ordonnance" and added.kind == "translation"
    assert added.translator == "M. García" and added.certified is True
    refused = runner.invoke(cli, ["annex", "add", str(case), str(source), "--certified"])
    assert refused.exit_code == 2
    assert "--translator and --certified go with --translation-of" in refused.stderr


def test_the_translation_of_a_confidential_annex_is_confidential(
    case: Path, runner: CliRunner
) -> None:
    register = case / "annexes.yaml"
    text = register.read_text(encoding="utf-8").replace(
        "    language: ru\n", "    language: ru\n    confidential: true\n"
    )
    register.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["check", str(case)])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.endswith("[PRIV-04]")]
    assert len(lines) == 2  # the French and the English translation
    assert all("translates confidential annex 'ordonnance'" in line for line in lines)
