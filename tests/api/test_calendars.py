"""School calendars: years, events, .ics import, and which days are school days."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from iepright.plans.models import CalendarEvent, SchoolCalendar
from tests.api.conftest import ICS, send

YEAR = {"school_year": "2027-2028", "first_day": "2027-08-11", "last_day": "2028-05-25"}


def test_it_lists_a_childs_calendars_without_a_query_per_row(
    api_for, viewer, calendar, django_assert_num_queries
):
    SchoolCalendar.objects.create(
        child=calendar.child, school_year="2025-2026", first_day="2025-08-13", last_day="2026-05-28"
    )
    client = api_for(viewer)
    send(client, "get", f"/children/{calendar.child.public_id}/calendars")
    with django_assert_num_queries(4):  # token, child, count, page
        r = send(client, "get", f"/children/{calendar.child.public_id}/calendars")
    assert [c["school_year"] for c in r.json()["items"]] == ["2026-2027", "2025-2026"]
    assert r.json()["items"][0] == {
        "id": str(calendar.public_id),
        "child": str(calendar.child.public_id),
        "school_year": "2026-2027",
        "first_day": "2026-08-12",
        "last_day": "2027-05-27",
        "weekdays": "12345",
    }


def test_it_shows_a_calendar_with_its_events(api_for, viewer, calendar):
    r = send(api_for(viewer), "get", f"/calendars/{calendar.public_id}")
    events = r.json()["events"]
    assert [(e["kind"], e["name"], e["start_date"], e["end_date"]) for e in events] == [
        ("early_release", "Early release", "2026-11-20", "2026-11-20"),
        ("closed", "Thanksgiving break", "2026-11-23", "2026-11-27"),
    ]


def test_it_adds_a_school_year(api_for, editor, child):
    r = send(api_for(editor), "post", f"/children/{child.public_id}/calendars", YEAR)
    assert r.status_code == 201
    assert r.json()["events"] == []
    assert child.calendars.get().school_year == "2027-2028"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"school_year": "2027"}, "school_year"),
        ({"school_year": "2026-2027"}, "school_year"),
        ({"last_day": "2027-08-01"}, "last_day"),
        ({"weekdays": "12389"}, "weekdays"),
        ({"first_day": "2027-05-01"}, "first_day"),
    ],
)
def test_it_refuses_a_bad_school_year(api_for, owner, calendar, change, field):
    r = send(
        api_for(owner),
        "post",
        f"/children/{calendar.child.public_id}/calendars",
        {**YEAR, **change},
    )
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == [field]
    assert SchoolCalendar.objects.count() == 1


def test_it_changes_a_calendar(api_for, editor, calendar):
    r = send(api_for(editor), "patch", f"/calendars/{calendar.public_id}", {"weekdays": "1234"})
    assert r.json()["weekdays"] == "1234"
    assert len(r.json()["events"]) == 2


def test_it_adds_changes_and_deletes_an_event(api_for, editor, calendar):
    client = api_for(editor)
    body = {
        "kind": "closed",
        "name": "Winter break",
        "start_date": "2026-12-21",
        "end_date": "2027-01-01",
    }
    r = send(client, "post", f"/calendars/{calendar.public_id}/events", body)
    assert r.status_code == 201
    event_id = r.json()["id"]
    r = send(client, "patch", f"/calendar-events/{event_id}", {"end_date": "2027-01-04"})
    assert r.json()["end_date"] == "2027-01-04"
    assert send(client, "delete", f"/calendar-events/{event_id}").status_code == 204
    assert not CalendarEvent.objects.filter(public_id=event_id).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2026-12-21", "end_date": "2026-12-01"}, "end_date"),
        ({"start_date": "2027-07-01", "end_date": "2027-07-02"}, "start_date"),
        ({"start_date": "2026-12-21", "end_date": "2026-12-21", "kind": "snow"}, "kind"),
    ],
)
def test_it_refuses_a_bad_event(api_for, editor, calendar, body, field):
    r = send(api_for(editor), "post", f"/calendars/{calendar.public_id}/events", body)
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == [field]
    assert calendar.events.count() == 2


def _import(client: Any, calendar: Any, data: bytes, name: str = "district.ics") -> Any:
    upload = SimpleUploadedFile(name, data, content_type="text/calendar")
    return client.post(f"/api/v1/calendars/{calendar.public_id}/import", {"file": upload})


def test_it_says_what_the_import_simplified(api_for, editor, calendar):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a@x\r\nDTSTART;VALUE=DATE:20261005\r\n"
        b"SUMMARY:No School\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    r = _import(api_for(editor), calendar, data)
    assert r.status_code == 200
    assert r.json()["notes"] == [
        "The event 'No School' repeats (FREQ=MONTHLY;COUNT=3) in a way this import does not "
        "expand; only its first date, Oct 5, 2026, was imported. Add any others by hand."
    ]
    assert r.json()["closed"] == 1


def test_it_imports_an_ics_file_and_lists_what_it_skipped(api_for, editor, calendar):
    r = _import(api_for(editor), calendar, ICS)
    assert r.status_code == 200
    body = r.json()
    assert (body["closed"], body["early_release"]) == (1, 1)
    assert (body["first_day_set"], body["last_day_set"]) == (False, False)
    assert len(body["skipped"]) == 2
    assert any("Picture Day" in s for s in body["skipped"])
    assert any("Summer holiday" in s and "outside the school year" in s for s in body["skipped"])
    assert calendar.events.count() == 4
    # The same file again adds nothing twice.
    again = _import(api_for(editor), calendar, ICS).json()
    assert (again["closed"], again["early_release"]) == (0, 0)
    assert calendar.events.count() == 4


def test_it_refuses_a_malformed_ics_file_and_saves_nothing(api_for, editor, calendar):
    r = _import(api_for(editor), calendar, b"BEGIN:VCALENDAR\nthis is not a calendar")
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["file"]
    assert calendar.events.count() == 2


@override_settings(MAX_UPLOAD_MB=1)
def test_it_refuses_an_oversize_ics_file(api_for, editor, calendar):
    data = ICS.replace(b"END:VCALENDAR", b"X-PAD:" + b"a" * 1_572_864 + b"\nEND:VCALENDAR")
    r = _import(api_for(editor), calendar, data)
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["file"]
    assert calendar.events.count() == 2


def test_it_lists_school_days_with_early_release(api_for, viewer, calendar):
    url = f"/children/{calendar.child.public_id}/school-days?from=2026-11-16&to=2026-11-30"
    r = send(api_for(viewer), "get", url)
    assert r.status_code == 200
    body = r.json()
    assert (body["from"], body["to"], body["calendar_on_file"]) == (
        "2026-11-16",
        "2026-11-30",
        True,
    )
    # Thanksgiving week is closed; weekends are not school days.
    assert [d["date"] for d in body["days"]] == [
        "2026-11-16",
        "2026-11-17",
        "2026-11-18",
        "2026-11-19",
        "2026-11-20",
        "2026-11-30",
    ]
    assert body["count"] == 6
    assert [d["date"] for d in body["days"] if d["early_release"]] == ["2026-11-20"]


def test_it_counts_nothing_without_a_calendar_and_says_so(api_for, viewer, child):
    url = f"/children/{child.public_id}/school-days?from=2026-11-16&to=2026-11-30"
    body = send(api_for(viewer), "get", url).json()
    assert (body["count"], body["days"], body["calendar_on_file"]) == (0, [], False)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-11-30&to=2026-11-16", "to"),
        ("from=2026-01-01&to=2029-01-02", "to"),
        ("from=2026-01-01", "to"),
        ("from=tomorrow&to=2026-11-16", "from"),
    ],
)
def test_it_refuses_a_bad_range(api_for, viewer, calendar, query, field):
    r = send(api_for(viewer), "get", f"/children/{calendar.child.public_id}/school-days?{query}")
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == [field]


def test_it_allows_exactly_three_years(api_for, viewer, calendar):
    url = f"/children/{calendar.child.public_id}/school-days?from=2026-01-01&to=2029-01-01"
    assert send(api_for(viewer), "get", url).status_code == 200


@pytest.mark.parametrize(
    ("day", "is_school_day", "status", "closure"),
    [
        ("2026-11-18", True, "school_day", None),
        ("2026-11-20", True, "early_release", None),
        ("2026-11-21", False, "weekend", None),
        ("2026-11-24", False, "closed", "Thanksgiving break"),
        ("2027-07-01", False, "outside_year", None),
    ],
)
def test_it_says_what_kind_of_day_a_date_is(
    api_for, viewer, calendar, day, is_school_day, status, closure
):
    r = send(api_for(viewer), "get", f"/children/{calendar.child.public_id}/school-days/{day}")
    assert r.json() == {
        "date": day,
        "is_school_day": is_school_day,
        "status": status,
        "closure_name": closure,
    }


def test_it_refuses_a_day_that_is_not_a_date(api_for, viewer, calendar):
    r = send(api_for(viewer), "get", f"/children/{calendar.child.public_id}/school-days/monday")
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["day"]
