"""The one output document, assembled with pypdf.

:func:`assemble` concatenates the rendered own pages and the annex sources (opened by the intake
stage) in plan order, stamps every page (case, part label, ``Page X of Y``) without rewriting
annex content streams, sets page labels, bookmarks (annex outlines nested), turns
``dossier:page/N`` links into GoTo links, sanitises annexes, sets metadata, and returns the
finished document, written once by the write stage. ``split`` makes the volumes of a dossier
that is too large to send at once.
"""

from __future__ import annotations

from .document import Assembled, AssembleReport, assemble
from .meta import Metadata

__all__ = ["AssembleReport", "Assembled", "Metadata", "assemble"]
