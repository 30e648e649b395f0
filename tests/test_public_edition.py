"""The public edition end to end: `dossier build --edition public|both` on a case with two
confidential persons (one with a Cyrillic alias) and one confidential annex.

The PDFs are checked by an independent scan written here (pypdfium2 and pdftotext text, pikepdf
decompressed streams, strings, metadata, XMP and outline), not by dossier.public.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from dossier.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
NAMES = [
    "Aida Sultanova",
    "Айда Султанова",
    "Sultanova",
    "Султанова",
    "Bakyt Oruzbaev",
    "Oruzbaev",
]
"""Every name and alias of the two confidential persons, and their surnames alone."""


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text)


def names_in(text: str) -> set[str]:
    folded = norm(text)
    squeezed = folded.replace(" ", "")
    return {n for n in NAMES if norm(n) in folded or norm(n).replace(" ", "") in squeezed}


def independent_scan(pdf: Path) -> dict[str, set[str]]:
    """Place -> names found, by pypdfium2, pdftotext and pikepdf."""
    found: dict[str, set[str]] = {}

    def look(place: str, text: str) -> None:
        hits = names_in(text)
        if hits:
            found.setdefault(place, set()).update(hits)

    doc = pdfium.PdfDocument(str(pdf))
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            look(f"pdfium page {index + 1}", textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        doc.close()
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
        look("pdftotext", out.stdout.decode("utf-8", "replace"))
    with pikepdf.open(pdf) as doc:
        for key, value in doc.docinfo.items():
            look(f"docinfo {key}", str(value))
        look("XMP", str(doc.open_metadata()))
        with doc.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop()
                look(f"outline {item.title}", item.title)
                stack.extend(item.children)
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream):
                subtype = obj.get("/Subtype")
                if subtype == "/Image" or "/Length1" in obj or subtype in ("/Type1C", "/OpenType"):
                    continue
                try:
                    data = obj.read_bytes()
                except pikepdf.PdfError:
                    continue
                look(f"stream {obj.objgen}", data.decode("latin-1"))
                look(f"stream {obj.objgen} utf-8", data.decode("utf-8", "replace"))
            elif isinstance(obj, pikepdf.Dictionary):
                for key in obj.keys():
                    value = obj.get(key)
                    if isinstance(value, pikepdf.String):
                        look(f"object {key}", str(value))
                    elif isinstance(value, pikepdf.Name):
                        look(f"object {key}", str(value))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("public")
    case, out = root / "case", root / "out"
    shutil.copytree(CORPUS / "confidential", case)  # the build keeps its OCR in the case
    result = CliRunner().invoke(cli, ["build", str(case), "--edition", "both", "--out", str(out)])
    assert result.exit_code == 0, result.output + str(result.exception)
    return out


def test_both_editions_and_manifests_are_written(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == [
        "dossier-public.pdf",
        "dossier.pdf",
        "manifest-public.json",
        "manifest.json",
    ]


def test_full_edition_names_them_so_the_scan_is_not_blind(built: Path) -> None:
    found = set().union(*independent_scan(built / "dossier.pdf").values())
    assert {"Aida Sultanova", "Bakyt Oruzbaev", "Айда Султанова"} <= found


def test_public_edition_has_zero_hits(built: Path) -> None:
    assert independent_scan(built / "dossier-public.pdf") == {}


def test_pseudonyms_take_their_place(built: Path) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(built / "dossier-public.pdf").pages)
    assert "Witness A" in text
    assert "Witness B" in text


def test_confidential_annex_is_one_withheld_page_keeping_the_numbering(built: Path) -> None:
    full = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    public = json.loads((built / "manifest-public.json").read_text(encoding="utf-8"))
    assert [a["number"] for a in public["annexes"]] == [a["number"] for a in full["annexes"]]
    withheld = [a for a in public["annexes"] if a.get("withheld")]
    assert len(withheld) == 1
    annex = withheld[0]
    assert annex["pages"] == 1
    assert set(annex) == {"number", "divider_page", "first_page", "last_page", "pages", "withheld"}
    reader = PdfReader(built / "dossier-public.pdf")
    page = reader.pages[annex["first_page"] - 1].extract_text()
    assert f"Annex {annex['number']}" in page
    assert "Withheld (confidential); available to the Office on request." in page
    others = [a for a in public["annexes"] if not a.get("withheld")]
    assert all(a["id"] != "statement-a" for a in others)
    files = {i["file"] for i in public["inputs"]}
    assert "annexes/statement-a.pdf" not in files
    assert "annexes/statement-a.pdf" in {i["file"] for i in full["inputs"]}
    assert len(reader.pages) == public["pages"]


def test_annex_list_says_withheld(built: Path) -> None:
    public = json.loads((built / "manifest-public.json").read_text(encoding="utf-8"))
    part = next(p for p in public["parts"] if p.get("key") == "annex_list")
    reader = PdfReader(built / "dossier-public.pdf")
    text = "\n".join(
        reader.pages[n - 1].extract_text() for n in range(part["first_page"], part["last_page"] + 1)
    )
    assert "withheld" in text.lower()
    full = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    part = next(p for p in full["parts"] if p.get("key") == "annex_list")
    full_reader = PdfReader(built / "dossier.pdf")
    full_text = "\n".join(
        full_reader.pages[n - 1].extract_text()
        for n in range(part["first_page"], part["last_page"] + 1)
    )
    assert "withheld" not in full_text.lower()


# ---- a leak stops the build ---------------------------------------------------------------------


def _build(case: Path, out: Path, edition: str = "both") -> Result:
    result = CliRunner().invoke(cli, ["build", str(case), "--edition", edition, "--out", str(out)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("traceback") from result.exception
    return result


def test_a_render_that_forgets_to_redact_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: if free text reached the page unredacted, nothing is written."""
    import dossier.render.context as context

    out = tmp_path / "out"
    out.mkdir()
    (out / "dossier.pdf").write_bytes(b"previous build")
    monkeypatch.setattr(context, "redact_text", lambda bundle, text, edition: text)
    case = tmp_path / "case"
    shutil.copytree(CORPUS / "confidential", case)
    result = _build(case, out)
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "Error: dossier-public.pdf: the public edition would expose confidential parties"
    )
    assert "page 3 (allegations) text names confidential party 'Witness A'" in result.stderr
    assert "names confidential party 'Witness B'" in result.stderr
    assert "Sultanova" not in result.stderr and "Oruzbaev" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["dossier.pdf"]
    assert (out / "dossier.pdf").read_bytes() == b"previous build"


LEAKS = {
    "allegation title": (
        "allegations/2025-03-06-questioning.yaml",
        "title: Questioning of two union members by the security service",
        "title: Questioning of Aida Sultanova by the security service",
    ),
    "facts with a line break in the name": (
        "allegations/2025-03-06-questioning.yaml",
        "questioned Aida Sultanova\n  and Bakyt Oruzbaev",
        "questioned Aida\n  Sultanova and Bakyt   Oruzbaev",
    ),
    "place": (
        "allegations/2025-03-06-questioning.yaml",
        "place: Bishkek",
        "place: home of Bakyt Oruzbaev, Bishkek",
    ),
    "legal basis": (
        "allegations/2025-03-06-questioning.yaml",
        "conventions: [C087 art. 3]",
        "conventions: [C087 art. 3]\nlegal_basis: [Order on Айда Султанова]",
    ),
    "organisation named after the person": (
        "parties.yaml",
        "name: Example Security Service",
        "name: Bakyt Oruzbaev Security Service",
    ),
    "annex title": (
        "annexes.yaml",
        "title: Note of the union on the questioning",
        "title: Note on the questioning of SULTANOVA AIDA",
    ),
    "request": (
        "submissions/2025-04-01-complaint.yaml",
        "  - to ask the Government",
        "  - to ask for the release of Aida Sultanova and\n  - to ask the Government",
    ),
}


@pytest.mark.parametrize("vector", sorted(LEAKS))
def test_no_leaking_file_is_ever_written(vector: str, tmp_path: Path) -> None:
    """Wherever a confidential name is typed, the public build either keeps it out (zero hits by
    the independent scan), or refuses: exit 1 (check) or 3 (leak scan), writing nothing."""
    case = tmp_path / "case"
    shutil.copytree(CORPUS / "confidential", case)
    rel, old, new = LEAKS[vector]
    path = case / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    out = tmp_path / "out"
    result = _build(case, out, "public")
    assert result.exit_code in (0, 1, 3), result.output
    if result.exit_code == 0:
        assert independent_scan(out / "dossier-public.pdf") == {}
    else:
        assert result.stderr.startswith("Error: ")
        assert not out.exists() or not any(out.iterdir())
        if result.exit_code == 3:
            assert "confidential part" in result.stderr


def test_a_withheld_annex_shows_only_its_public_title(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(CORPUS / "confidential", case)
    register = case / "annexes.yaml"
    text = register.read_text(encoding="utf-8")
    register.write_text(
        text.replace(
            "    confidential: true\n",
            "    confidential: true\n    public_title: Statement of a union member\n",
            1,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert _build(case, out, "public").exit_code == 0
    pages = PdfReader(out / "dossier-public.pdf").pages
    text = "\n".join(p.extract_text() for p in pages)
    assert "Annex 1 — Statement of a union member" in text
    assert "Witness statement (confidential)" not in text
    manifest = json.loads((out / "manifest-public.json").read_text(encoding="utf-8"))
    annex = manifest["annexes"][0]
    own = "\n".join(
        pages[n - 1].extract_text() for n in (annex["divider_page"], annex["first_page"])
    )
    assert "Statement of a union member" in own
    assert "10 March 2025" not in own and "Issuer" not in own and "English" not in own
    assert "Statement of a union member" not in json.dumps(manifest)  # the manifest: number only


def test_a_name_in_an_annex_file_name_is_refused_naming_the_field(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(CORPUS / "confidential", case)
    (case / "annexes" / "union-note.txt").rename(case / "annexes" / "note-aida-sultanova.txt")
    register = case / "annexes.yaml"
    register.write_text(
        register.read_text(encoding="utf-8").replace(
            "file: union-note.txt", "file: note-aida-sultanova.txt"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = _build(case, out, "public")
    assert result.exit_code == 3
    line = result.stderr.strip()
    assert line.startswith("Error: manifest-public.json: the public manifest would name")
    assert 'annexes[1].file = "note-[Witness A].txt"' in line
    assert "sultanova" not in line.casefold()
    assert not out.exists() or not any(out.iterdir())


def test_worker_processes_make_the_same_public_edition(tmp_path: Path) -> None:
    """--jobs 2 makes the pages in worker processes: the same bytes as in this process."""
    case = tmp_path / "case"
    shutil.copytree(CORPUS / "confidential", case)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        args = ["build", str(case), "--edition", "public", "--out", str(out), "--jobs", jobs]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        outputs.append((out / "dossier-public.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    assert not list((case / "build" / ".cache").glob("public-*"))  # the scratch folder is gone
