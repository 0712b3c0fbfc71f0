"""Children: list across households, add, change, delete (owners), and the plan in force."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from iepright.accounts.models import Household
from iepright.plans.models import Child, Plan
from tests.api.conftest import send
from tests.clock import frozen


def test_it_lists_the_children_in_my_households(api_for, personas, child):
    r = send(api_for(personas["viewer"]), "get", "/children")
    assert r.status_code == 200
    assert r.json() == {
        "items": [
            {
                "id": str(child.public_id),
                "household": str(child.household.public_id),
                "name": "Maya Alvarez",
                "date_of_birth": "2016-05-09",
                "grade": "4",
                "school": "Lone Oak Elementary School",
                "district": "Riverbend Independent School District",
                "state": "TX",
                "timezone": "America/Chicago",
            }
        ],
        "count": 1,
    }


def test_it_never_lists_another_households_children(api_for, personas, child):
    r = send(api_for(personas["outsider"]), "get", "/children")
    assert [c["name"] for c in r.json()["items"]] == ["Other Child"]


def test_it_filters_children_by_household(api_for, owner, household, child):
    other = Household.objects.create(name="Grandma's")
    other.memberships.create(user=owner, role="owner")
    Child.objects.create(household=other, name="Cousin", state="TX")
    client = api_for(owner)
    assert send(client, "get", "/children").json()["count"] == 2
    r = send(client, "get", f"/children?household={household.public_id}")
    assert [c["name"] for c in r.json()["items"]] == ["Maya Alvarez"]


def test_it_404s_a_household_filter_outside_my_households(api_for, outsider, household, child):
    r = send(api_for(outsider), "get", f"/children?household={household.public_id}")
    assert r.status_code == 404


def test_it_lists_children_without_a_query_per_row(
    api_for, owner, household, child, django_assert_num_queries
):
    for n in range(5):
        Child.objects.create(household=household, name=f"Child {n}", state="TX")
    client = api_for(owner)
    send(client, "get", "/children")
    with django_assert_num_queries(3):  # token, count, page (household joined)
        r = send(client, "get", "/children")
    assert r.json()["count"] == 6


def test_it_adds_a_child_with_an_upper_cased_state(api_for, editor, household):
    r = send(
        api_for(editor),
        "post",
        "/children",
        {"household": str(household.public_id), "name": "Leo", "state": "tx", "grade": "K"},
    )
    assert r.status_code == 201
    child = Child.objects.get(name="Leo")
    assert r.json()["id"] == str(child.public_id)
    assert (child.household, child.state, child.grade) == (household, "TX", "K")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Leo", "state": "XX"}, "state"),
        ({"name": "Leo", "state": "Texas"}, "state"),
        ({"name": "", "state": "TX"}, "name"),
        ({"name": "Leo", "state": "TX", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"name": "Leo"}, "state"),
    ],
)
def test_it_refuses_a_bad_child(api_for, owner, household, body, field):
    r = send(api_for(owner), "post", "/children", {"household": str(household.public_id), **body})
    assert r.status_code == 422
    assert field in [f["field"] for f in r.json()["error"]["fields"]]
    assert not Child.objects.filter(name="Leo").exists()


def test_it_changes_only_the_fields_sent(api_for, editor, child):
    r = send(api_for(editor), "patch", f"/children/{child.public_id}", {"grade": "5"})
    assert r.status_code == 200
    child.refresh_from_db()
    assert (child.grade, child.school, child.state) == ("5", "Lone Oak Elementary School", "TX")


def test_it_refuses_an_unknown_state_on_change(api_for, owner, child):
    r = send(api_for(owner), "patch", f"/children/{child.public_id}", {"state": "XX"})
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["state"]
    child.refresh_from_db()
    assert child.state == "TX"


def test_it_keeps_the_time_zone_read_only(api_for, owner, child):
    r = send(api_for(owner), "patch", f"/children/{child.public_id}", {"timezone": "Asia/Tokyo"})
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["timezone"]
    assert Household.objects.get(pk=child.household_id).timezone == "America/Chicago"


def test_it_lets_an_owner_delete_a_child_with_plans(api_for, owner, plan):
    child = plan.child
    r = send(api_for(owner), "delete", f"/children/{child.public_id}")
    assert r.status_code == 204
    assert not Child.objects.filter(pk=child.pk).exists()
    assert not Plan.objects.filter(pk=plan.pk).exists()


def test_it_returns_the_plan_in_force_on_a_date(api_for, viewer, plan):
    url = f"/children/{plan.child.public_id}/plan-in-force"
    r = send(api_for(viewer), "get", f"{url}?date=2026-10-01")
    assert r.status_code == 200
    assert r.json()["date"] == "2026-10-01"
    assert r.json()["plan"]["id"] == str(plan.public_id)
    assert [p["text"] for p in r.json()["plan"]["provisions"]][1] == "Speech-language therapy"
    r = send(api_for(viewer), "get", f"{url}?date=2026-09-15")
    assert r.json() == {"date": "2026-09-15", "plan": None}


def test_it_uses_todays_date_in_the_households_time_zone(api_for, viewer, plan):
    # 03:00 UTC on 16 September is still 15 September in Chicago: the plan starts tomorrow.
    with frozen(datetime(2026, 9, 16, 3, 0, tzinfo=UTC)):
        r = send(api_for(viewer), "get", f"/children/{plan.child.public_id}/plan-in-force")
    assert r.json() == {"date": "2026-09-15", "plan": None}


def test_it_refuses_a_malformed_date(api_for, viewer, plan):
    r = send(api_for(viewer), "get", f"/children/{plan.child.public_id}/plan-in-force?date=soon")
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["date"]
