"""reportlab, where its public API falls short: every reach into its internals is here.

- :func:`plain_streams` writes streams Flate-compressed without the ASCII85 layer (a setting,
  not an internal; here so that every stage that draws shares one).
- :func:`draw_xobject` places an image XObject under a name we choose. ``Canvas.drawImage``
  names an image by the MD5 of its decoded pixels, so it decodes a JPEG in full only to name it
  and then embeds it ASCII85-wrapped. Measured 2026-12-04 on this 2-vCPU machine with a
  12-megapixel photo (7.4 MB JPEG, one page): ``drawImage`` 0.46-0.58 s and a 9.3 MB PDF, this
  0.02 s and 7.4 MB (the JPEG as it is). The public edition's page pictures (4-bit grey Flate
  data made by ``public/pdfout.py``) are not something ``drawImage`` can take at all.
- :func:`set_creation_date` dates the document (reportlab has no setter for it).
- :func:`document_of` gives the canvas's document, which reportlab's ``TTFont.splitString`` and
  ``getSubsetInternalName`` take to subset a font (the stamps, ``assemble/stamp.py``).

The private names used (``_doc``, ``_timeStamp``, ``_setXObjects``, ``_code``, ``_formsinuse``)
are those of reportlab 4.x-5.x's ``Canvas``; the tests that build images, stamps and the public
edition fail if they change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas


@contextmanager
def plain_streams() -> Iterator[None]:
    """reportlab writes its streams Flate-compressed only, without the ASCII85 layer.

    ``rl_config.useA85`` (on by default) is read when a document is saved; ASCII85 makes every
    stream a quarter larger (a JPEG image too) and is encoded in pure Python. The setting is
    process-wide, so it is restored on leaving.
    """
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


def draw_xobject(pdf: canvas.Canvas, image: pdfdoc.PDFImageXObject, name: str) -> None:
    """Draw ``image`` into the unit square of the current transformation, as XObject ``name``.

    The first call with a ``name`` registers ``image``; later calls with it draw the same
    XObject again. The caller scales (and moves) the square to the picture's place.
    """
    doc = pdf._doc
    reg_name = doc.getXObjectName(name)
    if doc.idToObject.get(reg_name) is None:
        image.name = name
        pdf._setXObjects(image)
        doc.Reference(image, reg_name)
        doc.addForm(name, image)
    pdf._code.append(f"/{reg_name} Do")
    pdf._formsinuse.append(name)


def set_creation_date(pdf: canvas.Canvas, date: dt.date) -> None:
    """The document's creation and modification date: ``date`` at midnight (reportlab's
    invariant mode alone writes 2000-01-01; the dossier carries its submission's date)."""
    pdf._doc._timeStamp.YMDhms = (date.year, date.month, date.day, 0, 0, 0)


def document_of(pdf: canvas.Canvas) -> Any:
    """The ``PDFDocument`` behind ``pdf``, for reportlab's font subsetting calls."""
    return pdf._doc
