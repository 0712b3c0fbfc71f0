"""GET /households and /households/{id}: read only, with my role and the members."""

from __future__ import annotations

from iepright.accounts.models import Household, Membership, Role
from tests.api.conftest import send


def test_it_lists_only_my_households_with_my_role(api_for, personas, household):
    r = send(api_for(personas["viewer"]), "get", "/households")
    assert r.status_code == 200
    assert r.json() == {
        "items": [
            {
                "id": str(household.public_id),
                "name": "Alvarez household",
                "timezone": "America/Chicago",
                "my_role": "viewer",
            }
        ],
        "count": 1,
    }


def test_it_lists_an_outsiders_own_household_only(api_for, personas, household):
    r = send(api_for(personas["outsider"]), "get", "/households")
    assert [h["name"] for h in r.json()["items"]] == ["Other household"]


def test_it_shows_members_names_and_roles_but_not_emails(api_for, personas, household):
    r = send(api_for(personas["editor"]), "get", f"/households/{household.public_id}")
    body = r.json()
    assert body["my_role"] == "editor"
    assert body["members"] == [
        {"name": "Rosa Alvarez", "role": "owner"},
        {"name": "Daniel Alvarez", "role": "editor"},
        {"name": "Alex Advocate", "role": "viewer"},
    ]
    assert "@" not in r.content.decode()


def test_it_pages_households_without_a_query_per_row(
    api_for, owner, household, django_assert_num_queries
):
    for n in range(4):
        h = Household.objects.create(name=f"Household {n}")
        Membership.objects.create(household=h, user=owner, role=Role.EDITOR)
    client = api_for(owner)
    send(client, "get", "/households")  # the first call stamps the token's last use
    with django_assert_num_queries(3):  # token, count, page
        r = send(client, "get", "/households?limit=2&offset=1")
    assert r.json()["count"] == 5
    assert [h["name"] for h in r.json()["items"]] == ["Household 0", "Household 1"]


def test_it_refuses_a_limit_over_500(api_for, owner, household):
    r = send(api_for(owner), "get", "/households?limit=501")
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["limit"]
