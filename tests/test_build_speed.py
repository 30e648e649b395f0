"""The speed measures of `dossier build` change nothing in what it writes (bench/README.md)."""

from __future__ import annotations

import gc
import hashlib
import io
import os
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab import rl_config

from dossier import build
from dossier.assemble.ahead import Ahead
from dossier.cli import cli
from dossier.write import write_outputs

DRAFT = "2026-11-24-additional-information"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ahead_returns_the_childs_result() -> None:
    assert Ahead(lambda: {"pages": [1, 2, 3]}).result() == {"pages": [1, 2, 3]}


def test_ahead_gives_none_when_the_child_fails() -> None:
    def boom() -> int:
        raise ValueError("in the child")

    assert Ahead(boom).result() is None
    assert Ahead(lambda: lambda: 1).result() is None  # a result that does not pickle


def test_nothing_runs_ahead_beside_other_threads() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        job = Ahead(lambda: 1)
        assert job._pid is None and job.result() is None
    finally:
        release.set()
        thread.join()
    assert Ahead(lambda: 1).result() == 1


def test_ahead_cancel_reaps_the_child() -> None:
    job = Ahead(lambda: 1)
    pid = job._pid
    job.cancel()
    assert job.result() is None
    if pid is not None:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_build_is_the_same_with_and_without_rendering_ahead(
    runner, case_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = build.render

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "render", counted)
    threshold = gc.get_threshold()
    first = runner.invoke(cli, ["build", str(case_dir), "--out", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    assert gc.get_threshold() == threshold  # the collector is given back as it was
    assert rl_config.useA85 == 1  # reportlab's process-wide setting restored
    assert calls == []  # typeset ahead, in the child process
    monkeypatch.delattr(os, "fork")  # nothing runs ahead: everything typeset in-process
    second = runner.invoke(cli, ["build", str(case_dir), "--out", str(tmp_path / "b")])
    assert second.exit_code == 0, second.output
    assert calls  # typeset here
    assert _sha(tmp_path / "a" / "dossier.pdf") == _sha(tmp_path / "b" / "dossier.pdf")
    reader = PdfReader(tmp_path / "a" / "dossier.pdf")
    contents = reader.pages[0]["/Contents"].get_object()  # our cover page, then the stamp
    filters = [str(item.get_object().get("/Filter")) for item in contents]
    assert filters and not any("ASCII85" in f for f in filters)


def test_a_wrong_forecast_is_not_used(
    runner, case_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Page counts forecast wrongly (e.g. a file changed): the pages are typeset again."""
    reference = runner.invoke(cli, ["build", str(case_dir), "--out", str(tmp_path / "ref")])
    assert reference.exit_code == 0, reference.output

    def wrong(*args: object, **kwargs: object) -> dict[str, int] | None:
        counts = real(*args, **kwargs)  # type: ignore[arg-type]
        return {key: value + 1 for key, value in counts.items()} if counts else counts

    real = build.expected_page_counts
    monkeypatch.setattr(build, "expected_page_counts", wrong)
    result = runner.invoke(cli, ["build", str(case_dir), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert _sha(tmp_path / "out" / "dossier.pdf") == _sha(tmp_path / "ref" / "dossier.pdf")


def test_hashing_writer_hashes_what_it_writes(tmp_path: Path) -> None:
    pieces = [bytes([i % 251]) * (i % 977) for i in range(5000)]  # many small writes, > 1 MB

    def write(stream: io.BufferedIOBase) -> None:
        for piece in pieces:
            stream.write(piece)

    pdf, _, digest, size = write_outputs(tmp_path, "x.pdf", write, {})  # type: ignore[arg-type]
    data = b"".join(pieces)
    assert pdf.read_bytes() == data
    assert (digest, size) == (hashlib.sha256(data).hexdigest(), len(data))


def test_an_annex_keeps_its_pdf_version_once_its_bytes_are_dropped() -> None:
    from reportlab.pdfgen import canvas

    from dossier.assemble.sources import _open_pdf
    from dossier.models import Annex

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(100, 100, "PDF 1.7")
    sheet.showPage()
    sheet.save()
    data = buffer.getvalue().replace(b"%PDF-1.3", b"%PDF-1.7", 1)
    annex = Annex.model_construct(id="v17", file="v17.pdf", password_env=None)
    reader = _open_pdf(annex, data)
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


def test_annex_pages_copied_ahead_land_where_the_plan_puts_them(
    runner, case_dir: Path, tmp_path: Path
) -> None:
    """The full edition copies the annexes before its plan exists (then reorders the pages);
    with --edition both the full edition is assembled in plan order: the same document."""
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
