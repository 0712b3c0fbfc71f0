"""What the check-in page tests share: the frozen day, and taps and details as sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from iepright.logbook.models import Entry
from iepright.plans.models import Child, Provision

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=CHICAGO)  # a Monday, 3 p.m. at the school
TODAY = date(2026, 11, 30)
FETCH: dict[str, Any] = {"HTTP_X_REQUESTED_WITH": "fetch"}  # as checkin.js sends a tap


def url(name: str, child: Child) -> str:
    return reverse(name, args=[child.public_id])


def tap(
    client: Client,
    child: Child,
    provision: Provision,
    status: str,
    day: date = TODAY,
    **extra: Any,
) -> Any:
    """Post one status button, as the page's plain form does (with FETCH: as its script)."""
    data = {"date": day.isoformat(), "provision": str(provision.public_id), "status": status}
    return client.post(url("checkin_status", child), data, **extra)


def details(
    client: Client, child: Child, provision: Provision, day: date = TODAY, **fields: Any
) -> Any:
    """Post a row's Details form with `fields`."""
    data = {"date": day.isoformat(), "provision": str(provision.public_id), **fields}
    return client.post(url("checkin_details", child), data)


def live() -> QuerySet[Entry]:
    return Entry.objects.filter(deleted_at__isnull=True)
