"""School-day rules (34 CFR 300.11(c), counting convention 5), tested with tables of cases."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from iepright.rules.schooldays import (
    Closure,
    DayStatus,
    SchoolYear,
    approximate_school_days,
    closure_on,
    count_school_days,
    day_status,
    is_school_day,
    school_days_between,
)

D = date.fromisoformat

# Riverbend ISD, Texas, 2026-2027: the calendar the user would type in or import.
RIVERBEND_CLOSURES = (
    ("Labor Day", "2026-09-07", "2026-09-07"),
    ("Staff development", "2026-10-09", "2026-10-09"),
    ("Fall break", "2026-10-12", "2026-10-12"),
    ("Thanksgiving", "2026-11-23", "2026-11-27"),
    ("Winter break", "2026-12-21", "2027-01-01"),
    ("MLK Day", "2027-01-18", "2027-01-18"),
    ("Presidents' Day", "2027-02-15", "2027-02-15"),
    ("Spring break", "2027-03-15", "2027-03-19"),
    ("Good Friday", "2027-03-26", "2027-03-26"),
)
RIVERBEND_EARLY_RELEASE = frozenset({D("2026-11-20"), D("2026-12-18"), D("2027-05-27")})
RIVERBEND = SchoolYear(
    first_day=D("2026-08-12"),
    last_day=D("2027-05-27"),
    closed=tuple(Closure(D(start), D(end), name) for name, start, end in RIVERBEND_CLOSURES),
    early_release=RIVERBEND_EARLY_RELEASE,
)


def brute_force_school_days(start: date, end: date) -> list[date]:
    """Return Riverbend's school days by walking every date: no code under test involved."""
    closed: set[date] = set()
    for _name, first, last in RIVERBEND_CLOSURES:
        day = D(first)
        while day <= D(last):
            closed.add(day)
            day += timedelta(days=1)
    days = []
    day = start
    while day <= end:
        in_year = D("2026-08-12") <= day <= D("2027-05-27")
        if in_year and day.weekday() < 5 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.mark.parametrize(
    ("day", "status", "closure_name"),
    [
        ("2026-08-11", DayStatus.OUTSIDE_YEAR, None),  # Tuesday before the first day
        ("2026-08-12", DayStatus.SCHOOL_DAY, None),  # first day (Wednesday)
        ("2026-08-15", DayStatus.WEEKEND, None),  # Saturday
        ("2026-08-16", DayStatus.WEEKEND, None),  # Sunday
        ("2026-09-07", DayStatus.CLOSED, "Labor Day"),
        ("2026-09-08", DayStatus.SCHOOL_DAY, None),
        ("2026-10-09", DayStatus.CLOSED, "Staff development"),
        ("2026-11-20", DayStatus.EARLY_RELEASE, None),
        ("2026-11-23", DayStatus.CLOSED, "Thanksgiving"),  # first day of a range
        ("2026-11-27", DayStatus.CLOSED, "Thanksgiving"),  # last day of a range
        ("2026-11-28", DayStatus.WEEKEND, None),  # Saturday after the range
        ("2026-11-30", DayStatus.SCHOOL_DAY, None),
        ("2026-12-26", DayStatus.CLOSED, "Winter break"),  # Saturday inside the break
        ("2027-01-01", DayStatus.CLOSED, "Winter break"),  # range crosses the new year
        ("2027-01-04", DayStatus.SCHOOL_DAY, None),
        ("2027-03-26", DayStatus.CLOSED, "Good Friday"),
        ("2027-05-27", DayStatus.EARLY_RELEASE, None),  # last day, and an early release
        ("2027-05-28", DayStatus.OUTSIDE_YEAR, None),  # day after the last day
    ],
)
def test_it_classifies_each_kind_of_day(day: str, status: DayStatus, closure_name: str | None):
    years = [RIVERBEND]
    assert day_status(years, D(day)) is status
    school = status in {DayStatus.SCHOOL_DAY, DayStatus.EARLY_RELEASE}
    assert is_school_day(years, D(day)) is school
    assert RIVERBEND.is_school_day(D(day)) is school
    assert RIVERBEND.is_early_release(D(day)) is (status is DayStatus.EARLY_RELEASE)
    closure = closure_on(years, D(day))
    assert (closure.name if closure else None) == closure_name


def test_it_counts_the_riverbend_year_like_a_brute_force_walk():
    expected = brute_force_school_days(D("2026-08-01"), D("2027-06-30"))
    assert school_days_between([RIVERBEND], D("2026-08-01"), D("2027-06-30")) == expected
    # 207 weekdays from Wed 12 Aug to Thu 27 May, less 26 closed weekdays
    # (1 + 1 + 1 + 5 + 10 + 1 + 1 + 5 + 1).
    assert len(expected) == 181
    assert count_school_days([RIVERBEND], RIVERBEND.first_day, RIVERBEND.last_day) == 181


@pytest.mark.parametrize(
    ("month_start", "month_end", "expected"),
    [
        # November 2026 by hand: 21 weekdays (2-6, 9-13, 16-20, 23-27, 30) less Thanksgiving
        # 23-27; the early release on 20 November still counts.
        ("2026-11-01", "2026-11-30", 16),
        # October 2026 by hand: 22 weekdays (1-2, 5-9, 12-16, 19-23, 26-30) less 9 and 12.
        ("2026-10-01", "2026-10-31", 20),
        # August 2026: school starts Wednesday 12th: 12-14, 17-21, 24-28, 31.
        ("2026-08-01", "2026-08-31", 14),
    ],
)
def test_it_counts_a_month_checked_by_hand(month_start: str, month_end: str, expected: int):
    assert count_school_days([RIVERBEND], D(month_start), D(month_end)) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-09-08", "2026-09-08", 1),  # one school day, both ends included
        ("2026-09-05", "2026-09-05", 0),  # a Saturday alone
        ("2026-09-07", "2026-09-07", 0),  # Labor Day alone
        ("2026-09-14", "2026-09-18", 5),  # Monday to Friday
        ("2026-09-12", "2026-09-20", 5),  # Saturday to Sunday around that week
        ("2026-09-04", "2026-09-08", 2),  # Friday, weekend, Labor Day, Tuesday
        ("2026-08-01", "2026-08-12", 1),  # only the first day falls inside the year
        ("2027-05-27", "2027-06-30", 1),  # only the last day falls inside the year
        ("2027-06-01", "2027-07-31", 0),  # summer
    ],
)
def test_it_counts_inclusively(start: str, end: str, expected: int):
    assert count_school_days([RIVERBEND], D(start), D(end)) == expected
    assert len(RIVERBEND.school_days(D(start), D(end))) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # US daylight saving ends 1 November 2026 and starts 14 March 2027: dates have no
        # clock, so a week is a week.
        ("2026-10-26", "2026-11-06", 10),
        ("2027-03-08", "2027-03-22", 6),  # 8-12, then spring break, then 22
    ],
)
def test_daylight_saving_changes_do_not_matter(start: str, end: str, expected: int):
    days = school_days_between([RIVERBEND], D(start), D(end))
    assert len(days) == expected
    assert days == brute_force_school_days(D(start), D(end))


def test_it_rejects_a_start_after_the_end():
    with pytest.raises(ValueError, match=r"2026-09-10 is after the end date 2026-09-09"):
        school_days_between([RIVERBEND], D("2026-09-10"), D("2026-09-09"))
    with pytest.raises(ValueError, match="after the end date"):
        count_school_days([RIVERBEND], D("2026-09-10"), D("2026-09-09"))
    with pytest.raises(ValueError, match="after the end date"):
        RIVERBEND.school_days(D("2026-09-10"), D("2026-09-09"))
    with pytest.raises(ValueError, match="after the end date"):
        approximate_school_days(D("2026-09-10"), D("2026-09-09"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SchoolYear(D("2027-05-27"), D("2026-08-12")), "last day .* is before its first"),
        (lambda: Closure(D("2026-12-21"), D("2026-12-20"), "Winter"), "'Winter' ends"),
        (lambda: Closure(D("2026-12-21"), D("2026-12-20")), "A closure ends"),
        (
            lambda: SchoolYear(D("2026-08-12"), D("2027-05-27"), weekdays=frozenset({0, 1})),
            "ISO weekday numbers",
        ),
    ],
)
def test_it_rejects_an_impossible_calendar(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# A summer program that overlaps Riverbend's last week and meets on some closed days.
SUMMER = SchoolYear(
    first_day=D("2027-05-24"),
    last_day=D("2027-06-25"),
    closed=(Closure(D("2027-06-18"), D("2027-06-18"), "Juneteenth"),),
    weekdays=frozenset({1, 2, 3, 4}),
)
# A second calendar for the same dates that (unlike Riverbend) meets on Labor Day.
MAKEUP = SchoolYear(first_day=D("2026-09-07"), last_day=D("2026-09-07"))


@pytest.mark.parametrize(
    ("years", "day", "status"),
    [
        ([RIVERBEND, SUMMER], "2027-05-26", DayStatus.SCHOOL_DAY),  # both say school
        ([RIVERBEND, SUMMER], "2027-05-27", DayStatus.EARLY_RELEASE),  # early in one
        ([RIVERBEND, SUMMER], "2027-05-28", DayStatus.WEEKEND),  # Friday: summer meets Mon-Thu
        ([RIVERBEND, SUMMER], "2027-06-01", DayStatus.SCHOOL_DAY),
        ([RIVERBEND, SUMMER], "2027-06-18", DayStatus.CLOSED),
        ([RIVERBEND, SUMMER], "2027-06-28", DayStatus.OUTSIDE_YEAR),
        ([RIVERBEND, MAKEUP], "2026-09-07", DayStatus.SCHOOL_DAY),  # any year says school
        ([MAKEUP, RIVERBEND], "2026-09-07", DayStatus.SCHOOL_DAY),  # order does not matter
        ([], "2026-09-08", DayStatus.OUTSIDE_YEAR),  # no calendar at all
    ],
)
def test_overlapping_years_count_a_day_if_any_year_does(years, day: str, status: DayStatus):
    assert day_status(years, D(day)) is status
    school = status in {DayStatus.SCHOOL_DAY, DayStatus.EARLY_RELEASE}
    assert is_school_day(years, D(day)) is school


def test_overlapping_years_count_each_day_once():
    # 24-27 May are school days in both years (4, counted once); then the summer program's
    # Mondays to Thursdays 31 May-3 Jun, 7-10, 14-17, 21-24 (16). Its Juneteenth closure is a
    # Friday, when it does not meet anyway.
    days = school_days_between([RIVERBEND, SUMMER], D("2027-05-24"), D("2027-06-30"))
    assert len(days) == len(set(days)) == 4 + 16
    assert days == sorted(days)
    assert count_school_days([RIVERBEND, MAKEUP], D("2026-09-04"), D("2026-09-08")) == 3
    assert closure_on([RIVERBEND, MAKEUP], D("2026-09-07")) is None


def test_a_four_day_week_makes_friday_a_weekend():
    year = SchoolYear(D("2026-08-17"), D("2026-08-28"), weekdays=frozenset({1, 2, 3, 4}))
    assert day_status([year], D("2026-08-21")) is DayStatus.WEEKEND
    assert count_school_days([year], year.first_day, year.last_day) == 8


def test_closures_outside_the_year_are_clipped_and_lists_are_accepted():
    year = SchoolYear(
        D("2026-08-12"),
        D("2026-08-21"),
        closed=[Closure(D("2026-08-01"), D("2026-08-13"), "Late start")],  # type: ignore[arg-type]
        early_release={D("2026-08-14")},  # type: ignore[arg-type]
    )
    assert year.school_days(D("2026-08-01"), D("2026-08-31")) == [
        D("2026-08-14"),
        D("2026-08-17"),
        D("2026-08-18"),
        D("2026-08-19"),
        D("2026-08-20"),
        D("2026-08-21"),
    ]
    assert year.closure_on(D("2026-08-01")) is None  # before the year: not this year's closure
    assert year.is_early_release(D("2026-08-14"))
    assert hash(year) == hash(year)  # still usable as a dict key or in a set


def test_an_early_release_on_a_closed_day_is_not_a_school_day():
    year = SchoolYear(
        D("2026-09-01"),
        D("2026-09-30"),
        closed=(Closure(D("2026-09-07"), D("2026-09-07"), "Labor Day"),),
        early_release=frozenset({D("2026-09-07"), D("2026-09-12")}),  # holiday and Saturday
    )
    assert not year.is_early_release(D("2026-09-07"))
    assert not year.is_early_release(D("2026-09-12"))
    assert day_status([year], D("2026-09-07")) is DayStatus.CLOSED
    assert day_status([year], D("2026-09-12")) is DayStatus.WEEKEND


def test_no_calendar_means_no_counted_school_days():
    assert school_days_between([], D("2026-09-01"), D("2026-09-30")) == []
    assert not is_school_day([], D("2026-09-08"))
    assert closure_on([], D("2026-09-07")) is None


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-09-07", "2026-09-07", 1),  # Labor Day counts: the estimate knows no holidays
        ("2026-09-05", "2026-09-06", 0),  # weekend
        ("2026-09-01", "2026-09-30", 22),
        ("2026-12-21", "2027-01-01", 10),  # the estimate overcounts winter break
    ],
)
def test_the_approximation_counts_every_monday_to_friday(start: str, end: str, expected: int):
    days = approximate_school_days(D(start), D(end))
    assert len(days) == expected
    assert all(day.isoweekday() <= 5 for day in days)


def test_three_years_count_quickly():
    years = [
        SchoolYear(
            first_day=RIVERBEND.first_day.replace(year=2026 + offset),
            last_day=RIVERBEND.last_day.replace(year=2027 + offset),
            closed=tuple(
                Closure(
                    c.start.replace(year=c.start.year + offset),
                    c.end.replace(year=c.end.year + offset),
                    c.name,
                )
                for c in RIVERBEND.closed
            ),
        )
        for offset in range(3)
    ]
    started = time.perf_counter()
    for _ in range(20):
        count = count_school_days(years, D("2026-08-01"), D("2029-06-30"))
    assert time.perf_counter() - started < 1.0
    assert count > 3 * 170


def test_day_status_values_are_plain_strings():
    assert isinstance(DayStatus.EARLY_RELEASE, str)
    assert f"{DayStatus.EARLY_RELEASE}" == "early_release"
    assert [s.value for s in DayStatus] == [
        "school_day",
        "early_release",
        "weekend",
        "closed",
        "outside_year",
    ]
