"""Every object route, for every persona: owner and editor may write, a viewer only reads
(403 on writes), only an owner deletes a child, an outsider gets 404, anonymous gets 401."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import API, ICS
from tests.images import PDF

READ, WRITE, MANAGE = "read", "write", "manage"

# (method, path, need, body, status on success). Bodies are JSON unless "multipart".
ROUTES: list[tuple[str, str, str, Any, int]] = [
    ("get", "/households/{household}", READ, None, 200),
    ("post", "/children", WRITE, {"household": "{household}", "name": "Leo", "state": "TX"}, 201),
    ("get", "/children/{child}", READ, None, 200),
    ("patch", "/children/{child}", WRITE, {"grade": "5"}, 200),
    ("delete", "/children/{child}", MANAGE, None, 204),
    ("get", "/children/{child}/plan-in-force?date=2026-10-01", READ, None, 200),
    ("get", "/children/{child}/plans", READ, None, 200),
    (
        "post",
        "/children/{child}/plans",
        WRITE,
        {"start_date": "2027-09-15", "end_date": "2028-09-14"},
        201,
    ),
    ("get", "/plans/{plan}", READ, None, 200),
    ("patch", "/plans/{plan}", WRITE, {"label": "Annual IEP (signed)"}, 200),
    ("delete", "/plans/{plan}", WRITE, None, 204),
    (
        "post",
        "/plans/{plan}/copy",
        WRITE,
        {"start_date": "2027-09-15", "end_date": "2028-09-14", "label": "Next year"},
        201,
    ),
    ("post", "/plans/{plan}/document", WRITE, "multipart", 200),
    ("get", "/plans/{plan}/document", READ, None, 200),
    ("get", "/plans/{plan}/provisions", READ, None, 200),
    (
        "post",
        "/plans/{plan}/provisions",
        WRITE,
        {"category": "accommodation", "text": "Preferential seating near instruction"},
        201,
    ),
    ("put", "/plans/{plan}/provisions/order", WRITE, {"order": "reversed"}, 200),
    ("get", "/provisions/{provision}", READ, None, 200),
    ("get", "/provisions/{provision}/changes", READ, None, 200),
    ("patch", "/provisions/{provision}", WRITE, {"setting": "speech room B"}, 200),
    ("delete", "/provisions/{provision}", WRITE, None, 204),
    ("post", "/provisions/{provision}/end", WRITE, {"last_day": "2027-01-15"}, 200),
    ("get", "/children/{child}/calendars", READ, None, 200),
    (
        "post",
        "/children/{child}/calendars",
        WRITE,
        {"school_year": "2027-2028", "first_day": "2027-08-11", "last_day": "2028-05-25"},
        201,
    ),
    ("get", "/calendars/{calendar}", READ, None, 200),
    ("patch", "/calendars/{calendar}", WRITE, {"weekdays": "1234"}, 200),
    ("delete", "/calendars/{calendar}", WRITE, None, 204),
    (
        "post",
        "/calendars/{calendar}/events",
        WRITE,
        {"name": "Winter break", "start_date": "2026-12-21", "end_date": "2027-01-01"},
        201,
    ),
    ("patch", "/calendar-events/{event}", WRITE, {"name": "Thanksgiving"}, 200),
    ("delete", "/calendar-events/{event}", WRITE, None, 204),
    ("post", "/calendars/{calendar}/import", WRITE, "multipart", 200),
    ("get", "/children/{child}/school-days?from=2026-11-16&to=2026-11-30", READ, None, 200),
    ("get", "/children/{child}/school-days/2026-11-24", READ, None, 200),
    ("get", "/children/{child}/days/2026-11-24/facts", READ, None, 200),
    ("put", "/children/{child}/days/2026-11-24/facts", WRITE, {"facts": ["assembly"]}, 200),
    ("get", "/children/{child}/contacts", READ, None, 200),
    ("post", "/children/{child}/contacts", WRITE, {"name": "Dr. Lee", "role": "Principal"}, 201),
    ("get", "/contacts/{contact}", READ, None, 200),
    ("patch", "/contacts/{contact}", WRITE, {"phone": "555-0100"}, 200),
    ("delete", "/contacts/{contact}", WRITE, None, 204),
]

ALLOWED = {
    READ: {"owner", "editor", "viewer"},
    WRITE: {"owner", "editor"},
    MANAGE: {"owner"},
}


def expected(role: str, need: str, success: int) -> int:
    if role == "anonymous":
        return 401
    if role == "outsider":
        return 404
    return success if role in ALLOWED[need] else 403


def _request(client, method: str, path: str, body: Any, ids: dict[str, str], provision_ids):
    url = API + path.format(**ids)
    if body == "multipart":
        if path.endswith("/document"):
            upload = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
            return client.post(url, {"document": upload})
        return client.post(url, {"file": SimpleUploadedFile("district.ics", ICS)})
    if body is None:
        return getattr(client, method)(url)
    if body == {"order": "reversed"}:
        body = {"order": list(reversed(provision_ids))}
    text = json.dumps(body).replace("{household}", ids["household"])
    return getattr(client, method)(url, data=text, content_type="application/json")


@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "outsider", "anonymous"])
@pytest.mark.parametrize(
    ("method", "path", "need", "body", "success"),
    ROUTES,
    ids=[f"{r[0]} {r[1]}" for r in ROUTES],
)
def test_it_enforces_ownership_on_every_route(
    api_for, personas, ids, plan_with_document, role, method, path, need, body, success
):
    client = api_for(None if role == "anonymous" else personas[role])
    provision_ids = [str(p.public_id) for p in plan_with_document.provisions.all()]
    r = _request(client, method, path, body, ids, provision_ids)
    status = expected(role, need, success)
    assert r.status_code == status, r.content
    if status >= 400:
        assert r.json()["error"]["status"] == status


def test_the_matrix_covers_every_route_in_the_openapi_schema():
    from iepright.api.api import api

    schema = api.get_openapi_schema(path_prefix="")
    documented = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if path not in ("/households", "/children")  # lists across households: test_lists.py
    }
    from tests.api.test_entries import ROUTES as LOG_ROUTES
    from tests.api.test_reports_api import ROUTES as REPORT_ROUTES

    covered = {(m, p.split("?")[0]) for m, p, *_ in ROUTES + LOG_ROUTES + REPORT_ROUTES}
    covered = {(m, p.replace("{household}", "{household_id}")) for m, p in covered}
    normalise = {
        "{child}": "{child_id}",
        "{plan}": "{plan_id}",
        "{provision}": "{provision_id}",
        "{calendar}": "{calendar_id}",
        "{event}": "{event_id}",
        "{contact}": "{contact_id}",
        "{entry}": "{entry_id}",
        "{evidence}": "{evidence_id}",
        "2026-11-24": "{day}",
        "compliance.pdf": "{kind}.pdf",
    }
    for short, full in normalise.items():
        covered = {(m, p.replace(short, full)) for m, p in covered}
    assert documented - covered == set()


@pytest.mark.parametrize("path", ["/households", "/children"])
def test_it_asks_anonymous_callers_to_log_in_for_lists(api_for, household, path):
    r = api_for(None).get(API + path)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"
