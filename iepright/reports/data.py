"""The one bridge from the database to the pure rules: a child's log as plain data.

Pages, PDFs, exports and the API all build their numbers from `load_log`, so a report can
never say something the page does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from iepright.logbook import dayfacts
from iepright.logbook.models import Circumstance, Entry
from iepright.plans.models import Child, Provision
from iepright.plans.services import school_years
from iepright.rules import schooldays
from iepright.rules.ledger import school_days_span
from iepright.rules.logdata import DayFacts, LogData, LogItem, ProvisionInfo

STUDENT_SIDE_DEFAULT = frozenset({"child_absent", "child_refused"})


@dataclass(frozen=True)
class ChildLog:
    """A child's log over a range, as rule input plus the rows it came from."""

    child: Child
    start: date
    end: date
    data: LogData
    provisions: dict[str, Provision]  # by public id (str), in plan then parent's order
    calendar_on_file: bool


def provisions_overlapping(child: Child, start: date, end: date) -> list[Provision]:
    """Return every provision of any plan version in effect at some point in the range."""
    rows = (
        Provision.objects.filter(
            plan__child=child, plan__start_date__lte=end, plan__end_date__gte=start
        )
        .select_related("plan")
        .order_by("plan__start_date", "plan_id", "position", "id")
    )
    return [p for p in rows if p.effective_start() <= end and p.effective_end() >= start]


def load_log(child: Child, start: date, end: date) -> ChildLog:
    """Return the child's log from start to end (inclusive) as rule input, in 5 queries."""
    if end < start:
        raise ValueError("The end date is before the start date.")
    provisions = provisions_overlapping(child, start, end)
    infos = tuple(
        ProvisionInfo(
            id=str(p.public_id),
            text=p.text,
            category=p.category,
            period=p.period,
            sessions_per_period=p.sessions_per_period,
            minutes_per_session=p.minutes_per_session,
            start=p.effective_start(),
            end=p.effective_end(),
        )
        for p in provisions
    )
    public_ids = {p.pk: str(p.public_id) for p in provisions}
    entries = (
        Entry.objects.filter(
            child=child,
            event_date__range=(start, end),
            deleted_at__isnull=True,
            provision__in=list(public_ids),
        )
        .values_list(
            "provision_id",
            "event_date",
            "status",
            "circumstances",
            "source",
            "reported_by",
            "minutes_delivered",
            "recorded_late",
        )
        .order_by("event_date")
    )
    items = tuple(
        LogItem(public_ids[pk], day, status, tuple(circ or ()), source, who, minutes, late)
        for pk, day, status, circ, source, who, minutes, late in entries
    )
    years = school_years(child)
    span_start, span_end = school_days_span(start, end)
    if years:
        days = tuple(schooldays.school_days_between(years, span_start, span_end))
    else:
        # No calendar entered: Monday to Friday, labelled an approximation by the callers
        # (counting convention 5).
        days = tuple(schooldays.approximate_school_days(span_start, span_end))
    student_side = STUDENT_SIDE_DEFAULT | frozenset(
        Circumstance.objects.filter(household_id=child.household_id, student_side=True).values_list(
            "code", flat=True
        )
    )
    day_facts = tuple(
        DayFacts(day, frozenset(facts))
        for day, facts in dayfacts.between(child, start, end).items()
    )
    return ChildLog(
        child=child,
        start=start,
        end=end,
        data=LogData(infos, items, days, student_side, day_facts),
        provisions={str(p.public_id): p for p in provisions},
        calendar_on_file=bool(years),
    )
