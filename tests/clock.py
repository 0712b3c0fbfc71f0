"""The suite's clock: the moments tests run at, and the one way to stop time there.

Moments are in the shared household's time zone (America/Chicago, the `household` fixture's),
at the fixtures' school: the plan runs from 2026-09-16, the calendar closes 23–27 November for
Thanksgiving. A test about another zone says so with its own moment, in UTC.

Freeze a whole test, its fixtures included, with the `frozen` marker (the suite's conftest
applies it): `pytestmark = pytest.mark.frozen(AFTER_THANKSGIVING)` on a module,
`@pytest.mark.frozen` on one test (at NOW). Inside a test, `with frozen(moment):`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

CHICAGO = ZoneInfo("America/Chicago")


def at(day: date, hour: int = 15, minute: int = 0) -> datetime:
    """Return `day` at `hour`:`minute` in the household's time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO)


NOW = at(date(2026, 11, 18))  # Wednesday afternoon, a plain school day
# The Monday school opens again after the Thanksgiving break: the check-in and entry pages.
AFTER_THANKSGIVING = at(date(2026, 11, 30))
# After all of November is logged: the history pages (late entries are recorded then).
AFTER_NOVEMBER = at(date(2026, 12, 2))
# The afternoon of the last day of the reports' known log (tests/reports/reportlog.py).
REPORT_DAY = at(date(2026, 11, 20))
# The evening the demo household is loaded (a Friday): it logs up to Wednesday, and leaves
# today and the school day before for the newcomer.
DEMO_EVENING = at(date(2026, 11, 20), 19)
# The school day (a Thursday) a parent logs on a phone; the demo leaves it and the day before
# unlogged.
DEMO_CHECKIN = at(date(2026, 11, 19), 15, 30)


def frozen(moment: datetime | str = NOW, *, tick: bool = False) -> time_machine.travel:
    """Return time stopped at `moment`, as a context manager or a decorator.

    With `tick` the clock runs on from there: a live server's thread sees time pass.
    """
    return time_machine.travel(moment, tick=tick)
