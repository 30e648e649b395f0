"""Property tests of the plan (pure: no PDF): numbering and page ranges for any mix of parts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.models import Allegation, Annex, Submission
from dossier.plan import (
    FRONT_PARTS,
    PartKind,
    make_plan,
    number_annexes,
    order_allegations,
    translation_letters,
)

IDS = [f"a{n}" for n in range(12)]


def _citing(cited: list[str]) -> Allegation:
    """One allegation citing the annexes ``cited``, in that order."""
    return Allegation.model_validate(
        {
            "id": "2023-05-01-x",
            "title": "X",
            "date": "2023-05-01",
            "category": "other",
            "facts": "F.",
            "evidence": [{"annex": i} for i in cited],
            "source": "test",
        }
    )


def _submission(extra: list[str]) -> Submission:
    return Submission.model_validate(
        {
            "id": "2024-01-10-test",
            "date": "2024-01-10",
            "kind": "additional_information",
            "sender": "union",
            "addressee": {"office": "Director-General"},
            "signatory": {"party": "someone"},
            "annexes_extra": extra,
        }
    )


@st.composite
def cases(draw: st.DrawFn) -> dict:
    """Annexes with page counts and flags, allegations citing them, extra and prior numbers."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=8, unique=True))
    annexes = {
        annex_id: Annex(
            id=annex_id,
            title=f"Annex {annex_id}",
            language="en",
            file=None if draw(st.booleans()) and draw(st.booleans()) else f"{annex_id}.pdf",
            confidential=draw(st.booleans()),
        )
        for annex_id in ids
    }
    pages = {annex_id: draw(st.integers(1, 40)) for annex_id in ids}
    allegations = []
    for n in range(draw(st.integers(0, 5))):
        cited = draw(st.lists(st.sampled_from(ids), max_size=4))
        evidence = [
            {"annex": annex_id, "pages": str(draw(st.integers(1, pages[annex_id] + 3)))}
            for annex_id in cited
        ]
        day = draw(st.integers(1, 28))
        allegations.append(
            Allegation.model_validate(
                {
                    "id": f"2023-05-{day:02d}-event-{n}",
                    "title": f"Event {n}",
                    "date": f"2023-05-{day:02d}",
                    "category": "other",
                    "facts": "Facts.",
                    "evidence": evidence,
                    "source": "test",
                }
            )
        )
    cited_ids = {ev.annex for a in allegations for ev in a.evidence}
    extra = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    if not cited_ids and not extra:
        extra = [ids[0]]
    used = [i for i in ids if i in cited_ids or i in extra]
    prior_ids = draw(st.lists(st.sampled_from(used), max_size=len(used), unique=True))
    prior: dict[str, int] = {}
    number = 0
    for annex_id in prior_ids:  # numbers sent before, unique, perhaps with gaps
        number += 1 + draw(st.integers(0, 2))
        prior[annex_id] = number
    own = {kind.value: draw(st.integers(1, 6)) for kind in FRONT_PARTS}
    return {
        "annexes": annexes,
        "pages": pages,
        "allegations": allegations,
        "extra": extra,
        "prior": prior,
        "own": own,
        "edition": draw(st.sampled_from(["full", "public"])),
    }


def _plan(case: dict, appendix_to: int = 0):  # type: ignore[no-untyped-def]
    return make_plan(
        _submission(case["extra"]),
        case["allegations"],
        case["annexes"],
        case["pages"],
        case["own"],
        language="en",
        edition=case["edition"],
        prior_numbers=case["prior"],
        appendix_to=appendix_to,
    )


@settings(max_examples=300, deadline=None)
@given(cases())
def test_numbers_keep_the_prior_ones_and_continue_without_gaps(case: dict) -> None:
    plan = _plan(case)
    prior = case["prior"]
    numbers = {a.annex.id: a.number for a in plan.annexes}
    for annex_id, number in numbers.items():
        if annex_id in prior:
            assert number == prior[annex_id]
    new = sorted(n for i, n in numbers.items() if i not in prior)
    start = max(prior.values(), default=0) + 1
    assert new == list(range(start, start + len(new)))
    assert len(set(numbers.values())) == len(numbers)
    # new annexes are numbered in order of first citation, then the extra ones
    cited = [ev.annex for a in order_allegations(case["allegations"]) for ev in a.evidence]
    order = list(dict.fromkeys([*cited, *case["extra"]]))
    fresh = [i for i in order if i not in prior]
    assert sorted(fresh, key=numbers.__getitem__) == fresh
    assert set(numbers) == set(order)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_parts_tile_the_pages_and_pinpoints_land_inside_their_annex(case: dict) -> None:
    plan = _plan(case)
    page = 1
    for part in plan.parts:
        assert part.first_page == page and part.pages >= 1
        page = part.last_page + 1
    assert plan.total_pages == page - 1
    assert len({p.key for p in plan.parts}) == len(plan.parts)
    assert [p.kind for p in plan.parts[: len(FRONT_PARTS)]] == list(FRONT_PARTS)
    for planned in plan.annexes:
        divider = plan.part(f"divider:{planned.annex.id}")
        body = plan.part(f"annex:{planned.annex.id}")
        assert divider.last_page + 1 == body.first_page == planned.first_page
        withheld = case["edition"] == "public" and planned.annex.confidential
        assert planned.withheld == withheld
        assert planned.pages == (1 if withheld else case["pages"][planned.annex.id])
    for paragraph in plan.paragraphs:
        for ref in paragraph.refs:
            target = next(a for a in plan.annexes if a.annex.id == ref.annex_id)
            assert target.first_page <= ref.dossier_page <= target.last_page
            assert ref.annex_no == target.number
    assert [p.number for p in plan.paragraphs] == list(range(1, len(plan.paragraphs) + 1))


@settings(max_examples=200, deadline=None)
@given(cases(), st.integers(1, 500))
def test_late_additions_continue_after_the_pages_sent(case: dict, sent_pages: int) -> None:
    plan = _plan(case, appendix_to=sent_pages)
    assert plan.front == ()
    assert plan.paragraphs == ()
    assert all(a.annex.id not in case["prior"] for a in plan.annexes)
    assert all(p.kind in (PartKind.DIVIDER, PartKind.ANNEX) for p in plan.parts)
    first = plan.parts[0].first_page if plan.parts else sent_pages + 1
    assert first == sent_pages + 1
    assert plan.total_pages == sent_pages + sum(p.pages for p in plan.parts)


@given(st.lists(st.sampled_from(IDS), max_size=10), st.lists(st.sampled_from(IDS), max_size=4))
def test_number_annexes_is_first_citation_order(cited: list[str], extra: list[str]) -> None:
    allegation = _citing(cited)
    numbers = number_annexes([allegation], extra)
    assert list(numbers) == list(dict.fromkeys([*cited, *extra]))
    assert list(numbers.values()) == list(range(1, len(numbers) + 1))


# ---- translations: printed with their original, as Annex 6a -----------------------------------


@st.composite
def translated_cases(draw: st.DrawFn) -> dict:
    """A case of :func:`cases` where some annexes translate others (no chains), sometimes
    numbered before with their original's number, sometimes (earlier dossiers) with their own."""
    case = draw(cases())
    ids = list(case["annexes"])
    originals = [i for i in ids if draw(st.booleans())] or ids[:1]
    translations: dict[str, str] = {}
    for annex_id in ids:
        if annex_id not in originals and draw(st.booleans()):
            translations[annex_id] = draw(st.sampled_from(originals))
    prior = dict(case["prior"])
    for translation, original in translations.items():
        if original in prior and draw(st.booleans()):
            prior[translation] = prior[original]  # sent before as Annex 6a
    case["prior"] = prior
    case["translations"] = translations
    return case


def _paired(case: dict) -> dict[str, str]:
    """The translations printed with their original: all but those numbered on their own."""
    prior = case["prior"]
    return {
        t: o for t, o in case["translations"].items() if t not in prior or prior[t] == prior.get(o)
    }


@settings(max_examples=300, deadline=None)
@given(translated_cases())
def test_a_translation_goes_with_its_original_and_takes_a_letter(case: dict) -> None:
    plan = make_plan(
        _submission(case["extra"]),
        case["allegations"],
        case["annexes"],
        case["pages"],
        case["own"],
        language="fr",
        edition=case["edition"],
        prior_numbers=case["prior"],
        translations=case["translations"],
    )
    paired = _paired(case)
    planned = {a.annex.id: a for a in plan.annexes}
    order = [a.annex.id for a in plan.annexes]
    for translation, original in paired.items():
        # together or not at all, with the original's number
        assert (translation in planned) == (original in planned)
        if translation in planned:
            assert planned[translation].number == planned[original].number
            assert planned[translation].letter and planned[translation].original == original
            # right after the original (or after its other translations)
            between = order[order.index(original) + 1 : order.index(translation)]
            assert all(paired.get(i) == original for i in between)
    # letters a, b, c… per original, in the order of the register
    for original in {o for o in paired.values() if o in planned}:
        mine = [t for t, o in paired.items() if o == original]
        assert [planned[t].letter for t in mine] == [chr(ord("a") + i) for i in range(len(mine))]
    # every other annex has a number of its own: the prior one, or gap-free after the highest
    own = {i: a.number for i, a in planned.items() if not a.letter}
    assert len(set(own.values())) == len(own)
    prior = case["prior"]
    new = sorted(n for i, n in own.items() if i not in prior)
    start = max(prior.values(), default=0) + 1
    assert new == list(range(start, start + len(new)))
    labels = [a.label for a in plan.annexes]
    assert len(set(labels)) == len(labels)
    # a pinpoint may cite a translation: it lands in the translation, labelled with its letter
    for paragraph in plan.paragraphs:
        for ref in paragraph.refs:
            target = planned[ref.annex_id]
            assert ref.annex_label == target.label
            assert target.first_page <= ref.dossier_page <= target.last_page
    # stamps and bookmarks use the label
    for part in plan.parts:
        if part.annex_id is not None:
            assert part.annex_label == planned[part.annex_id].label


@given(st.lists(st.sampled_from(IDS), max_size=10), st.lists(st.sampled_from(IDS), max_size=4))
def test_citing_only_the_translation_brings_the_original(
    cited: list[str], extra: list[str]
) -> None:
    translations = {"a1": "a0", "a2": "a0", "a5": "a4"}
    allegation = _citing(cited)
    numbers = number_annexes([allegation], extra, translations=translations)
    letters = translation_letters(numbers, translations)
    for translation, original in translations.items():
        if translation in [*cited, *extra] or original in [*cited, *extra]:
            assert numbers[translation] == numbers[original]
    assert {t: letters[t] for t in letters} == {
        t: {"a1": "a", "a2": "b", "a5": "a"}[t] for t in letters
    }
    roots = list(dict.fromkeys(translations.get(i, i) for i in [*cited, *extra]))
    assert [numbers[r] for r in roots] == list(range(1, len(roots) + 1))
