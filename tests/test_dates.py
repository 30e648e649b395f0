"""Dates with precision: parsing round-trips, bounds are ordered, sorting is consistent."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.models import DateRange, PartialDate, when_bounds, when_key
from dossier.models.common import parse_partial_date, parse_when


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    if precision == "day":
        return PartialDate(day.year, day.month, day.day)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year)


@st.composite
def ranges(draw: st.DrawFn) -> DateRange:
    a, b = sorted([draw(partial_dates()), draw(partial_dates())], key=lambda d: d.first_day())
    return DateRange.model_validate({"from": str(a), "to": str(b)})


whens = st.one_of(partial_dates(), ranges())


@given(partial_dates())
def test_str_round_trips(date: PartialDate) -> None:
    assert parse_partial_date(str(date)) == date
    assert parse_partial_date(str(date)).precision == date.precision


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_calendar_dates_and_strings_agree(day: dt.date) -> None:
    assert parse_partial_date(day) == parse_partial_date(day.isoformat())
    assert parse_partial_date(day).first_day() == day == parse_partial_date(day).last_day()


@given(partial_dates())
def test_first_day_not_after_last_day(date: PartialDate) -> None:
    assert date.first_day() <= date.last_day()
    if date.precision == "year":
        assert (date.first_day(), date.last_day()) == (
            dt.date(date.year, 1, 1),
            dt.date(date.year, 12, 31),
        )
    if date.precision == "month":
        assert (date.last_day() + dt.timedelta(days=1)).day == 1


@given(whens)
def test_bounds_are_ordered(when: PartialDate | DateRange) -> None:
    first, last = when_bounds(when)
    assert first <= last


@given(st.lists(whens, min_size=2, max_size=8))
def test_when_key_orders_by_first_possible_day(items: list[PartialDate | DateRange]) -> None:
    ordered = sorted(items, key=when_key)
    firsts = [when_bounds(w)[0] for w in ordered]
    assert firsts == sorted(firsts)
    assert [when_key(w) for w in sorted(reversed(items), key=when_key)] == [
        when_key(w) for w in ordered
    ]


@given(partial_dates(), partial_dates())
def test_when_key_is_consistent_with_containment(a: PartialDate, b: PartialDate) -> None:
    """A date that ends before another begins always sorts first."""
    if a.last_day() < b.first_day():
        assert when_key(a) < when_key(b)


@given(whens)
def test_parse_when_round_trips_through_its_yaml_form(when: PartialDate | DateRange) -> None:
    raw: object = (
        {"from": str(when.start), "to": str(when.end)} if isinstance(when, DateRange) else str(when)
    )
    assert parse_when(raw) == when


@pytest.mark.parametrize(
    "bad", ["2023-02-30", "2023-13", "2023-00-10", "23-10-01", "2023/10/01", "", "next week"]
)
def test_impossible_or_malformed_dates_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(bad)


def test_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="without a time of day"):
        parse_partial_date(dt.datetime(2023, 12, 6, 10, 0))
