"""Late changes: what was changed in entries after the late window, read from their revisions.

The rule is `iepright.rules.lateness.late_changes`; this reads the append-only revisions it
judges, for many entries in one query (none when no entry was ever changed), and words a change
for pages, exports and reports: "Status changed 23 days later, on 2026-12-03: ✓ Delivered →
✗ Not delivered".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iepright.logbook.models import STATUS_SYMBOL, Entry, EntryRevision, Status
from iepright.plans.models import Child
from iepright.rules import lateness
from iepright.templatetags.dates import ldate


class Amendable(Protocol):
    """What is needed of an entry (a model or a report row) to find its late changes."""

    pk: Any
    revision_count: int


# For lists of entries (the API): the revisions of entries ever changed, in one query, as
# `entry.amending_revisions`; `of_entry` reads them.
PREFETCH = Prefetch(
    "revisions",
    queryset=EntryRevision.objects.filter(entry__revision_count__gt=1)
    .order_by("number")
    .only("entry_id", "number", "recorded_at", "changed", "snapshot"),
    to_attr="amending_revisions",
)


def of_entry(
    entry: Entry, zone: ZoneInfo, revisions: Iterable[EntryRevision] | None = None
) -> list[lateness.LateChange]:
    """Return the entry's late changes, judged in `zone` (the household's).

    From `revisions` when given (all of the entry's, in order), else from PREFETCH when it was
    used, else with one query.
    """
    if entry.revision_count <= 1:
        return []
    if revisions is None:
        revisions = getattr(entry, "amending_revisions", None)
    if revisions is None:
        revisions = entry.revisions.order_by("number")
    rows = [(entry.pk, entry.event_date, r.recorded_at, r.changed, r.snapshot) for r in revisions]
    return _judge(zone, rows).get(entry.pk, [])


def for_revisions(
    child: Child, revisions: QuerySet[EntryRevision]
) -> dict[int, list[lateness.LateChange]]:
    """Return the late changes of the entries whose revisions these are, by entry pk."""
    rows = revisions.order_by("entry_id", "number").values_list(
        "entry_id", "entry__event_date", "recorded_at", "changed", "snapshot"
    )
    return _judge(ZoneInfo(child.household.timezone), rows)


def _judge(
    zone: ZoneInfo, rows: Iterable[tuple[int, date, datetime, Any, Any]]
) -> dict[int, list[lateness.LateChange]]:
    facts: dict[int, tuple[date, list[lateness.RevisionFacts]]] = {}
    for entry_id, event_date, recorded_at, changed, snapshot in rows:
        # The household's calendar date of the change, as for the first recording.
        on = recorded_at.astimezone(zone).date()
        facts.setdefault(entry_id, (event_date, []))[1].append(
            lateness.RevisionFacts(on, tuple(changed), snapshot)
        )
    result = {}
    for entry_id, (event_date, revs) in facts.items():
        found = lateness.late_changes(event_date, revs)
        if found:
            result[entry_id] = found
    return result


def for_entries(child: Child, entries: Iterable[Amendable]) -> dict[int, list[lateness.LateChange]]:
    """Return the late changes of the child's entries, by pk: one query, none if none changed."""
    amended = [entry.pk for entry in entries if entry.revision_count > 1]
    if not amended:
        return {}
    return for_revisions(child, EntryRevision.objects.filter(entry_id__in=amended))


def for_range(
    child: Child, start: date | None = None, end: date | None = None
) -> dict[int, list[lateness.LateChange]]:
    """Return the late changes of the child's entries for school days start..end, by pk."""
    revisions = EntryRevision.objects.filter(child=child, entry__revision_count__gt=1)
    if start is not None:
        revisions = revisions.filter(entry__event_date__gte=start)
    if end is not None:
        revisions = revisions.filter(entry__event_date__lte=end)
    return for_revisions(child, revisions)


def as_json(change: lateness.LateChange) -> dict[str, Any]:
    """Return a late change as the API and the JSON export give it."""
    return {
        "on": change.on.isoformat(),
        "days_after": change.days_after,
        "field": change.field,
        "old": change.old,
        "new": change.new,
    }


def value_text(field: str, value: Any, labels: dict[str, str]) -> str:
    """Return one side of a change as a reader sees it: "✓ Delivered", "30 min", "none"."""
    if field == "status":
        if value == lateness.DELETED:
            return _("deleted")
        status = Status(value)
        return f"{STATUS_SYMBOL[status]} {status.label}"
    if field == "minutes_delivered":
        return "—" if value is None else _("%(n)d min") % {"n": value}
    return "; ".join(labels.get(code, code.replace("_", " ")) for code in value) or _("none")


FIELD_NAMES = {
    "status": lambda: _("Status"),
    "minutes_delivered": lambda: _("Minutes"),
    "circumstances": lambda: _("Circumstances"),
}


def change_text(
    change: lateness.LateChange, labels: dict[str, str], date_text: Callable[[date], str]
) -> str:
    """Return the change in plain words, e.g. "Status changed 23 days later, on 2026-12-03:
    ✓ Delivered → ✗ Not delivered"."""
    return ngettext(
        "%(field)s changed %(days)d day later, on %(on)s: %(old)s → %(new)s",
        "%(field)s changed %(days)d days later, on %(on)s: %(old)s → %(new)s",
        change.days_after,
    ) % {
        "field": FIELD_NAMES[change.field](),
        "days": change.days_after,
        "on": date_text(change.on),
        "old": value_text(change.field, change.old, labels),
        "new": value_text(change.field, change.new, labels),
    }


def texts(
    changes: Iterable[lateness.LateChange],
    labels: dict[str, str],
    date_text: Callable[[date], str] = date.isoformat,
) -> list[str]:
    """Return each change in plain words (see change_text)."""
    return [change_text(change, labels, date_text) for change in changes]


def page_date(day: date) -> str:
    """Return a change's date as the pages print dates: "Dec 3, 2026" in the reader's order."""
    return ldate(day, "M j, Y")


def mark(
    entries: Iterable[Entry],
    child: Child,
    labels: dict[str, str],
    found: dict[int, list[lateness.LateChange]] | None = None,
) -> None:
    """Set `entry.late_changes` (texts) on entries to show: one query, none if none changed."""
    entries = list(entries)
    if found is None:
        found = for_entries(child, entries)
    for entry in entries:
        entry.late_changes = texts(found.get(entry.pk, ()), labels, page_date)  # type: ignore[attr-defined]
