"""Server-rendered pages of the daily log, by area."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse

from iepright.plans.access import get_child
from iepright.plans.models import Child, Provision


def wants_json(request: HttpRequest) -> bool:
    """Return True for a tap sent by checkin.js (fetch), which expects JSON back."""
    return request.headers.get("X-Requested-With") == "fetch"


# Days the pages can show: the day before and after must exist too (date.min - 1 day fails).
EARLIEST_DAY = date(1900, 1, 1)
ROW_TAG = "row:"


def parse_day(value: str | None) -> date | None:
    """Return the date written as YYYY-MM-DD, or None if it is not one."""
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def row_message(request: HttpRequest, level: int, text: str, provision: Provision) -> None:
    """Add a message shown in the provision's row on the check-in page (not at the top)."""
    messages.add_message(request, level, text, extra_tags=f"{ROW_TAG}{provision.public_id}")


def parse_uuid(value: str | None) -> UUID | None:
    """Return the UUID in `value`, or None."""
    try:
        return UUID((value or "").strip())
    except ValueError:
        return None


def checkin_url(child: Child, day: date | None = None, provision: Provision | None = None) -> str:
    """Return the check-in page for a day, anchored to one provision if given."""
    url = reverse("checkin", kwargs={"public_id": child.public_id})
    if day is not None:
        url += f"?date={day.isoformat()}"
    if provision is not None:
        url += f"#p-{provision.public_id}"
    return url


def posted_from_checkin(
    view: Callable[[HttpRequest, UUID], HttpResponse],
) -> Callable[[HttpRequest, UUID], HttpResponse]:
    """Take POSTs; send a GET back to the check-in page of the day the form was for.

    A refused form is shown again at the address it was posted to. Reloading that page later,
    or opening it from the browser's history, asks for the same address with GET: instead of
    a 405, the parent lands on the check-in page of that day (`?date=`, in the form's action),
    at the provision's row when the action names it (`?provision=`).
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, public_id: UUID) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            child = get_child(request.user, public_id).obj
            url = checkin_url(child, parse_day(request.GET.get("date")))
            provision = parse_uuid(request.GET.get("provision"))
            if provision is not None:
                url += f"#p-{provision}"
            return redirect(url)
        if request.method != "POST":
            return HttpResponseNotAllowed(["GET", "POST"])
        return view(request, public_id)

    return wrapped
