"""What the check-in page tests share: the day they run on, and taps and details as sent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from iepright.logbook.models import Entry
from iepright.plans.models import Child, Provision
from tests.clock import AFTER_THANKSGIVING

# The tests run at AFTER_THANKSGIVING (pytestmark = pytest.mark.frozen(AFTER_THANKSGIVING)).
TODAY = AFTER_THANKSGIVING.date()
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
