"""PDF syntax pypdf reads wrongly on its own, read right by the intake stage
(dossier/intake/pypdf_names.py): a NUL byte ends a name token."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
from casefiles import new_case_with
from click.testing import CliRunner
from pypdf import PdfReader

from dossier.cli import cli


def _indexed_image_pdf() -> bytes:
    """One page drawing a 2x2 indexed image whose colour space is written, as AutoCAD does,
    ``[/Indexed /DeviceRGB<NUL>1 <…>]``."""
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, bytes([0, 1, 1, 0]))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width = image.Height = 2
    image.BitsPerComponent = 8
    image.ColorSpace = pikepdf.Array(
        [
            pikepdf.Name.Indexed,
            pikepdf.Name.DeviceRGB,
            1,
            pikepdf.String(b"\xff\x00\x00\x00\x00\xff"),
        ]
    )
    page = pdf.add_blank_page(page_size=(200, 200))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 100 0 0 100 50 50 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    data = out.getvalue()
    assert data.count(b"/DeviceRGB 1 ") == 1
    return data.replace(b"/DeviceRGB 1 ", b"/DeviceRGB\x001 ")


def test_a_nul_ends_a_name_and_the_annex_keeps_its_colour_space(tmp_path: Path) -> None:
    drawing = tmp_path / "drawing.pdf"
    drawing.write_bytes(_indexed_image_pdf())
    assert subprocess.run(["qpdf", "--check", str(drawing)], capture_output=True).returncode == 0
    case = new_case_with(tmp_path, drawing)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(case), "--out", str(out)])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    check = subprocess.run(
        ["qpdf", "--check", str(out / "dossier.pdf")], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr  # 3: warnings (a NUL in a name)
    spaces = [
        list(xobject.get_object()["/ColorSpace"])
        for page in PdfReader(out / "dossier.pdf").pages
        for xobject in (page["/Resources"].get("/XObject") or {}).values()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert [space[:3] for space in spaces] == [["/Indexed", "/DeviceRGB", 1]]
