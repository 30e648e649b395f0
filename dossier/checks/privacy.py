"""PRIV-01: confidential persons need a pseudonym and are never written into the texts we send
as our own: the cover letter (in every language it is written in), its subject, requests and
urgency justification, an annex title (cfa-brief §1.9, DESIGN §4). PRIV-04: the translation of a
confidential annex is confidential too.

Names are found by the public edition's one matcher (:func:`dossier.public.case_matcher`): any
inflection, word order, initials, look-alike letters or invisible characters. Annex *content*
that names a confidential party is the business of PRIV-02 (``leaks.py``): it is redacted in the
public edition.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem, problem
from ..load import CaseBundle
from ..load.sent import translations
from ..models.texts import variants
from ..public import NameMatcher, case_matcher
from . import Context
from .common import drafts, submission_text, translated_letters


def _fix(matcher: NameMatcher, party_id: str) -> str:
    return f"write the pseudonym '{matcher.pseudonym(party_id)}' instead"


def _translations(bundle: CaseBundle) -> Iterator[Problem]:
    """PRIV-04: the public edition withholds a confidential annex; its translation must not
    print the same content."""
    for translation, original in translations(bundle).items():
        annex, source = bundle.annex(translation), bundle.annex(original)
        if annex is not None and source is not None and source.confidential:
            if not annex.confidential:
                yield problem(
                    "PRIV-04",
                    bundle.at("annex", translation, "translation_of"),
                    f"translates confidential annex '{original}' but is not confidential: the "
                    "public edition would print in translation what it withholds",
                    "set 'confidential: true' on the translation too",
                )


def run(bundle: CaseBundle, ctx: Context) -> Iterator[Problem]:
    yield from _translations(bundle)
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
            for lang, variant in variants(value):
                for party_id in sorted(matcher.parties_in(variant)):
                    yield problem(
                        "PRIV-01",
                        bundle.at("submission", sub.id, *path, *([lang] if lang else [])),
                        f"names confidential party '{matcher.pseudonym(party_id)}'",
                        _fix(matcher, party_id),
                    )
        for text in [submission_text(bundle, sub, ctx.sources), *translated_letters(bundle, sub)]:
            if text is None:
                continue
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
            for lang, value in variants(getattr(annex, field) or ""):
                for party_id in sorted(matcher.parties_in(value)):
                    yield problem(
                        "PRIV-01",
                        bundle.at("annex", annex.id, field, *([lang] if lang else [])),
                        f"the annex {field.replace('_', ' ')} names confidential party "
                        f"'{matcher.pseudonym(party_id)}'",
                        f"write the pseudonym '{matcher.pseudonym(party_id)}' in the title",
                    )
