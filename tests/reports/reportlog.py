"""A small, exactly known log for the report tests (pages, exports, API).

Speech-language therapy (2 × 30 min per week) and extended time (each time it applies), logged
2–20 November 2026 through the logbook services, each write at a set moment. With the fixture
calendar the range has 15 school days, so the ledger requires 15 × 2 / 5 = 6 sessions (180
minutes).
"""

from __future__ import annotations

from datetime import date

from iepright.logbook import services
from iepright.logbook.models import Entry
from iepright.plans.models import Provision
from tests.clock import REPORT_DAY, at
from tests.conftest import log_entry

START, END = date(2026, 11, 2), date(2026, 11, 20)  # REPORT_DAY is the afternoon of END
RANGE = f"from={START.isoformat()}&to={END.isoformat()}"
INJECTION = '=HYPERLINK("http://example.invalid","click")'

SUMMARY = (
    "Speech-language therapy was delivered in full on 3 of 8 logged days with an opportunity "
    "(38%), partly on 2 and not at all on 3."
)
# Under "How this log was kept", not among the findings: the parent's record, not the school's.
LATE = "1 of 11 log entries were recorded late (more than 2 days after the school day)."


def record(provision: Provision, day: date, user, *, when=None, **fields) -> Entry:
    """Record as if on `when`: by default the afternoon of the school day itself."""
    return log_entry(provision, day, user, when=when or at(day), **fields)


def make_log(owner, speech: Provision, extended: Provision) -> dict[str, Entry]:
    """Create the known log; return the notable entries by name."""
    d = date
    record(speech, d(2026, 11, 2), owner, status="delivered")
    record(speech, d(2026, 11, 3), owner, status="not_delivered",
           circumstances=["substitute_teacher"])  # fmt: skip
    record(speech, d(2026, 11, 4), owner, status="partly", minutes_delivered=15)
    record(speech, d(2026, 11, 5), owner, status="not_delivered", circumstances=["child_absent"])
    record(speech, d(2026, 11, 6), owner, status="no_opportunity")
    late = record(speech, d(2026, 11, 9), owner, status="not_delivered", when=REPORT_DAY)
    record(speech, d(2026, 11, 16), owner, status="delivered")
    injected = record(speech, d(2026, 11, 17), owner, status="delivered", note=INJECTION)
    changed = record(speech, d(2026, 11, 18), owner, status="not_delivered",
                     circumstances=["substitute_teacher"])  # fmt: skip
    record(speech, d(2026, 11, 18), owner, when=at(d(2026, 11, 19)),
           status="partly", minutes_delivered=20, reason="The SLP came for 20 minutes")  # fmt: skip
    deleted = record(speech, d(2026, 11, 19), owner, status="delivered")
    services.delete_entry(deleted, user=owner, reason="Wrong day", now=at(d(2026, 11, 19)))
    record(extended, d(2026, 11, 2), owner, status="delivered")
    record(extended, d(2026, 11, 3), owner, status="not_delivered")
    return {"late": late, "injected": injected, "changed": changed, "deleted": deleted}


def extra_entries(owner, speech: Provision, days: int) -> None:
    """Log `days` more school days of speech in October (to show query counts stay flat)."""
    day = date(2026, 10, 1)
    added = 0
    while added < days:
        if day.weekday() < 5:
            record(speech, day, owner, status="delivered")
            added += 1
        day = date.fromordinal(day.toordinal() + 1)
