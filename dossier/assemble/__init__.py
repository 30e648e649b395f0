"""The one output document, assembled with pypdf.

Interface used by ``build.py``:

* :func:`open_sources` opens every annex of the plan's candidates (PDF, possibly encrypted, with
  the password from ``password_env``; JPEG/PNG/TIFF made into one page each at their own aspect
  ratio; text annexes via ``render.render_text_annex``) and returns their page counts, so the plan
  can be made. Unreadable annexes raise :class:`~dossier.errors.AnnexError` naming the annex.
* :func:`assemble` concatenates the rendered own pages and the annex sources in plan order,
  stamps every page (case, part label, ``Page X of Y``) without rewriting annex content streams,
  sets page labels, bookmarks (annex outlines nested), turns ``dossier:page/N`` links into GoTo
  links, sanitises annexes, sets metadata, and returns the finished PDF as bytes plus a report.
"""

from __future__ import annotations

from .document import Assembled, AssembleReport, assemble
from .meta import Metadata
from .sources import Source, Sources, annex_path, open_source, open_sources

__all__ = [
    "AssembleReport",
    "Assembled",
    "Metadata",
    "Source",
    "Sources",
    "annex_path",
    "assemble",
    "open_source",
    "open_sources",
]
