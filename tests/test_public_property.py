"""Property: wherever and however a confidential name is planted, the public edition never holds it.

Hypothesis picks a form of a name (inflected, reordered, with initials, in look-alike letters or
with an invisible character), a place (a record the dossier prints, a text annex, the text, the
metadata, a bookmark or a note of a PDF annex, the pixels of a photo) and an annex to plant it in.
The public build either refuses (exit 1 or 3, nothing written) or writes an edition in which the
independent oracle (``tests/oracle.py``: poppler, pikepdf strings at any depth and streams in
several encodings, pdfium, and OCR of the page that got the name) finds no surname stem.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hostile_public import FONT, sans
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from oracle import require_tools, scan, stems_in
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.pdfgen import canvas
from test_public_hostile import CORPUS, add_alias, add_annex

from dossier.cli import cli

FORMS = (
    "Aida Sultanova",
    "AIDA SULTANOVA",
    "Sultanova Aida",
    "A. Sultanova",
    "Султановой Айдой",
    "Айды Султановой",
    "А. Султановой",
    "Ai\u200bda Sult\u0430nova",
    "Бакыта Орузбаева",
    "Орузбаев Бакыт",
    "Bakyt Oruzbaev",
    "B. Oruzbaev",
)
RECORDS = ("facts", "title", "place", "subject", "request", "annex title", "letter")
ANNEX_PLACES = ("text annex", "pdf text", "pdf metadata", "pdf bookmark", "pdf note", "photo")
ALLEGATION = "allegations/2025-03-06-questioning.yaml"
SUBMISSION = "submissions/2025-04-01-complaint.yaml"


def _edit(case: Path, rel: str, old: str, new: str) -> None:
    path = case / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pdf(text: str, place: str) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    pdf.setFont(sans(), 12)
    pdf.drawString(72, 760, "Minutes of the meeting of the union committee.")
    if place == "pdf text":
        pdf.drawString(72, 740, f"Present: {text}, member.")
    if place == "pdf bookmark":
        pdf.bookmarkPage("p1")
        pdf.addOutlineEntry(f"Statement of {text}", "p1", 0)
    if place == "pdf metadata":
        pdf.setAuthor(text)
    pdf.showPage()
    pdf.save()
    if place != "pdf note":
        return out.getvalue()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (400, 700, 420, 720)]),
            NameObject("/Contents"): TextStringObject(f"ask {text}"),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    data = io.BytesIO()
    writer.write(data)
    return data.getvalue()


def _photo(text: str) -> bytes:
    image = Image.new("RGB", (1300, 300), "white")
    ImageDraw.Draw(image).text(
        (40, 100), text, fill="black", font=ImageFont.truetype(str(FONT), 64)
    )
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(200, 200))
    return out.getvalue()


def _plant(case: Path, form: str, place: str) -> None:
    if place == "facts":
        _edit(case, ALLEGATION, "about the union's meetings.", f"about {form} and the meetings.")
    elif place == "title":
        _edit(
            case, ALLEGATION, "title: Questioning of two", f"title: Questioning of {form} and two"
        )
    elif place == "place":
        _edit(case, ALLEGATION, "place: Bishkek", f"place: home of {form}, Bishkek")
    elif place == "subject":
        _edit(case, SUBMISSION, "subject: Complaint", f"subject: Complaint for {form},")
    elif place == "request":
        _edit(case, SUBMISSION, "  - to ask the Government", f"  - to ask for {form} and")
    elif place == "annex title":
        _edit(
            case, "annexes.yaml", "title: Note of the union", f"title: Note on {form} by the union"
        )
    elif place == "letter":
        letter = case / "submissions" / "2025-04-01-complaint.md"
        letter.write_text(letter.read_text("utf-8") + f"\n\nWe met {form}.\n", "utf-8")
    elif place == "text annex":
        add_annex(case, "planted", "planted.txt", "Planted note", f"Met {form} today.\n".encode())
    elif place == "photo":
        add_annex(case, "planted", "planted.png", "Planted photo", _photo(form))
    else:
        add_annex(case, "planted", "planted.pdf", "Planted minutes", _pdf(form, place))


@settings(
    max_examples=9,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(form=st.sampled_from(FORMS), place=st.sampled_from(RECORDS + ANNEX_PLACES))
@example(form="Ai\u200bda Sult\u0430nova", place="photo")
@example(form="Орузбаев Бакыт", place="text annex")
@example(form="B. Oruzbaev", place="pdf metadata")
def test_a_planted_name_never_reaches_the_public_edition(form: str, place: str) -> None:
    require_tools()  # photos are read by OCR
    with tempfile.TemporaryDirectory() as folder:
        case = Path(folder) / "case"
        shutil.copytree(CORPUS, case)
        add_alias(case)
        _plant(case, form, place)
        out = Path(folder) / "out"
        result = CliRunner().invoke(
            cli, ["build", str(case), "--edition", "public", "--out", str(out)]
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(result.output) from result.exception
        assert result.exit_code in (0, 1, 3), result.output
        if result.exit_code != 0:
            assert result.stderr.startswith("Error: ")
            assert stems_in(result.stderr) == set()  # the error never prints the name
            assert not out.exists() or not any(out.iterdir())
            return
        pdf = out / "dossier-public.pdf"
        manifest = (out / "manifest-public.json").read_text(encoding="utf-8")
        assert stems_in(manifest) == set()
        planted = [
            entry for entry in json.loads(manifest)["annexes"] if entry.get("id") == "planted"
        ]
        ocr = [planted[0]["first_page"]] if planted and place in ("photo", "pdf text") else []
        assert scan(pdf, ocr_pages=ocr) == {}, (form, place)
