"""The service ledger: the sessions and minutes a plan sets out, against what the log shows.

How much the plan requires over a range:

- Only school days count: days children attend school for instruction (34 CFR 300.11(c)),
  taken from the district's own calendar (counting convention 5), and only the days on
  which that version of the plan was in effect. When the plan changes, each version
  counts for its own days; a service that ended counts until its last day.
- A daily service is required on every such school day: sessions x school days.
- A weekly service is spread evenly over a normal school week (5 school days, unless the
  school's normal week is different): each school day carries one fifth of the weekly
  sessions. A full week requires all of them; a week shortened by a holiday, a closure,
  or the start or end of the plan or of the report requires the same share as the days it
  has (a 4-day week requires 4/5). We prorate because the plan does not say what happens
  in a short week: prorating never asks for more sessions than the days allowed, does not
  drop a short week altogether, and gives the same answer whether the closure falls on a
  Monday or a Friday. It is the cautious reading; the plan's own words come first.
- A monthly service is spread over the school days of each calendar month: each school
  day carries the monthly sessions / the school days in that month. A month with holidays
  has fewer school days, so each day carries more; a month only partly in the range or in
  effect requires the share of its school days that are.
- A yearly service is spread the same way over the school days of the school year
  (1 July to 30 June).
- A service given "each time it applies" has no fixed number of sessions; it is listed as
  logged by opportunity, with its minutes, and no sessions are counted as required.
- Nothing is rounded until the end: sessions to one decimal, minutes to whole minutes.

What the log shows:

- Each log entry is one session; for a daily service one entry covers that day's sessions.
- Delivered: the minutes logged, or the full session when no minutes were logged.
- Partly delivered: the minutes logged were delivered and the rest of the session was not.
  A partly delivered session logged without minutes is counted as a session, but its
  minutes are left out of both columns and shown separately.
- Not delivered: the whole session was not delivered.
- Minutes not delivered are grouped by the reason recorded. Student-side: the child was
  absent or refused (or a household reason marked as the student's). School-side: any
  other reason, counted only when no student-side reason was recorded for that session.
  No reason recorded: its own group.
- "No opportunity" entries are shown but are neither a session nor minutes.
- Unlogged sessions: the sessions required minus the sessions logged, when that is more
  than zero, and their minutes at the planned length.
- More sessions logged than required: when the sessions logged exceed the sessions required
  rounded up to a whole session, the row is flagged (OVER_REQUIRED) and shown as a question
  for the parent, never as extra delivery: a session given twice in a week that asks for one
  is far more often a double entry (a tap on "All delivered" on a day the service was not
  given, or the same session logged on two days) than a school giving more than the plan.
  Rounding up first keeps a short week honest: two sessions logged in a four-day week of a
  2 × weekly service (1.6 required) are not flagged.

Callers pass `LogData.school_days` for whole months and school years around the range
(`school_days_span` gives the dates), so that monthly and yearly shares use the right
number of days. Wording (IDEA rules reference §9): these are "services not delivered",
never an amount "owed"; what makes up for them is decided case by case.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import ceil

from iepright.rules.logdata import (
    DELIVERED,
    N_,
    NO_OPPORTUNITY,
    NOT_DELIVERED,
    PARTLY,
    PERIODS_WITH_FREQUENCY,
    LogData,
    LogItem,
    ProvisionInfo,
    Translate,
    identity,
)

DAYS_PER_WEEK = 5
PRORATED = "prorated"
BY_OPPORTUNITY = "by_opportunity"

RULE_TEXT = N_(
    "Required sessions count only school days on which the plan was in effect. A weekly "
    "service is spread evenly over a normal school week of %(days_per_week)d days, so a week "
    "with a holiday or closure requires the same share of the sessions as the school days it "
    "has. A monthly service is spread over the school days of each month, and a yearly "
    "service over the school days of the school year. Services given each time they apply "
    "are logged by opportunity, without a required number. Sessions are rounded to one "
    "decimal and minutes to whole minutes only at the end."
)
# For the report, beside the ledger. Say "services not delivered", never "owed" (module docstring).
OVER_REQUIRED = N_("more sessions logged than required — check for double entries")
WORDING = N_(
    "These figures are services not delivered, as logged. Whether and how any of them are made "
    "up is decided case by case."
)


@dataclass(frozen=True)
class LedgerRow:
    """Required, logged, delivered and not delivered sessions and minutes for one provision."""

    provision_id: str
    text: str
    category: str
    period: str
    sessions_per_period: int | None
    minutes_per_session: int | None
    basis: str  # PRORATED, or BY_OPPORTUNITY when there is no fixed frequency
    school_days: int
    required_sessions: float | None
    required_minutes: float | None
    logged_sessions: int
    delivered_sessions: int
    partly_sessions: int
    not_delivered_sessions: int
    no_opportunity_days: int
    delivered_minutes: int
    school_side_minutes: int
    student_side_minutes: int
    no_reason_minutes: int
    partly_sessions_without_minutes: int
    unlogged_sessions: float | None
    unlogged_minutes: float | None
    # Sessions logged beyond the required ones rounded up (module docstring); 0 when none.
    extra_sessions: int = 0

    @property
    def not_delivered_minutes(self) -> int:
        """Return the minutes not delivered, whatever the reason."""
        return self.school_side_minutes + self.student_side_minutes + self.no_reason_minutes

    @property
    def over_required(self) -> bool:
        """Return True if more sessions are logged than the plan requires (OVER_REQUIRED)."""
        return self.extra_sessions > 0


@dataclass(frozen=True)
class LedgerTotals:
    """The ledger's columns summed over its rows (required only over prorated rows)."""

    required_sessions: float
    required_minutes: float
    logged_sessions: int
    delivered_sessions: int
    partly_sessions: int
    not_delivered_sessions: int
    delivered_minutes: int
    school_side_minutes: int
    student_side_minutes: int
    no_reason_minutes: int
    partly_sessions_without_minutes: int
    unlogged_sessions: float
    unlogged_minutes: float
    over_required_rows: int = 0  # rows with more sessions logged than required

    @property
    def not_delivered_minutes(self) -> int:
        """Return the minutes not delivered, whatever the reason."""
        return self.school_side_minutes + self.student_side_minutes + self.no_reason_minutes


def school_year_of(d: date) -> int:
    """Return the calendar year in which d's school year (1 July to 30 June) starts."""
    return d.year if d.month >= 7 else d.year - 1


def school_days_span(start: date, end: date) -> tuple[date, date]:
    """Return the dates whose school days the ledger needs for a range: whole school years."""
    return date(school_year_of(start), 7, 1), date(school_year_of(end) + 1, 6, 30)


def round_sessions(sessions: float) -> float:
    """Return sessions rounded half up to one decimal, for display."""
    return float(Decimal(repr(sessions)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def round_minutes(minutes: float) -> int:
    """Return minutes rounded half up to whole minutes, for display."""
    return int(Decimal(repr(minutes)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def rule_text(*, translate: Translate = identity, days_per_week: int = DAYS_PER_WEEK) -> str:
    """Return RULE_TEXT in the reader's language for a school with this normal week."""
    return translate(RULE_TEXT) % {"days_per_week": days_per_week}


def has_frequency(provision: ProvisionInfo) -> bool:
    """Return True if the plan gives the provision a fixed number of sessions per period."""
    return provision.period in PERIODS_WITH_FREQUENCY and bool(provision.sessions_per_period)


def _share(
    provision: ProvisionInfo,
    days: list[date],
    days_per_week: int,
    per_month: Counter[tuple[int, int]],
    per_year: Counter[int],
) -> Fraction:
    """Return the sessions required on these school days (each day's share, summed exactly)."""
    sessions = provision.sessions_per_period or 0
    if provision.period == "day":
        return Fraction(sessions * len(days))
    if provision.period == "week":
        return Fraction(sessions * len(days), days_per_week)
    if provision.period == "month":
        in_month = Counter((d.year, d.month) for d in days)
        return sum((Fraction(sessions * k, per_month[m]) for m, k in in_month.items()), Fraction(0))
    in_year = Counter(school_year_of(d) for d in days)
    return sum((Fraction(sessions * k, per_year[y]) for y, k in in_year.items()), Fraction(0))


def _reason(item: LogItem, student_side: frozenset[str]) -> str:
    if any(code in student_side for code in item.circumstances):
        return "student"
    return "school" if item.circumstances else "none"


def service_ledger(
    data: LogData, start: date, end: date, *, days_per_week: int = DAYS_PER_WEEK
) -> list[LedgerRow]:
    """Return one ledger row per timed service in effect from start to end (module docstring)."""
    if days_per_week < 1:
        raise ValueError(f"A school week has at least one school day, not {days_per_week}.")
    school_days = sorted(set(data.school_days))
    per_month = Counter((d.year, d.month) for d in school_days)
    per_year = Counter(school_year_of(d) for d in school_days)
    items: dict[str, list[LogItem]] = {}
    for item in data.items:
        if start <= item.day <= end:
            items.setdefault(item.provision_id, []).append(item)
    rows = []
    for provision in data.provisions:
        first, last = max(start, provision.start), min(end, provision.end)
        minutes = provision.minutes_per_session
        if minutes is None or first > last:
            continue
        days = school_days[bisect_left(school_days, first) : bisect_right(school_days, last)]
        entry_sessions = (provision.sessions_per_period or 1) if provision.period == "day" else 1
        session_minutes = minutes * entry_sessions
        counts = Counter[str]()
        by_reason = Counter[str]()
        delivered_minutes = partly_unknown = 0
        for item in items.get(provision.id, ()):
            if not first <= item.day <= last:
                continue
            counts[item.status] += entry_sessions
            if item.status not in (DELIVERED, PARTLY, NOT_DELIVERED):
                continue
            if item.minutes is not None:
                got = item.minutes
            elif item.status == DELIVERED:
                got = session_minutes
            elif item.status == NOT_DELIVERED:
                got = 0
            else:
                partly_unknown += entry_sessions
                continue
            delivered_minutes += got
            by_reason[_reason(item, data.student_side)] += max(0, session_minutes - got)
        logged = counts[DELIVERED] + counts[PARTLY] + counts[NOT_DELIVERED]
        required: Fraction | None = None
        unlogged: Fraction | None = None
        extra = 0
        if has_frequency(provision):
            required = _share(provision, days, days_per_week, per_month, per_year)
            unlogged = max(Fraction(0), required - logged)
            extra = max(0, logged - ceil(required))
        rows.append(
            LedgerRow(
                provision_id=provision.id,
                text=provision.text,
                category=provision.category,
                period=provision.period,
                sessions_per_period=provision.sessions_per_period,
                minutes_per_session=minutes,
                basis=PRORATED if required is not None else BY_OPPORTUNITY,
                school_days=len(days),
                required_sessions=None if required is None else float(required),
                required_minutes=None if required is None else float(required * minutes),
                logged_sessions=logged,
                delivered_sessions=counts[DELIVERED],
                partly_sessions=counts[PARTLY],
                not_delivered_sessions=counts[NOT_DELIVERED],
                no_opportunity_days=counts[NO_OPPORTUNITY] // entry_sessions,
                delivered_minutes=delivered_minutes,
                school_side_minutes=by_reason["school"],
                student_side_minutes=by_reason["student"],
                no_reason_minutes=by_reason["none"],
                partly_sessions_without_minutes=partly_unknown,
                unlogged_sessions=None if unlogged is None else float(unlogged),
                unlogged_minutes=None if unlogged is None else float(unlogged * minutes),
                extra_sessions=extra,
            )
        )
    return rows


def ledger_totals(rows: Iterable[LedgerRow]) -> LedgerTotals:
    """Return the columns summed over the rows; required and unlogged only where prorated."""
    rows = list(rows)
    return LedgerTotals(
        required_sessions=sum(r.required_sessions or 0.0 for r in rows),
        required_minutes=sum(r.required_minutes or 0.0 for r in rows),
        logged_sessions=sum(r.logged_sessions for r in rows),
        delivered_sessions=sum(r.delivered_sessions for r in rows),
        partly_sessions=sum(r.partly_sessions for r in rows),
        not_delivered_sessions=sum(r.not_delivered_sessions for r in rows),
        delivered_minutes=sum(r.delivered_minutes for r in rows),
        school_side_minutes=sum(r.school_side_minutes for r in rows),
        student_side_minutes=sum(r.student_side_minutes for r in rows),
        no_reason_minutes=sum(r.no_reason_minutes for r in rows),
        partly_sessions_without_minutes=sum(r.partly_sessions_without_minutes for r in rows),
        unlogged_sessions=sum(r.unlogged_sessions or 0.0 for r in rows),
        unlogged_minutes=sum(r.unlogged_minutes or 0.0 for r in rows),
        over_required_rows=sum(1 for r in rows if r.over_required),
    )
