"""A small, exactly known log for the report tests (pages, exports, API).

Speech-language therapy (2 × 30 min per week) and extended time (each time it applies), logged
2–20 November 2026 through the logbook services with time frozen. With the fixture calendar
the range has 15 school days, so the ledger requires 15 × 2 / 5 = 6 sessions (180 minutes).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

from iepright.logbook import services
from iepright.logbook.models import Entry
from iepright.plans.models import Child, Provision

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=CHICAGO)  # a Friday afternoon
START, END = date(2026, 11, 2), date(2026, 11, 20)
RANGE = f"from={START.isoformat()}&to={END.isoformat()}"
INJECTION = '=HYPERLINK("http://example.invalid","click")'

SUMMARY = (
    "Speech-language therapy was delivered in full on 3 of 8 logged days with an opportunity "
    "(38%), partly on 2 and not at all on 3. 6 of its 15 school days in effect were not logged."
)
LATE = "1 of 11 log entries were recorded late (more than 2 days after the school day)."


def _at(day: date) -> datetime:
    return datetime.combine(day, time(15, 0), tzinfo=CHICAGO)


def record(child: Child, provision: Provision, day: date, user, *, when=None, reason="", **fields):
    """Record through the service as if on `when` (by default the school day itself)."""
    with time_machine.travel(when or _at(day), tick=False):
        return services.record_entry(
            child=child, provision=provision, event_date=day, fields=fields, user=user,
            reason=reason,
        ).entry  # fmt: skip


def make_log(child: Child, owner, speech: Provision, extended: Provision) -> dict[str, Entry]:
    """Create the known log; return the notable entries by name."""
    d = date
    record(child, speech, d(2026, 11, 2), owner, status="delivered")
    record(child, speech, d(2026, 11, 3), owner, status="not_delivered",
           circumstances=["substitute_teacher"])  # fmt: skip
    record(child, speech, d(2026, 11, 4), owner, status="partly", minutes_delivered=15)
    record(child, speech, d(2026, 11, 5), owner, status="not_delivered",
           circumstances=["child_absent"])  # fmt: skip
    record(child, speech, d(2026, 11, 6), owner, status="no_opportunity")
    late = record(child, speech, d(2026, 11, 9), owner, status="not_delivered", when=NOW)
    record(child, speech, d(2026, 11, 16), owner, status="delivered")
    injected = record(child, speech, d(2026, 11, 17), owner, status="delivered", note=INJECTION)
    changed = record(child, speech, d(2026, 11, 18), owner, status="not_delivered",
                     circumstances=["substitute_teacher"])  # fmt: skip
    record(child, speech, d(2026, 11, 18), owner, when=_at(d(2026, 11, 19)),
           status="partly", minutes_delivered=20, reason="The SLP came for 20 minutes")  # fmt: skip
    deleted = record(child, speech, d(2026, 11, 19), owner, status="delivered")
    with time_machine.travel(_at(d(2026, 11, 19)), tick=False):
        services.delete_entry(deleted, user=owner, reason="Wrong day")
    record(child, extended, d(2026, 11, 2), owner, status="delivered")
    record(child, extended, d(2026, 11, 3), owner, status="not_delivered")
    return {"late": late, "injected": injected, "changed": changed, "deleted": deleted}


def extra_entries(child: Child, owner, speech: Provision, days: int) -> None:
    """Log `days` more school days of speech in October (to show query counts stay flat)."""
    day = date(2026, 10, 1)
    added = 0
    while added < days:
        if day.weekday() < 5:
            record(child, speech, day, owner, status="delivered")
            added += 1
        day = date.fromordinal(day.toordinal() + 1)
