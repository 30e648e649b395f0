"""Shared building blocks of the records: the base model, ids, and dates with precision."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"

Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        description="Stable identifier: lower-case letters, digits, '.', '_' and '-'.",
    ),
]


class Record(BaseModel):
    """Base of every record: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Literal["day", "month", "year"]:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @classmethod
    def of(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)


_PARTIAL_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _reading(year: int, month: int, day: int) -> str | None:
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d} for {day} {_MONTHS[month - 1]}"


def date_hint(value: object) -> str:
    """How to write ``value`` (e.g. ``12/06/2023``) as an ISO date, without guessing the order
    of day and month: ``write 2023-06-12 for 12 June or 2023-12-06 for 6 December``."""
    text = str(value).strip()
    year_first = _YEAR_FIRST.match(text)
    if year_first:
        year, month, day = (int(g) for g in year_first.groups())
        reading = _reading(year, month, day)
        if reading is not None:
            return f"write {reading}"
    match = _NUMERIC_DATE.match(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        readings = [_reading(year, second, first), _reading(year, first, second)]
        unique = list(dict.fromkeys(r for r in readings if r is not None))
        if unique:
            return "write " + " or ".join(unique)
    return "write it as YYYY-MM-DD (e.g. 2023-06-12 for 12 June 2023), YYYY-MM or YYYY"


def parse_partial_date(value: Any) -> PartialDate:
    """Accept ``2023-12-06`` (date or string), ``2023-10``, ``2023``, or ``{year, month}``."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        raise ValueError("give a date without a time of day, e.g. 2023-06-12 for 12 June 2023")
    if isinstance(value, dt.date):
        return PartialDate.of(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, dict):
        unknown = set(value) - {"year", "month", "day"}
        if unknown or "year" not in value:
            raise ValueError("a partial date is {year: 2023} or {year: 2023, month: 10}")
        value = "-".join(
            f"{int(value[k]):02d}" if k != "year" else f"{int(value[k]):04d}"
            for k in ("year", "month", "day")
            if value.get(k) is not None
        )
    if not isinstance(value, str):
        raise ValueError(f"expected a date; {date_hint(value)}")
    match = _PARTIAL_RE.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not a date; {date_hint(value)}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{value}': month must be 01 to 12")
    if day is not None:
        assert month is not None
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"'{value}' is not a real calendar day") from None
    return PartialDate(year, month, day)


_PARTIAL_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        {"type": "integer", "minimum": 1900, "maximum": 2100},
        {
            "type": "object",
            "properties": {
                "year": {"type": "integer"},
                "month": {"type": "integer", "minimum": 1, "maximum": 12},
            },
            "required": ["year"],
            "additionalProperties": False,
        },
    ],
    "examples": ["2023-12-06", "2023-10", "2020"],
}

PartialDateField = Annotated[
    PartialDate,
    PlainValidator(parse_partial_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(_PARTIAL_SCHEMA),
]


class DateRange(Record):
    """A period: both ends may be known only to the month or year."""

    start: PartialDateField = Field(alias="from", description="First day (or month, year).")
    end: PartialDateField = Field(alias="to", description="Last day (or month, year).")


def parse_when(value: Any) -> PartialDate | DateRange:
    """A single date (any precision) or a ``{from, to}`` range."""
    if isinstance(value, DateRange):
        return value
    if isinstance(value, dict) and ("from" in value or "to" in value):
        return DateRange.model_validate(value)
    return parse_partial_date(value)


def _dump_when(value: PartialDate | DateRange) -> Any:
    if isinstance(value, DateRange):
        return {"from": str(value.start), "to": str(value.end)}
    return str(value)


When = Annotated[
    PartialDate | DateRange,
    PlainValidator(parse_when),
    PlainSerializer(_dump_when),
    WithJsonSchema(
        {
            "anyOf": [
                _PARTIAL_SCHEMA,
                {
                    "type": "object",
                    "description": "A period with both ends known at least to the year.",
                    "properties": {"from": _PARTIAL_SCHEMA, "to": _PARTIAL_SCHEMA},
                    "required": ["from", "to"],
                    "additionalProperties": False,
                },
            ],
            "examples": ["2023-12-06", "2023-10", {"from": "2020-02", "to": "2020-06"}],
        }
    ),
]


def when_bounds(when: PartialDate | DateRange) -> tuple[dt.date, dt.date]:
    """Earliest and latest calendar day a date or range may stand for."""
    if isinstance(when, DateRange):
        return when.start.first_day(), when.end.last_day()
    return when.first_day(), when.last_day()


def when_key(when: PartialDate | DateRange) -> tuple[dt.date, dt.date]:
    """Sort key: chronological by first possible day, then by last possible day."""
    return when_bounds(when)


class Source(Record):
    """Where a fact was stated: a seed letter and line, a report, a URL."""

    ref: str = Field(description="Document and place, e.g. '002_673885819feb45ac.txt L21'.")
    note: str | None = Field(default=None, description="What the source says, if worth noting.")


TO_BE_SUPPLIED = "to be supplied"
