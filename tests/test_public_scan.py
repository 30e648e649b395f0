"""The leak scanner of the public edition, on PDFs made here with reportlab and pypdf."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from dossier.errors import LeakError
from dossier.load import CaseBundle
from dossier.models import Alias, Organisation, Parties, Person
from dossier.public import (
    Matcher,
    Protected,
    assert_no_leaks,
    fold,
    protected_parties,
    pseudonymise,
    scan_pdf,
)

FONT = Path(__file__).resolve().parent.parent / "dossier" / "fonts" / "DejaVuSans.ttf"
pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))

AIDA = Protected("witness-a", "Witness A", ("Aida Sultanova", "Айда Султанова", "A. Sultanova"))
BOB = Protected("witness-b", "Witness B", ("Bakyt Oruzbaev",))


def bundle_with_parties() -> CaseBundle:
    bundle = CaseBundle(root=Path("/nonexistent"), display_root="case")
    bundle.parties = Parties(
        organisations=(Organisation(id="ftuk", name="Federation of Trade Unions of Kyrgyzstan"),),
        persons=(
            Person(
                id="witness-a",
                name="Aida Sultanova",
                aliases=(Alias(name="Айда Султанова", lang="ru"),),
                confidential=True,
                pseudonym="Witness A",
            ),
            Person(id="witness-b", name="Bakyt Oruzbaev", confidential=True),
            Person(id="tadjibaev", name="Eldar Tadjibaev"),
        ),
    )
    return bundle


def make_pdf(
    pages: list[str],
    *,
    title: str = "Dossier",
    author: str = "IndustriALL",
    outline: list[str] | None = None,
    link: str | None = None,
) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setTitle(title)
    c.setAuthor(author)
    for index, text in enumerate(pages):
        c.setFont("DejaVuSans", 11)
        y = 800
        for line in text.split("\n"):
            c.drawString(72, y, line)
            y -= 14
        key = f"p{index}"
        c.bookmarkPage(key)
        if outline and index < len(outline):
            c.addOutlineEntry(outline[index], key, 0)
        if link and index == 0:
            c.linkURL(link, (72, 700, 200, 720))
        c.showPage()
    c.save()
    return buf.getvalue()


# ---- normalisation and matching ---------------------------------------------------------------


def test_fold_is_case_accent_and_width_insensitive() -> None:
    assert fold("HØIE") != fold("Hoie")  # ø is a letter of its own, not o with a mark
    assert fold("Genève") == fold("GENEVE")
    assert fold("ＡＩＤＡ") == fold("aida")  # full-width forms (NFKC)
    assert fold("Ai\u200bda") == "aida"  # zero-width space
    assert fold("Ai\u202eda") == "aida"  # bidi override
    assert fold("Sult-\nanova") == "sultanova"  # hyphenation at a line break
    assert fold("Sultаnova") == fold("Sultanova")  # Cyrillic а inside a Latin word
    assert fold("Ёлка") == fold("елка")


@pytest.mark.parametrize(
    "text",
    [
        "Aida Sultanova",
        "AIDA SULTANOVA",
        "aida   sultanova",
        "Aida\nSultanova",
        "Aída Sultánova",
        "Aida Sult-\nanova",
        "Aida S u l t a n o v a",
        "Ａｉｄａ Ｓｕｌｔａｎｏｖａ",
        "Айда Султанова",
        "АЙДА СУЛТАНОВА",
        "Aida\u200b Sultanova",
        "a. sultanova said",
        "A.Sultanova",
        "testimony of Aida Sultanova's sister",
        "(Aida Sultanova)",
        "Aida Sultanovas",
    ],
)
def test_matcher_finds_variants(text: str) -> None:
    assert Matcher([AIDA]).find(text) == {"witness-a"}


@pytest.mark.parametrize(
    "text",
    ["Witness A", "Aida", "Sultanov", "Dina Sultanova is someone else", "", "Айда"],
)
def test_matcher_ignores_other_text(text: str) -> None:
    assert Matcher([AIDA]).find(text) == set()


@pytest.mark.parametrize("text", ["0Aida Sultanova", "xAida Sultanova", "_Айда Султанова"])
def test_a_full_name_glued_to_the_word_before_is_still_found(text: str) -> None:
    """A reader sees the name; "Baida Sultanova" is the price (an initial keeps the boundary)."""
    assert Matcher([AIDA]).find(text) == {"witness-a"}


def test_short_names_must_be_whole_words() -> None:
    ali = Protected("ali", "X", ("Ali",))
    assert Matcher([ali]).find("Ali was detained") == {"ali"}
    assert Matcher([ali]).find("Alice and quality") == set()


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet="abc xyz.\n", max_size=20),
    after=st.text(alphabet=" .,;\n", max_size=5),
    upper=st.booleans(),
)
def test_matcher_finds_name_in_any_surrounding(before: str, after: str, upper: bool) -> None:
    name = "Bakyt Oruzbaev".upper() if upper else "Bakyt Oruzbaev"
    assert Matcher([BOB]).find(f"{before} {name}{after}") == {"witness-b"}


# ---- scanning PDFs ----------------------------------------------------------------------------


def test_clean_pdf_has_no_hits() -> None:
    data = make_pdf(
        ["Witness A was interrogated.", "Eldar Tadjibaev, Chair"], outline=["Part 1", "Part 2"]
    )
    assert scan_pdf(data, [AIDA, BOB]) == []


def test_hits_in_page_text_name_the_page() -> None:
    data = make_pdf(["nothing here", "statement by Айда Султанова\nand Bakyt\nOruzbaev"])
    hits = scan_pdf(data, [AIDA, BOB])
    places = {(h.place, h.party_id) for h in hits}
    assert ("page 2 text", "witness-a") in places
    assert ("page 2 text", "witness-b") in places
    assert not any(h.place.startswith("page 1 ") for h in hits)


def test_hits_in_outline_metadata_and_link() -> None:
    data = make_pdf(
        ["text"],
        title="Complaint about Aida Sultanova",
        author="Bakyt Oruzbaev",
        outline=["Statement of AIDA SULTANOVA"],
        link="https://example.org/aida-sultanova",
    )
    places = {(h.place, h.party_id) for h in scan_pdf(data, [AIDA, BOB])}
    assert ("metadata /Title", "witness-a") in places
    assert ("metadata /Author", "witness-b") in places
    # the place names the bookmark by its pseudonym: the error message itself names no one
    assert ('outline "Statement of Witness A"', "witness-a") in places
    assert not any("sultanova" in place.casefold() for place, _ in places)
    assert ("page 1 link annotation 1", "witness-a") in places


def _writer_with_stream(content: bytes, *, form: bool = False) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = DecodedStreamObject()
    stream.set_data(content)
    if form:
        stream.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([NumberObject(0)] * 4),
            }
        )
        ref = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): DictionaryObject({NameObject("/Fx"): ref})}
        )
        body = DecodedStreamObject()
        body.set_data(b"q /Fx Do Q")
        page[NameObject("/Contents")] = writer._add_object(body)
    else:
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_hit_in_content_stream_split_by_kerning() -> None:
    # No font: text extraction sees nothing, the stream scan must still find the name.
    data = _writer_with_stream(b"BT /F1 12 Tf [(Ba) -20 (kyt Oru) 15 (zbaev)] TJ ET")
    hits = scan_pdf(data, [BOB])
    assert any("content stream" in h.place and h.party_id == "witness-b" for h in hits)


def test_hit_in_octal_and_hex_strings() -> None:
    data = _writer_with_stream(b"BT (\\102akyt) Tj <4F72757A62616576> Tj ET")
    assert any(h.party_id == "witness-b" for h in scan_pdf(data, [BOB]))


def test_hit_in_form_xobject() -> None:
    data = _writer_with_stream(b"BT (Aida Sultanova) Tj ET", form=True)
    hits = scan_pdf(data, [AIDA])
    assert any("XObject /Fx" in h.place for h in hits), hits


def test_hit_in_compressed_stream() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Subject": "ok"})
    out = io.BytesIO()
    writer.write(out)
    # a flate-compressed XMP packet naming the person, attached to the catalog
    data = _attach_xmp(out.getvalue(), "<dc:creator>Айда Султанова</dc:creator>")
    hits = scan_pdf(data, [AIDA])
    assert any(h.place.startswith("XMP metadata") for h in hits), hits


def _attach_xmp(pdf: bytes, packet: str) -> bytes:
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    xmp = StreamObject()
    xmp.set_data(zlib.compress(packet.encode("utf-8")))
    xmp.update(
        {
            NameObject("/Type"): NameObject("/Metadata"),
            NameObject("/Subtype"): NameObject("/XML"),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_hit_in_annotation_contents() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/Contents"): TextStringObject("ask Bakyt Oruzbaev"),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    out = io.BytesIO()
    writer.write(out)
    hits = scan_pdf(out.getvalue(), [BOB])
    assert ("page 1 text annotation 1", "witness-b") in {(h.place, h.party_id) for h in hits}


def test_unreadable_pdf_is_a_leak_error() -> None:
    with pytest.raises(LeakError, match="cannot be checked"):
        scan_pdf(b"%PDF-1.7\ngarbage", [AIDA])


# ---- bundle helpers ---------------------------------------------------------------------------


def test_protected_parties_lists_every_spelling() -> None:
    parties = protected_parties(bundle_with_parties())
    assert [p.party_id for p in parties] == ["witness-a", "witness-b"]
    assert parties[0].names == ("Aida Sultanova", "Айда Султанова")
    assert parties[1].pseudonym == "[name withheld]"


def test_pseudonymise_replaces_every_spelling() -> None:
    bundle = bundle_with_parties()
    text = "AIDA SULTANOVA met Айда  Султанова and Eldar Tadjibaev."
    out = pseudonymise(text, bundle)
    assert out == "Witness A met Witness A and Eldar Tadjibaev."
    assert Matcher(protected_parties(bundle)).find(out) == set()


def test_assert_no_leaks_names_places() -> None:
    bundle = bundle_with_parties()
    assert_no_leaks(make_pdf(["Witness A"]), bundle)
    with pytest.raises(LeakError) as info:
        assert_no_leaks(make_pdf(["Bakyt Oruzbaev"], title="Aida Sultanova"), bundle)
    assert info.value.exit_code == 3
    assert "page 1 text" in info.value.message
    assert "metadata /Title" in info.value.message
    assert "Oruzbaev" not in info.value.message  # the error names places and ids, not names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aida\n   Sultanova was questioned", "Witness A was questioned"),
        ("AIDA SULTÁNOVA, then Bakyt  Oruzbaev.", "Witness A, then [name withheld]."),
        ("Айда  Султанова", "Witness A"),
        ("Aida Sulta\u0301nova", "Witness A"),  # decomposed accent inside the name
        ("Aida Sultanova\u0301!", "Witness A!"),  # a stray mark right after it
        ("Aida Sult\u200banova", "Witness A"),
        ("Aida Sultаnova (Cyrillic а)", "Witness A (Cyrillic а)"),
        ("Aida was there; Sultanov too", "Aida was there; Sultanov too"),
    ],
)
def test_pseudonymise_is_as_tolerant_as_the_scan(text: str, expected: str) -> None:
    assert pseudonymise(text, bundle_with_parties()) == expected


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "the",
                "union",
                "Witness",
                "Aida Sultanova",
                "AIDA\nSULTANOVA",
                "Айда Султанова",
                "Bakyt   Oruzbaev",
                "Bakýt Oruzbaev",
                "Bakyt\u200b Oruzbaev",
                ",",
                "(",
                ")",
                "Genève",
            ]
        ),
        max_size=12,
    ),
    separator=st.sampled_from([" ", "\n", "  ", " - "]),
)
def test_nothing_the_scan_finds_survives_pseudonymise(words: list[str], separator: str) -> None:
    bundle = bundle_with_parties()
    out = pseudonymise(separator.join(words), bundle)
    assert Matcher(protected_parties(bundle)).find(out) == set()
