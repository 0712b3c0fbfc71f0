"""Day facts: what was different about a day for a child, recorded once, whatever the outcomes.

The check-in page asks it on every logged day and the API sets it; both write here. A change
appends a DayFacts row (who, when, from which client), so what the day facts said before is
kept; the latest row of a day is the current answer. An answer equal to the current one
appends nothing.

Day facts are not linked into the entries' hash chain, so `verify` does not cover them: an edit
made behind the app's back would not be detected. They feed only the comparisons in the
findings (rules/findings.py), which say how many days they cover.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from iepright.accounts.models import User
from iepright.logbook import services
from iepright.logbook.models import DayFacts
from iepright.plans.models import Child
from iepright.rules import entries as rules


@dataclass(frozen=True)
class Recorded:
    """The day facts now, and whether this call changed them."""

    row: DayFacts
    changed: bool


def current(child: Child, day: date) -> DayFacts | None:
    """Return the latest day facts of the child's day, or None if never recorded."""
    return DayFacts.objects.filter(child=child, day=day).order_by("-id").first()


def history(child: Child, day: date) -> list[DayFacts]:
    """Return every answer recorded for the day, oldest first."""
    return list(DayFacts.objects.filter(child=child, day=day).order_by("id"))


def between(child: Child, start: date, end: date) -> dict[date, list[str]]:
    """Return the current day facts of each recorded day from start to end (one query)."""
    result: dict[date, list[str]] = {}
    rows = (
        DayFacts.objects.filter(child=child, day__range=(start, end))
        .order_by("day", "id")
        .values_list("day", "facts")
    )
    for day, facts in rows:
        result[day] = list(facts or [])  # the last row of a day wins
    return result


@transaction.atomic
def record(
    child: Child,
    day: date,
    facts: Sequence[str],
    *,
    user: User | None,
    client: str,
    now: datetime | None = None,
) -> Recorded:
    """Record what was different about the day ([] = nothing); refuse a future day or an
    unknown code, naming the field."""
    now = now or timezone.now()
    codes, problems = rules.check_day_facts(
        list(facts) if isinstance(facts, list | tuple) else facts,
        day,
        services.today_for(child, now),
        services.known_circumstances(child, facts),
    )
    services.refuse(problems)
    services.lock_child(child)
    last = current(child, day)
    if last is not None and sorted(last.facts) == codes:
        return Recorded(last, changed=False)
    row = DayFacts.objects.create(
        child=child,
        day=day,
        facts=codes,
        recorded_at=now,
        recorded_by=user,
        recorded_by_name=user.display_name() if user else "",
        client=client[:120],
    )
    return Recorded(row, changed=True)
