"""The files people have go into the dossier: damaged PDFs (repaired by qpdf), Word and
OpenDocument documents (LibreOffice), e-mails (.eml, .msg). Each is added with `annex add`,
passes `check`, and is found as text in the built dossier; what cannot be used is refused at once.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import annexfiles
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from dossier.cli import cli
from dossier.intake import office

needs_soffice = pytest.mark.skipif(
    office.available() is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
)


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args}") from result.exception
    return result


def register_by_hand(case: Path, annex_id: str, file: str) -> None:
    """An annex entry written by hand (bypassing `annex add`): the case's only annex."""
    (case / "annexes.yaml").write_text(
        f"annexes:\n  - id: {annex_id}\n    title: {annex_id}\n    date: 2024-03-01\n"
        f"    issuer: mmtuk\n    language: en\n    file: {file}\n",
        encoding="utf-8",
    )


def write(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def built(case: Path, out: Path) -> tuple[list[str], dict[str, dict[str, object]]]:
    """Check (exit 0), build (exit 0): the dossier's page texts and its annexes by id."""
    check = invoke("check", case)
    assert check.exit_code == 0, check.stdout
    result = invoke("build", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return page_texts(out / "dossier.pdf"), {a["id"]: a for a in manifest["annexes"]}


def test_damaged_pdfs_all_go_into_one_dossier(new_case: Path, tmp_path: Path) -> None:
    damaged = annexfiles.damaged_pdfs()
    paths = write(tmp_path / "incoming", damaged)
    added = invoke("annex", "add", new_case, *paths)
    assert added.exit_code == 0, added.stderr
    check = invoke("check", new_case)
    repaired = [line for line in check.stdout.splitlines() if line.endswith("[ANX-14]")]
    assert len(repaired) == len(damaged)  # every repair is reported, never silent
    texts, annexes = built(new_case, tmp_path / "out")
    for name in damaged:
        entry = annexes[Path(name).stem]
        first, last = int(str(entry["first_page"])), int(str(entry["last_page"]))
        found = "\n".join(texts[first - 1 : last])
        assert all(text in found for text in annexfiles.PAGE_TEXTS), name
    qpdf = [a for a in annexes.values() if str(a.get("repairs", [""])[0]).startswith("repaired")]
    assert {a["id"] for a in qpdf} >= {"xref-removed", "truncated-after-xref", "no-eof"}
    assert "qpdf: xref reconstructed" in annexes["xref-removed"]["repairs"]  # type: ignore[operator]
    # the files in annexes/ are kept byte for byte
    for name, data in damaged.items():
        assert (new_case / "annexes" / name).read_bytes() == data


def test_password_protected_pdf_is_refused_clearly(new_case: Path, tmp_path: Path) -> None:
    (locked,) = write(tmp_path / "incoming", {"locked.pdf": annexfiles.encrypted_pdf()})
    before = (new_case / "annexes.yaml").read_bytes()
    result = invoke("annex", "add", new_case, locked)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"Error: {locked} cannot be an annex: the build would refuse it; nothing added",
        f"{locked}: error: annex 'locked' (locked.pdf): the PDF is encrypted — add password_env "
        "to its entry in annexes.yaml and set that environment variable [ANX-05]",
    ]
    assert (new_case / "annexes.yaml").read_bytes() == before
    assert not (new_case / "annexes" / "locked.pdf").exists()


def test_garbage_with_a_pdf_header_is_refused_by_check_and_build(
    new_case: Path, tmp_path: Path
) -> None:
    """Registered by hand (so `annex add` is bypassed): `check` fails first, `build` exits 3."""
    garbage = b"%PDF-1.7\n" + bytes(range(256)) * 8
    (new_case / "annexes" / "garbage.pdf").write_bytes(garbage)
    register_by_hand(new_case, "garbage", "garbage.pdf")
    check = invoke("check", new_case)
    assert check.exit_code == 1
    (line,) = [x for x in check.stdout.splitlines() if x.endswith("[ANX-05]")]
    assert "annex 'garbage' (garbage.pdf): the PDF is truncated" in line
    assert "and qpdf cannot read it either" in line
    result = invoke("build", new_case, "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert line in result.stderr.splitlines()
    assert not (tmp_path / "out").exists()


def test_emails_become_annexes_with_their_attachments(new_case: Path, tmp_path: Path) -> None:
    mails = {
        "dismissal.eml": annexfiles.eml(
            "Dismissal of the union committee",
            "Dear Committee, the whole union committee was dismissed on 4 March 2024.",
            {"order.pdf": annexfiles.good_pdf(["Order No. 17 on the dismissal"])},
        ),
        "arrest.msg": annexfiles.msg(
            "Arrest of the chair",
            "The chair of the union was arrested on 5 March 2024 in Bishkek.",
            {"warrant.pdf": annexfiles.good_pdf(["Arrest warrant of 5 March"])},
        ),
    }
    paths = write(tmp_path / "incoming", mails)
    result = invoke("annex", "add", new_case, *paths)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "Added annex 'dismissal' (copied to annexes/dismissal.eml, sha256 "
        + result.stdout.split("sha256 ")[1].split("…")[0]
        + "…, language en, the case's: check it, converted from e-mail message)",
        f"  attachments not added yet (order.pdf): dossier annex add {new_case} "
        f"{new_case}/annexes/dismissal.eml --attachments",
    ]
    again = invoke(
        "annex",
        "add",
        new_case,
        new_case / "annexes" / "dismissal.eml",
        new_case / "annexes" / "arrest.msg",
        "--attachments",
    )
    assert again.exit_code == 0, again.stderr
    assert [line.split(" (")[0] for line in again.stdout.splitlines()[:2]] == [
        "Added annex 'order'",
        "Added annex 'warrant'",
    ]
    assert (new_case / "annexes" / "dismissal" / "order.pdf").is_file()
    assert (new_case / "annexes" / "arrest" / "warrant.pdf").is_file()
    texts, annexes = built(new_case, tmp_path / "out")
    whole = "\n".join(texts)
    for needle in (
        "the whole union committee was dismissed on 4 March 2024",
        "The chair of the union was arrested on 5 March 2024 in Bishkek.",
        "Order No. 17 on the dismissal",
        "Arrest warrant of 5 March",
        "Attachments (1)",
        "converted from e-mail message (dismissal.eml)",
        "converted from Outlook message (arrest.msg)",
    ):
        assert needle in whole, needle
    assert annexes["dismissal"]["title"] == "Dismissal of the union committee"
    assert annexes["dismissal"]["converted"] == {"from": "e-mail message", "by": "dossier 0.1.0"}
    assert annexes["arrest"]["sha256"] == annexfiles.sha256(mails["arrest.msg"])


@needs_soffice
def test_office_documents_are_converted_once_and_searchable(
    new_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = {
        "memo.docx": annexfiles.docx(
            "The union was dissolved by decree on 3 March 2024.", "Профсоюз был распущен."
        ),
        "minutes.odt": annexfiles.odt("Minutes of the congress of 5 March 2024."),
        "dues.xlsx": annexfiles.xlsx([["Member", "Dues"], ["Aigul", "12.50"]]),
    }
    paths = write(tmp_path / "incoming", documents)
    added = invoke("annex", "add", new_case, *paths)
    assert added.exit_code == 0, added.stderr
    assert "converted from Word document" in added.stdout
    texts, annexes = built(new_case, tmp_path / "out")
    whole = "\n".join(texts)
    for needle in (
        "The union was dissolved by decree on 3 March 2024.",
        "Профсоюз был распущен.",
        "Minutes of the congress of 5 March 2024.",
        "Aigul 12.50",
        "converted from Word document (memo.docx)",
        "converted from OpenDocument text (minutes.odt)",
    ):
        assert needle in whole, needle
    memo = annexes["memo"]
    assert memo["sha256"] == annexfiles.sha256(documents["memo.docx"])
    converted = memo["converted"]
    assert isinstance(converted, dict) and converted["from"] == "Word document"
    assert re.fullmatch(r"LibreOffice \d+(\.\d+)+", str(converted["by"]))
    dues = PdfReader(tmp_path / "out" / "dossier.pdf").pages[
        int(str(annexes["dues"]["first_page"])) - 1
    ]
    assert dues.mediabox.width > dues.mediabox.height  # a spreadsheet is printed landscape
    for name, data in documents.items():
        assert (new_case / "annexes" / name).read_bytes() == data
    # converted once: the next build needs no LibreOffice and prints the same bytes
    first = (tmp_path / "out" / "dossier.pdf").read_bytes()
    monkeypatch.setattr(office, "available", lambda: None)
    assert invoke("build", new_case, "--out", tmp_path / "again").exit_code == 0
    assert (tmp_path / "again" / "dossier.pdf").read_bytes() == first
    # a sent dossier is rebuilt from a frozen copy of the case, with the case's conversions
    draft = next((new_case / "submissions").glob("*.yaml")).stem
    sent = invoke(
        "submission", "mark-sent", new_case, draft, "--date", "2024-03-01", "--without-pdf"
    )
    assert sent.exit_code == 0, sent.stderr
    rebuilt = invoke("submission", "rebuild", new_case, draft, "--out", tmp_path / "sent")
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert "Профсоюз был распущен." in "\n".join(page_texts(tmp_path / "sent" / "dossier.pdf"))


def test_without_libreoffice_check_says_how_to_install_it(
    new_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "available", lambda: None)
    (memo,) = write(tmp_path / "incoming", {"memo.docx": annexfiles.docx("A memo.")})
    added = invoke("annex", "add", new_case, memo)
    assert added.exit_code == 3
    assert added.stderr.splitlines()[1] == (
        f"{memo}: error: annex 'memo' (memo.docx): LibreOffice is needed to convert .docx files"
        f" — {office.INSTALL_HINT} [ANX-05]"
    )
    shutil.copy(memo, new_case / "annexes" / "memo.docx")
    register_by_hand(new_case, "memo", "memo.docx")
    check = invoke("check", new_case)
    assert check.exit_code == 1
    assert f"LibreOffice is needed to convert .docx files — {office.INSTALL_HINT} [ANX-05]" in (
        check.stdout
    )
    assert invoke("build", new_case, "--out", tmp_path / "out").exit_code == 3


def _picture(suffix: str, frames: int = 1) -> bytes:
    """A drawing saved as ``suffix`` (HEIC through pillow-heif, as an iPhone saves photos)."""
    from io import BytesIO

    import pillow_heif
    from PIL import Image, ImageDraw

    pillow_heif.register_heif_opener()
    images = []
    for i in range(frames):
        im = Image.new("RGB", (400, 300), "white")
        ImageDraw.Draw(im).rectangle((40 + i * 10, 40, 360, 260), fill="navy")
        images.append(im)
    out = BytesIO()
    fmt = {".heic": "HEIF", ".webp": "WEBP", ".gif": "GIF", ".bmp": "BMP", ".png": "PNG"}[suffix]
    images[0].save(out, fmt, save_all=frames > 1, append_images=images[1:])
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("notes.docx", b"PK\x03\x04 not a zip", "the .docx file is damaged (not a readable ZIP"),
        ("sheet.xls", b"plain text", "the .xls file is not an Excel 97–2003 workbook"),
        ("mail.msg", b"From: nobody", "the .msg file is not an Outlook message"),
        ("archive.zip", b"PK\x05\x06" + bytes(18), "unsupported file type '.zip'"),
        # named as another kind than it is: said what it is, and how to rename it
        ("screenshot.pdf", _picture(".png"), "— the file is a PNG image: rename it to end in .png"),
        ("report.docx", annexfiles.good_pdf(), "— the file is a PDF: rename it to end in .pdf"),
        ("scan.jpg", annexfiles.good_pdf(), "— the file is a PDF: rename it to end in .pdf"),
        ("table.docx", annexfiles.xlsx([["a"]]), "— the file is an Excel workbook: rename it"),
        ("mail.eml", annexfiles.docx("Hello"), "— the file is a Word document: rename it"),
        ("text.odt", annexfiles.good_pdf(), "— the file is a PDF: rename it to end in .pdf"),
        ("minutes.txt", annexfiles.good_pdf(), "— the file is a PDF: rename it to end in .pdf"),
    ],
)
def test_unusable_files_are_refused_by_annex_add(
    new_case: Path, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    (path,) = write(tmp_path / "incoming", {name: data})
    result = invoke("annex", "add", new_case, path)
    assert result.exit_code == 3
    assert reason in result.stderr.splitlines()[1]
    assert result.stderr.splitlines()[1].endswith("[ANX-05]")
    assert not (new_case / "annexes" / name).exists()


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffMinutes of the meeting\r\nЗаседание совета\r\n".encode("utf-16-le"),
        "Minutes of the meeting\nЗаседание совета\n".encode("utf-16"),
        "\ufeffMinutes of the meeting\nЗаседание совета\n".encode("utf-8"),
    ],
    ids=["utf-16-le-bom", "utf-16-bom", "utf-8-bom"],
)
def test_a_text_annex_marked_by_a_byte_order_mark_is_read(
    new_case: Path, tmp_path: Path, data: bytes
) -> None:
    """Windows Notepad saves "Unicode" as UTF-16 with a byte-order mark: read as such, and the
    mark itself is neither printed nor reported as an invisible character."""
    (path,) = write(tmp_path / "incoming", {"minutes.txt": data})
    assert invoke("annex", "add", new_case, path).exit_code == 0
    check = invoke("check", new_case)
    assert check.exit_code == 0 and "FEFF" not in check.stdout
    out = tmp_path / "out"
    assert invoke("build", new_case, "--out", out).exit_code == 0
    (pdf,) = out.rglob("dossier.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Minutes of the meeting" in text and "Заседание совета" in text
    assert "\ufeff" not in text


@pytest.mark.parametrize(
    ("suffix", "frames"), [(".heic", 1), (".webp", 1), (".gif", 1), (".gif", 3), (".bmp", 1)]
)
def test_phone_and_web_pictures_become_annex_pages(
    new_case: Path, tmp_path: Path, suffix: str, frames: int
) -> None:
    (path,) = write(tmp_path / "incoming", {f"raid{suffix}": _picture(suffix, frames)})
    added = invoke("annex", "add", new_case, path, "--kind", "photo")
    assert added.exit_code == 0, added.stderr
    assert invoke("check", new_case).exit_code == 0
    out = tmp_path / "out"
    assert invoke("build", new_case, "--out", out, "--edition", "both").exit_code == 0
    manifest = json.loads(next(out.rglob("manifest.json")).read_text(encoding="utf-8"))
    (annex,) = [a for a in manifest["annexes"] if a["id"] == "raid"]
    assert annex["pages"] == frames
    reader = PdfReader(next(out.rglob("dossier.pdf")))
    last = reader.pages[-1]
    assert f"Annex 1, p. {frames}" in last.extract_text()
    xobjects = [x.get_object() for x in last["/Resources"]["/XObject"].values()]
    assert [x["/Subtype"] for x in xobjects].count("/Image") == 1  # the picture, beside stamps


def _xfa_form() -> bytes:
    """A dynamic XFA form as government sites serve them: one placeholder page, the form in XFA."""
    from io import BytesIO

    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.root_object[NameObject("/NeedsRendering")] = BooleanObject(True)
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): ArrayObject()}
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_dynamic_xfa_form_is_reported_before_its_placeholder_page_is_sent(
    new_case: Path, tmp_path: Path
) -> None:
    (path,) = write(tmp_path / "incoming", {"registration.pdf": _xfa_form()})
    assert invoke("annex", "add", new_case, path).exit_code == 0
    check = invoke("check", new_case)
    (line,) = [x for x in check.stdout.splitlines() if x.endswith("[ANX-19]")]
    assert "annex 'registration' (registration.pdf) is a dynamic XFA form" in line
    assert ": warning: annexes[0].file: " in line
    (plain,) = write(tmp_path / "incoming", {"plain.pdf": annexfiles.good_pdf()})
    assert invoke("annex", "add", new_case, plain).exit_code == 0
    assert invoke("check", new_case).stdout.count("[ANX-19]") == 1


RUSSIAN = (
    "Постановление Жогорку Кенеша Кыргызской Республики о профессиональных союзах. Настоящим "
    "постановлением утверждается порядок регистрации профессиональных союзов и их объединений.\n"
)
KYRGYZ = (
    "Жогорку Кеңештин токтому. Кесиптик бирликтер жөнүндө мыйзамдын долбоору жөнүндө. Кыргыз "
    "Республикасынын Жогорку Кеңеши токтом кылат: кесиптик бирликтердин укуктарын коргоо.\n"
)


def test_annex_add_reads_the_language_from_the_text_or_says_to_check_it(
    new_case: Path, tmp_path: Path
) -> None:
    files = write(
        tmp_path / "incoming",
        {
            "resolution-ru.txt": RUSSIAN.encode(),
            "resolution-ky.txt": KYRGYZ.encode(),
            "note.txt": b"Seen 6 Dec.\n",
            "raid.webp": _picture(".webp"),
        },
    )
    result = invoke("annex", "add", new_case, *files)
    assert result.exit_code == 0, result.stderr
    said = [line.split("…, ")[1] for line in result.stdout.splitlines()[:4]]
    assert said == [
        "language ru, read from its text)",
        "language ky, read from its text)",
        "language en, the case's: check it)",  # a few words tell nothing
        "language en, the case's: check it)",  # a picture not said to be a photo
    ]
    languages = re.findall(r"language: (\w+)", (new_case / "annexes.yaml").read_text("utf-8"))
    assert languages == ["ru", "ky", "en", "en"]
    mail = annexfiles.eml("Задержание председателей", RUSSIAN)
    (message,) = write(tmp_path / "mail", {"arrest.eml": mail})
    read = invoke("annex", "add", new_case, message)
    assert "…, language ru, read from its text, converted from e-mail message)" in read.stdout
    (given,) = write(tmp_path / "more", {"order.txt": RUSSIAN.encode()})
    again = invoke("annex", "add", new_case, given, "--language", "ky")
    assert "…, language ky)" in again.stdout  # what the officer says wins


def test_a_text_that_quotes_a_pdf_header_is_still_text(new_case: Path, tmp_path: Path) -> None:
    note = b"Note on the scans\n\nEach file starts with %PDF-1.7 as sent by the union.\n"
    (path,) = write(tmp_path / "incoming", {"note.txt": note})
    assert invoke("annex", "add", new_case, path).exit_code == 0
