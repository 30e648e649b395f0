"""Text of the rendered pages: Markdown, names and redaction, dates, hostile free text."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from dossier.load import CaseBundle, load_case
from dossier.models import Addressee, DateRange, PartialDate, Precision, Urgency
from dossier.plan import make_plan
from dossier.render import display_name, i18n, redact_text, render, render_text_annex
from dossier.render.markdown import blocks, inline
from dossier.render.styles import make_styles

MINI = Path(__file__).resolve().parent / "cases" / "render-mini"


@pytest.fixture(scope="module")
def mini() -> CaseBundle:
    return load_case(MINI)


def test_markdown_blocks() -> None:
    styles = make_styles()
    text = (
        "# Title\n\nSome *emphasis*, **strong** and a [link](https://ilo.org) "
        "and [bad](ftp://example.org/x).\n\n- one\n  - nested\n- two\n\n> quoted <b>\n\n3. three\n"
    )
    flows = blocks(text, styles)
    paras = [f for f in flows if isinstance(f, Paragraph)]
    marked = [p.text for p in paras]
    assert marked[0] == "Title"
    assert "<i>emphasis</i>" in marked[1] and "<b>strong</b>" in marked[1]
    assert 'href="https://ilo.org"' in marked[1]
    assert 'href="ftp' not in marked[1] and "bad" in marked[1]
    bullets = [p.bulletText for p in paras]
    assert bullets[2:5] == ["•", "•", "•"]
    assert paras[3].style.leftIndent > paras[2].style.leftIndent  # nested list
    assert "quoted &lt;b&gt;" in marked[5]
    assert bullets[6] == "3."


def test_inline_escapes_markup() -> None:
    assert inline("a < b & *c*") == "a &lt; b &amp; <i>c</i>"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (PartialDate(2023, 12, 6), "en", "6 December 2023"),
        (PartialDate(2023, 12, 6), "fr", "6 décembre 2023"),
        (PartialDate(2023, 12, 6), "es", "6 de diciembre de 2023"),
        (PartialDate(2020, 6), "en", "June 2020"),
        (PartialDate(2019), "fr", "2019"),
        (
            DateRange(**{"from": PartialDate(2020, 2), "to": PartialDate(2020, 6)}),
            "en",
            "February–June 2020",
        ),
        (
            DateRange(**{"from": PartialDate(2020, 2), "to": PartialDate(2020, 6)}),
            "es",
            "febrero–junio de 2020",
        ),
        (
            DateRange(**{"from": PartialDate(2020, 2, 3), "to": PartialDate(2020, 2, 9)}),
            "en",
            "3–9 February 2020",
        ),
        (
            DateRange(**{"from": PartialDate(2019, 11), "to": PartialDate(2020, 2)}),
            "en",
            "November 2019 – February 2020",
        ),
    ],
)
def test_dates_keep_their_precision(value: object, lang: str, expected: str) -> None:
    assert i18n.when(value, lang) == expected  # type: ignore[arg-type]


def test_approximate_and_on_in() -> None:
    assert i18n.when(PartialDate(2020, 6), "en", Precision.APPROXIMATE) == "June 2020 (approx.)"
    assert i18n.when(PartialDate(2020, 6), "fr", Precision.APPROXIMATE) == "juin 2020 (env.)"
    assert i18n.on_date(PartialDate(2020, 8), "en") == "in August 2020"
    assert i18n.on_date(PartialDate(2020, 8, 18), "fr") == "le 18 août 2020"
    assert i18n.exact_date(dt.date(2024, 1, 15), "es") == "15 de enero de 2024"


def test_every_language_has_every_key() -> None:
    tables = i18n._strings()
    assert set(tables) == {"en", "fr", "es"}
    assert set(tables["fr"]) == set(tables["en"]) == set(tables["es"])


def test_display_name(mini: CaseBundle) -> None:
    assert display_name(mini, "witness", "full") == "Secret Person"
    assert display_name(mini, "witness", "public") == "Witness A"
    assert display_name(mini, "hoie", "public") == "Atle Høie"
    assert display_name(mini, "free text issuer", "public") == "free text issuer"
    assert display_name(mini, None, "full") == ""


def test_redact_text_ignores_case_and_accents(mini: CaseBundle) -> None:
    text = "SECRET PERSON met sécret person and Сикрет Персон; Secret Personnel stays."
    out = redact_text(mini, text, "public")
    # a name glued to the word after it still shows the name: the whole word goes
    assert out == "Witness A met Witness A and Witness A; Witness A stays."
    assert redact_text(mini, text, "full") == text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_redact_never_leaves_the_name(prefix: str, suffix: str) -> None:
    bundle = load_case(MINI)
    out = redact_text(bundle, f"{prefix}Secret Person{suffix}", "public")
    assert "secret person" not in out.casefold().replace("witness a", "")
    assert "Witness A" in out


hostile = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&*_[]()#`\n"),
    min_size=1,
    max_size=300,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile, facts=hostile, request=hostile)
def test_any_free_text_renders(title: str, facts: str, request: str) -> None:
    bundle = load_case(MINI)
    allegation = bundle.allegations[0].model_copy(update={"title": title, "facts": facts})
    sub = bundle.submissions[-1].model_copy(update={"requests": (request,)})
    annexes = {a.id: a for a in bundle.annexes}
    pages = {a.id: 1 for a in bundle.annexes}
    plan = make_plan(sub, [allegation], annexes, pages, {}, language="en")
    pdf = render(bundle, plan).pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 5


def test_long_text_spreads_over_pages(mini: CaseBundle) -> None:
    facts = "\n\n".join(["Lorem ipsum dolor sit amet, Кыргызстан. " * 40] * 30)
    allegation = mini.allegations[0].model_copy(update={"facts": facts, "title": "Long " * 200})
    sub = mini.submissions[-1]
    annexes = {a.id: a for a in mini.annexes}
    plan = make_plan(sub, [allegation], annexes, {a: 1 for a in annexes}, {}, language="fr")
    rendered = render(mini, plan)
    assert rendered.spans["allegations"][1] > 3
    assert rendered.spans["chronology"][1] >= 1


def test_law_paragraphs_keep_unparsed_references(mini: CaseBundle) -> None:
    allegation = mini.allegations[0].model_copy(
        update={"conventions": ("C98 art. 1", "Constitution art. 35", "C087"), "principles": ()}
    )
    annexes = {a.id: a for a in mini.annexes}
    plan = make_plan(
        mini.submissions[-1], [allegation], annexes, {a: 1 for a in annexes}, {}, language="en"
    )
    pdf = render(mini, plan).pdf
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "2. The facts set out in paragraph 1 concern the Freedom of Association" in text
    assert "3. The facts set out in paragraph 1 concern Article 1 of the Right to Organise" in text
    assert "4. The facts set out in paragraph 1 also concern Constitution art. 35." in text


def test_public_edition_redacts_every_free_text(mini: CaseBundle, tmp_path: Path) -> None:
    sub = mini.submissions[-1].model_copy(
        update={
            "subject": "The case of SECRET PERSON",
            "place": "Near Secret Person's home",
            "cc": (Addressee(name="Сикрет Персон", email="x@example.org"),),
            "requests": ("to free *Secret Person*",),
            "urgency": Urgency(requested=True, justification="Secret Person is detained."),
        }
    )
    annexes = {a.id: a for a in mini.annexes}
    plan = make_plan(
        sub, mini.allegations, annexes, {a: 1 for a in annexes}, {}, language="en", edition="public"
    )
    pdf = render(mini, plan).pdf
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    for haystack in (text, meta):
        assert "secret person" not in haystack.casefold()
        assert "Сикрет" not in haystack
    assert "The case of Witness A" in text
    annex = mini.annex("witness-statement")
    assert annex is not None and annex.file
    source = tmp_path / "w.txt"
    source.write_text("Statement.", encoding="utf-8")
    titled = annex.model_copy(update={"title": "Statement of Secret Person"})
    text_pdf = render_text_annex(
        mini, titled, source.read_text(encoding="utf-8"), source.name, "en", "public"
    )
    text = PdfReader(io.BytesIO(text_pdf)).pages[0].extract_text()
    assert "Statement of Witness A" in text and "Secret" not in text
