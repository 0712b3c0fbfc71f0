"""School calendars: years, closures and early-release days, .ics import, and school days.

School days follow 34 CFR 300.11(c) through iepright/rules/schooldays.py, counted only from the
calendars on file (counting convention 5): with none on file the answer is empty and says so.
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from iepright.accounts.access import Need
from iepright.api.common import Pagination, apply, save, user_of
from iepright.api.schemas import (
    ERRORS,
    CalendarDetailOut,
    CalendarIn,
    CalendarOut,
    CalendarPatch,
    DayStatusOut,
    EventIn,
    EventOut,
    EventPatch,
    ImportOut,
    SchoolDaysOut,
)
from iepright.plans import services
from iepright.plans.access import get_calendar, get_calendar_event, get_child
from iepright.plans.models import CalendarEvent, SchoolCalendar
from iepright.rules import schooldays

router = Router(tags=["calendars"])

MAX_RANGE_YEARS = 3


def _detail(calendar_id: int) -> SchoolCalendar:
    return (
        SchoolCalendar.objects.select_related("child")
        .prefetch_related("events")
        .get(pk=calendar_id)
    )


def _check_year_is_free(calendar: SchoolCalendar) -> None:
    # The unique constraint would name no field ("__all__"); say which field clashes.
    if (
        calendar.school_year
        and SchoolCalendar.objects.filter(
            child_id=calendar.child_id, school_year=calendar.school_year
        )
        .exclude(pk=calendar.pk)
        .exists()
    ):
        raise ValidationError(
            {"school_year": _("There is already a calendar for this school year.")}
        )


@router.get("/children/{uuid:child_id}/calendars", response={200: list[CalendarOut], **ERRORS})
@paginate(Pagination)
def list_calendars(request: HttpRequest, child_id: UUID) -> QuerySet[SchoolCalendar]:
    """List the child's school years, latest first."""
    child = get_child(user_of(request), child_id).obj
    return SchoolCalendar.objects.filter(child=child).select_related("child")


@router.post("/children/{uuid:child_id}/calendars", response={201: CalendarDetailOut, **ERRORS})
def create_calendar(
    request: HttpRequest, child_id: UUID, payload: CalendarIn
) -> Status[SchoolCalendar]:
    """Add a school year."""
    child = get_child(user_of(request), child_id, Need.WRITE).obj
    calendar = SchoolCalendar(child=child, **payload.model_dump())
    _check_year_is_free(calendar)
    save(calendar)
    return Status(201, _detail(calendar.pk))


@router.get("/calendars/{uuid:calendar_id}", response={200: CalendarDetailOut, **ERRORS})
def get_calendar_detail(request: HttpRequest, calendar_id: UUID) -> SchoolCalendar:
    """Return a school year with its closures and early-release days."""
    return _detail(get_calendar(user_of(request), calendar_id).obj.pk)


@router.patch("/calendars/{uuid:calendar_id}", response={200: CalendarDetailOut, **ERRORS})
def update_calendar(
    request: HttpRequest, calendar_id: UUID, payload: CalendarPatch
) -> SchoolCalendar:
    """Change the fields sent."""
    calendar = get_calendar(user_of(request), calendar_id, Need.WRITE).obj
    for name, value in payload.model_dump(exclude_unset=True).items():
        setattr(calendar, name, value)
    _check_year_is_free(calendar)
    save(calendar)
    return _detail(calendar.pk)


@router.delete("/calendars/{uuid:calendar_id}", response={204: None, **ERRORS})
def delete_calendar(request: HttpRequest, calendar_id: UUID) -> Status[None]:
    """Delete a school year and its events."""
    calendar = get_calendar(user_of(request), calendar_id, Need.WRITE).obj
    calendar.delete()
    return Status(204, None)


@router.post("/calendars/{uuid:calendar_id}/events", response={201: EventOut, **ERRORS})
def create_event(
    request: HttpRequest, calendar_id: UUID, payload: EventIn
) -> Status[CalendarEvent]:
    """Add a closure (holiday, break) or an early-release day or range."""
    calendar = get_calendar(user_of(request), calendar_id, Need.WRITE).obj
    event = CalendarEvent(calendar=calendar, **payload.model_dump())
    save(event)
    return Status(201, event)


@router.patch("/calendar-events/{uuid:event_id}", response={200: EventOut, **ERRORS})
def update_event(request: HttpRequest, event_id: UUID, payload: EventPatch) -> CalendarEvent:
    """Change the fields sent."""
    event = get_calendar_event(user_of(request), event_id, Need.WRITE).obj
    apply(event, payload.model_dump(exclude_unset=True))
    return event


@router.delete("/calendar-events/{uuid:event_id}", response={204: None, **ERRORS})
def delete_event(request: HttpRequest, event_id: UUID) -> Status[None]:
    """Delete a closure or early-release day."""
    event = get_calendar_event(user_of(request), event_id, Need.WRITE).obj
    event.delete()
    return Status(204, None)


@router.post("/calendars/{uuid:calendar_id}/import", response={200: ImportOut, **ERRORS})
def import_calendar(
    request: HttpRequest, calendar_id: UUID, file: File[UploadedFile]
) -> services.ImportResult:
    """Add the closures and early-release days of the district's .ics file.

    Events that are not closures, and events outside the school year, come back in `skipped`.
    A malformed file is refused whole: nothing is saved.
    """
    calendar = get_calendar(user_of(request), calendar_id, Need.WRITE).obj
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if (file.size or 0) > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s MB.") % {"limit": settings.MAX_UPLOAD_MB}}
        )
    return services.import_ics(calendar, file.read())


class DayRange(Schema):
    start: dt.date = Field(alias="from", description="First day, included.")
    to: dt.date = Field(description="Last day, included.")


@router.get(
    "/children/{uuid:child_id}/school-days",
    response={200: SchoolDaysOut, **ERRORS},
    by_alias=True,
)
def school_days(request: HttpRequest, child_id: UUID, span: Query[DayRange]) -> dict[str, Any]:
    """List the school days from `from` to `to` (at most 3 years), marking early release."""
    child = get_child(user_of(request), child_id).obj
    start, end = span.start, span.to
    if end < start:
        raise ValidationError({"to": _("The end date is before the start date.")})
    if end > _add_years(start, MAX_RANGE_YEARS):
        raise ValidationError(
            {"to": _("Ask for at most %(n)s years at a time.") % {"n": MAX_RANGE_YEARS}}
        )
    years = services.school_years(child)
    days = schooldays.school_days_between(years, start, end)
    return {
        "from": start,
        "to": end,
        "count": len(days),
        "calendar_on_file": any(y.first_day <= end and y.last_day >= start for y in years),
        "days": [
            {"date": d, "early_release": any(y.is_early_release(d) for y in years)} for d in days
        ],
    }


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@router.get("/children/{uuid:child_id}/school-days/{day}", response={200: DayStatusOut, **ERRORS})
def school_day(request: HttpRequest, child_id: UUID, day: dt.date) -> dict[str, Any]:
    """Say whether `day` is a school day, and what kind of day it is."""
    child = get_child(user_of(request), child_id).obj
    years = services.school_years(child)
    status = schooldays.day_status(years, day)
    closure = schooldays.closure_on(years, day) if status == schooldays.DayStatus.CLOSED else None
    return {
        "date": day,
        "is_school_day": status
        in (schooldays.DayStatus.SCHOOL_DAY, schooldays.DayStatus.EARLY_RELEASE),
        "status": str(status),
        "closure_name": closure.name if closure else None,
    }
