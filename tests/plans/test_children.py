"""Adding, reading, changing and deleting a child, with the ownership matrix."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from iepright.plans.models import Child, Plan
from tests.clock import frozen
from tests.plans.conftest import OWNER_PAGE, OWNER_POST, READ_PAGE, WRITE_PAGE, WRITE_POST

GOOD = {
    "name": "Leo Alvarez",
    "date_of_birth": "2019-02-01",
    "grade": "1",
    "school": "Lone Oak Elementary School",
    "district": "Riverbend ISD",
    "state": "TX",
}


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_add_child_form_to_writers_only(client_for, personas, household, role, status):
    r = client_for(personas[role]).get(reverse("child_create", args=[household.public_id]))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "America/Chicago" in html  # the household's time zone is shown
        assert 'for="id_state"' in html and 'for="id_name"' in html
        assert '<option value="TX">Texas (TX)</option>' in html


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_owners_and_editors_add_a_child(client_for, personas, household, role, status):
    r = client_for(personas[role]).post(reverse("child_create", args=[household.public_id]), GOOD)
    assert r.status_code == status
    added = Child.objects.filter(name="Leo Alvarez").first()
    assert (added is not None) is (status == 302)
    if added:
        assert added.household == household
        assert r["Location"] == reverse("child_detail", args=[added.public_id])


def test_it_asks_anonymous_visitors_to_log_in(client_for, child):
    r = client_for(None).get(reverse("child_detail", args=[child.public_id]))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


def test_it_accepts_a_lower_case_state_code(client_for, owner, household):
    client_for(owner).post(
        reverse("child_create", args=[household.public_id]), {**GOOD, "state": "tx"}
    )
    assert Child.objects.get(name="Leo Alvarez").state == "TX"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"state": "ZZ"}, "state", "“ZZ” is not a US state or territory"),
        ({"state": ""}, "state", "Choose the state"),
        ({"name": "  "}, "name", "Enter your child's name."),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "The date of birth is in the future."),
        ({"date_of_birth": "31/02/2019"}, "date_of_birth", "Enter a valid date."),
    ],
)
def test_it_refuses_a_bad_child_and_names_the_field(
    client_for, owner, household, changes, field, message
):
    r = client_for(owner).post(
        reverse("child_create", args=[household.public_id]), {**GOOD, **changes}
    )
    assert r.status_code == 200
    assert message in " ".join(r.context["form"].errors[field])
    assert 'class="error-summary"' in r.content.decode()
    assert not Child.objects.filter(household=household).exists()


@pytest.mark.parametrize(("role", "status"), READ_PAGE)
def test_it_shows_the_child_page_to_members_only(client_for, personas, child, role, status):
    r = client_for(personas[role]).get(reverse("child_detail", args=[child.public_id]))
    assert r.status_code == status


def test_it_hides_edit_controls_from_viewers(client_for, viewer, child, plan):
    html = client_for(viewer).get(reverse("child_detail", args=[child.public_id])).content.decode()
    assert "Annual IEP" in html
    assert reverse("plan_create", args=[child.public_id]) not in html
    assert reverse("child_edit", args=[child.public_id]) not in html
    assert reverse("calendar", args=[child.public_id]) in html
    assert reverse("contact_list", args=[child.public_id]) in html


@pytest.mark.frozen
def test_it_lists_plans_newest_first_marking_the_one_in_force(client_for, owner, child, plan):
    old = Plan.objects.create(
        child=child,
        label="Last year's IEP",
        start_date=date(2025, 9, 16),
        end_date=date(2026, 9, 15),
    )
    upcoming = Plan.objects.create(
        child=child, label="Next IEP", start_date=date(2027, 9, 15), end_date=date(2028, 9, 14)
    )
    r = client_for(owner).get(reverse("child_detail", args=[child.public_id]))
    html = r.content.decode()
    html = html[html.index('<ul class="list">') :]
    assert r.context["in_force"] == plan
    assert [p.label for p in r.context["plans"]] == ["Next IEP", "Annual IEP", "Last year's IEP"]
    assert html.index("Next IEP") < html.index("Starts later") < html.index("Annual IEP")
    assert html.index("In force today") < html.index("Last year") < html.index("Past")
    assert reverse("plan_detail", args=[old.public_id]) in html
    assert reverse("plan_detail", args=[upcoming.public_id]) in html
    assert reverse("plan_create", args=[child.public_id]) in html  # "Add a plan"


@pytest.mark.frozen
def test_it_says_when_no_plan_is_in_force(client_for, owner, child):
    Plan.objects.create(child=child, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    html = client_for(owner).get(reverse("child_detail", args=[child.public_id])).content.decode()
    assert "No plan version is in force today (November 18, 2026)" in html


def test_the_child_page_query_count_does_not_grow_with_plans(
    client_for, owner, child, plan, django_assert_num_queries
):
    c = client_for(owner)
    url = reverse("child_detail", args=[child.public_id])
    with django_assert_num_queries(5):
        c.get(url)
    for year in range(2010, 2020):
        Plan.objects.create(child=child, start_date=date(year, 1, 1), end_date=date(year, 12, 31))
    with django_assert_num_queries(5):
        assert c.get(url).status_code == 200


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_edit_form_to_writers_only(client_for, personas, child, role, status):
    r = client_for(personas[role]).get(reverse("child_edit", args=[child.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_owners_and_editors_change_a_child(client_for, personas, child, role, status):
    r = client_for(personas[role]).post(
        reverse("child_edit", args=[child.public_id]), {**GOOD, "name": "Maya A.", "grade": "5"}
    )
    assert r.status_code == status
    child.refresh_from_db()
    assert (child.name == "Maya A.") is (status == 302)


def test_it_offers_delete_to_owners_only(client_for, owner, editor, child):
    url = reverse("child_delete", args=[child.public_id])
    assert (
        url in client_for(owner).get(reverse("child_edit", args=[child.public_id])).content.decode()
    )
    assert (
        url
        not in client_for(editor)
        .get(reverse("child_edit", args=[child.public_id]))
        .content.decode()
    )


@pytest.mark.parametrize(("role", "status"), OWNER_PAGE)
def test_it_asks_owners_to_confirm_deleting_a_child(
    client_for, personas, child, plan, role, status
):
    r = client_for(personas[role]).get(reverse("child_delete", args=[child.public_id]))
    assert r.status_code == status
    if status == 200:
        assert "This deletes 1 plan version" in r.content.decode()
        assert Child.objects.filter(pk=child.pk).exists()


@pytest.mark.parametrize(("role", "status"), OWNER_POST)
def test_it_lets_only_owners_delete_a_child(client_for, personas, child, plan, role, status):
    r = client_for(personas[role]).post(reverse("child_delete", args=[child.public_id]))
    assert r.status_code == status
    assert Child.objects.filter(pk=child.pk).exists() is (status != 302)
    if status == 302:
        assert r["Location"] == reverse("dashboard")
        assert not Plan.objects.filter(pk=plan.pk).exists()


def test_it_deletes_a_child_with_log_entries(client_for, owner, child, entry):
    from iepright.logbook.models import Entry

    r = client_for(owner).post(reverse("child_delete", args=[child.public_id]))
    assert r.status_code == 302
    assert not Child.objects.filter(pk=child.pk).exists()
    assert not Entry.objects.filter(child_id=child.pk).exists()


def test_today_is_the_households_date_not_the_servers(client_for, owner, child, plan):
    # 03:00 UTC on Sept 16 is still the evening of Sept 15 in Chicago: the plan starts tomorrow.
    with frozen(datetime(2026, 9, 16, 3, 0, tzinfo=UTC)):
        r = client_for(owner).get(reverse("child_detail", args=[child.public_id]))
    assert r.context["today"] == date(2026, 9, 15)
    assert r.context["in_force"] is None
    assert "Starts later" in r.content.decode()
