"""`make docs-images`: pictures of real dossier pages for the README and the user guide.

Builds cases/3386 into a scratch folder and renders, with poppler's pdftoppm, the first page of the
cover letter, the first page of the statement of allegations and the first page of an annex (with
its stamp) into docs/img/; then the French sample case (tests/cases/fr-sample, written in French)
for its cover letter and its list of annexes (an annex with its translation, Annex 1a). The pages
are found by their stamp text, not by fixed numbers, so the pictures follow the cases as they grow.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "3386"
FR_SAMPLE = ROOT / "tests" / "cases" / "fr-sample"
OUT = ROOT / "docs" / "img"
PICTURES = {
    "dossier-cover.png": ("— Cover letter",),
    "dossier-allegations.png": ("— Statement of allegations", "— Allegations"),
    "dossier-annex.png": ("— Annex 1, p. 1\n",),
}
"""File name -> stamp texts of the page (first found): for an annex, its own first page."""
PICTURES_FR = {
    "dossier-cover-fr.png": ("— Lettre d’accompagnement",),
    "dossier-annex-list-fr.png": ("— Liste des annexes",),
}
"""The same for the French sample case."""


def find_pages(pdf: Path, pictures: dict[str, tuple[str, ...]] = PICTURES) -> dict[str, int]:
    """File name -> 1-based page number of the page to picture."""
    texts = [page.extract_text() or "" for page in PdfReader(pdf).pages]
    found: dict[str, int] = {}
    for name, stamps in pictures.items():
        pages = next(
            (p for s in stamps if (p := [i for i, t in enumerate(texts, 1) if s in t])), []
        )
        if not pages:
            raise SystemExit(f"make_images: no page stamped {stamps} in {pdf}")
        found[name] = pages[0]
    return found


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("make_images: pdftoppm not found (apt-get install poppler-utils)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for case, pictures in ((CASE, PICTURES), (FR_SAMPLE, PICTURES_FR)):
        picture(case, pictures)
    return 0


def picture(case: Path, pictures: dict[str, tuple[str, ...]]) -> None:
    """Build ``case`` in a scratch folder and render its pages ``pictures`` into docs/img/."""
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        dossier = Path(sys.executable).with_name("dossier")
        command = [str(dossier), "build", str(case), "--out", str(build)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        pdf = build / "dossier.pdf"
        for name, page in find_pages(pdf, pictures).items():
            stem = Path(tmp) / name.removesuffix(".png")
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "72",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
            shutil.copyfile(stem.with_suffix(".png"), OUT / name)
            print(f"{OUT.relative_to(ROOT) / name}: page {page}")


if __name__ == "__main__":
    sys.exit(main())
