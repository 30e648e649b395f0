"""Issue 8's case at full scale: a 60 MB dossier split at 20 MB."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from dossier.cli import cli

MINIMAL = Path(__file__).resolve().parent / "cases" / "minimal"
ANNEXES = 30  # about 2 MB each: 60 MB of scans that do not compress


def _scan(rng: random.Random) -> bytes:
    image = Image.frombytes("RGB", (1650, 1350), rng.randbytes(1650 * 1350 * 3))
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150, quality=90)
    return out.getvalue()


def _case(root: Path) -> Path:
    case = root / "9999"
    shutil.copytree(MINIMAL, case)
    rng = random.Random(60)
    register = (case / "annexes.yaml").read_text()
    evidence = ""
    for n in range(ANNEXES):
        data = _scan(rng)
        (case / "annexes" / f"scan-{n}.pdf").write_bytes(data)
        register += (
            f"  - id: scan-{n}\n    title: Scan {n}\n    date: 2024-01-01\n"
            f"    issuer: union\n    language: en\n    kind: document\n"
            f"    file: scan-{n}.pdf\n    sha256: {hashlib.sha256(data).hexdigest()}\n"
        )
        evidence += f"  - annex: scan-{n}\n    pages: '1'\n"
    (case / "annexes.yaml").write_text(register)
    allegation = case / "allegations" / "2024-01-05-search.yaml"
    cited = '  - annex: search-note\n    pages: "1"\n'
    allegation.write_text(allegation.read_text().replace(cited, cited + evidence))
    return case


def test_sixty_megabytes_split_at_twenty(tmp_path: Path) -> None:
    case = _case(tmp_path)
    inputs = sum(p.stat().st_size for p in (case / "annexes").glob("scan-*.pdf"))
    assert inputs > 60_000_000
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(case), "--out", str(out), "--max-size", "20MB", "--max-dpi", "600"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    volumes = manifest["volumes"]
    assert len(volumes) >= 4  # 60 MB cannot fit in three volumes of 20 MB with their covers
    total = len(PdfReader(out / "dossier.pdf").pages)
    assert volumes[0]["first_page"] == 1 and volumes[-1]["last_page"] == total
    for before, after in zip(volumes, volumes[1:], strict=False):
        assert after["first_page"] == before["last_page"] + 1  # continuous numbering
    for volume in volumes:
        data = (out / volume["file"]).read_bytes()
        assert len(data) <= 20_000_000
        reader = PdfReader(io.BytesIO(data))
        first = volume["first_page"]
        last_text = reader.pages[-1].extract_text()
        assert f"Page {volume['last_page']} of {total}" in last_text
        assert reader.page_labels[1] == str(first)
    # the statement of allegations (volume 1) cites annexes of later volumes by their volume
    first_volume = PdfReader(out / volumes[0]["file"])
    statement = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in first_volume.pages))
    later = {n for v in volumes[1:] for n in v["annexes"]}
    cited = {int(n) for n in re.findall(r"Vol\. \d+, Annex (\d+)", statement)}
    assert later and later <= cited
