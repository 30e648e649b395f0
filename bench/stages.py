"""Wall time of each stage of one ``dossier build``, without a profiler's overhead.

Wraps, at run time only, the stage functions that ``dossier.commands.editions`` and
``dossier.commands.build`` call (load, read annexes, check, render, assemble, write) and times
Python's garbage collector, then runs the normal CLI::

    .venv/bin/python bench/stages.py bench/out/case-2k --submission ID --out /tmp/b

and prints one line per stage (calls, seconds, peak RSS) to stderr. Stage names that a later
version no longer uses are skipped. For a full profile use cProfile (see README.md).

Experiment (not a change to dossier): ``--gc freeze`` calls ``gc.freeze()`` once the annexes are
open, so the collector stops re-scanning their millions of long-lived pypdf objects; ``--gc off``
disables the cyclic collector for the whole build; ``--gc tuned`` freezes as above and sets
``gc.set_threshold(10_000, 50, 1_000)`` (full collections become rare). ``--no-a85`` sets
reportlab's ``rl_config.useA85 = 0`` (no ASCII85 layer on the streams of our own pages). To try
reportlab's C accelerator without touching .venv: ``pip install --target /tmp/rlacc rl_accel``
and run with ``PYTHONPATH=/tmp/rlacc``.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

TOTALS: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
PEAK: dict[str, int] = {}  # stage -> peak RSS of the process (MB) when the stage last ended
STAGES = ("load_case", "check_case", "open_sources", "render", "assemble", "write_outputs")


GC_MODE = "normal"


class _TimedContext:
    def __init__(self, name: str, inner: Any) -> None:
        self.name, self.inner = name, inner

    def __enter__(self) -> Any:
        start = time.perf_counter()
        try:
            return self.inner.__enter__()
        finally:
            if GC_MODE in ("freeze", "tuned") and self.name == "open_sources":
                gc.freeze()
            TOTALS[self.name] += time.perf_counter() - start
            PEAK[self.name] = _peak_mb()

    def __exit__(self, *exc: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.inner.__exit__(*exc)
        finally:
            TOTALS[self.name + " (exit)"] += time.perf_counter() - start


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        finally:
            TOTALS[name] += time.perf_counter() - start
            CALLS[name] += 1
            PEAK[name] = _peak_mb()
        if hasattr(result, "__enter__") and hasattr(result, "__exit__"):
            return _TimedContext(name, result)
        return result

    return wrapper


def _gc_timer() -> None:
    started: list[float] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            TOTALS[f"gc gen{info['generation']}"] += time.perf_counter() - started.pop()
            CALLS[f"gc gen{info['generation']}"] += 1

    gc.callbacks.append(callback)


def report(total: float) -> None:
    cpu = time.process_time()
    print(
        f"stages of one build, gc {GC_MODE} ({total:.2f} s wall, {cpu:.2f} s CPU in all):",
        file=sys.stderr,
    )
    for name, seconds in sorted(TOTALS.items(), key=lambda kv: -kv[1]):
        calls = CALLS.get(name.replace(" (exit)", ""), 0)
        peak = f"peak RSS {PEAK[name]:5d} MB after it" if name in PEAK else ""
        print(f"  {name:24s} {seconds:7.2f} s  {calls:6d} calls  {peak}", file=sys.stderr)


def main() -> int:
    global GC_MODE
    from dossier.cli import cli
    from dossier.commands import build, editions

    args = sys.argv[1:]
    if "--gc" in args:
        at = args.index("--gc")
        GC_MODE = args[at + 1]
        del args[at : at + 2]
    if "--no-a85" in args:  # experiment: reportlab streams without the ASCII85 layer
        args.remove("--no-a85")
        from reportlab import rl_config

        rl_config.useA85 = 0
        print("reportlab useA85 = 0", file=sys.stderr)
    try:
        import _rl_accel  # noqa: F401

        print("reportlab C accelerator (rl_accel) in use", file=sys.stderr)
    except ImportError:
        print("reportlab C accelerator (rl_accel) not installed", file=sys.stderr)
    if GC_MODE == "off":
        gc.disable()
    elif GC_MODE == "tuned":
        gc.set_threshold(10_000, 50, 1_000)

    for name in STAGES:
        for module in (editions, build):
            if hasattr(module, name):
                setattr(module, name, _timed(name, getattr(module, name)))
    _gc_timer()
    start = time.perf_counter()
    try:
        cli.main(["build", *args], standalone_mode=False)
    finally:
        report(time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
