"""PRIV-01: confidential persons need a pseudonym and are never written into the texts we send
as our own: the cover letter, its subject, requests and urgency justification, an annex title
(cfa-brief §1.9, DESIGN §4).

Names are found by the public edition's one matcher (:func:`dossier.public.case_matcher`): any
inflection, word order, initials, look-alike letters or invisible characters. Annex *content*
that names a confidential party is the business of PRIV-02 (``leaks.py``): it is redacted in the
public edition.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem, problem
from ..load import CaseBundle
from ..public import NameMatcher, case_matcher
from . import Context
from .common import drafts, submission_text


def _fix(matcher: NameMatcher, party_id: str) -> str:
    return f"write the pseudonym '{matcher.pseudonym(party_id)}' instead"


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
    if not protected:
        return
    matcher = case_matcher(bundle)
    if not matcher:
        return
    for sub in drafts(bundle):
        texts: list[tuple[tuple[str | int, ...], str]] = [(("subject",), sub.subject or "")]
        texts += [(("requests", i), r) for i, r in enumerate(sub.requests)]
        texts.append((("urgency", "justification"), sub.urgency.justification or ""))
        for path, value in texts:
            for party_id in sorted(matcher.parties_in(value)):
                yield problem(
                    "PRIV-01",
                    bundle.at("submission", sub.id, *path),
                    f"names confidential party '{matcher.pseudonym(party_id)}'",
                    _fix(matcher, party_id),
                )
        text = submission_text(bundle, sub, ctx.sources)
        if text is not None:
            for match in matcher.find(text.text):
                yield problem(
                    "PRIV-01",
                    text.at(bundle, match.start),
                    f"the cover letter names confidential party "
                    f"'{matcher.pseudonym(match.party_id)}'",
                    _fix(matcher, match.party_id),
                )
    for annex in bundle.annexes:
        for field in ("title", "public_title"):
            value = getattr(annex, field) or ""
            for party_id in sorted(matcher.parties_in(value)):
                yield problem(
                    "PRIV-01",
                    bundle.at("annex", annex.id, field),
                    f"the annex {field.replace('_', ' ')} names confidential party "
                    f"'{matcher.pseudonym(party_id)}'",
                    f"write the pseudonym '{matcher.pseudonym(party_id)}' in the title",
                )
