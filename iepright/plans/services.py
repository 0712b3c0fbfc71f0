"""Operations on plans and calendars that touch several rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iepright.accounts.models import User
from iepright.plans.models import (
    PROVISION_TERMS,
    CalendarEvent,
    Child,
    Plan,
    Provision,
    ProvisionChange,
    SchoolCalendar,
)
from iepright.rules import ics as ics_rules
from iepright.rules import schooldays
from iepright.templatetags.dates import ldate
from iepright.uploads import check_upload

COPIED_PLAN_FIELDS = ("plan_type", "meeting_date")
# A copy keeps each provision's words and terms but its own dates (the new plan's).
COPIED_PROVISION_FIELDS = (
    "position",
    *(name for name in PROVISION_TERMS if name not in ("start_date", "end_date")),
)


@transaction.atomic
def copy_plan(
    plan: Plan,
    *,
    start_date: date,
    end_date: date,
    label: str = "",
    meeting_date: date | None = None,
) -> Plan:
    """Copy a plan and its current provisions into a new version starting on `start_date`.

    Provisions ended before the new start are left out; the old version stays as it was.
    Dates of individual provisions are not copied: the new version's own dates apply.
    """
    new = Plan(
        child=plan.child,
        plan_type=plan.plan_type,
        label=label or plan.label,
        meeting_date=meeting_date,
        start_date=start_date,
        end_date=end_date,
        copied_from=plan,
    )
    new.full_clean()
    new.save()
    provisions = [
        Provision(plan=new, **{name: getattr(p, name) for name in COPIED_PROVISION_FIELDS})
        for p in plan.provisions.all()
        if not (p.ended_on and p.ended_on < start_date)
    ]
    Provision.objects.bulk_create(provisions)
    return new


def next_position(plan: Plan) -> int:
    """Return the position after the plan's last provision."""
    last = plan.provisions.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def reorder_provisions(plan: Plan, ordered: Sequence[UUID]) -> None:
    """Put the plan's provisions in the given order; the list must name each exactly once."""
    provisions = {p.public_id: p for p in plan.provisions.select_for_update()}
    if len(ordered) != len(set(ordered)) or set(ordered) != set(provisions):
        raise ValidationError(
            {"order": _("List every provision of this plan exactly once, and nothing else.")}
        )
    for position, public_id in enumerate(ordered):
        provisions[public_id].position = position
    Provision.objects.bulk_update(provisions.values(), ["position"])


@transaction.atomic
def move_provision(provision: Provision, offset: int) -> None:
    """Move a provision up (offset -1) or down (+1) in its plan's order."""
    ids = list(provision.plan.provisions.values_list("public_id", flat=True))
    index = ids.index(provision.public_id)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    reorder_provisions(provision.plan, ids)


def end_provision(provision: Provision, *, last_day: date, reason: str = "") -> Provision:
    """Record the last day a provision was in effect; it stays in the plan and its history."""
    provision.ended_on = last_day
    provision.ended_reason = reason.strip()
    provision.full_clean()
    provision.save(update_fields=["ended_on", "ended_reason", "updated"])
    return provision


def provision_terms(provision: Provision) -> dict[str, Any]:
    """Return the provision's words and service terms as JSON values (dates as ISO text)."""
    values: dict[str, Any] = {}
    for name in PROVISION_TERMS:
        value = getattr(provision, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


def note_provision_change(
    provision: Provision,
    before: dict[str, Any],
    *,
    user: User | None,
    client: str,
    now: datetime | None = None,
) -> ProvisionChange | None:
    """Record what changed since `before` (provision_terms), once the log has entries for it.

    Call it in the transaction that saved the change. Before any entry is logged a provision is
    still being set up, and nothing is recorded.
    """
    after = provision_terms(provision)
    changed = [name for name in PROVISION_TERMS if before.get(name) != after[name]]
    if not changed:
        return None
    entries = provision.entries.count()
    if not entries:
        return None
    return ProvisionChange.objects.create(
        provision=provision,
        changed_at=now or timezone.now(),
        changed_by=user,
        changed_by_name=user.display_name() if user else "",
        client=client[:120],
        before={name: before.get(name) for name in changed},
        after={name: after[name] for name in changed},
        entries=entries,
    )


def delete_provision(provision: Provision) -> None:
    """Delete a provision entered by mistake; one with log entries can only be ended."""
    if not provision_can_be_deleted(provision):
        raise ValidationError(
            _("This provision has log entries, so it cannot be deleted. End it on a date instead.")
        )
    provision.delete()


def provision_can_be_deleted(provision: Provision) -> bool:
    """Return True if no log entry names the provision yet."""
    return not provision.entries.exists()


def attach_document(plan: Plan, upload: UploadedFile[bytes]) -> Plan:
    """Store the signed IEP copy (PDF only) under a random name with its SHA-256."""
    checked = check_upload(upload, allowed={"application/pdf"}, field="document")
    old = plan.document.name if plan.document else ""
    plan.document.save(checked.storage_name, checked.content, save=False)
    plan.document_name = checked.original_name
    plan.document_size = checked.size
    plan.document_sha256 = checked.sha256
    plan.save(update_fields=["document", "document_name", "document_size", "document_sha256"])
    if old:
        plan.document.storage.delete(old)
    return plan


# School calendar --------------------------------------------------------------------------


def school_years(child: Child) -> list[schooldays.SchoolYear]:
    """Return the child's calendars as rule objects (one query with prefetch)."""
    calendars = SchoolCalendar.objects.filter(child=child).prefetch_related("events")
    return [to_school_year(cal) for cal in calendars]


def to_school_year(calendar: SchoolCalendar) -> schooldays.SchoolYear:
    """Return the rule object for one calendar; its events should be prefetched."""
    events = list(calendar.events.all())
    return schooldays.SchoolYear(
        first_day=calendar.first_day,
        last_day=calendar.last_day,
        closed=tuple(
            schooldays.Closure(e.start_date, e.end_date, e.name)
            for e in events
            if e.kind == CalendarEvent.Kind.CLOSED
        ),
        early_release=frozenset(
            day
            for e in events
            if e.kind == CalendarEvent.Kind.EARLY_RELEASE
            for day in _days(e.start_date, e.end_date)
        ),
        weekdays=calendar.weekday_set(),
    )


def _days(start: date, end: date) -> list[date]:
    from datetime import timedelta

    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def is_school_day(child: Child, day: date) -> bool:
    """Return True if `day` is a school day for the child, by the calendars entered."""
    return schooldays.is_school_day(school_years(child), day)


def school_days_between(child: Child, start: date, end: date) -> list[date]:
    """Return the child's school days from `start` to `end`, both included."""
    return schooldays.school_days_between(school_years(child), start, end)


@dataclass
class ImportResult:
    closed: int = 0
    early_release: int = 0
    first_day_set: bool = False
    last_day_set: bool = False
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the import simplified, translated


def reader_date(value: date) -> str:
    """Return a date (or date and time) as the reader of the active language writes it."""
    if isinstance(value, datetime):
        return ldate(value, "M j, Y, g:i a")
    return ldate(value, "M j, Y")


def ics_text(text: ics_rules.Text) -> str:
    """Return an .ics import error or note in the active language, with readable dates."""
    return text.render(_, reader_date)


@transaction.atomic
def import_ics(calendar: SchoolCalendar, data: bytes) -> ImportResult:
    """Add the closures and early-release days in an .ics file to `calendar`.

    Events outside the school year and events that are not closures (picture day, conferences)
    are reported in `skipped`, never silently dropped; what the import simplified (repeats not
    expanded, cancelled events) is in `notes`. Nothing is saved if the file is malformed.
    Messages are in the active language.
    """
    try:
        parsed = ics_rules.parse_ics(data)
    except ics_rules.IcsError as exc:
        raise ValidationError({"file": ics_text(exc.text)}) from None
    result = ImportResult(notes=[ics_text(note) for note in parsed.notes])
    if parsed.first_day:
        calendar.first_day = parsed.first_day
        result.first_day_set = True
    if parsed.last_day:
        calendar.last_day = parsed.last_day
        result.last_day_set = True
    if result.first_day_set or result.last_day_set:
        calendar.full_clean()
        calendar.save(update_fields=["first_day", "last_day"])
    existing = {(e.kind, e.start_date, e.end_date) for e in calendar.events.all()}
    for event in parsed.events:
        if event.kind not in ("closed", "early_release"):
            if event.kind == "ignored":
                result.skipped.append(f"{event.name} ({reader_date(event.start)})")
            continue
        if event.end < calendar.first_day or event.start > calendar.last_day:
            result.skipped.append(
                _("%(name)s (%(date)s): outside the school year")
                % {"name": event.name, "date": reader_date(event.start)}
            )
            continue
        start = max(event.start, calendar.first_day)
        end = min(event.end, calendar.last_day)
        if (event.kind, start, end) in existing:
            continue  # importing the same file twice adds nothing twice
        CalendarEvent.objects.create(
            calendar=calendar,
            kind=event.kind,
            name=event.name[:200],
            start_date=start,
            end_date=end,
        )
        existing.add((event.kind, start, end))
        if event.kind == "closed":
            result.closed += 1
        else:
            result.early_release += 1
    return result
