"""When an entry counts as "recorded late".

An entry is contemporaneous when it is written close to the school day it describes. IEP Right
marks an entry "recorded late" when the date it was recorded (in the household's time zone) is
more than LATE_AFTER_DAYS calendar days after its event date. The mark is shown everywhere the
entry is (pages, API, exports) and never hidden. This is the app's evidence convention, not a
regulation: IDEA sets no rule for a parent's log.

The same window judges every later change: a change to what an entry says was delivered (its
status, minutes or circumstances, or deleting it) made more than LATE_AFTER_DAYS after its
school day is marked "changed N days later", with the old and new values, wherever the entry is
shown. A first recording on time does not vouch for what was changed weeks after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

LATE_AFTER_DAYS = 2


def days_after(event_date: date, recorded_on: date) -> int:
    """Return how many calendar days after the event the entry was recorded (0 = same day)."""
    return (recorded_on - event_date).days


def is_late(event_date: date, recorded_on: date, *, grace_days: int = LATE_AFTER_DAYS) -> bool:
    """Return True if the entry was recorded more than `grace_days` days after the event."""
    return days_after(event_date, recorded_on) > grace_days


# A change to one of these, made after the late window, is marked "changed N days later". The
# other fields (note, source, who reported it, evidence) add detail but not what was delivered.
WATCHED_FIELDS = ("status", "minutes_delivered", "circumstances")
# Deleting or restoring an entry changes what the log says was delivered: a change of status,
# shown with this value on the deleted side.
DELETED = "deleted"


@dataclass(frozen=True)
class RevisionFacts:
    """One revision of an entry as the rule needs it: its date and the state after it."""

    recorded_on: date  # in the household's time zone
    changed: tuple[str, ...]  # the entry's fields the revision changed ("deleted" for either)
    snapshot: Mapping[str, Any]  # the entry's full state after the revision


@dataclass(frozen=True)
class LateChange:
    """A change to what an entry says, made more than the late window after its school day."""

    on: date
    days_after: int
    field: str  # one of WATCHED_FIELDS
    old: Any  # for "status", DELETED when the entry was deleted before
    new: Any  # for "status", DELETED when the change deleted it


def _value(state: Mapping[str, Any], name: str) -> Any:
    if name == "status" and state.get("deleted"):
        return DELETED
    if name == "circumstances":
        return sorted(state.get(name) or ())
    return state.get(name)


def late_changes(
    event_date: date,
    revisions: Iterable[RevisionFacts],
    *,
    grace_days: int = LATE_AFTER_DAYS,
) -> list[LateChange]:
    """Return the changes to status, minutes or circumstances made after the late window.

    `revisions` are the entry's revisions in order, its first recording first (that one is
    judged by `is_late`, not here). A revision changing a field to the value it already had
    marks nothing.
    """
    result: list[LateChange] = []
    previous: Mapping[str, Any] | None = None
    for revision in revisions:
        if previous is not None and is_late(
            event_date, revision.recorded_on, grace_days=grace_days
        ):
            for name in WATCHED_FIELDS:
                named = name in revision.changed or (
                    name == "status" and DELETED in revision.changed
                )
                old, new = _value(previous, name), _value(revision.snapshot, name)
                if named and old != new:
                    result.append(
                        LateChange(
                            on=revision.recorded_on,
                            days_after=days_after(event_date, revision.recorded_on),
                            field=name,
                            old=old,
                            new=new,
                        )
                    )
        previous = revision.snapshot
    return result
