"""``make bench``: time and memory of ``dossier build`` against bare qpdf and a plain pypdf append.

For each size (``2k``: 300 annexes / 2,000 pages; ``20k``: 3,000 annexes / 20,000 pages; see
generate.py) it runs, each as a child process measured with ``os.wait4`` (wall time, user+system
CPU time, peak RSS of that child alone):

* ``dossier build CASE --submission ID --out DIR`` (the whole build: front matter, dividers,
  stamps, outline, links, manifest);
* ``qpdf --empty --pages <the same annex files> -- out.pdf`` (skipped with a message when qpdf is
  not installed: ``apt-get install qpdf``); repeated paths get distinct symlinks, because qpdf
  opens a repeated path once and shares its objects;
* a plain pypdf loop: ``w = PdfWriter(); for f in files: w.append(f); w.write(out)``.

Image annexes (.jpg/.png) are given to qpdf and pypdf as one-page PDFs made beforehand by
generate.py (their conversion is not timed); dossier gets the images themselves. Runs are
interleaved (dossier, qpdf, pypdf, dossier, ...) so a load change on the shared machine hits all
three; the fastest run of each counts. Then ``dossier check cases/3386`` is timed (median of 5).

Usage::

    python bench/run.py            # both sizes (about 20 minutes on 2 cores, generation included)
    python bench/run.py --quick    # 2,000 pages only (a few minutes)
    python bench/run.py --repeat 1 --sizes 20k
    python bench/run.py --public   # the public edition at 2,000 pages (bench/public.py)

The table is printed and also written, as Markdown with the machine description, to
``bench/out/last.md`` (copy it into bench/README.md) and as JSON to ``bench/out/last.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402  (bench/ is not a package)

TIMEOUT = 45 * 60
MB = 1024 * 1024

# targets (issue 7 / DESIGN.md §6)
MAX_VS_PYPDF = 2.5
MAX_RSS = {"2k": 300 * MB, "20k": 1536 * MB}
MAX_SCALE = 11.0
MAX_SIZE_RATIO = 1.05
MAX_CHECK_S = 1.0


@dataclass
class Run:
    tool: str
    size: str
    ok: bool
    wall: float = 0.0
    cpu: float = 0.0
    rss: int = 0  # bytes: largest single process (wait4)
    tree: int = 0  # bytes: peak sampled PSS of all its processes together
    out_bytes: int = 0
    in_bytes: int = 0
    pages: int = 0
    note: str = ""
    walls: list[float] = field(default_factory=list)


# ---- measuring a child --------------------------------------------------------------------------


# Linux counts in a child's ru_maxrss the resident size of the process it was forked from (the
# high-water mark survives exec), so a child forked straight from this script would report at
# least this script's own size. A tiny launcher, started fresh, forks the measured child instead
# and reports its wait4 figures; the floor this leaves (about 11 MB) is measured with /bin/true.
LAUNCHER = r"""
import json, os, subprocess, sys, threading, time
result, log, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
me, sid = os.getpid(), os.getsid(0)


def tree_pss():
    # proportional set size of every process of this session but the launcher (kB)
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != sid:
                continue
            with open(f"/proc/{name}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            pass
    return total


with open(log, "wb") as err:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=err, stderr=subprocess.STDOUT)
    peak, done = [0], threading.Event()

    def sample():
        while not done.wait(0.05):
            peak[0] = max(peak[0], tree_pss())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    peak = peak[0]
proc.returncode = code = os.waitstatus_to_exitcode(status)
cpu = usage.ru_utime + usage.ru_stime
with open(result, "w") as fh:
    json.dump([code, wall, cpu, usage.ru_maxrss * 1024, peak * 1024], fh)
"""


def measure(cmd: list[str], log: Path, cwd: Path = ROOT) -> tuple[int, float, float, int, int]:
    """Run ``cmd``; return exit code, wall s, CPU s, peak RSS and peak tree PSS (bytes).

    CPU time and peak RSS come from ``wait4`` and cover the child and the processes it waited
    for; peak RSS is the largest single process. The tree PSS is sampled every 50 ms over all
    processes of the child's session, so a helper process working beside the child is counted.
    """
    result = log.with_suffix(".rusage.json")
    result.unlink(missing_ok=True)
    launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(result), str(log), *cmd]
    proc = subprocess.Popen(launcher, cwd=cwd, start_new_session=True)

    def kill() -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(TIMEOUT, kill)
    timer.start()
    try:
        proc.wait()
    finally:
        timer.cancel()
    try:
        code, wall, cpu, rss, tree = json.loads(result.read_text())
    except (OSError, ValueError):
        return -1, 0.0, 0.0, 0, 0
    return int(code), float(wall), float(cpu), int(rss), int(tree)


def count_pages(pdf: Path) -> int:
    if shutil.which("qpdf"):
        done = subprocess.run(
            ["qpdf", "--show-npages", str(pdf)], capture_output=True, text=True, check=False
        )
        if done.returncode in (0, 3) and done.stdout.strip().isdigit():
            return int(done.stdout.strip())
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def tail(log: Path, lines: int = 6) -> str:
    try:
        text = log.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


# ---- the three tools ----------------------------------------------------------------------------


def dossier_available() -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "dossier", "build", "--help"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def qpdf_inputs(info: dict, work: Path) -> list[str]:
    """The baseline files, with a distinct symlink for every repeated path."""
    seen: set[str] = set()
    out = []
    links = work / "qpdf-links"
    for n, rel in enumerate(info["baseline_inputs"]):
        path = str(OUT / rel)
        if path in seen:
            links.mkdir(parents=True, exist_ok=True)
            link = links / f"{n:05d}-{Path(rel).name}"
            if not link.exists():
                link.symlink_to(path)
            path = str(link)
        seen.add(path)
        out.append(path)
    return out


def pypdf_append(list_file: str, out: str) -> int:
    """The plain-pypdf baseline (run in a child): append every file, write once."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for line in Path(list_file).read_text().splitlines():
        writer.append(line)
    with open(out, "wb") as fh:
        writer.write(fh)
    return 0


def run_tool(tool: str, size: str, info: dict, work: Path) -> Run:
    case = OUT / info["case"]
    baseline = [str(OUT / rel) for rel in info["baseline_inputs"]]
    log = work / f"{tool}.log"
    if tool == "dossier":
        out_dir = work / "dossier"
        shutil.rmtree(out_dir, ignore_errors=True)
        cmd = [
            sys.executable, "-m", "dossier", "build", str(case),
            "--submission", info["submission"], "--out", str(out_dir),
        ]  # fmt: skip
        in_bytes = info["input_bytes"]
    elif tool == "qpdf":
        out_dir = work / "qpdf"
        out_dir.mkdir(parents=True, exist_ok=True)
        cmd = ["qpdf", "--empty", "--pages", *qpdf_inputs(info, work), "--", str(out_dir / "o.pdf")]
        in_bytes = sum(os.path.getsize(p) for p in baseline)
    else:
        out_dir = work / "pypdf"
        out_dir.mkdir(parents=True, exist_ok=True)
        listing = work / "inputs.txt"
        listing.write_text("\n".join(baseline) + "\n")
        cmd = [sys.executable, str(Path(__file__)), "--pypdf-append", str(listing),
               str(out_dir / "o.pdf")]  # fmt: skip
        in_bytes = sum(os.path.getsize(p) for p in baseline)
    code, wall, cpu, rss, tree = measure(cmd, log)
    # qpdf exits 3 for warnings; the output is still written
    ok = code == 0 or (tool == "qpdf" and code == 3)
    pdfs = sorted(p for p in out_dir.glob("*.pdf") if "public" not in p.name)
    if not ok or not pdfs:
        note = f"exit {code}: {tail(log)}"
        return Run(tool, size, False, wall, cpu, rss, tree, note=note, walls=[wall])
    out = pdfs[0]
    return Run(
        tool,
        size,
        True,
        wall,
        cpu,
        rss,
        tree,
        out_bytes=out.stat().st_size,
        in_bytes=in_bytes,
        pages=count_pages(out),
        walls=[wall],
    )


def best(runs: list[Run]) -> Run:
    """Fastest successful run, carrying every wall time measured."""
    good = [r for r in runs if r.ok] or runs
    pick = min(good, key=lambda r: r.wall)
    pick.walls = [w for r in runs for w in r.walls]
    return pick


# ---- front matter size (for the output-size target) ---------------------------------------------


def front_matter_bytes(pdf: Path, annex_pages: int, work: Path) -> tuple[int, int]:
    """Size of the pages of the dossier that are not annex pages, written alone with pypdf.

    Our own pages (cover, contents, allegations, chronology, annex list, dividers) are the parts
    of ``manifest.json`` whose kind is not ``annex``. Returns (bytes, page count), or (0, 0) when
    the manifest does not tell.
    """
    manifest = pdf.parent / "manifest.json"
    own: list[int] = []
    try:
        data = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return 0, 0
    parts = data.get("parts") or []
    for part in parts:
        if not isinstance(part, dict):
            continue
        kind = str(part.get("kind", ""))
        first = part.get("first_page")
        last = part.get("last_page")
        if kind == "annex" or not isinstance(first, int) or not isinstance(last, int):
            continue
        own.extend(range(first - 1, last))
    if not own:
        return 0, 0
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(pdf)
    writer = PdfWriter()
    for index in own:
        page = reader.pages[index]
        # links (contents, pinpoints) point at annex pages: without this, add_page would copy
        # those pages and their images too
        page.pop("/Annots", None)
        writer.add_page(page)
    target = work / "front-matter.pdf"
    with open(target, "wb") as fh:
        writer.write(fh)
    return target.stat().st_size, len(own)


# ---- report -------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    info: dict[str, str] = {"nproc": str(os.cpu_count())}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    info["python"] = platform.python_version()
    from importlib.metadata import PackageNotFoundError, version

    for package in ("pypdf", "reportlab", "pillow", "dossier"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = "not installed"
    qpdf = shutil.which("qpdf")
    if qpdf:
        first = subprocess.run([qpdf, "--version"], capture_output=True, text=True, check=False)
        info["qpdf"] = (
            first.stdout.splitlines()[0].replace("qpdf version ", "") if first.stdout else "?"
        )
    else:
        info["qpdf"] = "not installed"
    info["platform"] = platform.platform()
    return info


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(
    results: dict[str, dict[str, Run]], extra: dict[str, object], mach: dict[str, str]
) -> str:
    lines = []
    lines.append(
        "| size | tool | pages | wall s (best) | all runs s | CPU s | peak RSS MB | peak PSS MB, "
        "all processes | output MB | output / input |"
    )
    lines.append("|---|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for size, runs in results.items():
        for tool in ("dossier", "qpdf", "pypdf"):
            r = runs.get(tool)
            if r is None:
                continue
            if not r.ok:
                lines.append(
                    f"| {size} | {tool} | — | — | — | — | — | — | — | failed: {r.note[:120]} |"
                )
                continue
            walls = " ".join(f"{w:.1f}" for w in r.walls)
            lines.append(
                f"| {size} | {tool} | {r.pages:,} | {r.wall:.2f} | {walls} | {r.cpu:.2f} | "
                f"{r.rss / MB:.0f} | {r.tree / MB:.0f} | {r.out_bytes / 1e6:.1f} | "
                f"{r.out_bytes / max(r.in_bytes, 1):.3f} |"
            )
    lines.append("")
    lines.append("| target | measured | result |")
    lines.append("|---|---|---|")
    for row in extra["targets"]:  # type: ignore[union-attr]
        lines.append(f"| {row[0]} | {row[1]} | {row[2]} |")
    lines.append("")
    lines.append(
        "Machine: "
        + ", ".join(f"{k} {v}" for k, v in mach.items())
        + f"; load average before/after: {extra['load_before']} / {extra['load_after']}"
    )
    return "\n".join(lines)


def targets(
    results: dict[str, dict[str, Run]], check: dict[str, object]
) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for size, runs in results.items():
        d = runs.get("dossier")
        if d is None or not d.ok:
            rows.append((f"{size}: dossier build", "not run" if d is None else "failed", "FAIL"))
            continue
        base = runs.get("pypdf")
        if base is None or not base.ok:
            rows.append((f"{size}: dossier / pypdf ≤ {MAX_VS_PYPDF}", "not run", "SKIP"))
        else:
            for what, mine, theirs in (("wall", d.wall, base.wall), ("CPU", d.cpu, base.cpu)):
                ratio = mine / max(theirs, 1e-9)
                rows.append(
                    (
                        f"{size}: dossier / pypdf ≤ {MAX_VS_PYPDF} ({what} time)",
                        f"{ratio:.2f} ({mine:.2f} s / {theirs:.2f} s)",
                        verdict(ratio <= MAX_VS_PYPDF),
                    )
                )
        qpdf = runs.get("qpdf")
        if qpdf is not None and qpdf.ok:  # reported for comparison; not a target
            rows.append(
                (
                    f"{size}: dossier / qpdf (for comparison)",
                    f"wall {d.wall / qpdf.wall:.2f}, CPU {d.cpu / max(qpdf.cpu, 1e-9):.2f}",
                    "INFO",
                )
            )
        limit_rss = MAX_RSS[size]
        rows.append(
            (
                f"{size}: peak memory < {limit_rss / MB:.0f} MB",
                f"{d.rss / MB:.0f} MB RSS of one process, {d.tree / MB:.0f} MB PSS of all",
                verdict(max(d.rss, d.tree) < limit_rss),
            )
        )
        front = runs.get("front")
        front_bytes = front.out_bytes if front is not None else 0
        allowed = MAX_SIZE_RATIO * d.in_bytes + front_bytes
        label = f"{size}: output ≤ {MAX_SIZE_RATIO} × inputs + front matter"
        if front is None or not front.ok:
            measured = (
                f"{d.out_bytes / 1e6:.1f} MB vs {d.in_bytes / 1e6:.1f} MB inputs "
                "(front matter unknown)"
            )
            rows.append(
                (label, measured, verdict(d.out_bytes <= MAX_SIZE_RATIO * d.in_bytes) + "?")
            )
        else:
            measured = (
                f"{d.out_bytes / 1e6:.1f} MB ≤ {MAX_SIZE_RATIO} × {d.in_bytes / 1e6:.1f} + "
                f"{front_bytes / 1e6:.1f} ({front.pages} own pages) = {allowed / 1e6:.1f} MB"
            )
            rows.append((label, measured, verdict(d.out_bytes <= allowed)))
    small, big = results.get("2k", {}).get("dossier"), results.get("20k", {}).get("dossier")
    if small and big and small.ok and big.ok:
        scale = big.wall / small.wall
        cpu_scale = big.cpu / max(small.cpu, 1e-9)
        rows.append(
            (
                f"20k time ≤ {MAX_SCALE:.0f} × 2k time",
                f"{scale:.1f}× (CPU time {cpu_scale:.1f}×)",
                verdict(scale <= MAX_SCALE),
            )
        )
    if check.get("median") is not None:
        median = float(check["median"])  # type: ignore[arg-type]
        rows.append(
            (f"dossier check cases/3386 < {MAX_CHECK_S:.0f} s",
             f"{median:.2f} s (median of {check['n']})",
             verdict(median < MAX_CHECK_S))
        )  # fmt: skip
    else:
        rows.append(("dossier check cases/3386 < 1 s", str(check.get("note")), "SKIP"))
    return rows


def time_check(repeat: int, work: Path) -> dict[str, object]:
    case = ROOT / "cases" / "3386"
    if not (case / "case.yaml").exists():
        return {"median": None, "note": "cases/3386 not present yet"}
    walls = []
    code = 0
    for _ in range(repeat):
        code, wall, *_ = measure(
            [sys.executable, "-m", "dossier", "check", str(case)], work / "check.log"
        )
        walls.append(wall)
    return {"median": statistics.median(walls), "n": repeat, "walls": walls, "exit": code}


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dossier build vs qpdf vs pypdf (issue 7)")
    parser.add_argument("--quick", action="store_true", help="only the 2,000-page case")
    parser.add_argument("--sizes", nargs="+", choices=sorted(generate.SIZES), default=None)
    parser.add_argument(
        "--repeat", type=int, default=None, help="runs per tool (default 3 at 2k, 1 at 20k)"
    )
    parser.add_argument("--tools", nargs="+", default=["dossier", "qpdf", "pypdf"])
    parser.add_argument(
        "--verify", action="store_true", help="also run qpdf --check on each dossier (not timed)"
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="only the public edition of the 2,000-page case, OCR not cached then cached "
        "(bench/public.py)",
    )
    parser.add_argument("--pypdf-append", nargs=2, metavar=("LIST", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pypdf_append:
        return pypdf_append(*args.pypdf_append)
    if args.public:
        from public import run_public

        info = json.loads(generate.generate("2k", jobs=os.cpu_count() or 1).read_text())
        work = OUT / "run-public"
        work.mkdir(parents=True, exist_ok=True)
        lines = run_public(
            [sys.executable, "-m", "dossier"],
            OUT / info["case"],
            work,
            lambda cmd, log: measure(cmd, log),
        )
        (OUT / "last-public.md").write_text("\n".join(lines) + "\n")
        return 0

    sizes = args.sizes or (["2k"] if args.quick else ["2k", "20k"])
    tools = list(args.tools)
    if "qpdf" in tools and not shutil.which("qpdf"):
        print("qpdf not found: its column is skipped (install it with `apt-get install qpdf`)")
        tools.remove("qpdf")
    if "dossier" in tools and not dossier_available():
        print("`dossier build` is not available yet: its column is skipped")
        tools.remove("dossier")
    mach = machine()
    OUT.mkdir(parents=True, exist_ok=True)
    floor = measure(["/bin/true"], OUT / "floor.log")[3]
    mach["RSS floor of a measured child"] = f"{floor / MB:.0f} MB"
    print("machine:", ", ".join(f"{k} {v}" for k, v in mach.items()))
    load_before = load_average()
    results: dict[str, dict[str, Run]] = {}
    for size in sizes:
        info = json.loads(generate.generate(size, jobs=os.cpu_count() or 1).read_text())
        print(
            f"{size}: {info['annexes']} annexes, {info['annex_pages']:,} annex pages, "
            f"{info['input_bytes'] / 1e6:.1f} MB of annex files",
            flush=True,
        )
        work = OUT / f"run-{size}"
        work.mkdir(parents=True, exist_ok=True)
        repeat = args.repeat or (3 if size == "2k" else 1)
        runs: dict[str, list[Run]] = {t: [] for t in tools}
        for attempt in range(repeat):
            for tool in tools:
                run = run_tool(tool, size, info, work)
                runs[tool].append(run)
                state = (
                    f"{run.wall:6.2f} s, {run.cpu:6.2f} s CPU, {run.rss / MB:5.0f} MB RSS, "
                    f"{run.tree / MB:5.0f} MB PSS of all its processes"
                    if run.ok
                    else run.note
                )
                print(f"  {size} {tool:8s} run {attempt + 1}/{repeat}: {state}", flush=True)
        results[size] = {tool: best(rs) for tool, rs in runs.items()}
        d = results[size].get("dossier")
        if d is not None and d.ok:
            out = next(
                p for p in sorted((work / "dossier").glob("*.pdf")) if "public" not in p.name
            )
            nbytes, npages = front_matter_bytes(out, info["annex_pages"], work)
            results[size]["front"] = Run("front", size, nbytes > 0, out_bytes=nbytes, pages=npages)
            expected = info["annex_pages"] + info["annexes"]  # at least: annexes and dividers
            if d.pages < expected:
                d.ok, d.note = False, f"only {d.pages} pages, expected more than {expected}"
            if args.verify and shutil.which("qpdf"):
                done = subprocess.run(
                    ["qpdf", "--check", str(out)], capture_output=True, check=False
                )
                verdict_text = "clean" if done.returncode == 0 else f"exit {done.returncode}"
                print(f"  {size} qpdf --check of the dossier: {verdict_text}", flush=True)
                if done.returncode not in (0, 3):
                    d.ok, d.note = False, "qpdf --check failed: " + done.stdout.decode()[-200:]
    check = time_check(5, OUT)
    extra: dict[str, object] = {
        "load_before": load_before,
        "load_after": load_average(),
        "check": check,
    }
    extra["targets"] = targets(results, check)
    text = report(results, extra, mach)
    print()
    print(text)
    OUT.mkdir(exist_ok=True)
    (OUT / "last.md").write_text(text + "\n")
    dump = {
        "machine": mach,
        "extra": extra,
        "results": {s: {t: asdict(r) for t, r in rs.items()} for s, rs in results.items()},
    }
    (OUT / "last.json").write_text(json.dumps(dump, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
