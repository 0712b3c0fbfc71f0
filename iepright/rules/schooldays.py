"""Decide which dates are school days, from the district's own calendar.

Rule: 34 CFR 300.11(c): "(1) School day means any day, including a partial day that children
are in attendance at school for instructional purposes. (2) School day has the same meaning for
all children in school, including children with and without disabilities." So an early-release
day is a school day, and a day with only extended-school-year (ESY) services is not: a
`SchoolYear` describes the regular year that every child attends.

Counting convention 5 of the IDEA rules reference ("Counting conventions IEP Right uses"):
"School days. Only from the district's own calendar as the user enters or imports it. Without
one, any school-day estimate is labelled an approximation." Everything here except
`approximate_school_days` works from such a calendar; that one function is the labelled estimate.

Dates are plain calendar dates in the district's own time zone, so time zones and daylight
saving time play no part here; callers convert instants to the household's local date first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property

MONDAY_TO_FRIDAY = frozenset({1, 2, 3, 4, 5})


def _days(start: date, end: date) -> Iterator[date]:
    """Yield every date from start to end, both included."""
    # Ordinals avoid an OverflowError when end is date.max.
    for ordinal in range(start.toordinal(), end.toordinal() + 1):
        yield date.fromordinal(ordinal)


def _check_range(start: date, end: date) -> None:
    """Raise ValueError unless start is on or before end."""
    if start > end:
        raise ValueError(
            f"The start date {start.isoformat()} is after the end date {end.isoformat()}; "
            "give the earlier date first."
        )


class DayStatus(StrEnum):
    """What kind of day a date is on the school calendar."""

    SCHOOL_DAY = "school_day"
    EARLY_RELEASE = "early_release"  # still a school day: "including a partial day"
    WEEKEND = "weekend"  # inside the year, but not a weekday on which school meets
    CLOSED = "closed"  # inside a named closure (holiday, break, staff development)
    OUTSIDE_YEAR = "outside_year"  # no school year on file contains the date


# When years overlap, the most "open" answer wins: a school day in any year is a school day.
_PRECEDENCE = (
    DayStatus.EARLY_RELEASE,
    DayStatus.SCHOOL_DAY,
    DayStatus.CLOSED,
    DayStatus.WEEKEND,
    DayStatus.OUTSIDE_YEAR,
)


@dataclass(frozen=True)
class Closure:
    """A named, inclusive range of dates on which school does not meet."""

    start: date
    end: date
    name: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            label = f"The closure {self.name!r}" if self.name else "A closure"
            raise ValueError(
                f"{label} ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})."
            )

    def contains(self, d: date) -> bool:
        """Return True if d falls inside the closure."""
        return self.start <= d <= self.end


@dataclass(frozen=True)
class SchoolYear:
    """One school year of a district calendar, as the user entered or imported it."""

    first_day: date
    last_day: date
    closed: tuple[Closure, ...] = ()
    early_release: frozenset[date] = frozenset()
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY  # ISO weekdays: 1 = Monday … 7 = Sunday

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(
                f"The school year's last day ({self.last_day.isoformat()}) is before its "
                f"first day ({self.first_day.isoformat()})."
            )
        if not self.weekdays <= frozenset(range(1, 8)):
            raise ValueError(
                f"School weekdays must be ISO weekday numbers 1 (Monday) to 7 (Sunday), "
                f"not {sorted(self.weekdays)}."
            )
        # Accept lists and sets from callers but keep the instance hashable.
        object.__setattr__(self, "closed", tuple(self.closed))
        object.__setattr__(self, "early_release", frozenset(self.early_release))
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))

    @cached_property
    def _closure_by_day(self) -> dict[date, Closure]:
        """Map each closed date inside the year to its closure (the first one listed wins)."""
        # Built once per instance, so each day test is a dict lookup rather than a scan
        # of every closure; clipping to the year bounds its size.
        by_day: dict[date, Closure] = {}
        for closure in self.closed:
            start = max(closure.start, self.first_day)
            end = min(closure.end, self.last_day)
            if start <= end:
                for d in _days(start, end):
                    by_day.setdefault(d, closure)
        return by_day

    def contains(self, d: date) -> bool:
        """Return True if d is between the first and last day, both included."""
        return self.first_day <= d <= self.last_day

    def closure_on(self, d: date) -> Closure | None:
        """Return the closure covering d, or None."""
        if not self.contains(d):
            return None
        return self._closure_by_day.get(d)

    def is_school_day(self, d: date) -> bool:
        """Return True if school meets on d."""
        return (
            self.contains(d) and d.isoweekday() in self.weekdays and d not in self._closure_by_day
        )

    def is_early_release(self, d: date) -> bool:
        """Return True if d is a school day with early release."""
        return d in self.early_release and self.is_school_day(d)

    def status(self, d: date) -> DayStatus:
        """Return what kind of day d is in this year."""
        # A closure outranks a weekend so that a Saturday in winter break shows the break.
        if not self.contains(d):
            return DayStatus.OUTSIDE_YEAR
        if d in self._closure_by_day:
            return DayStatus.CLOSED
        if d.isoweekday() not in self.weekdays:
            return DayStatus.WEEKEND
        if d in self.early_release:
            return DayStatus.EARLY_RELEASE
        return DayStatus.SCHOOL_DAY

    def school_days(self, start: date, end: date) -> list[date]:
        """Return the school days from start to end, both included, in order."""
        _check_range(start, end)
        start, end = max(start, self.first_day), min(end, self.last_day)
        if start > end:
            return []
        closed, weekdays = self._closure_by_day, self.weekdays
        return [d for d in _days(start, end) if d.isoweekday() in weekdays and d not in closed]


def is_school_day(years: Sequence[SchoolYear], d: date) -> bool:
    """Return True if any of the years says school meets on d."""
    return any(year.is_school_day(d) for year in years)


def school_days_between(years: Sequence[SchoolYear], start: date, end: date) -> list[date]:
    """Return the school days from start to end, both included, in order.

    With no years on file the answer is empty: there is no calendar to count from
    (convention 5); use `approximate_school_days` and label the result.
    """
    _check_range(start, end)
    if len(years) == 1:
        return years[0].school_days(start, end)
    days: set[date] = set()
    for year in years:
        days.update(year.school_days(start, end))
    return sorted(days)


def count_school_days(years: Sequence[SchoolYear], start: date, end: date) -> int:
    """Return how many school days lie from start to end, both included."""
    return len(school_days_between(years, start, end))


def day_status(years: Sequence[SchoolYear], d: date) -> DayStatus:
    """Return what kind of day d is; a school day in any year counts as a school day."""
    statuses = {year.status(d) for year in years}
    return next((s for s in _PRECEDENCE if s in statuses), DayStatus.OUTSIDE_YEAR)


def closure_on(years: Sequence[SchoolYear], d: date) -> Closure | None:
    """Return the closure that keeps school shut on d, or None if school meets or no year has d."""
    if is_school_day(years, d):
        return None
    return next((c for year in years if (c := year.closure_on(d)) is not None), None)


def approximate_school_days(start: date, end: date) -> list[date]:
    """Return every Monday to Friday from start to end, both included.

    This is an approximation for when no district calendar is on file: it knows nothing of
    holidays, breaks or staff days, so it overcounts. Label anything built on it as an
    estimate (counting convention 5).
    """
    _check_range(start, end)
    return [d for d in _days(start, end) if d.isoweekday() in MONDAY_TO_FRIDAY]
