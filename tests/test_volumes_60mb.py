"""Issue 8's case at full scale: a 60 MB dossier split at 20 MB."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader
from test_volumes import scanned_case

from dossier.cli import cli

ANNEXES = 30  # about 2 MB each: 60 MB of scans that do not compress


def test_sixty_megabytes_split_at_twenty(tmp_path: Path) -> None:
    case = scanned_case(tmp_path, ANNEXES, 60, size=(1650, 1350))
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
