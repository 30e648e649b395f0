"""Run one pure computation in a forked process while this one does other work.

The build typesets its own pages (CPU-bound reportlab) while it reads the annexes (CPU-bound
pypdf); on a machine with two cores the two overlap. The child gets a copy of the process
(``os.fork``), computes, sends its pickled result through a pipe and exits at once with
``os._exit`` (no cleanup handler of the parent runs twice). Anything that goes wrong in the child
— an exception, a result that does not pickle, a killed process — makes :meth:`Ahead.result`
return None, and the caller computes in its own process instead (so errors are raised where
they always were). Where ``os.fork`` does not exist, or when the process runs other threads (a
forked child could wait forever on a lock one of them held), nothing runs ahead.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
import warnings
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Ahead(Generic[T]):
    """``job()`` running in a forked child; :meth:`result` waits for it (None: compute here)."""

    def __init__(self, job: Callable[[], T]) -> None:
        self._pid: int | None = None
        self._fd: int | None = None
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return  # a fork copies no other thread, and a lock one of them holds stays locked
        read_fd, write_fd = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python 3.12 warns about forking with threads
            pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(read_fd)
                data = pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_fd, "wb") as out:
                    out.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 — the parent computes again and reports it
                pass
            finally:
                os._exit(code)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> T | None:
        """The child's result, or None when there is none (no fork, or the child failed)."""
        if self._pid is None or self._fd is None:
            return None
        with os.fdopen(self._fd, "rb") as stream:
            self._fd = None
            data = stream.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status != 0 or not data:
            return None
        try:
            value: Any = pickle.loads(data)
        except Exception:  # noqa: BLE001
            return None
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child if it still runs (the parent failed, or no longer needs it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None
