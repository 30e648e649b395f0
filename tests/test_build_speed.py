"""What the speed measures of `dossier build` rely on change nothing in what it writes."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from dossier.cli import cli
from dossier.write import Output, write_outputs

DRAFT = "2026-11-24-additional-information"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_hashing_writer_hashes_what_it_writes(tmp_path: Path) -> None:
    pieces = [bytes([i % 251]) * (i % 977) for i in range(5000)]  # many small writes, > 1 MB

    def write(stream: io.BufferedIOBase) -> None:
        for piece in pieces:
            stream.write(piece)

    (written,) = write_outputs(tmp_path, [Output("x.pdf", write, "x.json", {})])  # type: ignore[arg-type]
    data = b"".join(pieces)
    assert written.pdf.read_bytes() == data
    assert (written.sha256, written.size) == (hashlib.sha256(data).hexdigest(), len(data))


def test_an_annex_keeps_its_pdf_version_once_its_bytes_are_dropped() -> None:
    from reportlab.pdfgen import canvas

    from dossier.intake.sources import Source
    from dossier.models import Annex

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(100, 100, "PDF 1.7")
    sheet.showPage()
    sheet.save()
    data = buffer.getvalue().replace(b"%PDF-1.3", b"%PDF-1.7", 1)
    annex = Annex.model_construct(id="v17", file="v17.pdf", password_env=None)
    source = Source(annex, Path("v17.pdf"), "pdf", "", 0, None, None).with_pdf(data)
    reader = source.open_reader()
    assert len(reader.stream.getvalue()) < 100  # the file's bytes are not kept
    writer = PdfWriter()
    writer.add_page(reader.pages[0])
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(b"%PDF-1.7")


def _outline(reader: PdfReader) -> list[tuple[int, str, int | None]]:
    out: list[tuple[int, str, int | None]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))  # type: ignore[attr-defined]

    walk(reader.outline, 0)  # type: ignore[arg-type]
    return out


def _links(reader: PdfReader) -> list[tuple[int, object]]:
    out: list[tuple[int, object]] = []
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            dest = annot.get("/Dest")
            if dest is not None:
                out.append((number, reader.get_page_number(dest[0].get_object())))
            elif annot.get("/A") is not None:
                out.append((number, str(annot["/A"].get("/URI"))))
    return out


def test_the_full_edition_is_the_same_alone_and_beside_the_public_one(
    runner, case_dir: Path, tmp_path: Path
) -> None:
    """With --edition both the full edition is assembled after the public one: same document."""
    ahead = runner.invoke(cli, ["build", str(case_dir), "--out", str(tmp_path / "a")])
    assert ahead.exit_code == 0, ahead.output
    both = ["build", str(case_dir), "--out", str(tmp_path / "b"), "--edition", "both"]
    in_order = runner.invoke(cli, both)
    assert in_order.exit_code == 0, in_order.output
    first = PdfReader(tmp_path / "a" / "dossier.pdf")
    second = PdfReader(tmp_path / "b" / "dossier.pdf")
    assert [p.extract_text() for p in first.pages] == [p.extract_text() for p in second.pages]
    assert [p.mediabox for p in first.pages] == [p.mediabox for p in second.pages]
    assert _outline(first) == _outline(second)
    assert _links(first) == _links(second)
    assert first.page_labels == second.page_labels
    assert len(_outline(first)) > 5 and len(_links(first)) > 5
