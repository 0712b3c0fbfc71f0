"""The child's record as files a family keeps: a CSV of the log and a full JSON export.

CSV: one row per entry, deleted ones included and flagged, with when it was recorded (in the
household's time zone), whether it was recorded late and what was changed after the late
window ("changed later") — those marks are never left out. It
starts with a UTF-8 byte order mark so Excel reads accents, and any text cell that a
spreadsheet would run as a formula (= + - @, tab, carriage return) is prefixed with a single
quote (OWASP "CSV injection").

JSON: everything we hold about the child — plans and provisions, calendars and events,
contacts, entries with every revision and their evidence's metadata, day facts with every
answer — plus the result of re-walking the hash chain (which does not cover day facts). Ids
are the public UUIDs. Built with a fixed number of queries.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from iepright.logbook import changes
from iepright.logbook.models import DayFacts, Entry, EntryRevision, Evidence, Source, Status
from iepright.logbook.services import circumstance_codes
from iepright.logbook.verify import verify_child
from iepright.plans.models import Child, Plan, Provision, SchoolCalendar
from iepright.rules import lateness

SCHEMA = "iepright.child-record"
SCHEMA_VERSION = 1
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: object) -> object:
    """Return the value, with a quote before text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def filename(child: Child, kind: str, start: date, end: date | None, ext: str) -> str:
    """Return e.g. "maya-alvarez-compliance-2026-09-16-to-2026-11-20.pdf" (ASCII only)."""
    name = slugify(child.name) or "child"
    dates = start.isoformat() if end is None else f"{start.isoformat()}-to-{end.isoformat()}"
    return f"{name}-{kind}-{dates}.{ext}"


def _zone(child: Child) -> ZoneInfo:
    return ZoneInfo(child.household.timezone)


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else ""


def _entries(child: Child) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(child=child)
        .select_related("provision", "recorded_by", "reported_contact")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True))
        )
        .order_by("event_date", "provision__plan__start_date", "provision__position", "id")
    )


# The columns, always in this order; their names are in the reader's language, like the cells
# (status, category, weekday, yes/no). Programs should read columns by position, or use the
# JSON export, whose keys never change. The reports page says so next to the link.
CSV_HEADER = (
    pgettext_lazy("CSV column", "entry id"),
    pgettext_lazy("CSV column", "school day"),
    pgettext_lazy("CSV column", "weekday"),
    pgettext_lazy("CSV column", "provision"),
    pgettext_lazy("CSV column", "category"),
    pgettext_lazy("CSV column", "status"),
    pgettext_lazy("CSV column", "circumstances"),
    pgettext_lazy("CSV column", "how known"),
    pgettext_lazy("CSV column", "who"),
    pgettext_lazy("CSV column", "minutes delivered"),
    pgettext_lazy("CSV column", "session minutes"),
    pgettext_lazy("CSV column", "note"),
    pgettext_lazy("CSV column", "evidence count"),
    pgettext_lazy("CSV column", "evidence sha256"),
    pgettext_lazy("CSV column", "recorded at"),
    pgettext_lazy("CSV column", "recorded by"),
    pgettext_lazy("CSV column", "recorded late"),
    pgettext_lazy("CSV column", "days after school day"),
    pgettext_lazy("CSV column", "changed later"),
    pgettext_lazy("CSV column", "revisions"),
    pgettext_lazy("CSV column", "deleted"),
)


def _who(entry: Entry) -> str:
    contact = entry.reported_contact
    named = f"{contact.name} ({contact.role})" if contact and contact.role else ""
    if contact and not named:
        named = contact.name
    return "; ".join(part for part in (entry.reported_by, named) if part)


def csv_rows(
    child: Child, start: date | None = None, end: date | None = None
) -> Iterable[list[object]]:
    """Yield the header, then one row per entry (deleted ones too) in date order."""
    zone = _zone(child)
    labels = circumstance_codes(child)
    categories = dict(Provision._meta.get_field("category").flatchoices)
    entries = _entries(child)
    if start is not None:
        entries = entries.filter(event_date__gte=start)
    if end is not None:
        entries = entries.filter(event_date__lte=end)
    late = changes.for_range(child, start, end)
    yes, no = _("yes"), _("no")
    yield [str(name) for name in CSV_HEADER]
    for entry in entries:
        evidence = list(entry.evidence.all())
        recorded_on = entry.recorded_at.astimezone(zone).date()
        user = entry.recorded_by
        yield [
            str(entry.public_id),
            entry.event_date.isoformat(),
            date_format(entry.event_date, "l"),
            entry.provision.text,
            str(categories.get(entry.provision.category, entry.provision.category)),
            str(Status(entry.status).label),
            "; ".join(labels.get(code, code) for code in entry.circumstances),
            str(Source(entry.source).label) if entry.source in Source.values else entry.source,
            _who(entry),
            "" if entry.minutes_delivered is None else entry.minutes_delivered,
            ""
            if entry.provision.minutes_per_session is None
            else entry.provision.minutes_per_session,
            entry.note,
            len(evidence),
            " ".join(e.sha256 for e in evidence),
            _local(entry.recorded_at, zone),
            user.display_name() if user else "",
            yes if entry.recorded_late else no,
            lateness.days_after(entry.event_date, recorded_on),
            "; ".join(changes.texts(late.get(entry.pk, ()), labels)),
            entry.revision_count,
            yes if entry.deleted_at else no,
        ]


def entries_csv(child: Child, start: date | None = None, end: date | None = None) -> str:
    """Return the log as CSV text, starting with a byte order mark for Excel."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in csv_rows(child, start, end):
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


# JSON -------------------------------------------------------------------------------------


def _d(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _provision(p: Provision) -> dict[str, Any]:
    return {
        "id": str(p.public_id),
        "position": p.position,
        "category": p.category,
        "text": p.text,
        "applies": p.applies,
        "period": p.period,
        "sessions_per_period": p.sessions_per_period,
        "minutes_per_session": p.minutes_per_session,
        "weekdays": p.weekdays,
        "location": p.location,
        "setting": p.setting,
        "provider_role": p.provider_role,
        "delivery": p.delivery,
        "group_size": p.group_size,
        "start_date": _d(p.start_date),
        "end_date": _d(p.end_date),
        "effective_start": _d(p.effective_start()),
        "effective_end": _d(p.effective_end()),
        "ended_on": _d(p.ended_on),
        "ended_reason": p.ended_reason,
    }


def _plan(plan: Plan) -> dict[str, Any]:
    document = None
    if plan.document:
        document = {
            "name": plan.document_name,
            "size": plan.document_size,
            "sha256": plan.document_sha256,
        }
    return {
        "id": str(plan.public_id),
        "type": plan.plan_type,
        "label": plan.label,
        "meeting_date": _d(plan.meeting_date),
        "start_date": _d(plan.start_date),
        "end_date": _d(plan.end_date),
        "document": document,
        "copied_from": str(plan.copied_from.public_id) if plan.copied_from else None,
        "provisions": [_provision(p) for p in plan.provisions.all()],
    }


def _calendar(cal: SchoolCalendar) -> dict[str, Any]:
    return {
        "id": str(cal.public_id),
        "school_year": cal.school_year,
        "first_day": _d(cal.first_day),
        "last_day": _d(cal.last_day),
        "weekdays": cal.weekdays,
        "events": [
            {
                "id": str(e.public_id),
                "kind": e.kind,
                "name": e.name,
                "start_date": _d(e.start_date),
                "end_date": _d(e.end_date),
            }
            for e in cal.events.all()
        ],
    }


def _revision(r: EntryRevision, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "seq": r.seq,
        "number": r.number,
        "action": r.action,
        "snapshot": r.snapshot,
        "changed": r.changed,
        "reason": r.reason,
        "recorded_at": _local(r.recorded_at, zone),
        "recorded_by": r.recorded_by_name,
        "client": r.client,
        "previous_hash": r.previous_hash,
        "hash": r.hash,
    }


def _entry(entry: Entry, zone: ZoneInfo) -> dict[str, Any]:
    contact = entry.reported_contact
    user = entry.recorded_by
    recorded_on = entry.recorded_at.astimezone(zone).date()
    revisions = list(entry.revisions.all())  # prefetched, in order
    return {
        "id": str(entry.public_id),
        "provision": str(entry.provision.public_id),
        "event_date": _d(entry.event_date),
        "status": entry.status,
        "circumstances": list(entry.circumstances),
        "source": entry.source,
        "reported_by": entry.reported_by,
        "reported_contact": str(contact.public_id) if contact else None,
        "minutes_delivered": entry.minutes_delivered,
        "note": entry.note,
        "recorded_at": _local(entry.recorded_at, zone),
        "recorded_by": user.display_name() if user else None,
        "recorded_late": entry.recorded_late,
        "days_after_school_day": lateness.days_after(entry.event_date, recorded_on),
        "changed_late": [changes.as_json(c) for c in changes.of_entry(entry, zone, revisions)],
        "client": entry.client,
        "updated_at": _local(entry.updated_at, zone),
        "deleted": entry.deleted_at is not None,
        "deleted_at": _local(entry.deleted_at, zone) or None,
        "revision_count": entry.revision_count,
        "evidence": [
            {
                "id": str(e.public_id),
                "name": e.original_name,
                "size": e.size,
                "content_type": e.content_type,
                "sha256": e.sha256,
                "uploaded_at": _local(e.uploaded_at, zone),
                "removed_at": _local(e.removed_at, zone) or None,
            }
            for e in entry.evidence.all()
        ],
        "revisions": [_revision(r, zone) for r in revisions],
    }


def _day_facts(child: Child, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Return each day's facts now, with every answer recorded for it (one query)."""
    days: dict[date, list[DayFacts]] = {}
    for row in DayFacts.objects.filter(child=child).order_by("day", "id"):
        days.setdefault(row.day, []).append(row)
    return [
        {
            "day": day.isoformat(),
            "facts": rows[-1].facts,
            "history": [
                {
                    "facts": r.facts,
                    "recorded_at": _local(r.recorded_at, zone),
                    "recorded_by": r.recorded_by_name,
                    "client": r.client,
                }
                for r in rows
            ],
        }
        for day, rows in days.items()
    ]


def record(child: Child) -> dict[str, Any]:
    """Return the child's full record as JSON-ready data."""
    zone = _zone(child)
    plans = (
        child.plans.select_related("copied_from")
        .prefetch_related("provisions")
        .order_by("start_date", "created", "id")
    )
    calendars = child.calendars.prefetch_related("events").order_by("first_day")
    entries = (
        Entry.objects.filter(child=child)
        .select_related("provision", "recorded_by", "reported_contact")
        .prefetch_related(
            "evidence",  # every file, removed ones too (marked with removed_at)
            Prefetch("revisions", queryset=EntryRevision.objects.order_by("number")),
        )
        .order_by("event_date", "provision__plan__start_date", "provision__position", "id")
    )
    check = verify_child(child)
    household = child.household
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().astimezone(zone).isoformat(timespec="seconds"),
        "time_zone": household.timezone,
        "child": {
            "id": str(child.public_id),
            "name": child.name,
            "date_of_birth": _d(child.date_of_birth),
            "grade": child.grade,
            "school": child.school,
            "district": child.district,
            "state": child.state,
        },
        "plans": [_plan(p) for p in plans],
        "calendars": [_calendar(c) for c in calendars],
        "contacts": [
            {
                "id": str(c.public_id),
                "name": c.name,
                "role": c.role,
                "email": c.email,
                "phone": c.phone,
                "notes": c.notes,
            }
            for c in child.contacts.all()
        ],
        "circumstances": circumstance_codes(child),
        "entries": [_entry(e, zone) for e in entries],
        # Not in the hash chain: `verification` does not cover them.
        "day_facts": _day_facts(child, zone),
        "verification": {
            "ok": check.ok,
            "revisions": check.revisions,
            "entries": check.entries,
            "final_hash": check.final_hash,
            "broken_at": check.broken_at,
            "reason": check.reason,
            "entry": check.entry,
        },
    }


def record_json(child: Child) -> str:
    """Return the child's full record as indented JSON text."""
    return json.dumps(record(child), ensure_ascii=False, indent=2)
