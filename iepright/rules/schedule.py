"""Whether a provision is due on a given day, as the plan schedules it.

"All delivered" on the check-in page marks only what was due that day, so that one tap never
logs a session the plan did not schedule (an over-count reads as over-delivery in the ledger):

- A provision given "each time it applies" (each test or quiz, when requested, as needed) is
  never due by the calendar: whether it applied that day is a fact only the parent knows.
  The service-grid fields of the IDEA rules reference (§12.4) put such accommodations at
  `period=per_event`, logged by opportunity rather than by minutes.
- A timed service given daily is due on every day it is in effect.
- A timed service with usual days from the IEP's service grid ("Tue and Thu") is due on
  those weekdays only; one without usual days (a weekly, monthly or yearly service) is never
  due by the calendar: which day it fell on is not in the plan.
- Any other provision without a frequency (an accommodation in effect all day, every day) is
  due; one with a weekly, monthly or yearly frequency but no minutes is not.

The usual days are ISO weekday digits ("24" for Tuesday and Thursday), as the school
calendar stores its weekdays. `check_usual_days` says what is wrong with them, if anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from iepright.rules.logdata import N_

DUE = ""
PER_EVENT = "per_event"
NOT_USUAL_DAY = "not_usual_day"
NO_USUAL_DAYS = "no_usual_days"
NOT_DAILY = "not_daily"

# Why a provision is left for a tap, as the check-in page says it (after the provision's name).
REASONS = {
    PER_EVENT: N_("each time it applies"),
    NOT_USUAL_DAY: N_("not a usual day"),
    NO_USUAL_DAYS: N_("no usual days in the plan"),
    NOT_DAILY: N_("not daily"),
}

WEEKDAY_DIGITS = frozenset("1234567")

UNKNOWN_WEEKDAY = N_("Use the digits 1 (Monday) to 7 (Sunday) for the usual days, such as 24.")
NOT_A_SERVICE = N_(
    "Usual days are for a timed service given weekly: enter its minutes per session and "
    "“week”, or leave the usual days empty."
)
TOO_MANY_DAYS = N_(
    "More usual days than sessions per week: the plan gives %(sessions)s a week. Tick at most "
    "that many days, or leave them empty."
)


@dataclass(frozen=True)
class Schedule:
    """What the plan says about when a provision is given."""

    period: str  # 'day' | 'week' | 'month' | 'year' | 'per_event' | ''
    is_service: bool  # it has minutes per session
    usual_days: str = ""  # ISO weekday digits, "" for none


def weekday_set(usual_days: str) -> frozenset[int]:
    """Return the ISO weekdays in a string of digits such as "24"."""
    return frozenset(int(c) for c in usual_days if c in WEEKDAY_DIGITS)


def why_not_due(schedule: Schedule, day: date) -> str:
    """Return DUE ("") if the provision is due on `day`, else the reason code (REASONS)."""
    if schedule.period == "per_event":
        return PER_EVENT
    if schedule.usual_days:
        return DUE if day.isoweekday() in weekday_set(schedule.usual_days) else NOT_USUAL_DAY
    if schedule.period in ("", "day"):
        return DUE
    return NO_USUAL_DAYS if schedule.is_service else NOT_DAILY


def is_due(schedule: Schedule, day: date) -> bool:
    """Return True if the plan schedules the provision on `day` (module docstring)."""
    return why_not_due(schedule, day) == DUE


def check_usual_days(
    usual_days: str, *, period: str, is_service: bool, sessions_per_period: int | None
) -> str:
    """Return what is wrong with these usual days (an untranslated message), or ""."""
    if not usual_days:
        return ""
    if not set(usual_days) <= WEEKDAY_DIGITS or len(set(usual_days)) != len(usual_days):
        return UNKNOWN_WEEKDAY
    if not is_service or period != "week":
        return NOT_A_SERVICE
    if sessions_per_period is not None and len(usual_days) > sessions_per_period:
        return TOO_MANY_DAYS
    return ""
