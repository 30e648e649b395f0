"""Our own pages, typeset with reportlab from a :class:`~dossier.plan.Plan`.

Interface used by ``build.py``:

* :func:`render` typesets, in ONE reportlab PDF (one embedded, subset font set), every page we
  write ourselves: the front parts (:data:`dossier.plan.FRONT_PARTS`: cover letter, contents,
  allegations, chronology, annex list), one divider page per annex, and, for withheld annexes in
  the public edition, the one "withheld" page. ``Rendered.spans`` maps each part key
  (``"cover"``…, ``divider_key(id)``, ``annex_key(id)`` for withheld pages) to
  ``(first page index in that PDF, page count)``.
* Internal references (contents entries, ``(Annex 3, p. 27)`` pinpoints) are drawn as link
  annotations whose URI is ``dossier:page/<N>`` (N = 1-based dossier page); the assemble stage
  turns them into GoTo links to page N.
* :func:`render_text_annex` typesets one ``.md``/``.txt`` annex file as its own PDF, so its page
  count is known before planning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..load import CaseBundle
from ..models import Annex
from ..plan import Plan

LINK_PREFIX = "dossier:page/"


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def pages_of(self, key: str) -> int:
        return self.spans[key][1] if key in self.spans else 0


def render(bundle: CaseBundle, plan: Plan) -> Rendered:
    """Typeset every page of our own (see module docstring)."""
    raise NotImplementedError


def render_text_annex(bundle: CaseBundle, annex: Annex, path: Path, language: str) -> bytes:
    """Typeset a text annex (Markdown or plain text) as a PDF of its own."""
    raise NotImplementedError
