"""The one place the tool starts worker processes: the public edition's annex pages, for the CLI.

Making an annex public renders every page again with pdfium at 150 dpi, finds and boxes the
names, and writes the pixels (dossier/public/pixels.py): CPU-bound work on independent annexes.
The CLI (``dossier build --jobs N``, default one process per core, at most 4) runs those jobs
with :func:`process_map`; the library (:func:`~dossier.commands.build.build_dossier`) never
starts a process unless its caller passes this. Worker processes are started with ``spawn``
(no fork of a process holding the case's parsed annexes) and import ``dossier`` themselves.

Measured with the public edition of the 2,000-page bench case (bench/public.py's case, OCR
cached, 2 vCPUs, load 0.6-1.6, two interleaved pairs, 2026-12-04 10:24-10:31):
``--jobs 1`` 123.6 s and 118.0 s wall (118-123 s CPU, 544 MB peak RSS); ``--jobs 2`` 82.4 s and
74.3 s wall (131-146 s CPU, 540 MB), -37 % wall on the best of each, byte-identical output.
The first build, with no OCR cached, took 501 s with ``--jobs 1``.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from ..errors import BuildError

MAX_WORKERS = 4
"""More would hold more pages of pixels in memory at once for little gain."""

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def process_map(workers: int) -> Callable[[Callable[[T], R], list[T]], Iterable[R]]:
    """``map`` over ``workers`` worker processes (results in order); ``fn`` and the items must
    pickle. A worker that dies (out of memory) stops the build with one line."""

    def run(fn: Callable[[T], R], items: list[T]) -> Iterator[R]:
        context = multiprocessing.get_context("spawn")
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                yield from pool.map(fn, items)
        except BrokenProcessPool as exc:
            raise BuildError(
                f"a worker making the public pages stopped ({exc}); the machine may be out of "
                "memory — build again with --jobs 1"
            ) from None

    return run
