"""Assembly of tricky annexes: stamps where they are seen, links, outline, labels, sanitising."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pdfs
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from dossier.assemble import Metadata, assemble
from dossier.assemble.stamp import Geometry, page_geometry
from dossier.errors import AnnexError
from dossier.intake.sources import open_sources
from dossier.models import Allegation, Annex, Submission
from dossier.plan import FRONT_PARTS, Plan, annex_key, divider_key, make_plan
from dossier.render import LINK_PREFIX, DocInfo, Rendered

FILES = {
    "rotated": ("rotated.pdf", pdfs.rotated_pdf),
    "inherited": ("inherited.pdf", pdfs.inherited_rotation_pdf),
    "boxes": ("boxes.pdf", pdfs.boxes_pdf),
    "unclosed": ("unclosed.pdf", pdfs.unclosed_transform_pdf),
    "outlined": ("outlined.pdf", pdfs.outline_links_pdf),
    "active": ("active.pdf", pdfs.active_pdf),
    "photo": ("photo.png", lambda: pdfs.image_bytes("PNG", (400, 200))),
    "scan": ("scan.jpg", lambda: pdfs.image_bytes("JPEG", (200, 300))),
    "locked": ("locked.pdf", lambda: pdfs.encrypted_pdf("s3cret")),
}


def fake_render(plan: Plan, keys: list[str]) -> Rendered:
    """Own pages as render would make them: one page per part, a link to every annex."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    spans: dict[str, tuple[int, int]] = {}
    for index, key in enumerate(keys):
        spans[key] = (index, 1)
        pdf.drawString(72, 760, f"Own page {key}")
        if key == "allegations" and plan.paragraphs:
            ref = plan.paragraphs[0].refs[0]
            pdf.drawString(72, 700, f"1. Facts (Annex {ref.annex_no}, p. 2)")
            pdf.linkURL(f"{LINK_PREFIX}{ref.dossier_page}", (72, 696, 300, 712))
        if key == "contents":
            for row, planned in enumerate(plan.annexes):
                y = 700 - 20 * row
                pdf.drawString(72, y, f"Annex {planned.number} ........ {planned.first_page}")
                pdf.linkURL(f"{LINK_PREFIX}{planned.first_page}", (72, y - 4, 300, y + 12))
        pdf.showPage()
    pdf.save()
    anchors = {"paragraph:1": keys.index("allegations")}
    return Rendered(out.getvalue(), INFO, spans, anchors)


def own_keys(plan: Plan) -> list[str]:
    keys = [kind.value for kind in FRONT_PARTS]
    for planned in plan.annexes:
        keys.append(divider_key(planned.annex.id))
        if planned.annex.file is None:
            keys.append(annex_key(planned.annex.id))
    return keys


def _submission() -> Submission:
    return Submission.model_validate(
        {
            "id": "2024-01-10-test",
            "date": "2024-01-10",
            "kind": "additional_information",
            "sender": "union",
            "addressee": {"office": "Director-General"},
            "signatory": {"party": "someone"},
            "annexes_extra": [*FILES, "pending"],
        }
    )


@pytest.fixture(scope="module")
def case_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("case")
    (root / "annexes").mkdir()
    for name, make in FILES.values():
        (root / "annexes" / name).write_bytes(make())
    return root


def _annexes() -> dict[str, Annex]:
    out = {}
    for annex_id, (name, _) in FILES.items():
        extra = {"password_env": "TEST_ANNEX_PW"} if annex_id == "locked" else {}
        out[annex_id] = Annex(
            id=annex_id, title=f"The {annex_id} annex", language="en", file=name, **extra
        )
    out["pending"] = Annex(id="pending", title="To be supplied", language="en")
    return out


ALLEGATION = Allegation.model_validate(
    {
        "id": "2024-01-01-raid",
        "title": "Raid on the union office",
        "date": "2024-01-01",
        "category": "premises_property",
        "facts": "Police searched the office.",
        "evidence": [{"annex": "outlined", "pages": "2"}],
        "source": "test",
    }
)

INFO = DocInfo("Test", "Test Union", "Complaint", "Case No. 9999", "en", dt.date(2024, 1, 10))
META = Metadata(
    title="Case No. 9999 — additional information",
    author="Test Union",
    subject="Complaint",
    keywords="Case No. 9999",
    language="en",
    date=dt.date(2024, 1, 10),
    creator="dossier test",
)


def build(case_root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Plan, bytes, list[str]]:
    monkeypatch.setenv("TEST_ANNEX_PW", "s3cret")
    annexes = _annexes()
    with open_sources(case_root, annexes.values(), measure=True) as sources:
        counts = sources.page_counts()
        plan = make_plan(_submission(), [ALLEGATION], annexes, counts, {}, language="en")
        rendered = fake_render(plan, own_keys(plan))
        done = assemble(plan, rendered, sources, case_no=9999, meta=META)
        return plan, done.to_bytes(), done.report.removed


@pytest.fixture(scope="module")
def built(case_root: Path) -> tuple[Plan, bytes, list[str]]:
    with pytest.MonkeyPatch.context() as mp:
        return build(case_root, mp)


def stamp_boxes(data: bytes, needle: str, index: int) -> tuple[float, float, float, float]:
    """Box (user space) of ``needle`` on page ``index``, found by pdfium."""
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[index]
        text = page.get_textpage()
        searcher = text.search(needle)
        found = searcher.get_next()
        assert found, f"{needle!r} not found on page {index + 1}: {text.get_text_range()!r}"
        first, count = found
        boxes = [text.get_charbox(i) for i in range(first, first + count)]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
    finally:
        doc.close()


def displayed(geometry: Geometry, x: float, y: float) -> tuple[float, float]:
    """Inverse of Geometry.matrix: user space -> displayed coordinates."""
    a, b, c, d, e, f = geometry.matrix()
    det = a * d - b * c
    x, y = x - e, y - f
    return (d * x - c * y) / det, (-b * x + a * y) / det


def test_every_page_is_stamped_in_the_displayed_bottom_margin(built):
    plan, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    assert total == plan.total_pages
    for index, page in enumerate(reader.pages):
        geometry = page_geometry(page)
        width, height = geometry.size
        box = stamp_boxes(data, f"Page {index + 1} of {total}", index)
        corners = [displayed(geometry, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
        us = [u for u, _ in corners]
        vs = [v for _, v in corners]
        assert 0 <= min(vs) and max(vs) <= 30, (index, corners)  # bottom margin as seen
        assert width / 2 < max(us) <= width, (index, corners)  # right-aligned, inside
        assert min(us) >= 0
        text = page.extract_text()
        assert f"Page {index + 1} of {total}" in text
        assert "Case No. 9999 — " in text


def test_stamp_label_names_the_part(built):
    plan, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    annexes = [part for part in plan.parts if part.annex_no is not None]
    assert annexes
    for part in annexes:
        text = reader.pages[part.first_page - 1].extract_text()
        assert f"Case No. 9999 — Annex {part.annex_no}" in text
    assert "Case No. 9999 — Cover letter" in reader.pages[0].extract_text()


def test_annex_text_still_extractable_and_content_untouched(built, case_root):
    plan, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    rotated = plan.part(annex_key("rotated"))
    for offset, rotation in enumerate((0, 90, 180, 270)):
        page = reader.pages[rotated.first_page - 1 + offset]
        assert f"Rotated {rotation}" in page.extract_text()
        assert page_geometry(page).rotation == rotation
    inherited = plan.part(annex_key("inherited"))
    page = reader.pages[inherited.first_page - 1]
    assert page_geometry(page).rotation == 270
    assert "Inherited A" in page.extract_text()
    original = PdfReader(case_root / "annexes" / "rotated.pdf").pages[0]
    page = reader.pages[rotated.first_page - 1]
    contents = page["/Contents"]
    assert len(contents) == 3
    assert contents[0].get_object().get_data() == b"q\n"
    assert contents[1].get_object().get_data() == original.get_contents().get_data()


def test_page_labels_equal_numbers(built):
    _, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]


def test_outline_tree(built):
    plan, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[:5] == [
        "Cover letter",
        "Contents",
        "Statement of allegations",
        "Chronology of events",
        "List of annexes",
    ]
    planned = next(a for a in plan.annexes if a.annex.id == "outlined")
    expected = f"Annex {planned.number} — The outlined annex (p. {planned.divider_page})"
    position = next(
        i for i, item in enumerate(outline) if not isinstance(item, list) and item.title == expected
    )
    assert reader.get_destination_page_number(outline[position]) == planned.divider_page - 1
    nested = outline[position + 1]
    assert [i.title for i in nested if not isinstance(i, list)] == ["Chapter one", "Chapter three"]
    assert reader.get_destination_page_number(nested[0]) == planned.first_page - 1
    assert nested[1][0].title == "Section two"
    assert reader.get_destination_page_number(nested[1][0]) == planned.first_page
    assert reader.get_destination_page_number(nested[2]) == planned.first_page + 1
    allegations = outline[titles.index("Statement of allegations") + 1]
    assert allegations[0].title == "1. Raid on the union office"
    assert (
        reader.get_destination_page_number(allegations[0])
        == plan.part("allegations").first_page - 1
    )
    assert reader.root_object["/PageMode"] == "/UseOutlines"
    assert reader.root_object["/OpenAction"][4] == 1


def _link_targets(reader: PdfReader, index: int) -> list[int]:
    out = []
    for annot in reader.pages[index].get("/Annots", []):
        annot = annot.get_object()
        if "/Dest" in annot:
            out.append(reader.get_page_number(annot["/Dest"][0].get_object()))
    return out


def test_contents_links_and_annex_internal_links(built):
    plan, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    contents = plan.part("contents").first_page - 1
    assert _link_targets(reader, contents) == [a.first_page - 1 for a in plan.annexes]
    outlined = next(a for a in plan.annexes if a.annex.id == "outlined")
    allegations = plan.part("allegations").first_page - 1
    assert _link_targets(reader, allegations) == [outlined.first_page]  # annex page 2
    assert _link_targets(reader, outlined.first_page - 1) == [outlined.first_page + 1]
    assert _link_targets(reader, outlined.first_page) == [outlined.first_page - 1]


def test_sanitised_and_reported(built):
    plan, data, removed = built
    reader = PdfReader(io.BytesIO(data))
    root = reader.root_object
    assert "/JavaScript" not in root.get("/Names", {})
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    active = next(a for a in plan.annexes if a.annex.id == "active")
    page = reader.pages[active.first_page - 1]
    assert "/AA" not in page
    actions = [a.get_object().get("/A", {}).get("/S") for a in page.get("/Annots", [])]
    assert actions == ["/URI"]
    assert b"app.alert" not in data and b"calc.exe" not in data and b"attached" not in data
    joined = "\n".join(removed)
    label = f"Annex {active.number} (active.pdf)"
    for what in (
        "Launch action",
        "document JavaScript",
        "embedded files",
        "document open action (JavaScript)",
    ):
        assert f"{label}" in joined and what in joined, what


def test_images_keep_their_aspect_ratio(built):
    plan, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    for annex_id, ratio in (("photo", 2.0), ("scan", 2 / 3)):
        page = reader.pages[plan.part(annex_key(annex_id)).first_page - 1]
        images = list(page.images)
        assert len(images) == 1
        assert images[0].image.size[0] / images[0].image.size[1] == pytest.approx(ratio)


def test_metadata_and_reproducible(built, case_root, monkeypatch):
    _, data, _ = built
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata
    assert meta.title == META.title and meta.author == "Test Union"
    assert meta["/Keywords"] == "Case No. 9999"
    assert meta["/CreationDate"] == "D:20240110000000Z"
    assert reader.root_object["/Lang"] == "en"
    assert b"Case No. 9999" in reader.root_object["/Metadata"].get_object().get_data()
    _, again, _ = build(case_root, monkeypatch)
    assert again == data


def test_opens_in_pdfium(built):
    _, data, _ = built
    doc = pdfium.PdfDocument(data)
    try:
        assert len(doc) == len(PdfReader(io.BytesIO(data)).pages)
        doc[0].render(scale=0.2)
    finally:
        doc.close()


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed (.ci/run installs it)")
def test_qpdf_check_finds_no_error(built, tmp_path):
    _, data, _ = built
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_poppler_reads_the_stamps(built, tmp_path):
    _, data, _ = built
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert text.returncode == 0 and "Page 1 of" in text.stdout


def test_encrypted_annex_without_password_names_the_annex(case_root, monkeypatch):
    monkeypatch.delenv("TEST_ANNEX_PW", raising=False)
    failure = open_sources(case_root, [_annexes()["locked"]]).failed["locked"]
    assert "annex 'locked'" in failure.message and "TEST_ANNEX_PW" in failure.message
    monkeypatch.setenv("TEST_ANNEX_PW", "wrong")
    assert (
        "does not open" in open_sources(case_root, [_annexes()["locked"]]).failed["locked"].reason
    )


def test_pypdf_failure_while_copying_names_the_annex(case_root, monkeypatch):
    from pypdf.errors import PdfReadError

    def broken(writer, reader, where):
        raise PdfReadError("xref entry points nowhere")

    monkeypatch.setattr("dossier.assemble.document.copy_source", broken)
    with pytest.raises(AnnexError) as info:
        build(case_root, monkeypatch)
    assert "annex 'outlined' (outlined.pdf): its pages cannot be copied" in info.value.message
    assert info.value.exit_code == 3
