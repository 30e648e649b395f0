"""Our own pages, typeset with reportlab from a :class:`~dossier.plan.Plan`.

Interface used by ``build.py``:

* :func:`render` typesets, in ONE reportlab PDF (one embedded, subset font set), every page we
  write ourselves: the front parts (:data:`dossier.plan.FRONT_PARTS`: cover letter, contents,
  allegations, chronology, annex list), one divider page per annex, and one stand-in page for an
  annex that is withheld (public edition) or whose ``file`` is still null ("to be supplied").
  ``Rendered.spans`` maps each part key (``"cover"``…, ``divider_key(id)``, ``annex_key(id)``
  for stand-in pages) to ``(first page index in that PDF (0-based), page count)``.
  ``Rendered.anchors`` maps ``"paragraph:<n>"`` to the 0-based page index where numbered
  paragraph n starts (for the outline). ``Rendered.boxes`` maps ``"signature"`` to the 0-based
  page index and rectangle of the cover letter's signature block (where a final PDF is signed).
* A draft carries the DRAFT mark on every page we typeset (``draft=True``); a final carries none;
  a model letter carries MODEL, a copy of a letter sent before the tool kept it COPY.
* Internal references (contents entries, ``(Annex 3, p. 27)`` pinpoints, annex numbers in the
  chronology and the list of annexes) are drawn as link annotations whose URI is
  ``dossier:page/<N>`` (N = 1-based dossier page); the assemble stage turns them into GoTo links.
* Every party name printed goes through :func:`names.display_name` (pseudonym for a confidential
  party in the public edition); free text (facts, letter body, titles) through
  :func:`names.redact_text`. Boilerplate comes from ``data/i18n.yaml`` via :func:`i18n.t`.
* Nothing is drawn in the bottom :data:`STAMP_BAND` of any page: the assemble stage stamps there.
* :func:`render_text_annex` typesets one ``.md``/``.txt`` annex file as its own PDF, so its page
  count is known before planning.

Output is byte-identical for identical inputs (reportlab invariant mode, creation date = the
submission date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..load import CaseBundle
from ..plan import PartKind, Plan, annex_key, divider_key
from . import i18n
from .allegations import allegations_part
from .annex_list import annex_list_part, divider_page, shown_title, stand_in_page
from .chronology import chronology_part
from .contents import contents_part
from .context import LINK_PREFIX, Ctx
from .cover import cover_letter, subject_text
from .doc import DocInfo, Part, build_pdf
from .head import is_copy, is_model
from .names import display_name, redact_text
from .signature import SIGNATURE_KEY, SignatureBox, signature_stamp
from .styles import STAMP_BAND
from .text_annex import render_text_annex

__all__ = [
    "LINK_PREFIX",
    "SIGNATURE_KEY",
    "DocInfo",
    "SignatureBox",
    "STAMP_BAND",
    "Rendered",
    "display_name",
    "redact_text",
    "render",
    "render_text_annex",
    "shown_title",
    "signature_stamp",
]


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    info: DocInfo
    """What the document says about itself (title, author…), for the dossier's metadata."""
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    anchors: dict[str, int] = field(default_factory=dict)
    boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)
    """Where blocks were drawn: key -> (0-based page index, (x1, y1, x2, y2) in points)."""

    def pages_of(self, key: str) -> int:
        return self.spans[key][1] if key in self.spans else 0

    def own_pages(self) -> dict[str, int]:
        """Page count of each front part, as :func:`dossier.plan.make_plan` wants it."""
        return {key: count for key, (_, count) in self.spans.items() if ":" not in key}


def _parts(ctx: Ctx, pages: bool = True) -> list[Part]:
    builders = {
        PartKind.COVER: cover_letter,
        PartKind.CONTENTS: contents_part,
        PartKind.ALLEGATIONS: allegations_part,
        PartKind.CHRONOLOGY: chronology_part,
        PartKind.ANNEX_LIST: annex_list_part,
    }
    parts = [Part(kind.value, builders[kind](ctx)) for kind in ctx.plan.front]
    if not pages:
        return parts
    for planned in ctx.plan.annexes:
        parts.append(Part(divider_key(planned.annex.id), divider_page(ctx, planned)))
        if planned.withheld or planned.annex.file is None:
            parts.append(Part(annex_key(planned.annex.id), stand_in_page(ctx, planned)))
    return parts


def _mark(ctx: Ctx, draft: bool | None) -> tuple[str | None, str | None]:
    """The mark across every page and the note at its top: a model letter, a copy of a letter
    sent before the tool kept it, or a draft (``draft``; by default while it is not sent); a
    final, or a letter sent from the tool, carries none."""
    sub = ctx.plan.submission
    if is_model(ctx):
        return ctx.t("model"), ctx.t("model_note")
    if is_copy(ctx):
        if sub.date is None:
            return ctx.t("copy"), ctx.t("copy_note_undated")
        return ctx.t("copy"), ctx.t("copy_note", date=i18n.exact_date(sub.date, ctx.lang))
    if not (not sub.sent if draft is None else draft):
        return None, None
    return ctx.t("draft"), ctx.t("draft_note")


def render(
    bundle: CaseBundle, plan: Plan, *, annex_pages: bool = True, draft: bool | None = None
) -> Rendered:
    """Typeset every page of our own (see module docstring).

    ``draft``: mark every page DRAFT (default: while the submission is not sent); a final
    build passes False.

    ``annex_pages=False`` lays out the front parts only, without the divider and stand-in
    pages, and writes no PDF (``Rendered.pdf`` is empty): dividers and stand-ins are one page
    each by construction, so a pass that only measures the front parts (for the plan's page
    counts) needs neither.
    """
    ctx = Ctx(bundle, plan)
    sub = plan.submission
    mark, note = _mark(ctx, draft)
    subject = subject_text(ctx) or ctx.case_label()
    info = DocInfo(
        title=subject
        if str(ctx.case.case_no) in subject
        else f"{ctx.case_label()}{ctx.t('label_sep')}{subject}",
        author=ctx.name(sub.sender),
        subject=subject,
        keywords=f"ILO; CFA; {ctx.case_label()}",
        lang=ctx.lang,
        date=sub.date or dt.date(2000, 1, 1),
        draft_text=mark,
        draft_note=note,
    )
    parts = _parts(ctx, annex_pages)
    if not parts:  # late additions, measured: no front part to lay out
        return Rendered(b"", info)
    built = build_pdf(parts, info, measure=not annex_pages)
    return Rendered(built.pdf, info, built.spans, built.anchors, built.boxes)
