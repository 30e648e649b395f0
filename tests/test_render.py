"""The pages we typeset ourselves, re-opened with pypdf: text, links, spans, languages, bytes."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier.load import CaseBundle, load_case
from dossier.plan import FRONT_PARTS, Plan, annex_key, divider_key, make_plan
from dossier.render import LINK_PREFIX, STAMP_BAND, Rendered, render, render_text_annex

HERE = Path(__file__).resolve().parent
MINI = HERE / "cases" / "render-mini"
GOLDEN = HERE / "golden"
CASE_3386 = HERE.parent / "cases" / "3386"
UPDATE = (
    os.environ.get("DOSSIER_GOLDEN") == "write" or os.environ.get("DOSSIER_UPDATE_GOLDEN") == "1"
)
"""`make golden` (DOSSIER_GOLDEN=write) rewrites tests/golden/render-*.json; review the diff."""

MINI_ANNEX_PAGES = {"order-2020": 1, "letter-2020": 3, "witness-statement": 1, "photo": 1}
"""Annexes without a file count one page (their stand-in); the letter is pretended to be 3 long."""


def stable_render(
    bundle: CaseBundle,
    annex_pages: dict[str, int],
    *,
    language: str = "en",
    edition: str = "full",
    submission_id: str | None = None,
) -> tuple[Plan, Rendered]:
    """Plan, render, recount, re-plan: what build.py does, until page counts are stable."""
    sub = (
        bundle.submission(submission_id)
        if submission_id
        else next(s for s in bundle.submissions if not s.sent)
    )
    assert sub is not None
    annexes = {a.id: a for a in bundle.annexes}
    own: dict[str, int] = {}
    for _ in range(5):
        plan = make_plan(
            sub, bundle.allegations, annexes, annex_pages, own, language=language, edition=edition
        )
        rendered = render(bundle, plan)
        if rendered.own_pages() == own:
            return plan, rendered
        own = rendered.own_pages()
    raise AssertionError("page counts did not settle")


def pages_text(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).replace("\u00a0", " ")).strip()


def links(pdf: bytes) -> list[tuple[int, str]]:
    """(0-based page index, URI) of every link annotation."""
    out = []
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            action = obj.get("/A")
            if obj.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                out.append((index, str(action["/URI"])))
    return out


@pytest.fixture(scope="module")
def mini() -> CaseBundle:
    bundle = load_case(MINI)
    assert not bundle.problems, [p.format() for p in bundle.problems]
    return bundle


@pytest.fixture(scope="module")
def mini_en(mini: CaseBundle) -> tuple[Plan, Rendered]:
    return stable_render(mini, MINI_ANNEX_PAGES)


def test_spans_cover_every_page_in_plan_order(mini_en: tuple[Plan, Rendered]) -> None:
    plan, rendered = mini_en
    expected = [k.value for k in FRONT_PARTS]
    for planned in plan.annexes:
        expected.append(divider_key(planned.annex.id))
        if planned.annex.file is None or planned.withheld:
            expected.append(annex_key(planned.annex.id))
    assert list(rendered.spans) == expected
    index = 0
    for key in expected:
        first, count = rendered.spans[key]
        assert first == index and count >= 1, key
        index += count
    assert index == len(PdfReader(io.BytesIO(rendered.pdf)).pages)
    # the plan was made from these counts: the parts sit where the plan says
    for key in expected:
        if ":" not in key:
            assert plan.part(key).pages == rendered.spans[key][1]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_golden_text_per_page(mini: CaseBundle, language: str) -> None:
    plan, rendered = stable_render(mini, MINI_ANNEX_PAGES, language=language)
    got = {
        "pages": [norm(t) for t in pages_text(rendered.pdf)],
        "spans": {k: list(v) for k, v in rendered.spans.items()},
        "total_pages": plan.total_pages,
    }
    path = GOLDEN / f"render-mini-{language}.json"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert path.exists(), "run make golden (DOSSIER_GOLDEN=write) and review the diff"
    assert got == json.loads(path.read_text(encoding="utf-8"))


def check_contents(plan: Plan, rendered: Rendered) -> None:
    """Every contents line shows the page where the plan puts the part, and links to it."""
    first, count = rendered.spans["contents"]
    text = "\n".join(pages_text(rendered.pdf)[first : first + count])
    titles = {
        "en": [
            "Cover letter",
            "Statement of allegations",
            "Chronology of events",
            "List of annexes",
        ],
        "fr": [
            "Lettre d’accompagnement",
            "Exposé des allégations",
            "Chronologie des faits",
            "Liste des annexes",
        ],
        "es": [
            "Carta de presentación",
            "Exposición de los alegatos",
            "Cronología de los hechos",
            "Lista de anexos",
        ],
    }[plan.language]
    for title, key in zip(
        titles, ["cover", "allegations", "chronology", "annex_list"], strict=True
    ):
        match = re.search(rf"^{title}\s[\s.]*?(\d+)$", text, re.M)
        assert match, title
        assert int(match.group(1)) == plan.part(key).first_page
    word = {"en": "Annex", "fr": "Annexe", "es": "Anexo"}[plan.language]
    for planned in plan.annexes:
        match = re.search(rf"^ ?{word} {planned.number} — .*?\n(\d+)$", text, re.M | re.S)
        assert match, planned.number
        assert int(match.group(1)) == plan.part(divider_key(planned.annex.id)).first_page
    uris = {uri for page, uri in links(rendered.pdf) if first <= page < first + count}
    assert {f"{LINK_PREFIX}{p.first_page}" for p in plan.parts if p.kind != "annex"} == uris


def check_pinpoints(plan: Plan, rendered: Rendered) -> None:
    """Every pinpoint of every paragraph is a link to its dossier page on the allegations pages."""
    first, count = rendered.spans["allegations"]
    got = {uri for page, uri in links(rendered.pdf) if first <= page < first + count}
    want = {f"{LINK_PREFIX}{ref.dossier_page}" for p in plan.paragraphs for ref in p.refs}
    assert want <= got
    text = norm(" ".join(pages_text(rendered.pdf)[first : first + count]))
    for p in plan.paragraphs:
        assert f"{p.number}. " in text
        assert first <= rendered.anchors[f"paragraph:{p.number}"] < first + count


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_contents_shows_final_page_numbers_with_links(mini: CaseBundle, language: str) -> None:
    plan, rendered = stable_render(mini, MINI_ANNEX_PAGES, language=language)
    check_contents(plan, rendered)
    check_pinpoints(plan, rendered)


def test_numbered_paragraphs_and_pinpoints(mini_en: tuple[Plan, Rendered]) -> None:
    plan, rendered = mini_en
    first, count = rendered.spans["allegations"]
    texts = pages_text(rendered.pdf)[first : first + count]
    text = norm(" ".join(texts))
    assert "Statement of allegations" in text
    for p in plan.paragraphs:
        assert f"{p.number}. " in text
        assert p.allegation.title in text
        for ref in p.refs:
            pin = f"Annex {ref.annex_no}"
            if ref.pages:
                abbr = "pp." if "-" in ref.pages or "," in ref.pages else "p."
                pin += f", {abbr} {ref.pages.replace('-', '–')}"
            assert pin in text
    # honest dates
    assert "June 2020 (approx.)" in text
    assert "February–June 2020" in text
    assert "6 December 2023" in text
    # law paragraphs continue the numbering
    n = len(plan.paragraphs)
    assert f"{n + 1}. The facts set out in paragraphs 1 and 2 concern Article 3" in text
    assert "Freedom of Association and Protection of the Right to Organise Convention" in text
    assert "which Кыргызстан ratified in 1992" in text
    assert "section “Arrest and detention of trade unionists and members of employers’" in text
    # every pinpoint is a link to its dossier page, on the allegations pages
    got = {uri for page, uri in links(rendered.pdf) if first <= page < first + count}
    want = {f"{LINK_PREFIX}{ref.dossier_page}" for p in plan.paragraphs for ref in p.refs}
    assert want <= got
    # paragraph anchors for the outline
    for p in plan.paragraphs:
        assert first <= rendered.anchors[f"paragraph:{p.number}"] < first + count


def test_cover_letter(mini_en: tuple[Plan, Rendered]) -> None:
    plan, rendered = mini_en
    first, count = rendered.spans["cover"]
    text = norm(" ".join(pages_text(rendered.pdf)[first : first + count]))
    assert text.index("Global Union of Genève Workers") < text.index("Geneva, 15 January 2024")
    assert "Our ref.: GU/9901" in text
    assert "Gilbert F. Houngbo Director-General International Labour Office" in text
    assert "4 route des Morillons CH-1211 Genève 22 Switzerland" in text
    assert "Subject: Case No. 9901 (Кыргызстан): Request for urgent examination" in text
    assert "presented by Mining Union of Кыргызстан in a communication dated 29 June 2020" in text
    assert "associated itself with the complaint in August 2020" in text
    assert "Report No. 396 (October 2021, paragraphs 453–520)" in text
    assert "as a matter of urgency, as it concerns human life or personal freedom" in text
    assert "Recent developments" in text  # Markdown heading of the body
    assert "numbered paragraphs 1 to 3 (page 4)" in text
    assert f"listed on page {plan.part('annex_list').first_page}" in text
    assert "(a) to urge the Government to release" in text
    assert "(b) to request the withdrawal" in text
    assert text.endswith("Atle Høie General Secretary Global Union of Genève Workers")
    assert "None" not in text
    assert (first, "https://example.org/r") in links(rendered.pdf)


def test_chronology_and_annex_list(mini_en: tuple[Plan, Rendered]) -> None:
    plan, rendered = mini_en
    texts = pages_text(rendered.pdf)
    first, count = rendered.spans["chronology"]
    chrono = norm(" ".join(texts[first : first + count]))
    assert "June 2020 (approx.)" in chrono and "State Committee" in chrono
    first, count = rendered.spans["annex_list"]
    annex_list = norm(" ".join(texts[first : first + count]))
    assert "Kyrgyz" in annex_list and "Russian" in annex_list
    assert "[to be supplied]" in annex_list
    assert "[confidential]" in annex_list
    divider = norm(texts[rendered.spans[divider_key("order-2020")][0]])
    number = plan.annex_number("order-2020")
    assert divider.startswith(f"DRAFT DRAFT — not sent Annex {number} House-arrest order")
    assert divider.endswith("TO BE SUPPLIED")
    assert "Seen by Өмүрбек Ңуралиев Seen at office of the State Committee, Bishkek" in divider
    assert "Seen on June 2020" in divider
    divider = norm(texts[rendered.spans[divider_key("letter-2020")][0]])
    planned = next(a for a in plan.annexes if a.annex.id == "letter-2020")
    assert f"Pages in this dossier {planned.first_page}–{planned.last_page} (3)" in divider


def test_draft_mark_on_every_page_and_not_when_sent(mini: CaseBundle) -> None:
    plan, rendered = stable_render(mini, MINI_ANNEX_PAGES)
    assert all("DRAFT" in t for t in pages_text(rendered.pdf))
    sent = plan.submission.model_copy(update={"sent": True})
    plan_sent = dataclasses.replace(plan, submission=sent)
    assert not any("DRAFT" in t for t in pages_text(render(mini, plan_sent).pdf))


def test_identical_bytes_and_submission_date(mini: CaseBundle) -> None:
    _, one = stable_render(mini, MINI_ANNEX_PAGES)
    _, two = stable_render(mini, MINI_ANNEX_PAGES)
    assert one.pdf == two.pdf
    meta = PdfReader(io.BytesIO(one.pdf)).metadata
    assert meta is not None and str(meta["/CreationDate"]).startswith("D:20240115")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["Table des matières", "Exposé des allégations", "juin 2020 (env.)", "Annexe 2"]),
        ("es", ["Índice", "Exposición de los alegatos", "junio de 2020 (aprox.)", "Anexo 2"]),
    ],
)
def test_french_and_spanish(mini: CaseBundle, language: str, expected: list[str]) -> None:
    _, rendered = stable_render(mini, MINI_ANNEX_PAGES, language=language)
    text = norm(" ".join(pages_text(rendered.pdf)))
    for phrase in expected:
        assert phrase in text
    date = {"fr": "15 janvier 2024", "es": "15 de enero de 2024"}[language]
    assert date in text


def test_public_edition_uses_pseudonyms_and_withholds(mini: CaseBundle) -> None:
    plan, rendered = stable_render(mini, MINI_ANNEX_PAGES, edition="public")
    text = norm(" ".join(pages_text(rendered.pdf)))
    assert "Witness A" in text
    assert "secret person" not in text.casefold()
    assert "Сикрет" not in text
    key = annex_key("witness-statement")
    assert key in rendered.spans and rendered.spans[key][1] == 1
    withheld = norm(pages_text(rendered.pdf)[rendered.spans[key][0]])
    assert "Withheld (confidential); available to the Office on request." in withheld
    number = plan.annex_number("witness-statement")
    entry = f"Annex {number} — withheld (confidential); available to the Office on request"
    assert entry in text  # the contents and the stand-in page
    said = text.casefold().count("withheld (confidential); available to the office on request")
    assert said >= 5  # contents, list of annexes, divider, stand-in page (twice)
    annex = mini.annex("witness-statement")
    assert annex is not None
    assert norm(annex.title) not in text  # no title, date or issuer anywhere
    assert "2021" not in withheld


def text_heights(page: object) -> list[float]:
    """Baseline heights (pt from the bottom) of every piece of text on a page."""
    heights: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            heights.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return heights


def test_every_font_named_is_embedded_and_subset(mini_en: tuple[Plan, Rendered]) -> None:
    """No base-14 font (Helvetica) is named by a page we typeset: readers substitute those."""
    _, rendered = mini_en
    for page in PdfReader(io.BytesIO(rendered.pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert re.match(r"^/[A-Z]{6}\+DejaVu", str(font["/BaseFont"])), font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"]


def test_nothing_printed_in_the_stamp_band(mini_en: tuple[Plan, Rendered]) -> None:
    _, rendered = mini_en
    for page in PdfReader(io.BytesIO(rendered.pdf)).pages:
        heights = text_heights(page)
        assert min(heights) > STAMP_BAND + 5
        assert max(heights) < 842


def test_fonts_embedded_subset_and_unicode_round_trip(mini: CaseBundle, tmp_path: Path) -> None:
    annex = mini.annex("letter-2020")
    assert annex is not None and annex.file
    source = MINI / "annexes" / annex.file
    pdf = render_text_annex(mini, annex, source.read_text(encoding="utf-8"), source.name, "en")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip():
            assert norm(line) in norm(text)
    # the hidden Cyrillic С of the evidence is kept, not "fixed"
    assert "FPKg \u0421ouncil" in text
    for word in ("Høie", "Genève", "Кыргызстан", "Ң ң Ө ө Ү ү"):
        assert word in text
    reader = PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        assert re.match(r"^/[A-Z]{6}\+DejaVu", str(font["/BaseFont"]))
        assert "/FontFile2" in font["/FontDescriptor"]
    assert (
        render_text_annex(mini, annex, source.read_text(encoding="utf-8"), source.name, "en") == pdf
    )


@pytest.mark.skipif(not (CASE_3386 / "case.yaml").exists(), reason="cases/3386 not written yet")
def test_case_3386_front_matter() -> None:
    bundle = load_case(CASE_3386)
    pages = {a.id: 2 for a in bundle.annexes}
    plan, rendered = stable_render(bundle, pages)
    text = norm(" ".join(pages_text(rendered.pdf)))
    assert "Gilbert F. Houngbo" in text and "Hougbo" not in text
    assert "Case No. 3386 (Kyrgyzstan)" in text
    assert "None" not in text
    check_contents(plan, rendered)
    check_pinpoints(plan, rendered)


def test_any_plan_renders_even_an_empty_one(mini: CaseBundle) -> None:
    sub = next(s for s in mini.submissions if not s.sent)
    empty = sub.model_copy(update={"annexes_extra": (), "requests": (), "urgency": sub.urgency})
    plan = make_plan(empty, [], {}, {}, {}, language="es")
    rendered = render(mini, plan)
    assert list(rendered.spans) == [k.value for k in FRONT_PARTS]
    text = norm(" ".join(pages_text(rendered.pdf)))
    assert "La presente comunicación no contiene nuevos alegatos." in text
    assert "La presente comunicación no tiene anexos." in text


SNIPPET = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from test_render import MINI, MINI_ANNEX_PAGES, stable_render
from dossier.load import load_case
_, rendered = stable_render(load_case(MINI), MINI_ANNEX_PAGES, language="fr", edition="public")
print(hashlib.sha256(rendered.pdf).hexdigest())
"""


def test_identical_bytes_across_processes() -> None:
    digests = set()
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", SNIPPET.format(tests=str(HERE))],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_hand_wrapped_text_keeps_its_lines(mini: CaseBundle, tmp_path: Path) -> None:
    annex = mini.annex("letter-2020")
    assert annex is not None
    lines = [f"{i:02d} " + "word " * 16 + "Кыргызстан end." for i in range(30)]
    source = tmp_path / "wrapped.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pdf = render_text_annex(mini, annex, source.read_text(encoding="utf-8"), source.name, "en")
    extracted = [
        norm(line)
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text().splitlines()
    ]
    for line in lines:
        assert norm(line) in extracted


def test_the_signature_block_is_recorded_between_the_closing_and_the_name(
    mini: CaseBundle,
) -> None:
    plan, rendered = stable_render(mini, MINI_ANNEX_PAGES)
    index, (x1, y1, x2, y2) = rendered.boxes["signature"]
    first, count = rendered.spans["cover"]
    assert first <= index < first + count
    page = PdfReader(io.BytesIO(rendered.pdf)).pages[index]
    baselines: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        for needle in ("Yours sincerely", "Atle Høie"):
            if needle in text:
                baselines.setdefault(needle, tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    assert baselines["Atle Høie"] < y1 < y2 < baselines["Yours sincerely"]
    assert x2 - x1 > 150 and y2 - y1 > 30  # room for the digital signature's stamp
    final = render(mini, plan, draft=False)
    assert final.boxes == rendered.boxes  # the same layout, without the DRAFT mark
    assert not any("DRAFT" in t or "not sent" in t for t in pages_text(final.pdf))


def test_a_signature_image_is_drawn_in_the_full_edition_only(tmp_path: Path) -> None:
    from PIL import Image

    case = tmp_path / "mini"
    shutil.copytree(MINI, case)
    Image.new("RGB", (300, 100), (20, 20, 120)).save(case / "submissions" / "signature.png")
    yaml_file = case / "submissions" / "2024-01-15-update.yaml"
    yaml_file.write_text(
        yaml_file.read_text().replace(
            "organisation: gu}", "organisation: gu, signature_image: signature.png}", 1
        )
    )
    bundle = load_case(case)
    assert not bundle.problems, bundle.problems
    for edition, images in (("full", 1), ("public", 0)):
        _, rendered = stable_render(bundle, MINI_ANNEX_PAGES, edition=edition)
        index, _ = rendered.boxes["signature"]
        page = PdfReader(io.BytesIO(rendered.pdf)).pages[index]
        assert len(page.images) == images, edition
