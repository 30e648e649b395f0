"""One correction to how pypdf reads PDF syntax, applied once when the intake stage is imported.

PDF counts the NUL byte as white-space (ISO 32000-1, 7.2.2, Table 1), so a name token ends at
it. pypdf 5-7 ends a name only at the other white-space characters and the delimiters: in
``[/Indexed /DeviceRGB<NUL>255 <…>]`` (AutoCAD writes colour spaces so) it reads one name
``/DeviceRGB\\x00255`` and loses the hival, and the annex copied into the dossier carries a
damaged colour space (qpdf: "null character not allowed in name token"; the image no longer
draws). pypdf reads names, and the operators of content streams, with the class attribute
``NameObject.delimiter_pattern``; :func:`end_names_at_nul` adds NUL to it. Nothing else of
pypdf is changed; remove this module once pypdf ends names at NUL itself.
"""

from __future__ import annotations

import re

from pypdf.generic import NameObject

DELIMITERS = re.compile(rb"[\s\x00]+|[\(\)<>\[\]{}/%]")
"""pypdf's own pattern (``\\s+|[()<>[\\]{}/%]``) with NUL among the white-space."""


def end_names_at_nul() -> None:
    """Make pypdf end a name token at NUL, as PDF does (idempotent)."""
    NameObject.delimiter_pattern = DELIMITERS
