"""The service ledger (iepright/rules/ledger.py), tested with tables of cases; no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from iepright.rules import ledger
from iepright.rules.ledger import (
    BY_OPPORTUNITY,
    PRORATED,
    LedgerRow,
    ledger_totals,
    round_minutes,
    round_sessions,
    rule_text,
    school_days_span,
    service_ledger,
)
from iepright.rules.logdata import LogData, LogItem, ProvisionInfo

D = date.fromisoformat
MONDAY = D("2026-09-07")
PLAN_START, PLAN_END = D("2026-08-01"), D("2027-07-31")
LABOR_DAY = D("2026-09-07")
THANKSGIVING = frozenset(D("2026-11-23") + timedelta(days=n) for n in range(5))


def weekdays(first: date, last: date, closed: frozenset[date] = frozenset()) -> tuple[date, ...]:
    """Return the Monday-to-Friday dates from first to last, leaving out closed days."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return tuple(d for d in days if d.isoweekday() <= 5 and d not in closed)


def svc(
    pid: str = "speech",
    period: str = "week",
    sessions: int | None = 2,
    minutes: int | None = 30,
    start: date = PLAN_START,
    end: date = PLAN_END,
) -> ProvisionInfo:
    return ProvisionInfo(
        pid, "Speech-language therapy", "related_service", period, sessions, minutes, start, end
    )


def only_row(data: LogData, start: date, end: date, **options: int) -> LedgerRow:
    [row] = service_ledger(data, start, end, **options)
    return row


# --- what is required ------------------------------------------------------------------------

SEPTEMBER = weekdays(D("2026-09-01"), D("2026-09-30"), frozenset({LABOR_DAY}))  # 21 days
NOVEMBER = weekdays(D("2026-11-01"), D("2026-11-30"), THANKSGIVING)  # 16 days


@pytest.mark.parametrize(
    ("provision", "school_days", "start", "end", "sessions", "minutes"),
    [
        # Daily: sessions x school days in effect.
        (svc(period="day", sessions=1), SEPTEMBER, D("2026-09-08"), D("2026-09-21"), 10, 300),
        (svc(period="day", sessions=2, minutes=15), SEPTEMBER, MONDAY, D("2026-09-11"), 8, 120),
        # Weekly: a full week requires the weekly sessions.
        (svc(), SEPTEMBER, D("2026-09-14"), D("2026-09-20"), 2, 60),
        # A week with a closed day (Labor Day) requires 4/5 of them.
        (svc(), SEPTEMBER, MONDAY, D("2026-09-13"), 1.6, 48),
        # Partial first and last weeks: Wed-Fri (3 days) and Mon-Tue (2 days).
        (svc(), SEPTEMBER, D("2026-09-16"), D("2026-09-22"), 2, 60),
        (svc(), SEPTEMBER, D("2026-09-16"), D("2026-09-18"), 1.2, 36),
        # A week with no school requires nothing.
        (svc(), NOVEMBER, D("2026-11-16"), D("2026-11-29"), 2, 60),
        # Monthly: a whole month, holidays or not, requires the monthly sessions.
        (svc(period="month", sessions=4), SEPTEMBER, D("2026-09-01"), D("2026-09-30"), 4, 120),
        (svc(period="month", sessions=4), NOVEMBER, D("2026-11-01"), D("2026-11-30"), 4, 120),
        # Half of September's 21 school days (10 of them) in range.
        (
            svc(period="month", sessions=4),
            SEPTEMBER,
            D("2026-09-01"),
            D("2026-09-15"),
            40 / 21,
            1200 / 21,
        ),
        # November has 16 school days; 6 of them from the 16th: 6/16 of the month.
        (svc(period="month", sessions=4), NOVEMBER, D("2026-11-16"), D("2026-11-30"), 1.5, 45),
        # A month partly in effect: the service starts on 16 November.
        (
            svc(period="month", sessions=4, start=D("2026-11-16")),
            NOVEMBER,
            D("2026-11-01"),
            D("2026-11-30"),
            1.5,
            45,
        ),
        # Closed days in range count for nothing.
        (svc(period="day", sessions=1), NOVEMBER, D("2026-11-23"), D("2026-11-27"), 0, 0),
    ],
)
def test_it_prorates_the_sessions_required(
    provision: ProvisionInfo,
    school_days: tuple[date, ...],
    start: date,
    end: date,
    sessions: float,
    minutes: float,
) -> None:
    row = only_row(LogData((provision,), (), school_days), start, end)
    assert row.basis == PRORATED
    assert row.required_sessions == pytest.approx(sessions)
    assert row.required_minutes == pytest.approx(minutes)
    assert row.unlogged_sessions == pytest.approx(sessions)


def test_a_yearly_service_is_spread_over_the_school_year() -> None:
    year = weekdays(D("2026-08-12"), D("2027-05-27"))
    first_half = year[: len(year) // 2]
    row = only_row(LogData((svc(period="year", sessions=10),), (), year), year[0], first_half[-1])
    assert row.school_days == len(year) // 2
    assert row.required_sessions == pytest.approx(10 * (len(year) // 2) / len(year))


def test_a_four_day_school_week_uses_its_own_normal_week() -> None:
    days = weekdays(MONDAY, D("2026-09-20"))
    row = only_row(LogData((svc(sessions=3),), (), days), MONDAY, D("2026-09-20"), days_per_week=4)
    assert row.required_sessions == pytest.approx(3 * 10 / 4)
    with pytest.raises(ValueError, match="at least one"):
        service_ledger(LogData((svc(),), (), days), MONDAY, MONDAY, days_per_week=0)


def test_a_provision_ended_mid_range_counts_until_its_last_day() -> None:
    days = weekdays(D("2026-09-14"), D("2026-09-25"))
    ended = svc(end=D("2026-09-23"))  # Wednesday of the second week
    row = only_row(LogData((ended,), (), days), days[0], days[-1])
    assert row.school_days == 8
    assert row.required_sessions == pytest.approx(3.2)


def test_a_plan_change_gives_each_version_its_own_row() -> None:
    days = weekdays(D("2026-09-14"), D("2026-09-25"))
    old = svc("v1", sessions=2, end=D("2026-09-18"))
    new = svc("v2", sessions=3, start=D("2026-09-19"))
    items = (LogItem("v1", days[1], "delivered"), LogItem("v2", days[7], "delivered", minutes=20))
    rows = service_ledger(LogData((old, new), items, days), days[0], days[-1])
    assert [(r.provision_id, r.required_sessions, r.delivered_minutes) for r in rows] == [
        ("v1", 2.0, 30),
        ("v2", 3.0, 20),
    ]
    totals = ledger_totals(rows)
    assert (totals.required_sessions, totals.required_minutes) == (5.0, 150.0)
    assert (totals.logged_sessions, totals.delivered_minutes, totals.no_reason_minutes) == (
        2,
        50,
        10,
    )
    assert (totals.unlogged_sessions, totals.unlogged_minutes) == (3.0, 90.0)
    assert (
        totals.delivered_sessions,
        totals.partly_sessions,
        totals.not_delivered_sessions,
    ) == (2, 0, 0)


@pytest.mark.parametrize(
    "provision",
    [
        svc(period="per_event", sessions=None),
        svc(period="", sessions=None),
        svc(period="week", sessions=None),
    ],
)
def test_services_without_a_frequency_are_logged_by_opportunity(provision: ProvisionInfo) -> None:
    days = weekdays(MONDAY, D("2026-09-11"))
    items = (LogItem("speech", days[1], "not_delivered", ("provider_absent",)),)
    row = only_row(LogData((provision,), items, days), days[0], days[-1])
    assert row.basis == BY_OPPORTUNITY
    assert (row.required_sessions, row.unlogged_sessions, row.unlogged_minutes) == (
        None,
        None,
        None,
    )
    assert (row.logged_sessions, row.school_side_minutes) == (1, 30)
    assert ledger_totals([row]).required_sessions == 0


def test_provisions_without_minutes_and_empty_data_have_no_rows() -> None:
    days = weekdays(MONDAY, D("2026-09-11"))
    assert service_ledger(LogData((svc(minutes=None),), (), days), days[0], days[-1]) == []
    assert service_ledger(LogData((), (), ()), MONDAY, MONDAY) == []
    assert service_ledger(LogData((svc(end=D("2026-09-01")),), (), days), MONDAY, MONDAY) == []
    empty = ledger_totals([])
    assert (empty.required_minutes, empty.delivered_minutes, empty.not_delivered_minutes) == (
        0,
        0,
        0,
    )


# --- what the log shows ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "circumstances", "minutes", "expected"),
    [
        # expected: delivered minutes, school-side, student-side, no reason, partly w/o minutes
        ("delivered", (), None, (30, 0, 0, 0, 0)),
        ("delivered", (), 40, (40, 0, 0, 0, 0)),
        ("delivered", (), 25, (25, 0, 0, 5, 0)),
        ("partly", ("provider_absent",), 20, (20, 10, 0, 0, 0)),
        ("partly", ("child_refused",), 10, (10, 0, 20, 0, 0)),
        ("partly", (), 15, (15, 0, 0, 15, 0)),
        ("partly", ("assembly",), None, (0, 0, 0, 0, 1)),
        ("not_delivered", ("provider_absent",), None, (0, 30, 0, 0, 0)),
        ("not_delivered", ("other",), None, (0, 30, 0, 0, 0)),
        ("not_delivered", ("child_absent",), None, (0, 0, 30, 0, 0)),
        ("not_delivered", ("provider_absent", "child_absent"), None, (0, 0, 30, 0, 0)),
        ("not_delivered", ("sick_day",), None, (0, 0, 30, 0, 0)),  # household, student-side
        ("not_delivered", (), None, (0, 0, 0, 30, 0)),
    ],
)
def test_it_attributes_minutes_not_delivered(
    status: str, circumstances: tuple[str, ...], minutes: int | None, expected: tuple[int, ...]
) -> None:
    days = weekdays(D("2026-09-14"), D("2026-09-18"))
    item = LogItem("speech", days[1], status, circumstances, minutes=minutes)
    student_side = frozenset({"child_absent", "child_refused", "sick_day"})
    row = only_row(LogData((svc(),), (item,), days, student_side), days[0], days[-1])
    assert (
        row.delivered_minutes,
        row.school_side_minutes,
        row.student_side_minutes,
        row.no_reason_minutes,
        row.partly_sessions_without_minutes,
    ) == expected
    assert row.logged_sessions == 1
    assert (row.unlogged_sessions, row.unlogged_minutes) == (1.0, 30.0)
    assert row.not_delivered_minutes == sum(expected[1:4])


@pytest.mark.parametrize(
    ("statuses", "logged", "unlogged"),
    [
        ((), 0, 2.0),
        (("delivered",), 1, 1.0),
        (("delivered", "not_delivered"), 2, 0.0),
        (("delivered", "delivered", "delivered"), 3, 0.0),  # never below zero
        (("no_opportunity", "delivered"), 1, 1.0),  # no opportunity is not a session
    ],
)
def test_it_counts_unlogged_sessions(
    statuses: tuple[str, ...], logged: int, unlogged: float
) -> None:
    days = weekdays(D("2026-09-14"), D("2026-09-18"))
    items = tuple(LogItem("speech", d, s) for d, s in zip(days, statuses, strict=False))
    row = only_row(LogData((svc(),), items, days), days[0], days[-1])
    assert (row.logged_sessions, row.unlogged_sessions, row.unlogged_minutes) == (
        logged,
        unlogged,
        unlogged * 30,
    )
    assert row.no_opportunity_days == statuses.count("no_opportunity")


@pytest.mark.parametrize(
    ("provision", "first", "last", "statuses", "extra"),
    [
        # A full week of a 2 x weekly service: 2 required.
        (svc(), D("2026-09-14"), D("2026-09-18"), ("delivered",) * 2, 0),
        (svc(), D("2026-09-14"), D("2026-09-18"), ("delivered",) * 3, 1),
        # Not delivered and partly are logged sessions too: a double entry whatever its status.
        (svc(), D("2026-09-14"), D("2026-09-18"), ("delivered", "not_delivered", "partly"), 1),
        # No opportunity is not a session.
        (svc(), D("2026-09-14"), D("2026-09-18"), ("delivered",) * 2 + ("no_opportunity",), 0),
        # Four days of the week (1.6 required): two sessions are not flagged, three are.
        (svc(), D("2026-09-15"), D("2026-09-18"), ("delivered",) * 2, 0),
        (svc(), D("2026-09-15"), D("2026-09-18"), ("delivered",) * 3, 1),
        # 1 x monthly, logged on two days running.
        (svc(period="month", sessions=1), D("2026-09-01"), D("2026-09-30"), ("delivered",) * 2, 1),
        # Each time it applies: no required number, never flagged.
        (
            svc(period="per_event", sessions=None),
            D("2026-09-14"),
            D("2026-09-18"),
            ("delivered",) * 5,
            0,
        ),
    ],
)
def test_it_flags_more_sessions_logged_than_required(
    provision: ProvisionInfo, first: date, last: date, statuses: tuple[str, ...], extra: int
) -> None:
    days = weekdays(first, last)
    items = tuple(LogItem("speech", d, s) for d, s in zip(days, statuses, strict=False))
    row = only_row(LogData((provision,), items, SEPTEMBER), first, last)
    assert row.extra_sessions == extra and row.over_required is (extra > 0)
    assert ledger_totals([row]).over_required_rows == (1 if extra else 0)


def test_the_double_entry_flag_says_check_never_extra_delivery() -> None:
    assert ledger.OVER_REQUIRED == "more sessions logged than required — check for double entries"
    assert not {"owed", "extra", "over-delivered"} & set(ledger.OVER_REQUIRED.split())


def test_a_daily_entry_covers_the_days_sessions() -> None:
    days = weekdays(D("2026-09-14"), D("2026-09-18"))
    items = (
        LogItem("speech", days[0], "delivered"),
        LogItem("speech", days[1], "partly", (), "", "", 20),
    )
    row = only_row(
        LogData((svc(period="day", sessions=2, minutes=15),), items, days), days[0], days[-1]
    )
    assert (row.required_sessions, row.logged_sessions, row.partly_sessions) == (10, 4, 2)
    assert (row.delivered_minutes, row.no_reason_minutes, row.unlogged_minutes) == (50, 10, 90)


def test_a_make_up_session_on_a_saturday_counts_as_delivered() -> None:
    days = weekdays(D("2026-09-14"), D("2026-09-18"))
    saturday = D("2026-09-19")
    items = (LogItem("speech", saturday, "delivered"),)
    row = only_row(LogData((svc(),), items, days), days[0], saturday)
    assert (row.delivered_minutes, row.logged_sessions, row.school_days) == (30, 1, 5)


def test_entries_outside_the_range_or_plan_version_are_left_out() -> None:
    days = weekdays(D("2026-09-14"), D("2026-09-25"))
    items = (
        LogItem("speech", D("2026-09-11"), "delivered"),  # before the range
        LogItem("speech", days[6], "delivered"),  # after the provision ended
        LogItem("speech", days[0], "delivered"),
    )
    row = only_row(LogData((svc(end=days[4]),), items, days), days[0], days[-1])
    assert (row.logged_sessions, row.delivered_minutes) == (1, 30)


# --- rounding, wording -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "sessions", "minutes"),
    [(1.25, 1.3, 1), (40 / 21, 1.9, 2), (0.05, 0.1, 0), (57.5, 57.5, 58), (2.5, 2.5, 3), (0, 0, 0)],
)
def test_it_rounds_half_up_only_for_display(value: float, sessions: float, minutes: int) -> None:
    assert round_sessions(value) == sessions
    assert round_minutes(value) == minutes


def test_the_rule_text_and_wording_say_services_not_delivered() -> None:
    assert "normal school week of 5 days" in rule_text()
    assert "of 4 days" in rule_text(days_per_week=4)
    assert rule_text(translate=lambda s: s.replace("Required", "Requeridas")).startswith(
        "Requeridas"
    )
    assert "services not delivered" in ledger.WORDING
    for text in (ledger.RULE_TEXT, ledger.WORDING):
        assert "owed" not in text.lower()


@pytest.mark.parametrize(
    ("start", "end", "span"),
    [
        (D("2026-10-05"), D("2027-02-01"), (D("2026-07-01"), D("2027-06-30"))),
        (D("2027-02-01"), D("2027-02-28"), (D("2026-07-01"), D("2027-06-30"))),
        (D("2025-09-01"), D("2027-07-15"), (D("2025-07-01"), D("2028-06-30"))),
    ],
)
def test_it_says_which_school_days_callers_must_pass(
    start: date, end: date, span: tuple[date, date]
) -> None:
    assert school_days_span(start, end) == span
