"""Regenerate the small broken and hostile files of tests/corpus/files/ (deterministic).

Run: .venv/bin/python tests/corpus/make_corpus.py   (then review `git diff --stat`).
Each file is described in tests/corpus/README.md with the error it must give.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

from pypdf import PdfWriter
from reportlab.pdfgen import canvas

OUT = Path(__file__).resolve().parent / "files"
CONFIDENTIAL = Path(__file__).resolve().parent / "confidential"
FONT = Path(__file__).resolve().parents[2] / "dossier" / "fonts" / "DejaVuSans.ttf"


def good_pdf(pages: int = 2, text: str = "Evidence page") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, pageCompression=0)
    for number in range(1, pages + 1):
        c.drawString(72, 720, f"{text} {number}")
        c.showPage()
    c.save()
    return buf.getvalue()


def raw_pdf(objects: list[bytes], root: int = 1, broken_offsets: bool = False) -> bytes:
    """A hand-made PDF with a classic xref table; objects numbered from 1."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % (offset + (37 if broken_offsets else 0))
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % (xref + (11 if broken_offsets else 0))
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    files: dict[str, bytes] = {}
    files["good.pdf"] = good_pdf()
    files["empty.pdf"] = b""
    files["not-a-pdf.pdf"] = b"Dear Sir,\nthis is a letter saved with the wrong extension.\n"
    whole = good_pdf(3)
    files["truncated.pdf"] = whole[: len(whole) // 3]
    files["broken-xref.pdf"] = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            stream(b"BT /F1 12 Tf 72 720 Td (Repaired page) Tj ET"),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        broken_offsets=True,
    )
    files["dangling-refs.pdf"] = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            stream(b"BT /F1 12 Tf 72 720 Td (Dangling font) Tj ET"),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
            b" /Resources << /Font << /F1 9 0 R >> >> /Annots [12 0 R] >>",
        ]
    )
    for name, page_type in (
        ("page-without-type.pdf", b""),
        ("page-wrong-type.pdf", b"/Type /Pagx "),
    ):
        files[name] = raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                stream(b"BT ET"),
                b"<< " + page_type + b"/Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",
            ]
        )
    files["zero-pages.pdf"] = raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )
    # a page tree whose nodes share their kids: 2^40 pages in a few hundred bytes
    levels = 40
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        number = 2 + level
        kid = number + 1
        objects.append(
            b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>"
            % (kid, kid, 2 ** (levels - level))
        )
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] >>")
    files["bomb-page-tree.pdf"] = raw_pdf(objects)
    # many real leaves: /Count says 1, the tree holds 5,001 pages in one /Kids array
    many = 5001
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(many))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count 1 >>",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] >>"] * many
    files["bomb-many-pages.pdf"] = _compact(raw_pdf(objects))
    # 20 MB of spaces in a 20 kB flate stream: a decompression ratio of about 1,000
    files["bomb-deflate.pdf"] = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            stream(b" " * 20_000_000, compress=True),
            PAGE,
        ]
    )
    files["loop-page-tree.pdf"] = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ]
    )
    files["bad-header.png"] = b"\x89PNX\r\n\x1a\n" + bytes(range(256)) * 4
    files["bad-header.jpg"] = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    files["truncated.png"] = _png()[:60]
    files["latin1.txt"] = "Déclaration du témoin, Genève\n".encode("latin-1")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    files["blank.pdf"] = buf.getvalue()
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    confidential_case()
    record_overlays()


def statement_pdf() -> bytes:
    """The confidential witness statement: the names in text, metadata and outline."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setTitle("Statement of Aida Sultanova")
    c.setAuthor("Айда Султанова")
    c.setFont("DejaVuSans", 12)
    c.drawString(72, 760, "Statement of Aida Sultanova (Айда Султанова)")
    c.drawString(72, 740, "On 6 March 2025 I was questioned together with Bakyt Oruzbaev.")
    c.bookmarkPage("p1")
    c.addOutlineEntry("Statement of Aida Sultanova", "p1", 0)
    c.showPage()
    c.save()
    return buf.getvalue()


def confidential_case() -> None:
    """Annex files of tests/corpus/confidential and its annexes.yaml with pinned hashes."""
    import hashlib

    folder = CONFIDENTIAL / "annexes"
    (folder / "statement-a.pdf").write_bytes(statement_pdf())
    (folder / "photo.png").write_bytes(_png())
    entries = [
        ("statement-a", "Witness statement (confidential)", "statement-a.pdf", True),
        ("union-note", "Note of the union on the questioning", "union-note.txt", False),
        ("photo", "Photograph of the union office", "photo.png", False),
    ]
    lines = ["annexes:"]
    for annex_id, title, name, confidential in entries:
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        lines += [
            f"  - id: {annex_id}",
            f"    title: {title}",
            "    date: 2025-03-10",
            "    issuer: union",
            f"    language: {'zxx' if name.endswith('.png') else 'en'}",
            f"    kind: {'photo' if name.endswith('.png') else 'document'}",
            f"    file: {name}",
            f"    sha256: {digest}",
            f"    confidential: {'true' if confidential else 'false'}",
        ]
    (CONFIDENTIAL / "annexes.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


ANCHOR_BOMB = "".join(
    f"{name}: &{name} [{', '.join([prev] * 9)}]\n"
    for name, prev in zip("bcdefg", ["*a", "*b", "*c", "*d", "*e", "*f"], strict=True)
)


def record_overlays() -> None:
    """tests/corpus/records/<defect>/: files that replace those of the confidential case."""
    base = CONFIDENTIAL
    out = Path(__file__).resolve().parent / "records"
    parties = (base / "parties.yaml").read_text(encoding="utf-8")
    allegation = "allegations/2025-03-06-questioning.yaml"
    annexes = (base / "annexes.yaml").read_text(encoding="utf-8")
    overlays: dict[str, dict[str, bytes]] = {
        "duplicate-keys": {
            "parties.yaml": parties.replace(
                "  - id: union\n", "  - id: union\n    id: union2\n"
            ).encode()
        },
        "anchor-bomb": {"case.yaml": ('a: &a ["x", "x"]\n' + ANCHOR_BOMB).encode()},
        "tabs": {
            "parties.yaml": parties.replace("    name: Ana Example", "\tname: Ana Example").encode()
        },
        "non-utf8": {
            "parties.yaml": parties.encode().replace(
                b"Ana Example", "Ana Exämple".encode("latin-1")
            )
        },
        "bidi-name": {
            "parties.yaml": parties.replace("name: Ana Example", "name: Ana \u202eelpmaxE").encode()
        },
        "zero-width-name": {
            "parties.yaml": parties.replace("name: Ana Example", "name: Ana Ex\u200bample").encode()
        },
        "february-30": {
            allegation: (base / allegation)
            .read_text(encoding="utf-8")
            .replace("date: 2025-03-06", "date: 2023-02-30")
            .encode()
        },
        "absolute-annex-path": {
            "annexes.yaml": annexes.replace("file: union-note.txt", "file: /etc/passwd").encode()
        },
        "dotdot-annex-path": {
            "annexes.yaml": annexes.replace(
                "file: union-note.txt", "file: ../../case.yaml"
            ).encode()
        },
        "null-bytes": {"parties.yaml": b"organisations: []\x00\x01\n"},
        "deep-nesting": {"parties.yaml": b"organisations: " + b"[" * 3000 + b"]" * 3000 + b"\n"},
        "not-a-mapping": {"case.yaml": b"- just\n- a list\n"},
        "syntax-error": {
            "parties.yaml": parties.replace("  - id: witness-b", "  - id: [witness-b").encode()
        },
    }
    for defect, files in overlays.items():
        for rel, data in files.items():
            target = out / defect / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _compact(pdf: bytes) -> bytes:
    """The same PDF with its objects packed in compressed object streams (pikepdf)."""
    import pikepdf

    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return buf.getvalue()


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


if __name__ == "__main__":
    main()
