"""`dossier build --max-size`: volumes at annex boundaries, continuous numbering, links across."""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from dossier.assemble.split import VolumeGroup
from dossier.assemble.volumes import plan_volumes
from dossier.cli import cli
from dossier.commands.build import parse_size
from dossier.errors import UsageError

MINIMAL = Path(__file__).resolve().parent / "cases" / "minimal"
SCANS = 6


def _scan(rng: random.Random, width: int = 500, height: int = 400) -> bytes:
    """A one-page PDF holding a noise image (500 x 400: ~180 kB; it does not compress)."""
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PDF", resolution=100, quality=90)
    return out.getvalue()


def add_cited_annexes(case: Path, files: dict[str, bytes]) -> None:
    """Register each ``{id: pdf bytes}`` as an annex of the minimal case (file ``<id>.pdf``),
    cited on page 1 by its one allegation."""
    register = (case / "annexes.yaml").read_text()
    evidence = ""
    for n, (annex_id, data) in enumerate(files.items()):
        (case / "annexes" / f"{annex_id}.pdf").write_bytes(data)
        register += (
            f"  - id: {annex_id}\n    title: Scan {annex_id.removeprefix('scan-')}\n"
            f"    date: 2024-01-0{n % 9 + 1}\n"
            f"    issuer: union\n    language: en\n    kind: document\n"
            f"    file: {annex_id}.pdf\n    sha256: {hashlib.sha256(data).hexdigest()}\n"
        )
        evidence += f"  - annex: {annex_id}\n    pages: '1'\n"
    (case / "annexes.yaml").write_text(register)
    allegation = case / "allegations" / "2024-01-05-search.yaml"
    cited = '  - annex: search-note\n    pages: "1"\n'
    allegation.write_text(allegation.read_text().replace(cited, cited + evidence))


def scanned_case(root: Path, count: int, seed: int, size: tuple[int, int] = (500, 400)) -> Path:
    """The minimal case with ``count`` scanned annexes, all cited by its one allegation."""
    case = root / "9999"
    shutil.copytree(MINIMAL, case)
    rng = random.Random(seed)
    add_cited_annexes(case, {f"scan-{n}": _scan(rng, *size) for n in range(count)})
    return case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal case with six scanned annexes, built once (about 1.3 MB)."""
    return scanned_case(tmp_path_factory.mktemp("volumes"), SCANS, 3386)


def _build(case: Path, out: Path, *extra: str):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["build", str(case), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result


def _links(reader: PdfReader) -> list[tuple[int, dict]]:
    out = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Link" and ("/Dest" in annot or "/A" in annot):
                out.append((index, annot))
    return out


def _dest_page(reader: PdfReader, dest) -> int:
    """0-based page of an explicit destination ``[page /XYZ …]``."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    return pages[dest[0].idnum]


def test_split_at_annex_boundaries(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(built, out, "--max-size", "600kB")
    manifest = json.loads((out / "manifest.json").read_text())
    volumes = manifest["volumes"]
    assert len(volumes) >= 3
    assert "volume 1: pages 1–" in result.stdout
    full = PdfReader(out / "dossier.pdf")
    total = len(full.pages)
    # continuous: every dossier page is in exactly one volume, in order
    assert volumes[0]["first_page"] == 1 and volumes[-1]["last_page"] == total
    for before, after in zip(volumes, volumes[1:], strict=False):
        assert after["first_page"] == before["last_page"] + 1
    annexes = {a["number"]: a for a in manifest["annexes"]}
    for volume in volumes:
        path = out / volume["file"]
        data = path.read_bytes()
        assert volume["size"] == len(data) <= 600_000
        assert volume["sha256"] == hashlib.sha256(data).hexdigest()
        reader = PdfReader(path)
        first, last = volume["first_page"], volume["last_page"]
        assert len(reader.pages) == last - first + 2  # its cover sheet, then its pages
        assert reader.page_labels[1:] == [str(n) for n in range(first, last + 1)]
        cover = reader.pages[0].extract_text()
        assert f"Volume {volume['number']} of {len(volumes)}" in cover
        assert f"Pages {first} to {last} of {total}" in cover
        for index in range(1, len(reader.pages)):
            assert f"Page {first + index - 1} of {total}" in reader.pages[index].extract_text()
        # never cut inside an annex: each annex of the volume is whole in it
        for number in volume["annexes"]:
            annex = annexes[number]
            assert first <= annex["divider_page"] and annex["last_page"] <= last
            assert f"Annex {number} — " in cover
        titles = [item.title for item in reader.outline if not isinstance(item, list)]
        for number in volume["annexes"]:
            assert any(t.startswith(f"Annex {number} — ") for t in titles)


def test_links_follow_their_pages_into_other_volumes(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(built, out, "--max-size", "600kB")
    manifest = json.loads((out / "manifest.json").read_text())
    full = PdfReader(out / "dossier.pdf")
    first = PdfReader(out / "dossier-vol1.pdf")
    # the links of the front matter, in the full dossier and in volume 1, in the same order
    pages = range(0, manifest["volumes"][0]["last_page"])
    expected = [
        _dest_page(full, annot["/Dest"])
        for index, annot in _links(full)
        if index in pages and "/Dest" in annot
    ]
    got = [annot for index, annot in _links(first) if index > 0]
    assert len(got) == len(expected) and expected
    remote = 0
    for target, annot in zip(expected, got, strict=True):
        if "/Dest" in annot:  # same volume: the page with the same dossier number
            page = _dest_page(first, annot["/Dest"])
            assert first.page_labels[page] == str(target + 1)
            continue
        action = annot["/A"]
        assert action["/S"] == "/GoToR"
        other = PdfReader(out / str(action["/F"]))
        assert other.page_labels[int(action["/D"][0])] == str(target + 1)
        remote += 1
    assert remote > 0


def test_fits_in_one_volume(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(built, out, "--max-size", "20MB")
    assert "fits in one volume of at most 20MB" in result.stdout
    assert not list(out.glob("dossier-vol*.pdf"))
    assert "volumes" not in json.loads((out / "manifest.json").read_text())


def test_an_annex_larger_than_the_limit_gets_its_own_volume(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(built, out, "--max-size", "150kB")
    volumes = json.loads((out / "manifest.json").read_text())["volumes"]
    assert all(len(v["annexes"]) <= 1 for v in volumes[1:])
    assert sum(len(v["annexes"]) for v in volumes) == SCANS + 1
    over = [v for v in volumes if v["size"] > 150_000]
    assert over  # the scans are larger than the limit: the user is told which and why
    for volume in over:
        what = (
            f"Annex {volume['annexes'][0]} alone is larger and an annex is never cut"
            if volume["annexes"]
            else "the pages before the annexes alone are larger and they are never cut"
        )
        size = f"{volume['size'] / 1000:,.1f} kB"
        assert f"{volume['file']} is {size}, over --max-size 150.0 kB: {what}" in result.stdout


@pytest.mark.parametrize(
    ("text", "size"),
    [("20MB", 20_000_000), ("500kB", 500_000), ("1.5MiB", 1_572_864), ("250000", 250_000)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "20 parsecs", "-1MB", "10kB"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(UsageError):
        parse_size(text)


@given(
    st.lists(st.integers(1, 500), min_size=1, max_size=40),
    st.integers(100, 2000),
)
def test_plan_volumes_keeps_every_group_in_order(sizes: list[int], budget: int) -> None:
    groups, page = [], 1
    for number, size in enumerate(sizes):
        groups.append(VolumeGroup(page, page + 1, (number,), size))
        page += 2
    plan = plan_volumes(groups, budget)
    assert [n for volume in plan for n in volume.annexes] == list(range(len(sizes)))
    assert plan[0].first_page == 1 and plan[-1].last_page == page - 1
    for before, after in zip(plan, plan[1:], strict=False):
        assert after.first_page == before.last_page + 1
        # a volume is closed only when the next group would not have fitted
        assert before.estimate + sizes[after.annexes[0]] > budget
    for volume in plan:
        assert volume.estimate <= budget or len(volume.annexes) == 1


def test_references_name_the_volume_of_their_annex(built: Path, tmp_path: Path) -> None:
    import re

    out = tmp_path / "out"
    _build(built, out, "--max-size", "600kB")
    volumes = json.loads((out / "manifest.json").read_text())["volumes"]
    home = {number: v["number"] for v in volumes for number in v["annexes"]}
    text = " ".join(p.extract_text() for p in PdfReader(out / "dossier-vol1.pdf").pages)
    cited = re.findall(r"Vol\.\s+(\d+),\s+Annex\s+(\d+)", text)
    assert {int(annex) for _, annex in cited} == set(home)  # the paragraph cites all seven
    assert all(home[int(annex)] == int(volume) for volume, annex in cited)
    assert {int(volume) for volume, _ in cited} == set(range(1, len(volumes) + 1))
    # without --max-size, no volume is named
    plain = tmp_path / "plain"
    _build(built, plain)
    text = " ".join(p.extract_text() for p in PdfReader(plain / "dossier.pdf").pages)
    assert "Vol. " not in text and "(Annex 1, p. 1;" in text


def _gradient_scan(size: tuple[int, int], page_inches: tuple[float, float]) -> bytes:
    """A smooth greyish 'scan' (compresses well) of ``size`` pixels on a page of that size."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PDF", resolution=width / page_inches[0], quality=90)
    return out.getvalue()


def test_fine_scans_are_downsampled_in_the_volumes(tmp_path: Path) -> None:
    case = tmp_path / "9999"
    shutil.copytree(MINIMAL, case)
    # a 480-dpi scan of a 5 x 4 inch page, and a 100-dpi one that must stay as it is
    scans = {"fine": (2400, 1920), "coarse": (500, 400)}
    add_cited_annexes(case, {name: _gradient_scan(size, (5, 4)) for name, size in scans.items()})
    out = tmp_path / "out"
    _build(case, out, "--max-size", "100kB", "--max-dpi", "150")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["volumes_dpi"] == 150
    sizes = {}
    for volume in manifest["volumes"]:
        reader = PdfReader(out / volume["file"])
        for page in reader.pages[1:]:
            for image in page.images:
                sizes[image.image.size] = volume["downsampled_images"]
    # 2400 px over 5 inches at 150 dpi: 750 px; the coarse one is kept, pixel for pixel
    assert sizes == {(750, 600): 1, (500, 400): 0}
    full = PdfReader(out / "dossier.pdf")
    assert {im.image.size for p in full.pages for im in p.images} == {(2400, 1920), (500, 400)}


def test_a_translation_is_never_split_from_its_original(tmp_path: Path) -> None:
    """Scan 1 translates scan 0: printed as Annexes 2 and 2a, always in the same volume."""
    case = scanned_case(tmp_path, 3, 87)
    register = case / "annexes.yaml"
    register.write_text(
        register.read_text().replace(
            "  - id: scan-1\n    title: Scan 1\n",
            "  - id: scan-1\n    title: Scan 1\n    translation_of: scan-0\n",
        )
    )
    out = tmp_path / "out"
    _build(case, out, "--max-size", "300kB")
    manifest = json.loads((out / "manifest.json").read_text())
    labels = {a["id"]: a["label"] for a in manifest["annexes"]}
    assert (labels["scan-0"], labels["scan-1"]) == ("2", "2a")
    volume_of = {
        number: volume["number"] for volume in manifest["volumes"] for number in volume["annexes"]
    }
    assert len(set(volume_of.values())) >= 2  # the dossier is split
    pair = [a for a in manifest["annexes"] if a["number"] == 2]
    [volume] = [v for v in manifest["volumes"] if 2 in v["annexes"]]
    for annex in pair:  # both whole in the one volume
        assert volume["first_page"] <= annex["divider_page"] <= annex["last_page"]
        assert annex["last_page"] <= volume["last_page"]
    cover = PdfReader(out / volume["file"]).pages[0].extract_text()
    assert "Annex 2 — Scan 0" in cover and "Annex 2a — Scan 1" in cover


def _odd_page_pdf() -> bytes:
    """A page pypdf cannot inspect as the volume split does: a null /CropBox (viewers fall back
    on the MediaBox) and a content stream ending in an unclosed array (found in pikepdf's test
    files); the annex itself is accepted, as viewers show it."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NullObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = StreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 700 Td (Odd page) Tj ET\n[ /oops\n")
    page.replace_contents(stream)
    page[NameObject("/CropBox")] = NullObject()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_page_pypdf_cannot_inspect_does_not_stop_the_split(tmp_path: Path) -> None:
    case = scanned_case(tmp_path, 2, 7)
    add_cited_annexes(case, {"odd": _odd_page_pdf()})
    out = tmp_path / "out"
    _build(case, out, "--max-size", "250kB")
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["volumes"]) > 1
    pages = sum(len(PdfReader(out / v["file"]).pages) - 1 for v in manifest["volumes"])
    assert pages == len(PdfReader(out / "dossier.pdf").pages)
