"""The day view, one provision's timeline and the filtered list of entries."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from iepright.logbook import services
from iepright.logbook.models import Circumstance, Entry
from iepright.plans.models import Child, Plan, Provision
from tests.clock import AFTER_NOVEMBER
from tests.logbook.test_history_support import URLCONF, attach, log

pytestmark = [pytest.mark.urls(URLCONF), pytest.mark.frozen(AFTER_NOVEMBER)]


def school_days(start: date, count: int) -> list[date]:
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.isoweekday() <= 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def urls(child: Child, provision: Provision) -> dict[str, str]:
    kid = {"public_id": child.public_id}
    return {
        "log_month": reverse("log_month", kwargs=kid),
        "log_day": reverse("log_day", kwargs=kid) + "?date=2026-11-17",
        "log_list": reverse("log_list", kwargs=kid),
        "log_provision": reverse("log_provision", kwargs={"public_id": provision.public_id}),
    }


# Ownership --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["log_month", "log_day", "log_list", "log_provision"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404)],
)
def test_it_validates_ownership(client_for, personas, child, speech, name, persona, expected):
    log(speech, date(2026, 11, 17), personas["owner"], status="delivered")
    response = client_for(personas[persona]).get(urls(child, speech)[name])
    assert response.status_code == expected
    if expected == 200:
        assert "Speech-language therapy" in response.content.decode()


@pytest.mark.parametrize("name", ["log_month", "log_day", "log_list", "log_provision"])
def test_anonymous_visitors_are_sent_to_log_in(client_for, child, speech, name):
    response = client_for(None).get(urls(child, speech)[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["log_month", "log_day", "log_list", "log_provision"])
def test_the_pages_are_read_only(client_for, owner, child, speech, name):
    assert client_for(owner).post(urls(child, speech)[name]).status_code == 405


# Day --------------------------------------------------------------------------------------


def test_the_day_shows_every_entry_with_its_details_including_deleted_ones(
    client_for, owner, editor, child, speech, extended_time, contact, media
):
    day = date(2026, 11, 17)
    gone = log(extended_time, day, owner, status="delivered")
    services.delete_entry(gone, user=owner, reason="wrong provision")
    entry = log(
        speech,
        day,
        editor,
        late=True,
        status="partly",
        minutes_delivered=10,
        circumstances=["substitute_teacher", "schedule_change"],
        source="teacher_email",
        reported_contact=contact,
        reported_by="SLP",
        note="Session cut short",
    )
    attach(entry, owner)
    response = client_for(owner).get(
        reverse("log_day", kwargs={"public_id": child.public_id}), {"date": "2026-11-17"}
    )
    html = response.content.decode()
    assert [e.pk for e in response.context["entries"]] == [gone.pk, entry.pk]
    for text in (
        "Partly",
        "Schedule change, Substitute teacher",
        "Teacher email",
        "Karen Whitfield; SLP",
        "<dd>10</dd>",
        "Session cut short",
        "recorded late (15 days after)",
        "by Daniel Alvarez",
        "Dec 2, 2026, 3:00 p.m.",
        "deleted Dec 2, 2026, 3:00 p.m.",
        "Nov 17, 2026, 6:00 p.m.",
        "entry-deleted",
        reverse("entry_detail", kwargs={"public_id": entry.public_id}),
        reverse("entry_detail", kwargs={"public_id": gone.public_id}),
    ):
        assert text in html, text
    assert '<span aria-hidden="true">▣ </span>1' in html
    # The deleted entry leaves its provision not logged for the day.
    assert [p.pk for p in response.context["missing"]] == [extended_time.pk]


def test_the_day_defaults_to_today_and_survives_a_bad_date(client_for, owner, child, plan):
    url = reverse("log_day", kwargs={"public_id": child.public_id})
    client = client_for(owner)
    assert client.get(url).context["day"] == date(2026, 12, 2)
    response = client.get(url, {"date": "2026-02-30"})
    assert response.status_code == 200 and response.context["day"] == date(2026, 12, 2)
    assert "is not a date" in response.content.decode()


def test_the_day_links_to_the_check_in_for_writers_only(client_for, owner, viewer, child, plan):
    url = reverse("log_day", kwargs={"public_id": child.public_id})
    checkin = reverse("checkin", kwargs={"public_id": child.public_id}) + "?date=2026-11-17"
    assert checkin in client_for(owner).get(url, {"date": "2026-11-17"}).content.decode()
    assert checkin not in client_for(viewer).get(url, {"date": "2026-11-17"}).content.decode()


# Timeline ---------------------------------------------------------------------------------


def test_the_timeline_lists_one_provision_newest_first_with_totals(
    client_for, owner, speech, extended_time
):
    log(speech, date(2026, 11, 16), owner, status="delivered")
    log(speech, date(2026, 11, 17), owner, status="not_delivered")
    log(speech, date(2026, 11, 18), owner, status="delivered")
    log(extended_time, date(2026, 11, 18), owner, status="partly")
    gone = log(speech, date(2026, 11, 19), owner, status="partly", minutes_delivered=5)
    services.delete_entry(gone, user=owner)
    url = reverse("log_provision", kwargs={"public_id": speech.public_id})
    response = client_for(owner).get(url)
    page = response.context["page"]
    assert [e.event_date.day for e in page.object_list] == [18, 17, 16]
    counts = {status: n for status, _label, _symbol, n in response.context["counts"]}
    assert counts == {"delivered": 2, "partly": 0, "not_delivered": 1, "no_opportunity": 0}
    html = response.content.decode()
    assert "3 entries, newest first" in html
    assert "2 × 30 min per week" in html
    response = client_for(owner).get(url, {"include_deleted": "on"})
    assert [e.event_date.day for e in response.context["page"].object_list] == [19, 18, 17, 16]
    response = client_for(owner).get(url, {"status": "not_delivered"})
    assert [e.event_date.day for e in response.context["page"].object_list] == [17]
    assert "provision" not in response.context["form"].fields


def test_the_timeline_is_paginated_by_fifty(client_for, owner, speech):
    days = school_days(date(2026, 9, 16), 55)
    for day in days:
        log(speech, day, owner, late=True, status="delivered")
    url = reverse("log_provision", kwargs={"public_id": speech.public_id})
    first = client_for(owner).get(url)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].object_list[0].event_date == days[-1]
    assert "?page=2" in first.content.decode()
    second = client_for(owner).get(url, {"page": 2})
    assert [e.event_date for e in second.context["page"].object_list] == days[4::-1]
    assert client_for(owner).get(url, {"page": "x"}).status_code == 200


# List and filters -------------------------------------------------------------------------


@pytest.fixture
def logged(household, speech, extended_time, owner, media):
    """Six entries over a week: statuses, circumstances, lateness, evidence and a deletion."""
    Circumstance.objects.create(household=household, code="other_reason", label="Other reason")
    entries = {
        "a": log(speech, date(2026, 11, 16), owner, status="delivered"),
        "b": log(
            speech,
            date(2026, 11, 17),
            owner,
            late=True,
            status="not_delivered",
            circumstances=["provider_absent", "substitute_teacher"],
        ),
        "c": log(
            speech,
            date(2026, 11, 18),
            owner,
            status="partly",
            minutes_delivered=10,
            circumstances=["other_reason"],
        ),
        "d": log(
            extended_time,
            date(2026, 11, 16),
            owner,
            late=True,
            status="no_opportunity",
            circumstances=["other"],
        ),
        "e": log(
            extended_time,
            date(2026, 11, 17),
            owner,
            status="not_delivered",
            circumstances=["provider_absent"],
        ),
        "gone": log(
            extended_time,
            date(2026, 11, 18),
            owner,
            status="delivered",
            circumstances=["provider_absent"],
        ),
    }
    attach(entries["c"], owner)
    attach(entries["e"], owner)
    removed = attach(entries["a"], owner)
    services.remove_evidence(removed, user=owner)  # a removed attachment does not count
    services.delete_entry(entries["gone"], user=owner)
    return entries


def listed(
    client: Client, child: Child, params: dict[str, Any], logged: dict[str, Entry] | None = None
) -> tuple[Any, set[Any]]:
    """Return the response and the fixture keys of the entries it lists."""
    response = client.get(reverse("log_list", kwargs={"public_id": child.public_id}), params)
    assert response.status_code == 200
    key_of = {entry.pk: key for key, entry in (logged or {}).items()}
    return response, {key_of.get(e.pk, e.pk) for e in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "abcde"),
        ({"status": ["not_delivered"]}, "be"),
        ({"status": ["delivered", "partly"]}, "ac"),
        ({"circumstance": ["provider_absent"]}, "be"),
        ({"circumstance": ["other"]}, "d"),  # not "other_reason"
        ({"circumstance": ["other_reason", "substitute_teacher"]}, "bc"),
        ({"provision": "speech"}, "abc"),
        ({"date_from": "2026-11-17"}, "bce"),
        ({"date_to": "2026-11-16"}, "ad"),
        ({"date_from": "2026-11-17", "date_to": "2026-11-17"}, "be"),
        ({"late_only": "on"}, "bd"),
        ({"with_evidence": "on"}, "ce"),
        ({"include_deleted": "on"}, ["a", "b", "c", "d", "e", "gone"]),
        ({"include_deleted": "on", "circumstance": ["provider_absent"]}, ["b", "e", "gone"]),
        ({"status": ["not_delivered"], "provision": "speech", "late_only": "on"}, "b"),
        (
            {"circumstance": ["provider_absent"], "with_evidence": "on", "date_to": "2026-11-17"},
            "e",
        ),
        ({"status": ["partly"], "late_only": "on"}, ""),
    ],
)
def test_each_filter_alone_and_combined(client_for, owner, child, speech, logged, params, expected):
    if params.get("provision") == "speech":
        params = {**params, "provision": str(speech.public_id)}
    _response, shown = listed(client_for(owner), child, params, logged)
    assert shown == set(expected)


def test_the_list_shows_newest_first_and_marks_late_and_deleted(client_for, owner, child, logged):
    response, _shown = listed(client_for(owner), child, {"include_deleted": "on"}, logged)
    dates = [e.event_date for e in response.context["page"].object_list]
    assert dates == sorted(dates, reverse=True)
    html = response.content.decode()
    assert html.count("recorded late (") == 2
    assert html.count("badge-deleted") == 1
    assert "6 entries, newest first" in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"date_from": "2026-11-18", "date_to": "2026-11-16"},
            "date_to",
            "The “To” date (2026-11-16) is before the “From” date (2026-11-18).",
        ),
        ({"date_from": "yesterday"}, "date_from", "Enter a valid date."),
        ({"status": ["maybe"]}, "status", "Select a valid choice."),
        ({"provision": "not-a-provision"}, "provision", "Select a valid choice."),
    ],
)
def test_bad_filters_say_what_is_wrong_and_nothing_crashes(
    client_for, owner, child, logged, params, field, message
):
    response, shown = listed(client_for(owner), child, params, logged)
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert "Please fix the following:" in html
    assert shown <= set("abcde")  # the valid filters still apply; deleted still hidden


def test_another_childs_provision_cannot_be_chosen(client_for, owner, outsider, child, logged):
    other = Child.objects.get(name="Other Child")
    other_plan = Plan.objects.create(
        child=other, start_date=date(2026, 9, 1), end_date=date(2027, 6, 1)
    )
    foreign = Provision.objects.create(plan=other_plan, category="accommodation", text="Theirs")
    params = {"provision": str(foreign.public_id)}
    response, shown = listed(client_for(owner), child, params, logged)
    assert "provision" in response.context["form"].errors
    assert shown == set("abcde")


def test_the_list_is_paginated_and_keeps_the_filters(client_for, owner, child, speech):
    days = school_days(date(2026, 9, 16), 51)
    for day in days:
        log(speech, day, owner, late=True, status="not_delivered")
    client = client_for(owner)
    response, _shown = listed(client, child, {"status": ["not_delivered"]})
    assert len(response.context["page"].object_list) == 50
    assert "?status=not_delivered&amp;page=2" in response.content.decode()
    response, _shown = listed(client, child, {"status": ["not_delivered"], "page": "2"})
    assert [e.event_date for e in response.context["page"].object_list] == [days[0]]


def test_the_list_takes_the_same_number_of_queries_however_much_is_logged(
    client_for, owner, child, speech, extended_time, django_assert_num_queries, media
):
    client = client_for(owner)
    url = reverse("log_list", kwargs={"public_id": child.public_id})
    attach(log(speech, date(2026, 9, 16), owner, late=True, status="delivered"), owner)
    with django_assert_num_queries(8):  # 7, and the revisions of changed entries
        client.get(url, {"include_deleted": "on"})
    for day in school_days(date(2026, 9, 17), 30):
        for provision in (speech, extended_time):
            entry = log(
                provision,
                day,
                owner,
                late=True,
                status="not_delivered",
                circumstances=["provider_absent"],
                note="none",
            )
        services.delete_entry(entry, user=owner)
    with django_assert_num_queries(8):  # 7, and the revisions of changed entries
        response = client.get(url, {"include_deleted": "on"})
    assert len(response.context["page"].object_list) == 50
    assert Entry.objects.count() == 61


def test_the_provision_filter_names_each_plan_with_a_readable_date(
    client_for, owner, child, speech
):
    html = client_for(owner).get(reverse("log_list", args=[child.public_id])).content.decode()
    assert "Sep 16, 2026)" in html and "2026-09-16)" not in html
