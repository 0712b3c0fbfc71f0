"""The people at school: list, add, change, delete, with the ownership matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iepright.correspondence.models import Contact
from iepright.correspondence.views import tel_href

WRITE_PAGE = [("owner", 200), ("editor", 200), ("viewer", 403), ("outsider", 404)]
WRITE_POST = [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]
READ_PAGE = [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404)]

GOOD = {
    "name": "Dr. Priya Raman",
    "role": "Speech-language pathologist",
    "email": "praman@riverbend-isd.example.org",
    "phone": "(512) 555-0142 ext. 31",
    "notes": "Tuesdays and Thursdays at Lone Oak",
}


@pytest.mark.parametrize(("role", "status"), READ_PAGE)
def test_it_lists_contacts_for_members_only(client_for, personas, child, contact, role, status):
    r = client_for(personas[role]).get(reverse("contact_list", args=[child.public_id]))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "Karen Whitfield" in html and "Case manager" in html
        assert '<a href="mailto:kwhitfield@riverbend-isd.example.org">' in html


def test_it_links_phone_numbers(client_for, owner, child, contact):
    contact.phone = "(512) 555-0100"
    contact.save()
    html = client_for(owner).get(reverse("contact_list", args=[child.public_id])).content.decode()
    assert '<a href="tel:5125550100">(512) 555-0100</a>' in html


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("(512) 555-0100", "tel:5125550100"),
        ("+1 512 555 0100", "tel:+15125550100"),
        ("512-555-0142 ext. 31", "tel:5125550142;ext=31"),
        ("512.555.0142 x31", "tel:5125550142;ext=31"),
        ("front office", ""),
    ],
)
def test_tel_href(phone, href):
    assert tel_href(phone) == href


def test_it_hides_edit_controls_from_viewers(client_for, viewer, child, contact):
    html = client_for(viewer).get(reverse("contact_list", args=[child.public_id])).content.decode()
    assert "Karen Whitfield" in html
    assert reverse("contact_create", args=[child.public_id]) not in html
    assert reverse("contact_edit", args=[contact.public_id]) not in html
    assert reverse("contact_delete", args=[contact.public_id]) not in html


def test_the_contact_list_query_count_does_not_grow(
    client_for, owner, child, contact, django_assert_num_queries
):
    c = client_for(owner)
    url = reverse("contact_list", args=[child.public_id])
    with django_assert_num_queries(4):
        c.get(url)
    Contact.objects.bulk_create(Contact(child=child, name=f"Teacher {n}") for n in range(10))
    with django_assert_num_queries(4):
        c.get(url)


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_add_form_to_writers_only(client_for, personas, child, role, status):
    r = client_for(personas[role]).get(reverse("contact_create", args=[child.public_id]))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        for name in GOOD:
            assert f'for="id_{name}"' in html
        assert 'type="tel"' in html


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_add_a_contact(client_for, personas, child, role, status):
    r = client_for(personas[role]).post(reverse("contact_create", args=[child.public_id]), GOOD)
    assert r.status_code == status
    added = Contact.objects.filter(name="Dr. Priya Raman").first()
    assert (added is not None) is (status == 302)
    if added:
        assert added.child == child
        assert r["Location"] == reverse("contact_list", args=[child.public_id])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the person's name."),
        ({"email": "not an email"}, "email", "Enter a valid email address."),
    ],
)
def test_it_refuses_a_bad_contact(client_for, owner, child, changes, field, message):
    r = client_for(owner).post(
        reverse("contact_create", args=[child.public_id]), {**GOOD, **changes}
    )
    assert r.status_code == 200
    assert r.context["form"].errors[field] == [message]
    assert not Contact.objects.filter(child=child).exists()


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_edit_form_to_writers_only(client_for, personas, contact, role, status):
    r = client_for(personas[role]).get(reverse("contact_edit", args=[contact.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_change_a_contact(client_for, personas, contact, role, status):
    r = client_for(personas[role]).post(
        reverse("contact_edit", args=[contact.public_id]), {**GOOD, "name": "Karen W."}
    )
    assert r.status_code == status
    contact.refresh_from_db()
    assert (contact.name == "Karen W.") is (status == 302)


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_asks_writers_to_confirm_deleting(client_for, personas, contact, role, status):
    r = client_for(personas[role]).get(reverse("contact_delete", args=[contact.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_delete_a_contact(client_for, personas, contact, role, status):
    r = client_for(personas[role]).post(reverse("contact_delete", args=[contact.public_id]))
    assert r.status_code == status
    assert Contact.objects.filter(pk=contact.pk).exists() is (status != 302)


def test_deleting_a_contact_the_log_names_says_so_and_keeps_the_log_intact(
    client_for, owner, child, contact, entry_naming_contact
):
    from iepright.logbook.models import Entry
    from iepright.logbook.verify import verify_child

    page = client_for(owner).get(reverse("contact_delete", args=[contact.public_id]))
    assert "1 log entry names this person." in page.content.decode()
    r = client_for(owner).post(reverse("contact_delete", args=[contact.public_id]))
    assert r.status_code == 302
    entry = Entry.objects.get(pk=entry_naming_contact.pk)
    assert (entry.reported_contact_id, entry.reported_by, entry.revision_count) == (
        None,
        "Karen Whitfield (Case manager)",
        2,
    )
    assert verify_child(child).ok


def test_an_outsider_cannot_add_a_contact_to_someone_elses_child(client_for, outsider, child):
    r = client_for(outsider).post(reverse("contact_create", args=[child.public_id]), GOOD)
    assert r.status_code == 404
    assert not Contact.objects.exists()
