"""The child's school calendar: school years, closed and early-release days, .ics import, and
the answer to "is this a school day?" and "how many school days between these dates?"."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from iepright.accounts.access import Need
from iepright.plans import services
from iepright.plans.access import get_calendar, get_calendar_event, get_child
from iepright.plans.forms import (
    CalendarEventForm,
    ConfirmForm,
    DayForm,
    IcsImportForm,
    RangeForm,
    SchoolCalendarForm,
    add_errors,
)
from iepright.plans.models import WEEKDAYS, CalendarEvent, SchoolCalendar
from iepright.plans.views import bound, today_for
from iepright.rules import schooldays
from iepright.rules.schooldays import DayStatus

IMPORT_SESSION_KEY = "plans_ics_import"


@dataclass(frozen=True)
class Day:
    """One date as the calendar page shows it."""

    day: date
    status: DayStatus
    closure: str
    school: bool

    def label(self) -> str:
        if self.status == DayStatus.SCHOOL_DAY:
            return _("School day")
        if self.status == DayStatus.EARLY_RELEASE:
            return _("School day, early release")
        if self.status == DayStatus.CLOSED:
            if self.closure:
                return _("No school: %(name)s") % {"name": self.closure}
            return _("No school")
        if self.status == DayStatus.WEEKEND:
            return _("No school (not a school weekday)")
        return _("No school year entered for this date")


def describe(years: list[schooldays.SchoolYear], day: date) -> Day:
    """Return what kind of day `day` is by the calendars entered."""
    status = schooldays.day_status(years, day)
    closure = schooldays.closure_on(years, day) if status == DayStatus.CLOSED else None
    return Day(
        day=day,
        status=status,
        closure=closure.name if closure else "",
        school=status in (DayStatus.SCHOOL_DAY, DayStatus.EARLY_RELEASE),
    )


def _month(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    return first, last


@login_required
@require_GET
def calendar_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_child(request.user, public_id)
    child = access.obj
    calendars = list(
        SchoolCalendar.objects.filter(child=child).prefetch_related("events")
    )  # newest year first
    years = [services.to_school_year(cal) for cal in calendars]
    names = dict(WEEKDAYS)
    for cal in calendars:
        cal.weekday_names = ", ".join(str(names[c]) for c in cal.weekdays if c in names)  # type: ignore[attr-defined]
    today = today_for(child)

    day_form = DayForm(request.GET if "day" in request.GET else None, initial={"day": today})
    chosen = day_form.cleaned_data["day"] if day_form.is_bound and day_form.is_valid() else today
    answer = describe(years, chosen)

    range_form = RangeForm(request.GET if "start" in request.GET else None)
    counted: dict[str, Any] | None = None
    if range_form.is_bound and range_form.is_valid():
        start, end = range_form.cleaned_data["start"], range_form.cleaned_data["end"]
        counted = {
            "start": start,
            "end": end,
            "count": len(schooldays.school_days_between(years, start, end)),
        }

    first, last = _month(chosen)
    month = [describe(years, first + timedelta(days=n)) for n in range((last - first).days + 1)]
    previous_month = _month(first - timedelta(days=1))[0]
    next_month = last + timedelta(days=1)

    imported = request.session.pop(IMPORT_SESSION_KEY, None)
    if imported:  # the session keeps ISO dates; the page shows them in the reader's format
        for key in ("first_day", "last_day"):
            imported[key] = date.fromisoformat(imported[key]) if imported.get(key) else None
    return render(
        request,
        "plans/calendar.html",
        {
            "child": child,
            "calendars": calendars,
            "today": today,
            "chosen": chosen,
            "answer": answer,
            "day_form": day_form,
            "range_form": range_form,
            "counted": counted,
            "month": month,
            "month_first": first,
            "previous_month": previous_month,
            "next_month": next_month,
            "imported": imported,
            "can_write": access.can_write,
        },
    )


def _calendar_url(calendar: SchoolCalendar) -> str:
    return reverse("calendar", args=[calendar.child.public_id]) + f"#year-{calendar.public_id}"


@login_required
@require_http_methods(["GET", "POST"])
def calendar_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    child = get_child(request.user, public_id, Need.WRITE).obj
    form = SchoolCalendarForm(
        request.POST if request.method == "POST" else None, instance=SchoolCalendar(child=child)
    )
    if request.method == "POST" and form.is_valid():
        calendar = form.save()
        messages.success(
            request,
            _("The %(year)s school year is saved. Now add its holidays and breaks, or import them.")
            % {"year": calendar.school_year},
        )
        return redirect(_calendar_url(calendar))
    return render(
        request, "plans/calendar_form.html", {"form": form, "child": child, "calendar": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    calendar = get_calendar(request.user, public_id, Need.WRITE).obj
    form = SchoolCalendarForm(request.POST if request.method == "POST" else None, instance=calendar)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The %(year)s school year is saved.") % {"year": calendar})
        return redirect(_calendar_url(calendar))
    return render(
        request,
        "plans/calendar_form.html",
        {"form": form, "child": calendar.child, "calendar": calendar},
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    calendar = get_calendar(request.user, public_id, Need.WRITE).obj
    child = calendar.child
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        year = calendar.school_year
        calendar.delete()
        messages.success(request, _("The %(year)s school year is deleted.") % {"year": year})
        return redirect("calendar", public_id=child.public_id)
    return render(
        request,
        "plans/confirm_delete.html",
        {
            "child": child,
            "form": form,
            "title": _("Delete the %(year)s school year?") % {"year": calendar.school_year},
            "explanation": _(
                "This deletes the school year and its %(n)s closed and early-release days. "
                "Log entries are kept."
            )
            % {"n": calendar.events.count()},
            "button": _("Delete school year"),
            "cancel_url": _calendar_url(calendar),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    calendar = get_calendar(request.user, public_id, Need.WRITE).obj
    form = CalendarEventForm(
        request.POST if request.method == "POST" else None,
        instance=CalendarEvent(calendar=calendar),
    )
    if request.method == "POST" and form.is_valid():
        event = form.save()
        messages.success(
            request, _("“%(name)s” is added.") % {"name": event.name or event.get_kind_display()}
        )
        if request.POST.get("then") == "another":
            return redirect("event_create", public_id=calendar.public_id)
        return redirect(_calendar_url(calendar))
    return render(
        request,
        "plans/event_form.html",
        {"form": form, "calendar": calendar, "child": calendar.child, "event": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = get_calendar_event(request.user, public_id, Need.WRITE).obj
    calendar = event.calendar
    form = CalendarEventForm(request.POST if request.method == "POST" else None, instance=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The day is saved."))
        return redirect(_calendar_url(calendar))
    return render(
        request,
        "plans/event_form.html",
        {"form": form, "calendar": calendar, "child": calendar.child, "event": event},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = get_calendar_event(request.user, public_id, Need.WRITE).obj
    calendar = event.calendar
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        event.delete()
        messages.success(request, _("The day is deleted from the calendar."))
        return redirect(_calendar_url(calendar))
    name = event.name or event.get_kind_display()
    return render(
        request,
        "plans/confirm_delete.html",
        {
            "child": calendar.child,
            "form": form,
            "title": _("Delete “%(name)s”?") % {"name": name},
            "explanation": _("%(start)s to %(end)s will count as ordinary school days again.")
            % {"start": event.start_date.isoformat(), "end": event.end_date.isoformat()},
            "button": _("Delete this day"),
            "cancel_url": _calendar_url(calendar),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_import(request: HttpRequest, public_id: UUID) -> HttpResponse:
    calendar = get_calendar(request.user, public_id, Need.WRITE).obj
    form = IcsImportForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        if (upload.size or 0) > limit:
            form.add_error(
                "file", _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
            )
        else:
            try:
                result = services.import_ics(calendar, upload.read())
            except ValidationError as exc:
                calendar.refresh_from_db()  # nothing was saved; undo the in-memory dates too
                add_errors(form, exc, "file")
            else:
                request.session[IMPORT_SESSION_KEY] = {
                    "calendar": str(calendar.public_id),
                    "school_year": calendar.school_year,
                    "closed": result.closed,
                    "early_release": result.early_release,
                    "first_day": calendar.first_day.isoformat() if result.first_day_set else "",
                    "last_day": calendar.last_day.isoformat() if result.last_day_set else "",
                    "skipped": result.skipped,
                    "notes": result.notes,
                }
                messages.success(
                    request,
                    _(
                        "Imported into %(year)s: %(closed)s closed days or breaks and "
                        "%(early)s early-release days."
                    )
                    % {
                        "year": calendar.school_year,
                        "closed": result.closed,
                        "early": result.early_release,
                    },
                )
                return redirect(_calendar_url(calendar))
    return render(
        request,
        "plans/calendar_import.html",
        {"form": form, "calendar": calendar, "child": calendar.child},
    )
