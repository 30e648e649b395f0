"""The public edition against the hostile annexes of issue 14, checked by an independent oracle.

The case is ``tests/corpus/confidential`` with four more annexes, none confidential: a PDF that
hides the name in every channel the issue lists, a PDF with names over a page break, over a
hyphenated line break and drawn out of order, a text annex naming both persons in Russian and
Kyrgyz grammar, and a JPEG photo showing the name with EXIF that names her. The public edition
must build (each name boxed and listed in the manifest), and no form of a name may be found in it
by poppler, pikepdf, pdfium or OCR (``tests/oracle.py``). The full edition still names them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import hostile_public as hostile
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from oracle import require_tools, scan, stems_in
from PIL import Image

from dossier.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus" / "confidential"
ANNEXES = {
    "hidden": ("hidden.pdf", "Minutes of the hearing"),
    "broken": ("broken.pdf", "Record of the hearing"),
    "inflected": ("inflected.txt", "Протокол заседания"),
    "photo-exif": ("photo-exif.jpg", "Photograph of the notice board"),
}


def add_annex(case: Path, annex_id: str, file: str, title: str, data: bytes) -> None:
    """Write ``data`` as annexes/<file>, register it and list it in the draft submission."""
    (case / "annexes" / file).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    with (case / "annexes.yaml").open("a", encoding="utf-8") as register:
        register.write(
            f"  - id: {annex_id}\n    title: {title}\n    date: 2025-03-10\n    issuer: union\n"
            f"    language: en\n    file: {file}\n    sha256: {digest}\n"
        )
    sub = case / "submissions" / "2025-04-01-complaint.yaml"
    text = sub.read_text(encoding="utf-8")
    sub.write_text(text.replace("annexes_extra: [", f"annexes_extra: [{annex_id}, "), "utf-8")


def add_alias(case: Path) -> None:
    parties = case / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    parties.write_text(
        text.replace(
            "    name: Bakyt Oruzbaev\n",
            "    name: Bakyt Oruzbaev\n    aliases: [{name: Бакыт Орузбаев, lang: ru}]\n",
        ),
        "utf-8",
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_tools()  # the photo is read by OCR
    root = tmp_path_factory.mktemp("hostile")
    case = root / "case"
    shutil.copytree(CORPUS, case)
    add_alias(case)
    broken, where = hostile.broken_name_pdf()
    files = {
        "hidden": hostile.hidden_channels_pdf(),
        "broken": broken,
        "inflected": hostile.INFLECTED.encode("utf-8"),
        "photo-exif": hostile.exif_photo(),
    }
    for annex_id, (file, title) in ANNEXES.items():
        add_annex(case, annex_id, file, title, files[annex_id])
    out = root / "out"
    result = CliRunner().invoke(cli, ["build", str(case), "--edition", "both", "--out", str(out)])
    assert result.exit_code == 0, result.output + str(result.exception)
    manifest = json.loads((out / "manifest-public.json").read_text(encoding="utf-8"))
    numbers = {a["id"]: a for a in manifest["annexes"] if "id" in a}
    return {"out": out, "manifest": manifest, "numbers": numbers, "where": where, "case": case}


def _first_page(built: dict[str, Any], annex_id: str) -> int:
    return int(built["numbers"][annex_id]["first_page"])


def test_the_full_edition_names_them_so_the_oracle_is_not_blind(built: dict[str, Any]) -> None:
    found = set().union(*scan(built["out"] / "dossier.pdf").values())
    assert found == {"sultanov", "султанов", "oruzbaev", "орузбаев"}


def test_no_form_of_a_name_is_anywhere_in_the_public_edition(built: dict[str, Any]) -> None:
    pdf = built["out"] / "dossier-public.pdf"
    ocr = [_first_page(built, "photo-exif"), _first_page(built, "broken") + 2]
    assert scan(pdf, ocr_pages=ocr) == {}


def test_every_name_is_boxed_and_listed_by_annex_and_page(built: dict[str, Any]) -> None:
    manifest = built["manifest"]
    listed = {(r["annex"], r["page"], r["label"]) for r in manifest["redactions"]}
    number = {k: built["numbers"][k]["number"] for k in ANNEXES}
    assert (number["hidden"], 1, "Witness A") in listed
    assert {(number["broken"], p, "Witness A") for p in (1, 2, 3)} <= listed  # over the break
    assert (number["broken"], 2, "Witness B") in listed  # hyphenated over a line break
    assert (number["inflected"], 1, "Witness A") in listed
    assert (number["inflected"], 1, "Witness B") in listed
    assert (number["photo-exif"], 1, "Witness A") in listed  # read by OCR in the picture
    assert all(r["boxes"] and r["dossier_page"] for r in manifest["redactions"])
    text = json.dumps(manifest, ensure_ascii=False)
    assert stems_in(text) == set()


def _render(pdf: Path, page: int, scale: float = 2.0) -> Image.Image:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image: Image.Image = doc[page - 1].render(scale=scale).to_pil().convert("L")
        return image
    finally:
        doc.close()


@pytest.mark.parametrize("case_name", ["page break", "hyphen", "out of order"])
def test_the_boxes_are_where_the_names_were(built: dict[str, Any], case_name: str) -> None:
    """Black where the name was drawn (the stamp never moves a pixel annex page: A4)."""
    first = _first_page(built, "broken")
    for page, (x0, y0, x1, y1) in built["where"][case_name]:
        image = _render(built["out"] / "dossier-public.pdf", first + page - 1)
        scale = image.width / 595
        box = (
            int(x0 * scale),
            int(image.height - y1 * scale),
            int(x1 * scale),
            int(image.height - y0 * scale),
        )
        region = image.crop(box)
        dark = sum(region.histogram()[:80]) / (region.width * region.height)
        assert dark > 0.6, (case_name, page, dark)  # a box (its white label covers the rest)


def test_the_labels_are_in_the_text_layer(built: dict[str, Any]) -> None:
    doc = pdfium.PdfDocument(str(built["out"] / "dossier-public.pdf"))
    try:
        first = _first_page(built, "broken")
        text = doc[first].get_textpage().get_text_range()
    finally:
        doc.close()
    words = " ".join(text.split())
    # a word is redacted whole, with the punctuation glued to it
    assert "Witness A who described the questioning." in words
    assert "The second witness, Witness B confirmed it." in words


def test_nothing_of_the_original_file_reaches_the_public_pdf(built: dict[str, Any]) -> None:
    import pikepdf

    with pikepdf.open(built["out"] / "dossier-public.pdf") as doc:
        keys: set[str] = set()
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                keys.update(obj.keys())
                for key in ("/Type", "/Subtype", "/S"):
                    value = obj.get(key)
                    if isinstance(value, pikepdf.Name):
                        keys.add(str(value))
        fonts = {
            str(obj.get("/BaseFont"))
            for obj in doc.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        }
    forbidden = {
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/JavaScript",
        "/JS",
        "/StructTreeRoot",
        "/OCProperties",
        "/PieceInfo",
        "/FileAttachment",
        "/Popup",
        "/IRT",
        "/Private",
        "/PrivateData",
        "/Deep",
        "/AcroForm",
    }
    assert keys & forbidden == set()
    assert all("DejaVu" in font for font in fonts), fonts  # no font of the original


def test_the_public_photo_has_no_exif(built: dict[str, Any]) -> None:
    import pikepdf

    with pikepdf.open(built["out"] / "dossier-public.pdf") as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                raw = obj.read_raw_bytes()
                assert b"Exif" not in raw and b"Sultanova" not in raw


def test_the_full_edition_is_sanitised_too(built: dict[str, Any]) -> None:
    """The attachment does not come back through its pop-up's /Parent or a reply's /IRT, nor
    JavaScript and embedded files through a form's /PieceInfo (the report says what went)."""
    import pikepdf

    kinds: set[str] = set()
    with pikepdf.open(built["out"] / "dossier.pdf") as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                kinds.update(obj.keys())
                kinds.update(str(obj.get(k)) for k in ("/Type", "/Subtype", "/S") if k in obj)
    gone = {"/JavaScript", "/JS", "/EmbeddedFile", "/EmbeddedFiles", "/Filespec", "/PieceInfo"}
    assert kinds & (gone | {"/FileAttachment", "/IRT"}) == set()
    full = json.loads((built["out"] / "manifest.json").read_text(encoding="utf-8"))
    removed = " ".join(full["removed_from_annexes"])
    assert "FileAttachment annotation" in removed and "(/PieceInfo)" in removed
