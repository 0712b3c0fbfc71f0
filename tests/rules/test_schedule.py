"""Whether a provision is due on a day (iepright/rules/schedule.py), table-tested; no database."""

from __future__ import annotations

from datetime import date

import pytest

from iepright.rules import schedule
from iepright.rules.schedule import (
    DUE,
    NO_USUAL_DAYS,
    NOT_A_SERVICE,
    NOT_DAILY,
    NOT_USUAL_DAY,
    PER_EVENT,
    TOO_MANY_DAYS,
    UNKNOWN_WEEKDAY,
    Schedule,
    check_usual_days,
    is_due,
    why_not_due,
)

MONDAY, TUESDAY, THURSDAY = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 19)
SATURDAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("period", "is_service", "usual_days", "day", "reason"),
    [
        # Accommodations in effect all day, every day: due.
        ("", False, "", MONDAY, DUE),
        ("day", False, "", TUESDAY, DUE),
        # "Each test or quiz", "when requested": never due by the calendar.
        ("per_event", False, "", MONDAY, PER_EVENT),
        ("per_event", True, "", MONDAY, PER_EVENT),
        # A daily service: due every day.
        ("day", True, "", THURSDAY, DUE),
        # A weekly service on its usual days (Tue and Thu).
        ("week", True, "24", TUESDAY, DUE),
        ("week", True, "24", THURSDAY, DUE),
        ("week", True, "24", MONDAY, NOT_USUAL_DAY),
        ("week", True, "24", SATURDAY, NOT_USUAL_DAY),
        # A service without usual days: which day it fell on is not in the plan.
        ("week", True, "", TUESDAY, NO_USUAL_DAYS),
        ("month", True, "", TUESDAY, NO_USUAL_DAYS),
        ("year", True, "", TUESDAY, NO_USUAL_DAYS),
        # A provision with a weekly frequency but no minutes.
        ("week", False, "", TUESDAY, NOT_DAILY),
        ("month", False, "", TUESDAY, NOT_DAILY),
    ],
)
def test_it_tells_what_is_due(period, is_service, usual_days, day, reason):
    plan = Schedule(period=period, is_service=is_service, usual_days=usual_days)
    assert why_not_due(plan, day) == reason
    assert is_due(plan, day) is (reason == DUE)


def test_every_reason_has_words():
    assert set(schedule.REASONS) == {PER_EVENT, NOT_USUAL_DAY, NO_USUAL_DAYS, NOT_DAILY}


@pytest.mark.parametrize(
    ("usual_days", "period", "is_service", "sessions", "problem"),
    [
        ("", "", False, None, ""),
        ("", "week", True, 2, ""),
        ("24", "week", True, 2, ""),
        ("2", "week", True, 2, ""),
        ("135", "week", True, None, ""),
        ("8", "week", True, 2, UNKNOWN_WEEKDAY),
        ("2x", "week", True, 2, UNKNOWN_WEEKDAY),
        ("22", "week", True, 2, UNKNOWN_WEEKDAY),
        ("24", "", False, None, NOT_A_SERVICE),
        ("24", "per_event", False, None, NOT_A_SERVICE),
        ("24", "week", False, 2, NOT_A_SERVICE),
        ("1", "month", True, 1, NOT_A_SERVICE),
        ("1", "day", True, 1, NOT_A_SERVICE),
        ("245", "week", True, 2, TOO_MANY_DAYS),
        ("12345", "week", True, 1, TOO_MANY_DAYS),
    ],
)
def test_it_checks_usual_days(usual_days, period, is_service, sessions, problem):
    found = check_usual_days(
        usual_days, period=period, is_service=is_service, sessions_per_period=sessions
    )
    assert found == problem
