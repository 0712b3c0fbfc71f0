"""Server-rendered pages for children, plans, provisions and the school calendar, by area."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone

from iepright.plans.models import Child


def today_for(child: Child) -> date:
    """Return today's date in the household's time zone, where the child's school days are."""
    return timezone.localdate(timezone=ZoneInfo(child.timezone_name()))


def bound(request: HttpRequest) -> tuple[Any, Any]:
    """Return (data, files) for a form: bound on any POST, even an empty one; else unbound."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None
