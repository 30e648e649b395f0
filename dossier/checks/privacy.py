"""PRIV-01: confidential persons are never printed in the cover letter or the annex index, and
annexes that name them are marked confidential (cfa-brief §1.9, DESIGN §4)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..errors import Problem, problem
from ..load import CaseBundle
from ..models import PartyBase
from . import Context
from .common import annex_text, drafts, submission_text


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _pattern(party: PartyBase) -> re.Pattern[str] | None:
    names = {fold(n) for n in [party.name, *(a.name for a in party.aliases)] if len(n) >= 3}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _find(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """Search the folded text; offsets are those of the folded text (same lines)."""
    return pattern.search(fold(text))


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    protected = [p for p in bundle.parties.all() if p.confidential]
    for party in protected:
        if not party.pseudonym:
            yield problem(
                "PRIV-01",
                bundle.at("party", party.id, "confidential"),
                "confidential without a pseudonym",
                "add 'pseudonym: Witness A' (printed in place of the name)",
            )
    patterns = [(p, pat) for p in protected if (pat := _pattern(p)) is not None]
    if not patterns:
        return
    for sub in drafts(bundle):
        texts: list[tuple[tuple[str | int, ...], str]] = [(("subject",), sub.subject or "")]
        texts += [(("requests", i), r) for i, r in enumerate(sub.requests)]
        texts.append((("urgency", "justification"), sub.urgency.justification or ""))
        for path, value in texts:
            for party, pattern in patterns:
                match = _find(pattern, value)
                if match is not None:
                    yield problem(
                        "PRIV-01",
                        bundle.at("submission", sub.id, *path),
                        f"names confidential party '{party.id}'",
                        f"write the pseudonym '{party.pseudonym or '…'}' instead",
                    )
        text = submission_text(bundle, sub, ctx.sources)
        if text is not None:
            folded = fold(text.text)
            for party, pattern in patterns:
                for match in pattern.finditer(folded):
                    yield problem(
                        "PRIV-01",
                        text.at(bundle, match.start()),
                        f"the cover letter names confidential party '{party.id}'",
                        f"write the pseudonym '{party.pseudonym or '…'}' instead",
                    )
    for annex in bundle.annexes:
        for party, pattern in patterns:
            if _find(pattern, annex.title) is not None:
                yield problem(
                    "PRIV-01",
                    bundle.at("annex", annex.id, "title"),
                    f"the annex title names confidential party '{party.id}'",
                    f"write the pseudonym '{party.pseudonym or '…'}' in the title",
                )
        if annex.confidential:
            continue
        text = annex_text(ctx.sources, annex)
        if text is None:
            continue
        folded = fold(text.text)
        for party, pattern in patterns:
            if pattern.search(folded) is not None:
                yield problem(
                    "PRIV-01",
                    bundle.at("annex", annex.id, "id"),
                    f"annex names confidential party '{party.id}' but is not confidential",
                    "set 'confidential: true', or add a redacted version as a separate annex",
                )
