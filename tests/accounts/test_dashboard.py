"""The home page: households, their children, and the first-run explanation."""

import pytest
from django.urls import reverse

from iepright.accounts import services
from iepright.accounts.models import User
from iepright.plans.models import Child
from tests.conftest import make_user


def test_it_explains_the_next_step_to_a_new_user(client_for, db):
    user = make_user("new@example.org")
    r = client_for(user).get(reverse("dashboard"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "First, create a household" in html
    assert reverse("household_create") in html
    assert html.count("<h1") == 1


def test_it_lists_my_households_and_children_only(client_for, child, outsider, owner):
    html = client_for(owner).get(reverse("dashboard")).content.decode()
    assert "Alvarez household" in html
    assert "Maya Alvarez" in html
    assert "Other household" not in html
    assert "Other Child" not in html
    assert reverse("household_sharing", args=[child.household.public_id]) in html
    assert reverse("household_edit", args=[child.household.public_id]) in html


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_it_hides_owner_links_from_other_roles(client_for, personas, child, role):
    html = client_for(personas[role]).get(reverse("dashboard")).content.decode()
    assert "Maya Alvarez" in html
    assert reverse("household_edit", args=[child.household.public_id]) not in html


def test_it_offers_to_create_another_household(client_for, household, owner):
    html = client_for(owner).get(reverse("dashboard")).content.decode()
    assert "Create a household" in html


def test_a_viewer_sees_whose_records_and_is_not_offered_a_household_first(
    client_for, viewer, child, owner
):
    r = client_for(viewer).get(reverse("dashboard"))
    html = r.content.decode()
    assert "<h1>Records shared with you</h1>" in html
    assert "Whose records you can see" in html
    summary = html[html.index("Whose records you can see") :]
    assert "Maya Alvarez" in summary and "Alvarez household" in summary
    assert "your role: Viewer" in summary
    assert f"shared by {owner.display_name()}" in summary
    # Creating a household is a plain link at the end, not a button before the records.
    assert 'class="button secondary" href="/households/new/"' not in html
    assert html.index(reverse("household_create")) > html.index("Maya Alvarez")
    assert "Keeping records for a child of your own?" in html


def test_an_editor_sees_who_shared_and_can_create_a_household(client_for, editor, child):
    html = client_for(editor).get(reverse("dashboard")).content.decode()
    assert "<h1>Your children</h1>" in html
    assert "your role: Editor" in html
    assert f'class="button secondary" href="{reverse("household_create")}"' in html


def test_an_owner_has_no_shared_with_you_list(client_for, owner, child):
    html = client_for(owner).get(reverse("dashboard")).content.decode()
    assert "Whose records you can see" not in html


def _fill(user: User, households: int, children: int) -> None:
    for h in range(households):
        household = services.create_household(
            owner=user, name=f"Household {h}", timezone_name="America/Chicago"
        )
        for c in range(children):
            Child.objects.create(household=household, name=f"Child {h}.{c}", state="TX")


def test_it_keeps_the_query_count_flat(client_for, db, django_assert_num_queries):
    small, large = make_user("small@example.org"), make_user("large@example.org")
    _fill(small, 1, 1)
    _fill(large, 2, 3)
    small_client, large_client = client_for(small), client_for(large)
    # session, user, households, children and owners (one prefetch each for all of them)
    with django_assert_num_queries(5):
        r = small_client.get(reverse("dashboard"))
    # Each child appears twice: its link and its "Check in for …" button.
    assert r.content.decode().count("Child 0.") == 2
    with django_assert_num_queries(5):
        r = large_client.get(reverse("dashboard"))
    assert r.content.decode().count("Child 1.") == 6
