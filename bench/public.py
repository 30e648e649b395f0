"""The public edition at 2,000 pages (issue 14): ``python bench/run.py --public``.

The case is ``bench/out/case-2k-public``: a copy of ``case-2k`` in which one person
(``officer-02``) is confidential, with a pseudonym, and every annex records a ``public_review``
(the bench's scans are lines of word-shaped blobs, which OCR cannot read: without a person's
review the public edition refuses them, PRIV-03). ``dossier build --edition public`` runs twice,
each measured like the other tools (wall, CPU of the build and its workers, peak RSS of the
largest process, peak PSS of all of them): first with no OCR cache (every scanned page goes
through Tesseract), then again with the OCR cached by page image, the usual case.

Targets (DESIGN.md §6): with the OCR cached, under 2 minutes and 1 GB.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024
MAX_WALL = 120.0
MAX_RSS = 1024 * MB
SUBMISSION = "2024-03-15-additional-information"

Measure = Callable[[list[str], Path], tuple[int, float, float, int, int]]


def prepare(source: Path, case: Path) -> Path:
    """``case``: ``source`` with a confidential person and every annex reviewed."""
    if case.exists():
        shutil.rmtree(case)
    shutil.copytree(source, case, ignore=shutil.ignore_patterns("build"))
    register = case / "annexes.yaml"
    text = re.sub(
        r"(    sha256: [0-9a-f]{64})",
        r"\1\n    public_review: {by: Bench Reviewer, date: 2024-03-14}",
        register.read_text(encoding="utf-8"),
    )
    register.write_text(text, encoding="utf-8")
    parties = case / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    person = '  - id: officer-02\n    name: "Boris Imre"\n'
    if person not in text:
        raise SystemExit("bench/public.py: case-2k has no officer-02 'Boris Imre' any more")
    parties.write_text(
        text.replace(person, person + "    confidential: true\n    pseudonym: Witness A\n"),
        encoding="utf-8",
    )
    return case


def run_public(dossier: list[str], source: Path, work: Path, measure: Measure) -> list[str]:
    """Both runs; the report lines (Markdown)."""
    case = prepare(source, work / "case-2k-public")
    lines = [
        "| public edition, 2k | wall s | CPU s | peak RSS MB | peak PSS MB, all processes "
        "| output MB | result |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label in ("OCR not cached", "OCR cached"):
        out = work / "public-out"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [*dossier, "build", str(case), "--submission", SUBMISSION, "--edition", "public"]
        code, wall, cpu, rss, tree = measure([*cmd, "--out", str(out)], work / "public.log")
        pdf = out / "dossier-public.pdf"
        size = pdf.stat().st_size / 1e6 if pdf.exists() else 0.0
        ok = code == 0 and (label != "OCR cached" or (wall < MAX_WALL and rss < MAX_RSS))
        verdict = "PASS" if ok else ("FAIL" if code == 0 else f"exit {code}")
        lines.append(
            f"| {label} | {wall:.1f} | {cpu:.1f} | {rss / MB:.0f} | {tree / MB:.0f} | {size:.1f} "
            f"| {verdict} |"
        )
        print(lines[-1], flush=True)
    return lines
