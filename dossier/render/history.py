"""The history of a case in an addendum's own pages: earlier letters cited with their dates,
"Since our letter of 25 October 2023 …", and "First reported on 30 August 2023" per paragraph.

Everything comes from the submission register (``register.py``) and ``diff.py``: submissions
marked sent, their frozen records, the ``references`` and ``first_reported`` of the records.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date

from ..load.changes import diff_bundle
from ..load.sent import earlier_sent, first_reported
from ..models import Submission, SubmissionKind
from . import i18n
from .context import Ctx


def first_reported_dates(ctx: Ctx) -> dict[str, dt.date]:
    """Allegation id -> date of the earlier sent submission that first reported it."""
    dates = first_reported(ctx.bundle, ctx.plan.submission)
    return {key: day for key, day in dates.items() if day is not None}


def first_reported_note(ctx: Ctx, day: dt.date | None) -> str | None:
    """``First reported on 30 August 2023.`` (None for what is reported here first)."""
    return ctx.t("first_reported", date=i18n.exact_date(day, ctx.lang)) if day else None


def mentions(text: str, day: dt.date, lang: str) -> bool:
    """True when ``text`` names ``day`` (``24 and 25 October``, ``11 December 2023``…)."""
    month = format_date(day, "MMMM", locale=i18n.locale(lang))
    pattern = rf"(?<!\d)0?{day.day}(?:st|nd|rd|th|er)?\b[^.]{{0,40}}?\b{re.escape(month)}\b"
    return re.search(pattern, text, re.IGNORECASE) is not None


def printed_letter(ctx: Ctx) -> tuple[str, str]:
    """The Markdown letter the dossier prints, and the language it is written in: in the
    dossier's language when given, else as the records have it. What it says decides what the
    tool adds (the letters it refers to), so every edition adds the same sentences."""
    sub_id = ctx.plan.submission.id
    own = ctx.bundle.letter_texts.get((sub_id, ctx.lang))
    if own is not None:
        return own, ctx.lang
    text = ctx.bundle.letters.get(sub_id, "")
    for (found_id, language), found in ctx.bundle.letter_texts.items():
        if found_id == sub_id and found == text:
            return text, language
    return text, ctx.records_lang


def _own_letters(ctx: Ctx) -> list[Submission]:
    sub = ctx.plan.submission
    out = []
    for ref in sub.references:
        found = ctx.bundle.submission(ref)
        if found is not None and found.sent and found.date and found.sender == sub.sender:
            out.append(found)
    return out


def references_text(ctx: Ctx) -> str | None:
    """``This communication follows our letters of …`` for the ``references`` the letter's own
    text does not already name (TIME-02: earlier letters resolve to submissions)."""
    body, language = printed_letter(ctx)
    days = sorted(
        {s.date for s in _own_letters(ctx) if s.date and not mentions(body, s.date, language)}
    )
    if not days:
        return None
    dates = i18n.join_list([i18n.exact_date(d, ctx.lang) for d in days], ctx.lang)
    return ctx.t("refers_one" if len(days) == 1 else "refers_many", dates=dates)


def since_text(ctx: Ctx) -> str | None:
    """``Since our letter of 1 February 2024, this communication reports 2 new facts …``.

    Only after a letter of the same sender that was marked sent (frozen), so that what it
    contained is known exactly.
    """
    sub = ctx.plan.submission
    if sub.kind is SubmissionKind.COMPLAINT:
        return None
    frozen = ctx.bundle.frozen
    earlier = [
        s
        for s in earlier_sent(ctx.bundle, sub)
        if s.sender == sub.sender and s.id in frozen and s.date
    ]
    last = earlier[-1] if earlier else None
    if last is None or last.date is None:
        return None
    diff = diff_bundle(ctx.bundle, last.id, sub.id)
    numbers = {p.allegation.id: p.number for p in ctx.plan.paragraphs}
    in_plan = {a.annex.id: a for a in ctx.plan.annexes}
    new = [numbers[a.id] for a in diff.new_allegations if a.id in numbers]
    updated = [numbers[c.id] for c in diff.changed_allegations if c.id in numbers]
    annexes = [in_plan[a.id] for _, a in diff.new_annexes if a.id in in_plan]
    items = []
    for key, found in (("since_new", new), ("since_updated", updated)):
        if found:
            listed = i18n.join_list(i18n.number_ranges(found, ctx.lang), ctx.lang)
            plural = "one" if len(found) == 1 else "many"
            items.append(ctx.t(f"{key}_{plural}", n=len(found), list=listed))
    if annexes:  # numbers in ranges, then translations by their label (6a)
        ranges = i18n.number_ranges([a.number for a in annexes if not a.letter], ctx.lang)
        listed = i18n.join_list(ranges + [a.label for a in annexes if a.letter], ctx.lang)
        plural = "one" if len(annexes) == 1 else "many"
        items.append(ctx.t(f"since_annexes_{plural}", n=len(annexes), list=listed))
    if not items:
        return None
    return ctx.t(
        "since_letter",
        date=i18n.exact_date(last.date, ctx.lang),
        items=i18n.join_list(items, ctx.lang),
    )


def history_text(ctx: Ctx) -> str | None:
    """The cover letter's sentences on earlier letters, or None."""
    parts = [text for text in (references_text(ctx), since_text(ctx)) if text]
    return " ".join(parts) or None
