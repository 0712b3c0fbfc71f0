"""When an entry counts as "recorded late".

An entry is contemporaneous when it is written close to the school day it describes. IEP Right
marks an entry "recorded late" when the date it was recorded (in the household's time zone) is
more than LATE_AFTER_DAYS calendar days after its event date. The mark is shown everywhere the
entry is (pages, API, exports) and never hidden. This is the app's evidence convention, not a
regulation: IDEA sets no rule for a parent's log.
"""

from __future__ import annotations

from datetime import date

LATE_AFTER_DAYS = 2


def days_after(event_date: date, recorded_on: date) -> int:
    """Return how many calendar days after the event the entry was recorded (0 = same day)."""
    return (recorded_on - event_date).days


def is_late(event_date: date, recorded_on: date, *, grace_days: int = LATE_AFTER_DAYS) -> bool:
    """Return True if the entry was recorded more than `grace_days` days after the event."""
    return days_after(event_date, recorded_on) > grace_days
