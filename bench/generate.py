"""Generate the synthetic benchmark cases of ``make bench``, deterministically.

Two sizes: ``2k`` (300 annexes, 2,000 annex pages, 40 allegations) and ``20k`` (3,000 annexes,
20,000 pages, 400 allegations). Everything comes from fixed seeds (no clock, no ``random`` without
a seed): the same generator version gives byte-identical files. The case is fictional (Case
No. 9901, Freedonia); it only has the shape of a real one (DESIGN.md §1).

The annex mix, by annex count: text PDFs from reportlab (base-14 or embedded DejaVu fonts, some
with their own outline and internal links), scanned documents (one full-page greyscale JPEG per
page, some pages /Rotate'd), landscape and mixed-orientation documents, portrait pages with
/Rotate 90/180/270, pages with an offset MediaBox and a smaller CropBox, documents whose /Rotate is
inherited from the page tree and whose content leaves a transform unclosed, and single JPEG/PNG
images. One PDF in ten keeps reportlab's default ASCII85 layer on its streams; the others are
plain Flate (or uncompressed), as most producers write. Every file is distinct (no two annexes
share bytes), so no tool can share objects.

Output (cached; regenerated only when the generator version or the size changes)::

    bench/out/case-2k/            the case folder (case.yaml, parties.yaml, annexes.yaml, ...)
    bench/out/case-2k.baseline/   image annexes made into one-page PDFs, for qpdf and pypdf
    bench/out/case-2k.json        what run.py needs: submission id, inputs in plan order, sizes

Usage: ``python bench/generate.py [2k|20k ...] [--jobs N] [--force]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path

GENERATOR_VERSION = 7
BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
FONT_DIR = BENCH.parent / "dossier" / "fonts"

CASE_NO = 9901
SUBMISSION_ID = "2024-03-15-additional-information"


@dataclass(frozen=True)
class Size:
    annexes: int
    pages: int
    allegations: int
    seed: int
    copies: int = 1  # the big case repeats the small one's mix (new seeds), so it scales exactly


SIZES = {
    "2k": Size(annexes=300, pages=2_000, allegations=40, seed=2_000),
    "20k": Size(annexes=3_000, pages=20_000, allegations=400, seed=2_000, copies=10),
}

# kind -> weight (share of annexes)
KINDS = {
    "text": 50,
    "scan": 17,
    "landscape": 8,
    "rotated": 6,
    "offset": 6,
    "inherited": 4,
    "jpg": 5,
    "png": 4,
}
IMAGE_KINDS = ("jpg", "png")

WORDS = (
    "the union committee members were informed that authorities had requested documents "
    "concerning membership lists accounts meetings of the council and its regional branches "
    "officers stated that the investigation was opened without notice after the congress "
    "workers employer ministry decree registration court hearing appeal order was issued "
    "financial records premises search seized computers statement signed witness present "
    "leaders elected delegates conference resolution amendment labour code article section "
    "collective agreement dispute strike notice police summoned interrogated released bail "
    "prosecutor charges fraud organisation dissolved suspended protest letter government "
    "national federation affiliates international solidarity representatives bargaining"
).split()

FIRST_NAMES = "Amara Boris Cyrus Dana Elif Farid Gulnara Hana Ilyas Jamila Kerim Lena".split()
LAST_NAMES = "Abenov Berik Castell Dorn Esen Falk Grau Haldor Imre Jolan Kestrel Lund".split()


# ---- annex specification ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnexSpec:
    index: int  # 1-based, in register order
    kind: str
    pages: int
    seed: int
    outline: bool
    embedded_font: bool
    compressed: bool
    a85: bool  # reportlab's default ASCII85 layer on streams; most producers do not use it

    @property
    def id(self) -> str:
        return f"bench-annex-{self.index:04d}"

    @property
    def file(self) -> str:
        ext = {"jpg": "jpg", "png": "png"}.get(self.kind, "pdf")
        return f"a{self.index:04d}-{self.kind}.{ext}"


def plan_annexes(size: Size) -> list[AnnexSpec]:
    """Kinds and page counts of every annex; the page total is exactly ``size.pages``.

    With ``copies`` > 1 the plan of one copy is repeated with fresh seeds: the 20k case has
    exactly ten times the kinds and page counts of the 2k case, and no file in common.
    """
    if size.copies > 1:
        unit = Size(size.annexes // size.copies, size.pages // size.copies, 0, size.seed)
        base = plan_annexes(unit)
        specs = []
        for copy in range(size.copies):
            for spec in base:
                seed = (
                    spec.seed if copy == 0 else random.Random(spec.seed * 31 + copy).getrandbits(32)
                )
                specs.append(replace(spec, index=copy * len(base) + spec.index, seed=seed))
        return specs
    rng = random.Random(size.seed)
    kinds = list(KINDS)
    weights = list(KINDS.values())
    chosen = [rng.choices(kinds, weights)[0] for _ in range(size.annexes)]
    counts = []
    for kind in chosen:
        if kind in IMAGE_KINDS:
            counts.append(1)
            continue
        band = rng.choices([(1, 2), (3, 6), (7, 15), (16, 40)], [30, 35, 25, 10])[0]
        counts.append(rng.randint(*band))
    adjustable = [i for i, k in enumerate(chosen) if k not in IMAGE_KINDS]
    total = sum(counts)
    while total != size.pages:
        i = rng.choice(adjustable)
        if total > size.pages and counts[i] > 1:
            counts[i] -= 1
            total -= 1
        elif total < size.pages and counts[i] < 60:
            counts[i] += 1
            total += 1
    specs = []
    for n, (kind, pages) in enumerate(zip(chosen, counts, strict=True), start=1):
        specs.append(
            AnnexSpec(
                index=n,
                kind=kind,
                pages=pages,
                seed=rng.getrandbits(32),
                outline=kind in ("text", "landscape", "offset")
                and pages >= 3
                and rng.random() < 0.4,
                embedded_font=rng.random() < 0.5,
                compressed=rng.random() < 0.85,
                a85=rng.random() < 0.1,
            )
        )
    return specs


# ---- file makers --------------------------------------------------------------------------------

A4 = (595.2756, 841.8898)
LETTER = (612.0, 792.0)
SCAN_DPI = 150


def _sentence(rng: random.Random, lo: int = 6, hi: int = 16) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def _scan_image(rng: random.Random, width_px: int, height_px: int, mode: str = "L") -> bytes:
    """A greyscale 'scan' of a typed page: paper texture, lines of word blobs, a slight skew."""
    from PIL import Image, ImageDraw

    small = (width_px // 8, height_px // 8)
    paper = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))  # seeded noise
    paper = paper.point(lambda v: 204 + v // 24).resize((width_px, height_px), Image.BILINEAR)
    draw = ImageDraw.Draw(paper)
    margin = width_px // 10
    y = margin + rng.randint(0, 40)
    while y < height_px - margin:
        x = margin
        line_end = width_px - margin - (rng.randint(0, width_px // 2) if rng.random() < 0.15 else 0)
        while x < line_end:
            length = rng.randint(20, 110)
            ink = rng.randint(20, 70)
            draw.rectangle([x, y, min(x + length, line_end), y + rng.randint(14, 20)], fill=ink)
            x += length + rng.randint(12, 22)
        y += rng.randint(34, 40) if rng.random() > 0.08 else 90
    page = paper.rotate(rng.uniform(-1.2, 1.2), resample=Image.BILINEAR, fillcolor=235)
    if mode == "RGB":
        page = Image.merge(
            "RGB", (page, page.point(lambda v: v * 0.97), page.point(lambda v: v * 0.9))
        )
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=40)
    return buf.getvalue()


def _photo_png(rng: random.Random) -> bytes:
    """A screenshot-like PNG: flat coloured panels and text bars (compresses as PNGs do)."""
    from PIL import Image, ImageDraw

    w, h = rng.choice([(1280, 800), (1024, 1366), (1600, 900)])
    img = Image.new("RGB", (w, h), (rng.randint(220, 255), 250, 250))
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(8, 20)):
        x0, y0 = rng.randint(0, w - 100), rng.randint(0, h - 60)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        draw.rectangle([x0, y0, x0 + rng.randint(60, 400), y0 + rng.randint(20, 200)], fill=colour)
    for row in range(40, h - 40, 28):
        draw.rectangle([40, row, 40 + rng.randint(100, w - 80), row + 10], fill=(30, 30, 30))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def _canvas(buf: io.BytesIO, spec: AnnexSpec, pagesize: tuple[float, float]):  # type: ignore[no-untyped-def]
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(buf, pagesize=pagesize, invariant=1, pageCompression=int(spec.compressed))
    c.setTitle(f"Synthetic document {spec.index}")
    c.setAuthor("bench/generate.py")
    return c


def _font(c, spec: AnnexSpec) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    if not spec.embedded_font:
        return "Helvetica", "Helvetica-Bold"
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in (
        ("BenchSerif", "DejaVuSerif.ttf"),
        ("BenchSans-Bold", "DejaVuSans-Bold.ttf"),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    return "BenchSerif", "BenchSans-Bold"


def _text_page(c, rng: random.Random, spec: AnnexSpec, page_no: int, w: float, h: float) -> None:  # type: ignore[no-untyped-def]
    body, bold = _font(c, spec)
    c.setFont(bold, 13)
    heading = f"Document {spec.index}, section {page_no}: " + _sentence(rng, 3, 6)
    c.drawString(56, h - 70, heading[:70])
    if spec.outline:
        key = f"p{page_no}"
        c.bookmarkPage(key)
        c.addOutlineEntry(f"Section {page_no}", key, level=0)
        if page_no % 3 == 0:
            c.addOutlineEntry(f"Sub-section {page_no}.1", key, level=1)
    c.setFont(body, 10)
    text = c.beginText(56, h - 100)
    text.setLeading(13.5)
    lines = int((h - 160) // 13.5)
    for i in range(lines):
        if rng.random() < 0.08:
            text.textLine("")
            continue
        line = " ".join(rng.choice(WORDS) for _ in range(int((w - 112) / 48)))
        text.textLine(line.capitalize() if i % 7 == 0 else line)
    c.drawText(text)
    if spec.outline and page_no > 1 and rng.random() < 0.5:
        # an internal link back to the first section, as real reports have
        c.linkAbsolute("back to section 1", "p1", (56, 40, 200, 54))
        c.drawString(56, 44, "See section 1")
    c.setFont(body, 8)
    c.drawRightString(w - 56, 30, f"{page_no} / {spec.pages}")


def _scan_page(c, rng: random.Random, w: float, h: float) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib.utils import ImageReader

    landscape = w > h
    px = (int(w / 72 * SCAN_DPI), int(h / 72 * SCAN_DPI))
    if landscape:
        px = (px[1], px[0])
    jpeg = _scan_image(rng, *px)
    image = ImageReader(io.BytesIO(jpeg))
    if landscape:
        c.saveState()
        c.translate(w, 0)
        c.rotate(90)
        c.drawImage(image, 0, 0, h, w)
        c.restoreState()
    else:
        c.drawImage(image, 0, 0, w, h)


def _a85(on: bool) -> None:
    from reportlab import rl_config

    rl_config.useA85 = int(on)


def make_pdf(spec: AnnexSpec) -> bytes:
    """One PDF annex of the given kind, deterministic in ``spec.seed``."""
    _a85(spec.a85)
    rng = random.Random(spec.seed)
    base = rng.choice([A4, A4, LETTER])
    buf = io.BytesIO()
    c = _canvas(buf, spec, base)
    offsets: list[tuple[float, float]] = []
    for page_no in range(1, spec.pages + 1):
        w, h = base
        if spec.kind == "landscape" and (page_no > 1 or rng.random() < 0.7):
            w, h = h, w
        c.setPageSize((w, h))
        if spec.kind == "rotated":
            c.setPageRotation(rng.choice([90, 180, 270]))
        if spec.kind == "scan":
            if rng.random() < 0.1:
                c.setPageRotation(rng.choice([90, 270]))
            _scan_page(c, rng, w, h)
        elif spec.kind == "offset":
            dx, dy = rng.choice([(100, 200), (-300, 50), (36, 36), (612, -792)])
            offsets.append((dx, dy))
            c.translate(dx, dy)
            _text_page(c, rng, spec, page_no, w, h)
        elif spec.kind == "inherited":
            c.saveState()  # left unclosed on purpose, as some producers do
            c.translate(0, 0)
            _text_page(c, rng, spec, page_no, w, h)
        else:
            _text_page(c, rng, spec, page_no, w, h)
        c.showPage()
    if spec.outline:
        c.showOutline()
    c.save()
    data = buf.getvalue()
    if spec.kind == "offset":
        data = _offset_boxes(data, offsets)
    elif spec.kind == "inherited":
        data = _inherit_rotation(data, rng.choice([90, 270]))
        data = _unclose_transform(data)
    return data


def _rewrite(data: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _offset_boxes(data: bytes, offsets: list[tuple[float, float]]) -> bytes:
    """MediaBox moved to where the content was drawn; CropBox a margin inside it."""
    from pypdf.generic import RectangleObject

    def edit(writer) -> None:  # type: ignore[no-untyped-def]
        for page, (dx, dy) in zip(writer.pages, offsets, strict=True):
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            page.mediabox = RectangleObject([x0 + dx, y0 + dy, x1 + dx, y1 + dy])
            page.cropbox = RectangleObject([x0 + dx + 18, y0 + dy + 24, x1 + dx - 18, y1 + dy - 24])

    return _rewrite(data, edit)


def _inherit_rotation(data: bytes, rotate: int) -> bytes:
    """/Rotate set on the page tree and removed from the pages (they inherit it)."""
    from pypdf.generic import NameObject, NumberObject

    def edit(writer) -> None:  # type: ignore[no-untyped-def]
        root = writer.root_object["/Pages"].get_object()
        root[NameObject("/Rotate")] = NumberObject(rotate)
        for page in writer.pages:
            if "/Rotate" in page:
                del page["/Rotate"]

    return _rewrite(data, edit)


def _unclose_transform(data: bytes) -> bytes:
    return data  # the unbalanced 'q' is written by reportlab itself (saveState without restore)


def make_file(spec: AnnexSpec) -> bytes:
    if spec.kind == "jpg":
        rng = random.Random(spec.seed)
        w, h = rng.choice([(1240, 1754), (1754, 1240), (1600, 1200)])
        return _scan_image(rng, w, h, mode="RGB")
    if spec.kind == "png":
        return _photo_png(random.Random(spec.seed))
    return make_pdf(spec)


def image_as_pdf(path: Path) -> bytes:
    """A one-page PDF of an image at its own aspect ratio (150 dpi), for the baselines only."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    with Image.open(path) as img:
        w, h = img.size
    size = (w * 72 / SCAN_DPI, h * 72 / SCAN_DPI)
    _a85(False)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, invariant=1)
    c.drawImage(ImageReader(str(path)), 0, 0, *size)
    c.showPage()
    c.save()
    return buf.getvalue()


def _write_annex(args: tuple[AnnexSpec, str]) -> tuple[int, str, int]:
    spec, folder = args
    data = make_file(spec)
    (Path(folder) / spec.file).write_bytes(data)
    return spec.index, hashlib.sha256(data).hexdigest(), len(data)


# ---- records ------------------------------------------------------------------------------------


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _date(rng: random.Random, start_year: int = 2019, end_year: int = 2023) -> str:
    return f"{rng.randint(start_year, end_year)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


# (category, a section of the Compilation it expects), from dossier/data/principles.yaml
CATEGORIES = (
    ("arrest_detention", "civil-liberties.arrest-detention"),
    ("charges_due_process", "civil-liberties.due-process"),
    ("premises_property", "civil-liberties.premises-property"),
    ("expression_opinion", "civil-liberties.expression.general-principles"),
    ("administration_finances", "administration.finance.control-of-funds"),
    ("constitutions_rules", "constitutions.legislation-interference"),
    ("elections", "elections.general-principles"),
    ("right_to_life_security", "civil-liberties.life-security"),
    ("freedom_of_movement", "civil-liberties.movement"),
)


TITLES = ("Member of the Council", "General Secretary")


def _persons(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 5 + 3) % len(LAST_NAMES)]}"
        out.append((f"officer-{i + 1:02d}", name))
    return out


def write_records(
    case: Path, size: Size, specs: list[AnnexSpec], hashes: dict[int, str]
) -> list[str]:
    """case.yaml, parties.yaml, annexes.yaml, allegations/, submissions/; returns cited order."""
    rng = random.Random(size.seed + 1)
    persons = _persons(rng, 12)
    (case / "case.yaml").write_text(
        f"""# Synthetic benchmark case written by bench/generate.py: fictional, not a real CFA case.
case_no: {CASE_NO}
country: Freedonia
government: gov-freedonia
title: Synthetic benchmark case ({size.pages:,} annex pages)
complainants:
  - party: ftuf
    role: complainant
    joined: 2019-05-02
filed: 2019-05-02
status: active
ratified:
  - {{convention: C087, year: 1995}}
  - {{convention: C098, year: 1995}}
language: en
sources: ["bench/generate.py (synthetic data)"]
""",
        encoding="utf-8",
    )
    person_lines = "".join(
        f"""  - id: {pid}
    name: {q(name)}
    roles:
      - {{title: {q(TITLES[i == 0])}, organisation: ftuf}}
"""
        for i, (pid, name) in enumerate(persons)
    )
    (case / "parties.yaml").write_text(
        f"""organisations:
  - id: ftuf
    name: Federation of Trade Unions of Freedonia
    acronym: FTUF
    kind: federation
    country: Freedonia
    address: "12 Harbour Street, 1000 Freedonia City, Freedonia"
    email: info@ftuf.example.org
  - id: gov-freedonia
    name: Government of Freedonia
    kind: government
    country: Freedonia
  - id: state-security
    name: State Security Service of Freedonia
    acronym: SSS
    kind: state_body
    country: Freedonia
  - id: ministry-justice
    name: Ministry of Justice of Freedonia
    kind: state_body
    country: Freedonia
  - id: ilo
    name: International Labour Office
    acronym: ILO
    kind: ilo
    address: "4 route des Morillons, CH-1211 Genève 22, Switzerland"
persons:
  - id: ilo-dg
    name: Gilbert F. Houngbo
    roles:
      - {{title: Director-General, organisation: ilo, from: 2022-10-01}}
{person_lines}""",
        encoding="utf-8",
    )
    # allegations: each cites ~7-8 annexes; every annex is cited at least once
    n = size.allegations
    order = list(range(1, len(specs) + 1))
    cites: list[list[int]] = [[] for _ in range(n)]
    for pos, annex_no in enumerate(order):
        cites[pos % n].append(annex_no)
    dates = sorted(_date(rng) for _ in range(n))
    by_index = {s.index: s for s in specs}
    (case / "allegations").mkdir(exist_ok=True)
    cited_order: list[str] = []
    seen: set[int] = set()
    for i in range(n):
        aid = f"bench-{i + 1:03d}"
        evidence = []
        for annex_no in cites[i]:
            spec = by_index[annex_no]
            page = rng.randint(1, spec.pages)
            pages = f"{page}-{page + 1}" if page < spec.pages and rng.random() < 0.3 else str(page)
            evidence.append(f'  - {{annex: {spec.id}, pages: "{pages}"}}\n')
        victims = sorted({rng.choice(persons)[0] for _ in range(rng.randint(1, 3))})
        facts = " ".join(_sentence(rng, 10, 22) for _ in range(rng.randint(2, 5)))
        (case / "allegations" / f"{aid}.yaml").write_text(
            f"""id: {aid}
title: {q("Synthetic allegation " + str(i + 1) + ": " + _sentence(rng, 3, 6)[:-1])}
date: {dates[i]}
precision: exact
place: Freedonia City
category: {CATEGORIES[i % len(CATEGORIES)][0]}
principles: [{CATEGORIES[i % len(CATEGORIES)][1]}]
facts: {q("It is alleged that on this date the State Security Service acted. " + facts)}
victims: [{", ".join(victims)}]
perpetrators: [state-security]
legal_basis: [{q("Criminal Code art. " + str(100 + i))}]
conventions: [C087 art. 3]
evidence:
{"".join(evidence)}first_reported: {SUBMISSION_ID}
source: "bench/generate.py (synthetic)"
""",
            encoding="utf-8",
        )
    # plan order = order of first citation, allegations in chronological (= file) order
    for i in range(n):
        for annex_no in cites[i]:
            if annex_no not in seen:
                seen.add(annex_no)
                cited_order.append(by_index[annex_no].file)
    annex_lines = []
    for spec in specs:
        annex_lines.append(
            f"""  - id: {spec.id}
    title: {q(f"Synthetic {spec.kind} document {spec.index}: " + _sentence(rng, 3, 7)[:-1])}
    date: {_date(rng)}
    issuer: {rng.choice(["ftuf", "state-security", "ministry-justice", "gov-freedonia"])}
    language: {"zxx" if spec.kind in IMAGE_KINDS else "en"}
    kind: {"photo" if spec.kind in IMAGE_KINDS else "document"}
    file: {spec.file}
    sha256: {hashes[spec.index]}
"""
        )
    (case / "annexes.yaml").write_text("annexes:\n" + "".join(annex_lines), encoding="utf-8")
    (case / "submissions").mkdir(exist_ok=True)
    (case / "submissions" / f"{SUBMISSION_ID}.md").write_text(
        f"""We write on behalf of the Federation of Trade Unions of Freedonia (FTUF) to provide
additional information in **Case No. {CASE_NO}** (Freedonia). The enclosed annexes document the
events set out below.

This is a *synthetic* letter generated for benchmarking; its facts are fictional.
""",
        encoding="utf-8",
    )
    (case / "submissions" / f"{SUBMISSION_ID}.yaml").write_text(
        f"""id: {SUBMISSION_ID}
date: 2024-03-15
kind: additional_information
language: en
sender: ftuf
place: Freedonia City
addressee:
  party: ilo-dg
  office: Director-General
  name: Gilbert F. Houngbo
  organisation: ilo
  address: "4 route des Morillons, CH-1211 Genève 22, Switzerland"
signatory:
  party: officer-01
  title: General Secretary
  organisation: ftuf
  signed: true
subject: "Case No. {CASE_NO} (Freedonia): additional information"
letter: {SUBMISSION_ID}.md
requests:
  - "to urge the Government of Freedonia to release the detained trade union officers"
  - "to request the Government to return the seized documents of the FTUF"
allegations: all
sent: false
""",
        encoding="utf-8",
    )
    return cited_order


# ---- driver -------------------------------------------------------------------------------------


def _digest(size: Size) -> str:
    blob = json.dumps({"version": GENERATOR_VERSION, "size": asdict(size)}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def generate(name: str, jobs: int = 2, force: bool = False, quiet: bool = False) -> Path:
    """Generate (or reuse) the case of size ``name``; returns the path of its JSON description."""
    size = SIZES[name]
    case = OUT / f"case-{name}"
    baseline = OUT / f"case-{name}.baseline"
    info = OUT / f"case-{name}.json"
    digest = _digest(size)
    if not force and info.exists():
        try:
            if json.loads(info.read_text())["digest"] == digest:
                return info
        except (ValueError, KeyError):
            pass
    started = time.perf_counter()
    for path in (case, baseline):
        if path.exists():
            shutil.rmtree(path)
    info.unlink(missing_ok=True)
    (case / "annexes").mkdir(parents=True)
    baseline.mkdir(parents=True)
    specs = plan_annexes(size)
    hashes: dict[int, str] = {}
    input_bytes = 0
    work = [(s, str(case / "annexes")) for s in specs]
    work.sort(key=lambda item: -item[0].pages)  # long ones first: better packing
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        for done, (index, sha, nbytes) in enumerate(pool.map(_write_annex, work, chunksize=4), 1):
            hashes[index] = sha
            input_bytes += nbytes
            if not quiet and done % 100 == 0:
                print(f"  {name}: {done}/{len(specs)} annexes", file=sys.stderr)
    cited = write_records(case, size, specs, hashes)
    inputs = []
    for file in cited:
        source = case / "annexes" / file
        if source.suffix == ".pdf":
            inputs.append(str(source.relative_to(OUT)))
        else:
            target = baseline / (file + ".pdf")
            target.write_bytes(image_as_pdf(source))
            inputs.append(str(target.relative_to(OUT)))
    description = {
        "digest": digest,
        "size": name,
        "case": str(case.relative_to(OUT)),
        "submission": SUBMISSION_ID,
        "annexes": len(specs),
        "annex_pages": size.pages,
        "allegations": size.allegations,
        "input_bytes": input_bytes,
        "baseline_inputs": inputs,
        "kinds": {k: sum(s.kind == k for s in specs) for k in KINDS},
        "scan_pages": sum(s.pages for s in specs if s.kind == "scan"),
    }
    info.write_text(json.dumps(description, indent=1) + "\n")
    if not quiet:
        took = time.perf_counter() - started
        print(
            f"  generated {case.relative_to(BENCH.parent)}: {len(specs)} annexes, "
            f"{size.pages} pages, {input_bytes / 1e6:.1f} MB in {took:.0f} s",
            file=sys.stderr,
        )
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["2k"], choices=sorted(SIZES))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--force", action="store_true", help="regenerate even when cached")
    args = parser.parse_args(argv)
    for name in args.sizes:
        print(generate(name, jobs=args.jobs, force=args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
