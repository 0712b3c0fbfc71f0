"""Helpers for the API tests: JSON requests, ids of the shared records, and small files."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from iepright.logbook import services
from iepright.logbook.models import Evidence
from iepright.plans.models import Plan
from tests.images import PDF, PNG

API = "/api/v1"
ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Riverbend ISD//Calendar//EN
BEGIN:VEVENT
UID:1@example.org
DTSTART;VALUE=DATE:20261012
DTEND;VALUE=DATE:20261013
SUMMARY:Fall Holiday - No School
END:VEVENT
BEGIN:VEVENT
UID:2@example.org
DTSTART;VALUE=DATE:20261218
DTEND;VALUE=DATE:20261219
SUMMARY:Early Release Day
END:VEVENT
BEGIN:VEVENT
UID:3@example.org
DTSTART;VALUE=DATE:20261002
DTEND;VALUE=DATE:20261003
SUMMARY:Picture Day
END:VEVENT
BEGIN:VEVENT
UID:4@example.org
DTSTART;VALUE=DATE:20270715
DTEND;VALUE=DATE:20270716
SUMMARY:Summer holiday
END:VEVENT
END:VCALENDAR
"""


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    """Send a JSON request to the API (path without the /api/v1 prefix)."""
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(API + path, **kwargs)


@pytest.fixture
def ids(household, child, plan, provision, calendar, contact) -> dict[str, str]:
    """Return the public ids of the shared records, to fill in route paths and bodies."""
    return {
        "household": str(household.public_id),
        "child": str(child.public_id),
        "plan": str(plan.public_id),
        "provision": str(provision.public_id),
        "calendar": str(calendar.public_id),
        "event": str(calendar.events.get(kind="closed").public_id),
        "contact": str(contact.public_id),
    }


@pytest.fixture
def plan_with_document(plan: Plan) -> Plan:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from iepright.plans import services

    services.attach_document(plan, SimpleUploadedFile("Maya IEP 2026.pdf", PDF))
    return plan


@pytest.fixture(autouse=True)
def _media(media):
    """Keep uploaded files of each test in its own folder."""


@pytest.fixture
def evidence(entry, owner) -> Evidence:
    """Return a photo on `entry`, sent with a .jpg name and type (sniffed: a PNG)."""
    upload = SimpleUploadedFile("IMG_0042.jpg", PNG, content_type="image/jpeg")
    return services.add_evidence(entry, upload, user=owner)
