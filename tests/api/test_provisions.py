"""Provisions: list, add (position after the last), change, end on a date, delete, reorder."""

from __future__ import annotations

import pytest

from iepright.plans.models import Provision
from tests.api.conftest import send

SPEECH = {
    "category": "related_service",
    "text": "Occupational therapy",
    "sessions_per_period": 1,
    "minutes_per_session": 45,
    "period": "week",
    "location": "outside_general_education",
    "delivery": "direct",
}


def test_it_lists_provisions_in_order_without_a_query_per_row(
    api_for, viewer, plan, django_assert_num_queries
):
    for n in range(5):
        Provision.objects.create(plan=plan, position=10 + n, category="accommodation", text=f"A{n}")
    client = api_for(viewer)
    send(client, "get", f"/plans/{plan.public_id}/provisions")
    with django_assert_num_queries(4):  # token, plan, count, page
        r = send(client, "get", f"/plans/{plan.public_id}/provisions?limit=3")
    body = r.json()
    assert body["count"] == 7
    assert [p["position"] for p in body["items"]] == [0, 1, 10]


def test_it_shows_every_field_of_a_provision(api_for, viewer, provision):
    r = send(api_for(viewer), "get", f"/provisions/{provision.public_id}")
    assert r.json() == {
        "id": str(provision.public_id),
        "position": 1,
        "category": "related_service",
        "text": "Speech-language therapy",
        "applies": "",
        "sessions_per_period": 2,
        "minutes_per_session": 30,
        "period": "week",
        "weekdays": "",
        "location": "outside_general_education",
        "setting": "speech room",
        "provider_role": "Speech-language pathologist",
        "delivery": "direct",
        "group_size": "individual",
        "start_date": None,
        "end_date": None,
        "ended_on": None,
        "ended_reason": "",
        "frequency_text": "2 × 30 min per week",
        "is_service": True,
    }


def test_it_adds_a_provision_after_the_last_one(api_for, editor, plan):
    r = send(api_for(editor), "post", f"/plans/{plan.public_id}/provisions", SPEECH)
    assert r.status_code == 201
    assert r.json()["position"] == 2
    assert r.json()["frequency_text"] == "1 × 45 min per week"
    assert plan.provisions.get(position=2).text == "Occupational therapy"


def test_it_keeps_a_position_that_is_sent(api_for, editor, plan):
    body = {"category": "accommodation", "text": "Seat near the teacher", "position": 7}
    r = send(api_for(editor), "post", f"/plans/{plan.public_id}/provisions", body)
    assert r.json()["position"] == 7


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": None}, "text"),
        ({"minutes_per_session": 0}, "minutes_per_session"),
        ({"minutes_per_session": -30}, "minutes_per_session"),
        ({"sessions_per_period": 0}, "sessions_per_period"),
        ({"period": "fortnight"}, "period"),
        ({"category": "therapy"}, "category"),
        ({"location": "home"}, "location"),
        ({"delivery": "by mail"}, "delivery"),
        ({"start_date": "2020-01-01"}, "start_date"),
        ({"start_date": "2027-03-01", "end_date": "2027-02-01"}, "end_date"),
    ],
)
def test_it_refuses_a_bad_provision(api_for, owner, plan, change, field):
    body = {**SPEECH, **change}
    r = send(api_for(owner), "post", f"/plans/{plan.public_id}/provisions", body)
    assert r.status_code == 422
    assert field in [f["field"] for f in r.json()["error"]["fields"]]
    assert plan.provisions.count() == 2


def test_it_refuses_a_provision_without_text(api_for, owner, plan):
    body = {"category": "accommodation"}
    r = send(api_for(owner), "post", f"/plans/{plan.public_id}/provisions", body)
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["text"]


def test_it_changes_only_the_fields_sent(api_for, editor, provision):
    r = send(api_for(editor), "patch", f"/provisions/{provision.public_id}", {"period": "month"})
    assert r.status_code == 200
    assert r.json()["frequency_text"] == "2 × 30 min per month"
    provision.refresh_from_db()
    assert (provision.period, provision.minutes_per_session) == ("month", 30)


def test_a_change_after_logging_began_is_recorded(
    api_for, owner, provision, entry, django_assert_num_queries
):
    from iepright.plans.models import ProvisionChange

    url = f"/provisions/{provision.public_id}"
    body = {"period": "month", "location": "general_education"}
    assert send(api_for(owner), "patch", url, body).status_code == 200
    change = ProvisionChange.objects.get(provision=provision)
    assert (change.before, change.after, change.client) == (
        {"period": "week", "location": provision.location},
        body,
        "api:tests",
    )
    client = api_for(owner)
    send(client, "get", f"{url}/changes")
    with django_assert_num_queries(4):  # token, provision, count, page
        listed = send(client, "get", f"{url}/changes").json()["items"]
    assert [(c["before"], c["after"], c["changed_by"], c["entries"]) for c in listed] == [
        ({"period": "week", "location": provision.location}, body, "Rosa Alvarez", 1)
    ]
    rows = [tuple(str(v) for v in row) for row in change.rows()]
    assert rows[0] == ("how often", "week", "month")
    assert rows[1][0::2] == ("location", "General education")


def test_it_refuses_a_change_to_zero_minutes(api_for, editor, provision):
    url = f"/provisions/{provision.public_id}"
    r = send(api_for(editor), "patch", url, {"minutes_per_session": 0, "setting": "hall"})
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["minutes_per_session"]
    provision.refresh_from_db()
    assert (provision.minutes_per_session, provision.setting) == (30, "speech room")


def test_it_ends_a_provision_on_a_date(api_for, editor, provision):
    body = {"last_day": "2027-01-15", "reason": " SLP position vacant "}
    r = send(api_for(editor), "post", f"/provisions/{provision.public_id}/end", body)
    assert r.status_code == 200
    assert (r.json()["ended_on"], r.json()["ended_reason"]) == ("2027-01-15", "SLP position vacant")
    provision.refresh_from_db()
    assert str(provision.ended_on) == "2027-01-15"


def test_it_refuses_an_end_outside_the_plan_naming_last_day(api_for, editor, provision):
    body = {"last_day": "2030-01-01"}
    r = send(api_for(editor), "post", f"/provisions/{provision.public_id}/end", body)
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["last_day"]
    provision.refresh_from_db()
    assert provision.ended_on is None


def test_it_undoes_an_ending_with_null(api_for, editor, provision):
    provision.ended_on = provision.plan.end_date
    provision.save()
    r = send(api_for(editor), "patch", f"/provisions/{provision.public_id}", {"ended_on": None})
    assert r.json()["ended_on"] is None


def test_it_deletes_a_provision_without_log_entries(api_for, editor, provision):
    r = send(api_for(editor), "delete", f"/provisions/{provision.public_id}")
    assert r.status_code == 204
    assert not Provision.objects.filter(pk=provision.pk).exists()


def test_it_will_not_delete_a_provision_with_log_entries(api_for, owner, provision, entry):
    r = send(api_for(owner), "delete", f"/provisions/{provision.public_id}")
    assert r.status_code == 422
    assert "End it on a date instead" in r.json()["error"]["fields"][0]["message"]
    assert Provision.objects.filter(pk=provision.pk).exists()


def test_it_reorders_provisions_and_again_changes_nothing(api_for, editor, plan):
    first, second = plan.provisions.order_by("position")
    order = {"order": [str(second.public_id), str(first.public_id)]}
    client = api_for(editor)
    url = f"/plans/{plan.public_id}/provisions/order"
    r1 = send(client, "put", url, order)
    r2 = send(client, "put", url, order)
    assert r1.status_code == r2.status_code == 200
    assert r1.json() == r2.json()
    assert [p["id"] for p in r2.json()["items"]] == order["order"]
    assert [p["position"] for p in r2.json()["items"]] == [0, 1]
    assert r2.json()["count"] == 2


@pytest.mark.parametrize("kind", ["missing", "twice", "foreign"])
def test_it_refuses_an_order_that_does_not_name_each_provision_once(
    api_for, editor, plan, outsider, kind
):
    first, second = (str(p.public_id) for p in plan.provisions.order_by("position"))
    order = {
        "missing": [first],
        "twice": [first, second, first],
        "foreign": [first, second, "00000000-0000-4000-8000-000000000000"],
    }[kind]
    url = f"/plans/{plan.public_id}/provisions/order"
    r = send(api_for(editor), "put", url, {"order": order})
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["order"]
    assert [p.position for p in plan.provisions.order_by("id")] == [0, 1]


def test_it_takes_a_service_s_usual_days_and_keeps_a_later_change(
    api_for, owner, plan, provision, entry
):
    r = send(
        api_for(owner), "post", f"/plans/{plan.public_id}/provisions", {**SPEECH, "weekdays": "3"}
    )
    assert r.status_code == 201 and r.json()["weekdays"] == "3"
    url = f"/provisions/{provision.public_id}"
    r = send(api_for(owner), "patch", url, {"weekdays": "42"})
    assert r.status_code == 200 and r.json()["weekdays"] == "24"
    change = provision.changes.get()
    assert (change.before, change.after) == ({"weekdays": ""}, {"weekdays": "24"})
    assert [tuple(str(v) for v in row) for row in change.rows()] == [("usual days", "", "24")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weekdays": "8"}, "Use the digits 1 (Monday) to 7 (Sunday)"),
        ({"weekdays": "Tue"}, "Use the digits 1 (Monday) to 7 (Sunday)"),
        ({"weekdays": "2", "minutes_per_session": None}, "Usual days are for a timed service"),
        ({"weekdays": "2", "period": "month"}, "Usual days are for a timed service"),
        ({"weekdays": "234"}, "More usual days than sessions per week: the plan gives 1 a week"),
    ],
)
def test_it_refuses_bad_usual_days_naming_the_field(api_for, owner, plan, change, message):
    body = {**SPEECH, **change}
    r = send(api_for(owner), "post", f"/plans/{plan.public_id}/provisions", body)
    assert r.status_code == 422
    fields = {f["field"]: f["message"] for f in r.json()["error"]["fields"]}
    assert message in fields["weekdays"]
    assert plan.provisions.count() == 2
