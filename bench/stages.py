"""Wall time of each stage of one ``dossier build``, without a profiler's overhead.

Wraps, at run time only, the stage functions that ``dossier.build`` calls (load, check, read
annexes, render, assemble, write) and Python's garbage collector, then runs the normal CLI::

    .venv/bin/python bench/stages.py bench/out/case-2k --submission ID --out /tmp/b

and prints one line per stage (calls, seconds) to stderr. Stage names that a later version of
build.py no longer uses are skipped. For a full profile use cProfile (see bench/README.md).
"""

from __future__ import annotations

import gc
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

TOTALS: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
STAGES = ("load_case", "check_case", "open_sources", "render", "assemble", "write_outputs")


class _TimedContext:
    def __init__(self, name: str, inner: Any) -> None:
        self.name, self.inner = name, inner

    def __enter__(self) -> Any:
        start = time.perf_counter()
        try:
            return self.inner.__enter__()
        finally:
            TOTALS[self.name] += time.perf_counter() - start

    def __exit__(self, *exc: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.inner.__exit__(*exc)
        finally:
            TOTALS[self.name + " (exit)"] += time.perf_counter() - start


def _timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        finally:
            TOTALS[name] += time.perf_counter() - start
            CALLS[name] += 1
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
    print(f"stages of one build ({total:.2f} s wall in all):", file=sys.stderr)
    for name, seconds in sorted(TOTALS.items(), key=lambda kv: -kv[1]):
        calls = CALLS.get(name.replace(" (exit)", ""), 0)
        print(f"  {name:24s} {seconds:7.2f} s  {calls:6d} calls", file=sys.stderr)


def main() -> int:
    from dossier import build
    from dossier.cli import cli

    for name in STAGES:
        if hasattr(build, name):
            setattr(build, name, _timed(name, getattr(build, name)))
    _gc_timer()
    start = time.perf_counter()
    try:
        cli.main(["build", *sys.argv[1:]], standalone_mode=False)
    finally:
        report(time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
