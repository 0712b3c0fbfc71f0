"""The school calendar: school years, days off, .ics import, and "is this a school day?"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from iepright.plans.models import CalendarEvent, SchoolCalendar
from tests.plans.conftest import READ_PAGE, WRITE_PAGE, WRITE_POST

RIVERBEND = Path(__file__).resolve().parent.parent / "data" / "riverbend-2026-2027.ics"
YEAR = {
    "school_year": "2027-2028",
    "first_day": "2027-08-11",
    "last_day": "2028-05-25",
    "weekdays": ["1", "2", "3", "4", "5"],
}


def ics_file(data: bytes, name: str = "calendar.ics") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/calendar")


# The calendar page --------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), READ_PAGE)
def test_it_shows_the_calendar_to_members_only(client_for, personas, child, calendar, role, status):
    r = client_for(personas[role]).get(reverse("calendar", args=[child.public_id]))
    assert r.status_code == status


def test_it_lists_each_year_with_its_days_off(client_for, owner, child, calendar):
    html = client_for(owner).get(reverse("calendar", args=[child.public_id])).content.decode()
    assert "School year 2026-2027" in html
    assert "Aug 12, 2026 to May 27, 2027 · Monday, Tuesday, Wednesday, Thursday, Friday" in html
    assert "Thanksgiving break" in html and "Mon, Nov 23, 2026 to Fri, Nov 27, 2026" in html
    assert "Early release" in html and "Fri, Nov 20, 2026" in html
    for event in calendar.events.all():
        assert reverse("event_edit", args=[event.public_id]) in html


def test_it_hides_edit_controls_from_viewers(client_for, viewer, child, calendar):
    html = client_for(viewer).get(reverse("calendar", args=[child.public_id])).content.decode()
    assert "Thanksgiving break" in html
    assert reverse("calendar_create", args=[child.public_id]) not in html
    for name in ("calendar_edit", "calendar_delete", "calendar_import", "event_create"):
        assert reverse(name, args=[calendar.public_id]) not in html
    assert "/calendar-days/" not in html


@pytest.mark.parametrize(
    ("day", "school", "words"),
    [
        ("2026-11-18", True, "Yes. School day"),
        ("2026-11-20", True, "Yes. School day, early release"),
        ("2026-11-23", False, "No. No school: Thanksgiving break"),
        ("2026-11-21", False, "No. No school (not a school weekday)"),
        ("2027-07-01", False, "No. No school year entered for this date"),
    ],
)
def test_it_answers_whether_a_date_is_a_school_day(
    client_for, viewer, child, calendar, day, school, words
):
    r = client_for(viewer).get(reverse("calendar", args=[child.public_id]), {"day": day})
    assert r.context["answer"].school is school
    assert words in r.content.decode()


def test_it_shows_the_chosen_month_day_by_day(client_for, owner, child, calendar):
    r = client_for(owner).get(reverse("calendar", args=[child.public_id]), {"day": "2026-11-23"})
    html = r.content.decode()
    assert len(r.context["month"]) == 30
    assert ">Every day of November 2026</caption>" in html
    assert '<tr aria-current="date">' in html
    assert "?day=2026-10-01" in html and "?day=2026-12-01" in html


def test_it_counts_school_days_between_two_dates(client_for, viewer, child, calendar):
    r = client_for(viewer).get(
        reverse("calendar", args=[child.public_id]), {"start": "2026-11-16", "end": "2026-11-27"}
    )
    # Nov 16-20 are school days (the 20th an early release); the 23rd-27th is Thanksgiving break.
    assert r.context["counted"]["count"] == 5
    assert "5 school days from Nov 16, 2026 to Nov 27, 2026, both included." in r.content.decode()


def test_it_refuses_a_count_with_dates_in_the_wrong_order(client_for, owner, child, calendar):
    r = client_for(owner).get(
        reverse("calendar", args=[child.public_id]), {"start": "2026-11-27", "end": "2026-11-16"}
    )
    assert r.status_code == 200
    assert r.context["range_form"].errors["end"] == ["The “to” date is before the “from” date."]
    assert r.context["counted"] is None


def test_the_calendar_page_query_count_does_not_grow(
    client_for, owner, child, calendar, django_assert_num_queries
):
    c = client_for(owner)
    url = reverse("calendar", args=[child.public_id])
    with django_assert_num_queries(5):
        c.get(url)
    other = SchoolCalendar.objects.create(
        child=child,
        school_year="2027-2028",
        first_day=date(2027, 8, 11),
        last_day=date(2028, 5, 25),
    )
    for month in range(9, 13):
        CalendarEvent.objects.create(
            calendar=other,
            name="Day off",
            start_date=date(2027, month, 3),
            end_date=date(2027, month, 3),
        )
    with django_assert_num_queries(5):
        c.get(url)


# School years -----------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_add_year_form_to_writers_only(client_for, personas, child, role, status):
    r = client_for(personas[role]).get(reverse("calendar_create", args=[child.public_id]))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "<legend>Days of the week school meets</legend>" in html
        assert html.count('type="checkbox" name="weekdays"') == 7
        assert html.count("checked") == 5  # Monday to Friday ticked to start with


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_add_a_school_year(client_for, personas, child, role, status):
    r = client_for(personas[role]).post(reverse("calendar_create", args=[child.public_id]), YEAR)
    assert r.status_code == status
    cal = SchoolCalendar.objects.filter(child=child, school_year="2027-2028").first()
    assert (cal is not None) is (status == 302)
    if cal:
        assert cal.weekdays == "12345"
        assert r["Location"].endswith(f"#year-{cal.public_id}")


def test_it_saves_the_weekdays_ticked(client_for, owner, child):
    client_for(owner).post(
        reverse("calendar_create", args=[child.public_id]), {**YEAR, "weekdays": ["2", "4", "1"]}
    )
    assert SchoolCalendar.objects.get(child=child).weekdays == "124"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"school_year": "2027"}, "school_year", "such as 2026-2027"),
        ({"school_year": "2027-2029"}, "school_year", "such as 2026-2027"),
        ({"last_day": "2027-08-01"}, "last_day", "The last day is before the first day."),
        ({"weekdays": []}, "weekdays", "Tick at least one day of the week."),
        ({"weekdays": ["8"]}, "weekdays", "Select a valid choice."),
        ({"first_day": "not a date"}, "first_day", "Enter a valid date."),
    ],
)
def test_it_refuses_a_bad_school_year(client_for, owner, child, changes, field, message):
    r = client_for(owner).post(
        reverse("calendar_create", args=[child.public_id]), {**YEAR, **changes}
    )
    assert r.status_code == 200
    errors = r.context["form"].errors[field]
    assert len(errors) == 1 and message in errors[0]
    assert not SchoolCalendar.objects.filter(child=child).exists()


def test_it_refuses_a_year_that_overlaps_another(client_for, owner, child, calendar):
    r = client_for(owner).post(
        reverse("calendar_create", args=[child.public_id]),
        {**YEAR, "school_year": "2027-2028", "first_day": "2027-05-01"},
    )
    assert "overlap the 2026-2027 school year" in r.context["form"].errors["first_day"][0]


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_change_a_school_year(client_for, personas, calendar, role, status):
    r = client_for(personas[role]).post(
        reverse("calendar_edit", args=[calendar.public_id]),
        {
            **YEAR,
            "school_year": "2026-2027",
            "first_day": "2026-08-13",
            "last_day": "2027-05-27",
            "weekdays": ["1", "2", "3", "4"],
        },
    )
    assert r.status_code == status
    calendar.refresh_from_db()
    assert (calendar.weekdays == "1234") is (status == 302)


def test_the_edit_form_ticks_the_saved_weekdays(client_for, owner, calendar):
    calendar.weekdays = "135"
    calendar.save()
    r = client_for(owner).get(reverse("calendar_edit", args=[calendar.public_id]))
    assert r.context["form"]["weekdays"].value() == ["1", "3", "5"]


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_asks_writers_to_confirm_deleting_a_year(client_for, personas, calendar, role, status):
    r = client_for(personas[role]).get(reverse("calendar_delete", args=[calendar.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_delete_a_year(client_for, personas, calendar, role, status):
    r = client_for(personas[role]).post(reverse("calendar_delete", args=[calendar.public_id]))
    assert r.status_code == status
    assert SchoolCalendar.objects.filter(pk=calendar.pk).exists() is (status != 302)


# Days off and early release -----------------------------------------------------------------

DAY_OFF = {"kind": "closed", "name": "Veterans Day", "start_date": "2026-11-11", "end_date": ""}


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_add_day_form_to_writers_only(client_for, personas, calendar, role, status):
    r = client_for(personas[role]).get(reverse("event_create", args=[calendar.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_add_a_single_day_off(client_for, personas, calendar, role, status):
    r = client_for(personas[role]).post(reverse("event_create", args=[calendar.public_id]), DAY_OFF)
    assert r.status_code == status
    event = calendar.events.filter(name="Veterans Day").first()
    assert (event is not None) is (status == 302)
    if event:
        assert event.start_date == event.end_date == date(2026, 11, 11)


def test_save_and_add_another_day(client_for, owner, calendar):
    r = client_for(owner).post(
        reverse("event_create", args=[calendar.public_id]), {**DAY_OFF, "then": "another"}
    )
    assert r["Location"] == reverse("event_create", args=[calendar.public_id])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2026-11-10"}, "end_date", "The end date is before the start date."),
        ({"start_date": "2027-07-01", "end_date": ""}, "start_date", "within the school year"),
        ({"start_date": ""}, "start_date", "This field is required."),
        ({"kind": "party"}, "kind", "Select a valid choice."),
    ],
)
def test_it_refuses_a_bad_day_off(client_for, owner, calendar, changes, field, message):
    r = client_for(owner).post(
        reverse("event_create", args=[calendar.public_id]), {**DAY_OFF, **changes}
    )
    assert r.status_code == 200
    assert message in r.context["form"].errors[field][0]
    assert calendar.events.count() == 2


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_change_a_day_off(client_for, personas, calendar, role, status):
    event = calendar.events.get(kind="closed")
    r = client_for(personas[role]).post(
        reverse("event_edit", args=[event.public_id]),
        {
            "kind": "closed",
            "name": "Thanksgiving",
            "start_date": "2026-11-25",
            "end_date": "2026-11-27",
        },
    )
    assert r.status_code == status
    event.refresh_from_db()
    assert (event.start_date == date(2026, 11, 25)) is (status == 302)


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_day_edit_form_to_writers_only(client_for, personas, calendar, role, status):
    event = calendar.events.first()
    assert (
        client_for(personas[role]).get(reverse("event_edit", args=[event.public_id])).status_code
        == status
    )


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_delete_a_day_off(client_for, personas, calendar, role, status):
    event = calendar.events.get(kind="closed")
    assert client_for(personas[role]).get(
        reverse("event_delete", args=[event.public_id])
    ).status_code == (200 if status == 302 else status)
    r = client_for(personas[role]).post(reverse("event_delete", args=[event.public_id]))
    assert r.status_code == status
    assert CalendarEvent.objects.filter(pk=event.pk).exists() is (status != 302)


# Importing an .ics file ---------------------------------------------------------------------


@pytest.fixture
def empty_year(child):
    return SchoolCalendar.objects.create(
        child=child, school_year="2026-2027", first_day=date(2026, 8, 1), last_day=date(2027, 6, 30)
    )


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_import_form_to_writers_only(client_for, personas, calendar, role, status):
    r = client_for(personas[role]).get(reverse("calendar_import", args=[calendar.public_id]))
    assert r.status_code == status
    if status == 200:
        assert 'for="id_file"' in r.content.decode()


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_imports_the_district_calendar(client_for, personas, child, empty_year, role, status):
    c = client_for(personas[role])
    r = c.post(
        reverse("calendar_import", args=[empty_year.public_id]),
        {"file": ics_file(RIVERBEND.read_bytes(), "riverbend-2026-2027.ics")},
    )
    assert r.status_code == status
    empty_year.refresh_from_db()
    assert empty_year.events.exists() is (status == 302)
    if status != 302:
        return
    assert (empty_year.first_day, empty_year.last_day) == (date(2026, 8, 12), date(2027, 5, 27))
    closed = empty_year.events.filter(kind="closed")
    assert closed.count() == 9
    assert closed.filter(name="Thanksgiving Break", start_date=date(2026, 11, 23)).exists()
    page = c.get(r["Location"])
    html = page.content.decode()
    assert "What the import added to 2026-2027" in html
    assert "9 closed days or breaks" in html
    early = empty_year.events.filter(kind="early_release").count()
    assert f"{early} early-release day" in html
    assert "First day of school set to Aug 12, 2026" in html
    assert "Picture Day (Sep 15, 2026)" in html  # skipped events are listed, not dropped
    assert "Parent-Teacher Conferences" in html
    # The summary is shown once, then the page is back to normal.
    assert "What the import added" not in c.get(r["Location"]).content.decode()
    # The imported calendar answers the questions.
    r = c.get(
        reverse("calendar", args=[child.public_id]), {"start": "2026-08-01", "end": "2027-06-30"}
    )
    assert r.context["counted"]["count"] == 181


def test_importing_the_same_file_twice_adds_nothing_twice(client_for, owner, empty_year):
    c = client_for(owner)
    url = reverse("calendar_import", args=[empty_year.public_id])
    c.post(url, {"file": ics_file(RIVERBEND.read_bytes())})
    count = empty_year.events.count()
    c.post(url, {"file": ics_file(RIVERBEND.read_bytes())})
    assert empty_year.events.count() == count


def test_it_imports_a_small_inline_calendar(client_for, owner, empty_year):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261111\r\n"
        b"DTEND;VALUE=DATE:20261112\r\nSUMMARY:Veterans Day - No School\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261002\r\n"
        b"DTEND;VALUE=DATE:20261003\r\nSUMMARY:Book fair\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    c = client_for(owner)
    r = c.post(reverse("calendar_import", args=[empty_year.public_id]), {"file": ics_file(data)})
    assert r.status_code == 302
    assert list(empty_year.events.values_list("name", "kind")) == [
        ("Veterans Day - No School", "closed")
    ]
    html = c.get(r["Location"]).content.decode()
    assert "1 closed day or break" in html
    assert "Book fair (Oct 2, 2026)" in html


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a calendar",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n",
        b"\xff\xfe\x00",
    ],
)
def test_a_malformed_file_saves_nothing_and_says_why_on_the_file_field(
    client_for, owner, calendar, data
):
    before = list(calendar.events.values_list("pk", flat=True))
    r = client_for(owner).post(
        reverse("calendar_import", args=[calendar.public_id]), {"file": ics_file(data, "cal.ics")}
    )
    assert r.status_code == 200
    assert r.context["form"].errors["file"]
    assert 'class="error-summary"' in r.content.decode()
    calendar.refresh_from_db()
    assert list(calendar.events.values_list("pk", flat=True)) == before
    assert (calendar.first_day, calendar.last_day) == (date(2026, 8, 12), date(2027, 5, 27))


@override_settings(MAX_UPLOAD_MB=1)
def test_it_refuses_an_ics_file_over_the_size_limit(client_for, owner, calendar):
    big = b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"0" * (1024 * 1024) + b"\r\nEND:VCALENDAR\r\n"
    r = client_for(owner).post(
        reverse("calendar_import", args=[calendar.public_id]), {"file": ics_file(big)}
    )
    assert r.status_code == 200
    assert "larger than 1 MB" in r.context["form"].errors["file"][0]
    assert calendar.events.count() == 2


def test_it_shows_what_the_import_simplified(client_for, owner, empty_year):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a@x\r\nDTSTART;VALUE=DATE:20261005\r\n"
        b"SUMMARY:No School\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b@x\r\nDTSTART;VALUE=DATE:20261111\r\nSTATUS:CANCELLED\r\n"
        b"SUMMARY:Veterans Day - No School\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    c = client_for(owner)
    r = c.post(reverse("calendar_import", args=[empty_year.public_id]), {"file": ics_file(data)})
    assert r.status_code == 302
    html = c.get(r["Location"]).content.decode()
    assert "Check these by hand" in html
    assert (
        "The event &#x27;No School&#x27; repeats (FREQ=MONTHLY;COUNT=3) in a way this import "
        "does not expand; only its first date, Oct 5, 2026, was imported." in html
    )
    assert "The event &#x27;Veterans Day - No School&#x27; is marked cancelled" in html


@pytest.mark.parametrize(
    ("data", "spanish"),
    [
        (b"this is not a calendar", "Este archivo no es un archivo iCalendar (.ics)."),
        (b"%PDF-1.7 ...", "(Este es un PDF.)"),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Fall Break\r\n"
            b"DTSTART;VALUE=DATE:20261012\r\nDTEND;VALUE=DATE:20261010\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n",
            "El evento «Fall Break» termina (10 oct 2026) antes de empezar (12 oct 2026).",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTEND;VALUE=DATE:20261010\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n",
            "El evento número 1 (no tiene título) no tiene fecha de inicio (DTSTART).",
        ),
    ],
)
def test_it_explains_a_bad_ics_file_in_spanish(client_for, owner, calendar, data, spanish):
    c = client_for(owner)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    r = c.post(
        reverse("calendar_import", args=[calendar.public_id]), {"file": ics_file(data, "cal.ics")}
    )
    assert r.status_code == 200
    error = r.context["form"].errors["file"][0]
    assert spanish in error
    for english in ("The ", "event ", "file", "before it starts", "This one", "has no"):
        assert english not in error
