"""Contacts: list, add, change and delete the people at school."""

from __future__ import annotations

import pytest

from iepright.correspondence.models import Contact
from tests.api.conftest import send


def test_it_lists_contacts_by_name_without_a_query_per_row(
    api_for, viewer, contact, django_assert_num_queries
):
    for name in ("Zoe Park", "Ann Diaz"):
        Contact.objects.create(child=contact.child, name=name)
    client = api_for(viewer)
    send(client, "get", f"/children/{contact.child.public_id}/contacts")
    with django_assert_num_queries(4):  # token, child, count, page
        r = send(client, "get", f"/children/{contact.child.public_id}/contacts")
    assert [c["name"] for c in r.json()["items"]] == ["Ann Diaz", "Karen Whitfield", "Zoe Park"]
    assert r.json()["items"][1] == {
        "id": str(contact.public_id),
        "child": str(contact.child.public_id),
        "name": "Karen Whitfield",
        "role": "Case manager",
        "email": "kwhitfield@riverbend-isd.example.org",
        "phone": "",
        "notes": "",
    }


def test_it_adds_changes_and_deletes_a_contact(api_for, editor, child):
    client = api_for(editor)
    r = send(client, "post", f"/children/{child.public_id}/contacts", {"name": "Dr. Lee"})
    assert r.status_code == 201
    contact_id = r.json()["id"]
    r = send(client, "patch", f"/contacts/{contact_id}", {"role": "Principal"})
    assert (r.json()["name"], r.json()["role"]) == ("Dr. Lee", "Principal")
    assert send(client, "get", f"/contacts/{contact_id}").json()["role"] == "Principal"
    assert send(client, "delete", f"/contacts/{contact_id}").status_code == 204
    assert not Contact.objects.filter(public_id=contact_id).exists()


def test_deleting_a_contact_the_log_names_keeps_the_log_intact(
    api_for, owner, child, contact, entry_naming_contact
):
    from iepright.logbook.models import EntryRevision
    from iepright.logbook.verify import verify_child

    assert send(api_for(owner), "delete", f"/contacts/{contact.public_id}").status_code == 204
    last = EntryRevision.objects.filter(entry=entry_naming_contact).latest("number")
    assert (last.action, last.client, last.snapshot["reported_contact"]) == (
        "update",
        "api:tests",
        None,
    )
    assert verify_child(child).ok


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "name"), ({"name": "Dr. Lee", "email": "not an email"}, "email"), ({}, "name")],
)
def test_it_refuses_a_bad_contact(api_for, editor, child, body, field):
    r = send(api_for(editor), "post", f"/children/{child.public_id}/contacts", body)
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == [field]
    assert not Contact.objects.exists()
