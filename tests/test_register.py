"""The submission register: earlier sent submissions, what they reported, stable annex numbers."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_addenda import ADDENDUM, COMPLAINT, MINIMAL, _annex

from dossier.commands.sent import mark_sent
from dossier.load import load_case
from dossier.load.frozen import frozen_path, read_frozen
from dossier.load.sent import (
    earlier_sent,
    first_reported,
    prior_numbers,
    reported_before,
    selected_allegations,
)
from dossier.load.sent import selected_allegations as submission_allegations

DRAFT_3386 = "2026-11-24-additional-information"


def test_3386_draft_knows_what_the_letters_of_2023_reported(case_dir: Path) -> None:
    bundle = load_case(case_dir)
    draft = bundle.submission(DRAFT_3386)
    assert draft is not None
    before = reported_before(bundle, draft)
    for allegation_id in draft.allegations:
        allegation = bundle.allegation(allegation_id)
        assert allegation is not None
        if allegation.first_reported == DRAFT_3386:
            # new in this draft (the extension of the detentions): no sent letter reported it
            assert allegation_id not in before
            continue
        # every other allegation of the draft was reported by the sent letter its record names
        assert before[allegation_id].id == allegation.first_reported
    dates = first_reported(bundle, draft)
    assert str(dates["2023-12-06-detentions"]) == "2023-12-11"
    assert str(dates["2022-06-16-jk-resolution-341-vii"]) == "2023-08-30"
    # the seed letters have no frozen record: no annex number is pinned by them
    assert prior_numbers(bundle, draft) == {}


def test_earlier_sent_of_a_sent_letter_stops_at_its_date(case_dir: Path) -> None:
    bundle = load_case(case_dir)
    sub = bundle.submission("2023-10-25-urgent-intervention")
    assert sub is not None
    earlier = [s.id for s in earlier_sent(bundle, sub)]
    assert "2023-10-24-urgent-intervention" in earlier
    assert "2023-12-11-urgent-intervention" not in earlier
    assert sub.id not in earlier
    dates = [s.date for s in earlier_sent(bundle, sub) if s.date]
    assert dates == sorted(dates)


def test_new_on_3386_selects_only_what_no_sent_letter_reported(case_dir: Path) -> None:
    path = case_dir / "submissions" / f"{DRAFT_3386}.yaml"
    text = path.read_text()
    start = text.index("allegations:\n")
    end = text.index("references:")
    path.write_text(text[:start] + "allegations: new\n" + text[end:])
    bundle = load_case(case_dir)
    draft = bundle.submission(DRAFT_3386)
    assert draft is not None and draft.allegations == "new"
    before = reported_before(bundle, draft)
    chosen = {a.id for a in submission_allegations(bundle, draft)}
    assert chosen.isdisjoint(before)
    expected = {
        a.id
        for a in bundle.allegations
        if a.id not in before and a.first_reported in (None, DRAFT_3386)
    }
    assert chosen == expected


def _case(root: Path, annexes: int) -> Path:
    case = root / "9999"
    shutil.copytree(MINIMAL, case)
    for n in range(annexes):
        _annex(case, f"doc-{n}", f"Document {n}", "2024-01-20", f"Document {n}.\n")
    return case


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=4), min_size=1, max_size=3),
)
def test_numbers_are_kept_and_new_ones_continue(addenda: list[list[int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case = _case(Path(tmp), 6)
        mark_sent(case, COMPLAINT, dt.date(2024, 2, 1), without_pdf=True)
        history = [read_frozen(frozen_path(case, COMPLAINT)).annex_numbers]
        for index, cited in enumerate(addenda):
            sub_id = f"2024-0{index + 3}-0{index + 1}-addendum"
            extra = ", ".join(dict.fromkeys(f"doc-{n}" for n in cited))
            text = ADDENDUM.format(id=sub_id, date=sub_id[:10])
            text = text.replace("allegations: new", f"allegations: new\nannexes_extra: [{extra}]")
            (case / "submissions" / f"{sub_id}.yaml").write_text(text)
            bundle = load_case(case)
            sub = bundle.submission(sub_id)
            assert sub is not None and not selected_allegations(bundle, sub)
            mark_sent(case, sub_id, dt.date(2024, index + 3, index + 1), without_pdf=True)
            numbers = read_frozen(frozen_path(case, sub_id)).annex_numbers
            used = {k: v for earlier in history for k, v in earlier.items()}
            for annex_id, number in numbers.items():
                if annex_id in used:
                    assert number == used[annex_id]  # Annex 7 stays Annex 7
                else:
                    assert number > max(used.values())  # new ones continue the numbering
            fresh = sorted(n for a, n in numbers.items() if a not in used)
            assert fresh == list(range(max(used.values()) + 1, max(used.values()) + 1 + len(fresh)))
            history.append(numbers)
        every = {k: v for earlier in history for k, v in earlier.items()}
        assert len(set(every.values())) == len(every)  # one number, one annex


def test_frozen_record_is_plain_json_with_its_pins(tmp_path: Path) -> None:
    case = _case(tmp_path, 0)
    result = mark_sent(case, COMPLAINT, dt.date(2024, 2, 3), without_pdf=True)
    data = json.loads(result.frozen.read_text())
    assert data["submission"] == COMPLAINT and data["sent_on"] == "2024-02-03"
    assert data["sent_pdf"] is None  # sent outside the tool: no PDF recorded
    assert data["annex_numbers"] == {"search-note": 1}
    pins = data["pins"]
    assert set(pins["records"]) >= {
        f"submission:{COMPLAINT}",
        "case:9999",
        "allegation:2024-01-05-search",
        "annex:search-note",
        "party:union",
        "party:government",
    }
    assert pins["annex_files"] == {
        "search-note": "a4cff06d89292a2c95bd8440f3eea296b1a64a5eb37d3d1b9598fa09e86a3182"
    }
    assert "date: 2024-02-03" in data["snapshot"][f"submissions/{COMPLAINT}.yaml"]
    assert data["snapshot"]["case.yaml"] == (case / "case.yaml").read_text()
