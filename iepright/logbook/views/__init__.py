"""Server-rendered pages of the daily log, by area."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

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
