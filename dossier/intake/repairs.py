"""What pypdf repaired while reading an annex (broken xref, wrong offsets), for the report.

pypdf reports repairs as log warnings; :func:`collect_repairs` records them (in the words of the
build report) while a block runs and keeps them off stderr. Repairs made by the intake stage
itself are logged on :data:`log` and recorded the same way.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from .pypdf_names import end_names_at_nul

end_names_at_nul()  # every annex PDF is read after this module is imported (see pypdf_names)

log = logging.getLogger("dossier.intake")
"""Repairs made by the intake stage; :func:`collect_repairs` records them with pypdf's."""

_REPAIRS = (
    ("startxref", "repaired: the cross-reference table was broken; objects were found by scanning"),
    ("xref table not zero-indexed", "repaired: the cross-reference table was numbered wrongly"),
    ("invalid parent xref", "repaired: a damaged earlier cross-reference table was ignored"),
    ("object streams", ""),
    ("eof marker not found", "repaired: the end-of-file marker was missing"),
    ("ignoring wrong pointing object", "repaired: an object offset was wrong"),
)


_FOUND = re.compile(r"object \d+ \d+ found")


def describe_repair(message: str) -> str:
    """pypdf's log message in the words of the build report ('' for mere follow-ups)."""
    if message.startswith("repaired: "):
        return message
    lower = message.lower()
    if _FOUND.match(lower):
        return ""  # follow-ups of a wrong offset: each object found again by scanning
    for needle, text in _REPAIRS:
        if needle in lower:
            return text
    return f"read despite a defect: {message}"


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        message = describe_repair(message)
        if message and message not in self.messages:
            self.messages.append(message)


@contextmanager
def collect_repairs() -> Iterator[list[str]]:
    """Record what pypdf repaired while reading (its warnings), e.g. a broken xref table.

    The messages are yielded as a list that fills while the block runs; pypdf's own log output
    is suppressed meanwhile, so the build report is the one place they are shown.
    """
    recorder = _Recorder()
    logs = [logging.getLogger("pypdf"), log]
    old_propagate = [logger.propagate for logger in logs]
    for logger in logs:
        logger.addHandler(recorder)
        logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield recorder.messages
    finally:
        for logger, propagate in zip(logs, old_propagate, strict=True):
            logger.removeHandler(recorder)
            logger.propagate = propagate
