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
    Hit,
    Looker,
    NameMatcher,
    Protected,
    protected_parties,
    pseudonymise,
    scan_file,
    scan_objects,
)
from dossier.public.fold import skeleton

FONT = Path(__file__).resolve().parent.parent / "dossier" / "fonts" / "DejaVuSans.ttf"
pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))

AIDA = Protected("witness-a", "Witness A", ("Aida Sultanova", "Айда Султанова", "A. Sultanova"))
BOB = Protected("witness-b", "Witness B", ("Bakyt Oruzbaev",))


class Matcher:
    """The old test vocabulary over :class:`NameMatcher`: ``find`` gives the party ids."""

    def __init__(self, parties: list[Protected]) -> None:
        self.matcher = NameMatcher(parties)

    def find(self, text: str) -> set[str]:
        return self.matcher.parties_in(text)


def fold(text: str) -> str:
    return skeleton(text)


def scan_pdf(data: bytes, parties: list[Protected]) -> list[Hit]:
    """Every hit of the object scan and of the text a reader sees (pdfium)."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    matcher = NameMatcher(parties)
    looker = Looker(matcher, matcher.pseudonyms)
    reader = PdfReader(io.BytesIO(data))
    numbers = sorted({(i, g) for g, t in reader.xref.items() for i in t})
    objects = [(i, reader.get_object(IndirectObject(i, g, reader))) for i, g in numbers]
    scan_objects(objects, looker)
    hits = set(looker.sorted())
    hits.update(scan_file(data, matcher, matcher.pseudonyms, file="test.pdf"))
    return sorted(hits)


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
    assert fold("HØIE") == fold("Hoie")  # TR39: ø looks like o (over-matching is safe)
    assert fold("Genève") == fold("GENEVE")
    assert fold("ＡＩＤＡ") == fold("aida")  # full-width forms (NFKC)
    assert fold("Ai\u200bda") == fold("aida")  # zero-width space
    assert fold("Ai\u202eda") == fold("aida")  # bidi override
    assert fold("Ai\u034fda\ufe0f") == fold("aida")  # CGJ, variation selector
    assert fold("\u0251ıd\u0430") == fold("aida")  # Latin alpha, dotless i, Cyrillic a
    assert fold("Sultan\u0585va") == fold("Sultanova")  # Armenian o
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
        "Султановой Айдой",
        "Sultanova Aida",
        "А. Султановой",
        "Султанова А.",
        "SULТАNОVА AIDA",
        "https://example.org/%D0%90%D0%B9%D0%B4%D0%B0%20%D0%A1%D1%83%D0%BB%D1%82%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0",
        "Aida%20Sultanova",
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
    """A reader sees the name; "Baida Sultanova" is the price."""
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


def _places(hits: list[Hit]) -> set[tuple[str, str]]:
    return {(h.place, h.who) for h in hits}


def test_hits_in_page_text_name_the_page() -> None:
    data = make_pdf(["nothing here", "statement by Айда Султанова\nand Bakyt\nOruzbaev"])
    places = _places(scan_pdf(data, [AIDA, BOB]))
    assert ("page 2 text", "Witness A") in places
    assert ("page 2 text", "Witness B") in places
    assert not any(place.startswith("page 1 ") for place, _ in places)


def test_hits_in_outline_metadata_and_link() -> None:
    data = make_pdf(
        ["text"],
        title="Complaint about Aida Sultanova",
        author="Bakyt Oruzbaev",
        outline=["Statement of AIDA SULTANOVA"],
        link="https://example.org/aida%20sultanova",
    )
    places = _places(scan_pdf(data, [AIDA, BOB]))
    assert ("document information Title", "Witness A") in places
    assert ("document information Author", "Witness B") in places
    assert ("bookmark 1", "Witness A") in places
    assert not any("sultanova" in place.casefold() for place, _ in places)
    assert sum(1 for place, who in places if who == "Witness A" and "object" in place) >= 3


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
    assert any("stream" in h.place and h.who == "Witness B" for h in scan_pdf(data, [BOB]))


def test_hit_in_octal_and_hex_strings() -> None:
    data = _writer_with_stream(b"BT (\\102akyt) Tj <4F72757A62616576> Tj ET")
    assert any(h.who == "Witness B" for h in scan_pdf(data, [BOB]))


def test_hit_in_hex_actual_text_after_a_dictionary() -> None:
    """``<<`` opens a dictionary, not a hex string: the ActualText after it is read."""
    hex16 = "Айда Султанова".encode("utf-16-be").hex().upper().encode()
    data = _writer_with_stream(b"/Span <</ActualText <FEFF" + hex16 + b">>> BDC EMC")
    assert any(h.who == "Witness A" for h in scan_pdf(data, [AIDA]))


def test_hit_in_form_xobject() -> None:
    data = _writer_with_stream(b"BT (Aida Sultanova) Tj ET", form=True)
    assert any(h.who == "Witness A" and "stream" in h.place for h in scan_pdf(data, [AIDA]))


def test_hit_in_compressed_stream() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Subject": "ok"})
    out = io.BytesIO()
    writer.write(out)
    # a flate-compressed XMP packet naming the person, attached to the catalog
    data = _attach_xmp(out.getvalue(), "<dc:creator>Айда Султанова</dc:creator>")
    assert any(h.place.startswith("XMP metadata") for h in scan_pdf(data, [AIDA]))


def test_hit_in_utf16_xmp_without_bom() -> None:
    packet = "<dc:creator>Aida Sultanova</dc:creator>".encode("utf-16-le").decode("latin-1")
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    data = _attach_xmp(out.getvalue(), packet, encoding="latin-1")
    assert any(h.place.startswith("XMP metadata") for h in scan_pdf(data, [AIDA]))


def _attach_xmp(pdf: bytes, packet: str, encoding: str = "utf-8") -> bytes:
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    xmp = StreamObject()
    xmp.set_data(zlib.compress(packet.encode(encoding)))
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


def test_hit_in_annotation_contents_and_deep_arrays() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    deep: object = TextStringObject("ask Bakyt Oruzbaev")
    for _ in range(60):
        deep = ArrayObject([deep])
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/Deep"): deep,  # type: ignore[dict-item]
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    out = io.BytesIO()
    writer.write(out)
    assert any(h.who == "Witness B" for h in scan_pdf(out.getvalue(), [BOB]))


def test_an_unreadable_public_edition_is_a_leak_error() -> None:
    matcher = NameMatcher([AIDA])
    with pytest.raises(LeakError, match="cannot be read back"):
        scan_file(b"%PDF-1.7\ngarbage", matcher, matcher.pseudonyms, file="x.pdf")


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
