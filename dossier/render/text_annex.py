"""A ``.md``/``.txt`` annex typeset as its own PDF. The text is evidence: reproduced as received."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.flowables import HRFlowable

from ..load import CaseBundle
from ..models import Annex, Person
from . import i18n
from .doc import DocInfo, Part, build_pdf
from .fonts import SERIF
from .localise import localised
from .markdown import blocks, paragraphs, xml
from .names import display_name, redact_text
from .styles import FRAME_WIDTH, RULE_COLOR, Styles, make_styles

_RUN_OF_SPACES = re.compile(r"(?<= ) +|^ +")


def _faithful_line(line: str) -> str:
    """One source line as markup: spaces that a paragraph would collapse are kept (no-break)."""
    line = line.replace("\t", "    ")
    return _RUN_OF_SPACES.sub(lambda m: "\u00a0" * len(m.group()), xml(line))


MIN_LINE_FONT = 8.0
"""Smallest size at which a hard-wrapped text is set line for line without re-wrapping."""


def plain_text(text: str, styles: Styles) -> list[Flowable]:
    """Every source line starts a new line; blank lines are kept.

    A text wrapped by hand (short lines) is set small enough that no line wraps again; a text
    with one paragraph per line is set at body size, its lines wrapping as paragraphs.
    """
    lines = text.splitlines()
    widest = max((stringWidth(line.replace("\t", "    "), SERIF, 1) for line in lines), default=1)
    fitting = (FRAME_WIDTH - 1) / max(widest, 1)
    hand_wrapped = fitting >= MIN_LINE_FONT
    size = min(10.0, fitting) if hand_wrapped else 10.0
    style = ParagraphStyle(
        "source_line",
        parent=styles.body_left,
        fontSize=size,
        leading=size * 1.35,
        spaceAfter=0,
    )
    out: list[Flowable] = []
    for line in lines:
        if line.strip():
            out.extend(paragraphs(_faithful_line(line), style))
        else:
            out.append(Spacer(1, style.leading * 0.8))
    return out


def _issuer(bundle: CaseBundle, party_id: str, edition: str, lang: str) -> str:
    """The issuer as the dossier names it: an organisation in the dossier's language."""
    shown = display_name(bundle, party_id, edition)
    party = bundle.party(party_id)
    if party is None or shown != str(party.name) or isinstance(party, Person):
        return shown
    records = bundle.case.language if bundle.case is not None else "en"
    return localised(party.name, lang, records)


def render_text_annex(
    bundle: CaseBundle, annex: Annex, text: str, name: str, language: str, edition: str = "full"
) -> bytes:
    """Typeset a text annex (Markdown or plain text, from the file ``name``) as its own PDF.

    The heading (title, date, issuer, language, file name) is in ``language``; the body is the
    file's text, unchanged. ``edition`` only affects how the issuer's name is printed.
    """
    styles = make_styles()
    text = text.removeprefix("\ufeff")
    lang = language if language in i18n.LANGUAGES else "en"
    records = bundle.case.language if bundle.case is not None else "en"
    title = redact_text(bundle, localised(annex.title, lang, records), edition)
    head: list[Flowable] = [Paragraph(xml(title), styles.h1)]
    meta = []
    if annex.date is not None:
        meta.append(i18n.optional_date(annex.date, lang))
    if annex.issuer:
        meta.append(_issuer(bundle, annex.issuer, edition, lang))
    meta.append(i18n.language_name(annex.language, lang))
    head.append(Paragraph(xml(" · ".join(meta)), styles.small))
    head.append(Paragraph(xml(i18n.t(lang, "typeset_from", file=name)), styles.small))
    head.append(HRFlowable(width="100%", thickness=0.5, color=RULE_COLOR, spaceAfter=5 * mm))
    if Path(name).suffix.lower() in (".md", ".markdown"):
        body = blocks(text, styles, body_style=styles.body_left)
    else:
        body = plain_text(text, styles)
    date = annex.date.first_day() if annex.date is not None else dt.date(2000, 1, 1)
    info = DocInfo(
        title=title,
        author=_issuer(bundle, annex.issuer, edition, lang) if annex.issuer else "",
        subject=title,
        keywords="",
        lang=annex.language,
        date=date,
    )
    return build_pdf([Part(f"text:{annex.id}", [*head, *body])], info).pdf
