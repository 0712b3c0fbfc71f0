"""Creating, renaming and deleting a household, with the ownership matrix."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iepright.accounts.models import Household, Membership, Role
from iepright.logbook import services as logbook
from iepright.logbook.models import Entry, Evidence
from iepright.plans.models import Child, Plan, Provision
from tests.images import PNG


def test_it_shows_the_create_form_with_us_time_zones_first(client_for, owner):
    r = client_for(owner).get(reverse("household_create"))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'for="id_name"' in html
    assert 'for="id_timezone"' in html
    assert html.index("America/New_York") < html.index("Africa/Abidjan")
    assert html.index("Common in the United States") < html.index("All time zones")
    assert html.count('value="America/Chicago"') == 1


def test_it_creates_a_household_with_me_as_owner(client_for, owner):
    r = client_for(owner).post(
        reverse("household_create"), {"name": " Our family ", "timezone": "America/Denver"}
    )
    assert r.status_code == 302
    household = Household.objects.get(name="Our family")
    assert household.timezone == "America/Denver"
    assert Membership.objects.get(household=household).user == owner
    assert Membership.objects.get(household=household).role == Role.OWNER


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "timezone": "America/Chicago"}, "name"),
        ({"name": "X", "timezone": "Mars/Base"}, "timezone"),
    ],
)
def test_it_rejects_a_bad_household(client_for, owner, data, field):
    r = client_for(owner).post(reverse("household_create"), data)
    assert r.status_code == 200
    assert field in r.context["form"].errors
    assert 'class="error-summary"' in r.content.decode()
    assert not Household.objects.exists()


def test_it_lists_the_us_zones_first_and_hides_zones_that_are_no_place(client_for, owner):
    html = client_for(owner).get(reverse("household_create")).content.decode()
    first = html.index("All time zones")
    for zone in (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
        "America/Puerto_Rico",
    ):
        assert html.index(f'value="{zone}"') < first
    assert 'value="Europe/Madrid"' in html
    assert 'value="Factory"' not in html
    assert 'value="localtime"' not in html


@pytest.mark.parametrize("zone", ["Factory", "localtime"])
def test_it_refuses_a_hidden_zone_clearly(client_for, owner, zone):
    r = client_for(owner).post(reverse("household_create"), {"name": "X", "timezone": zone})
    assert r.status_code == 200
    assert r.context["form"].errors["timezone"] == [
        f"“{zone}” is not a time zone in the list. Choose the one where the school is."
    ]
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 200), ("editor", 403), ("viewer", 403), ("outsider", 404)]
)
def test_it_lets_only_owners_open_the_edit_page(client_for, personas, household, role, status):
    r = client_for(personas[role]).get(reverse("household_edit", args=[household.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 302), ("editor", 403), ("viewer", 403), ("outsider", 404)]
)
def test_it_lets_only_owners_rename(client_for, personas, household, role, status):
    r = client_for(personas[role]).post(
        reverse("household_edit", args=[household.public_id]),
        {"name": "Renamed", "timezone": "America/New_York"},
    )
    assert r.status_code == status
    household.refresh_from_db()
    renamed = (household.name, household.timezone) == ("Renamed", "America/New_York")
    assert renamed is (role == "owner")


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 200), ("editor", 403), ("viewer", 403), ("outsider", 404)]
)
def test_it_lets_only_owners_open_the_delete_page(client_for, personas, household, role, status):
    r = client_for(personas[role]).get(reverse("household_delete", args=[household.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 302), ("editor", 403), ("viewer", 403), ("outsider", 404)]
)
def test_it_lets_only_owners_delete(client_for, personas, household, role, status):
    r = client_for(personas[role]).post(
        reverse("household_delete", args=[household.public_id]),
        {"confirm_name": "Alvarez household"},
    )
    assert r.status_code == status
    assert Household.objects.filter(pk=household.pk).exists() is (role != "owner")


def test_it_asks_for_the_exact_name_before_deleting(client_for, owner, household):
    r = client_for(owner).post(
        reverse("household_delete", args=[household.public_id]), {"confirm_name": "Alvarez"}
    )
    assert r.status_code == 200
    assert "not the household name" in str(r.context["form"].errors["confirm_name"])
    assert Household.objects.filter(pk=household.pk).exists()


def test_it_deletes_everything_in_the_household(
    client_for, owner, child, plan, entry, media, django_capture_on_commit_callbacks
):
    evidence = logbook.add_evidence(
        entry, SimpleUploadedFile("note.png", PNG, content_type="image/png"), user=owner
    )
    stored = media / evidence.file.name
    plan.document.save("signed.pdf", ContentFile(b"%PDF-1.4 test"))
    document = media / plan.document.name
    assert stored.exists()
    assert document.exists()

    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(owner).post(
            reverse("household_delete", args=[child.household.public_id]),
            {"confirm_name": "Alvarez household"},
        )
    assert r.status_code == 302
    assert r.url == reverse("dashboard")
    assert list(Household.objects.values_list("name", flat=True)) == []
    for model in (Child, Plan, Provision, Entry, Evidence):
        assert not model.objects.exists(), model
    assert not stored.exists()
    assert not document.exists()
