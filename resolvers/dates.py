"""Date rules shared by the use cases: month arithmetic and order checks that name the field."""

from __future__ import annotations

import calendar
import datetime as dt

from resolvers.errors import BadUserInput


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's end (8-31 + 6 = 2-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def parse(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def not_before(
    value: dt.date, earliest: dt.date | None, *, field: str, what: str, strictly: bool = False
) -> None:
    """`value` must be on or after `earliest` (strictly after, when asked)."""
    if earliest is None:
        return
    if value < earliest or (strictly and value == earliest):
        relation = "after" if strictly else "on or after"
        raise BadUserInput(
            f"{field} ({value.isoformat()}) must be {relation} {what} ({earliest.isoformat()})",
            field=field,
        )


def not_after_today(value: dt.date, today: dt.date, *, field: str) -> None:
    """A date of something that has happened cannot be in the future."""
    if value > today:
        raise BadUserInput(
            f"{field} ({value.isoformat()}) is in the future; today is {today.isoformat()}",
            field=field,
        )


def range_in_order(
    start: dt.date | None, end: dt.date | None, *, start_field: str, end_field: str
) -> None:
    if start is not None and end is not None and end < start:
        raise BadUserInput(
            f"{end_field} ({end.isoformat()}) is before {start_field} ({start.isoformat()})",
            field=end_field,
        )
