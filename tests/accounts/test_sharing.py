"""The sharing page: members and roles, inviting, revoking, leaving, the last-owner guard."""

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from iepright.accounts import services
from iepright.accounts.models import (
    Household,
    Invitation,
    Membership,
    Role,
    User,
    hash_secret,
)

MATRIX = [("owner", 302), ("editor", 403), ("viewer", 403), ("outsider", 404)]


def url(name: str, household: Household, *args: Any) -> str:
    return reverse(name, args=[household.public_id, *args])


def membership(household: Household, user: User) -> Membership:
    return Membership.objects.get(household=household, user=user)


@pytest.mark.parametrize(
    ("role", "status", "controls"),
    [
        ("owner", 200, True),
        ("editor", 200, False),
        ("viewer", 200, False),
        ("outsider", 404, False),
    ],
)
def test_it_shows_members_and_controls_by_role(
    client_for, personas, household, role, status, controls
):
    r = client_for(personas[role]).get(url("household_sharing", household))
    assert r.status_code == status
    if status != 200:
        return
    html = r.content.decode()
    assert html.count("<h1") == 1
    for name in ("Rosa Alvarez", "Daniel Alvarez", "Alex Advocate"):
        assert name in html
    assert "Read and export only (for an advocate or attorney)." in html  # ROLE_HELP
    assert (url("member_role", household) in html) is controls
    assert (url("member_remove", household) in html) is controls
    assert ("Send invitation" in html) is controls
    assert url("household_leave", household) in html  # anyone may leave


def test_it_shows_pending_invitations_to_owners_only(client_for, personas, household, owner):
    services.invite(household=household, email="gran@example.org", role="viewer", invited_by=owner)
    assert (
        "gran@example.org"
        in client_for(owner).get(url("household_sharing", household)).content.decode()
    )
    html = client_for(personas["editor"]).get(url("household_sharing", household)).content.decode()
    assert "gran@example.org" not in html


def test_it_pins_the_sharing_page_query_count(
    client_for, owner, household, django_assert_num_queries
):
    for n in range(3):
        services.invite(
            household=household, email=f"p{n}@example.org", role="viewer", invited_by=owner
        )
    c = client_for(owner)
    # session, user, household with my role, members with their users, pending invitations
    with django_assert_num_queries(5):
        assert c.get(url("household_sharing", household)).status_code == 200


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_it_lets_only_owners_invite(client_for, personas, household, role, status):
    r = client_for(personas[role]).post(
        url("household_sharing", household), {"email": "Gran@Example.org", "role": "viewer"}
    )
    assert r.status_code == status
    assert Invitation.objects.filter(email="gran@example.org").exists() is (role == "owner")
    assert len(mail.outbox) == (1 if role == "owner" else 0)


def test_it_emails_the_invitation_with_a_working_link(client_for, owner, household, client):
    client_for(owner).post(
        url("household_sharing", household), {"email": "gran@example.org", "role": "viewer"}
    )
    message = mail.outbox[0]
    assert message.to == ["gran@example.org"]
    assert "Rosa Alvarez" in message.subject
    assert "Alvarez household" in message.subject
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    prefix = settings.SITE_URL + "/invitations/"
    link = next(w for w in message.body.split() if w.startswith(prefix))
    raw = link.removeprefix(prefix).strip("/")
    assert f'href="{link}"' in str(html)
    assert "Viewer" in message.body
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_secret(raw)
    assert invitation.role == Role.VIEWER
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 200


def test_it_rejects_a_second_pending_invitation_on_the_email_field(client_for, owner, household):
    c = client_for(owner)
    c.post(url("household_sharing", household), {"email": "gran@example.org", "role": "viewer"})
    r = c.post(url("household_sharing", household), {"email": "GRAN@example.org", "role": "editor"})
    assert r.status_code == 200
    assert "already waiting" in str(r.context["form"].errors["email"])
    assert 'class="error-summary"' in r.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_rejects_inviting_a_member(client_for, owner, editor, household):
    r = client_for(owner).post(
        url("household_sharing", household), {"email": editor.email, "role": "viewer"}
    )
    assert r.status_code == 200
    assert "already a member" in str(r.context["form"].errors["email"])
    assert not Invitation.objects.exists()


def test_it_rejects_a_bad_invitation_form(client_for, owner, household):
    r = client_for(owner).post(
        url("household_sharing", household), {"email": "nope", "role": "boss"}
    )
    assert r.status_code == 200
    assert set(r.context["form"].errors) == {"email", "role"}


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_it_lets_only_owners_change_roles(client_for, personas, household, viewer, role, status):
    r = client_for(personas[role]).post(
        url("member_role", household),
        {"member": membership(household, viewer).pk, "role": "editor"},
    )
    assert r.status_code == status
    assert (membership(household, viewer).role == Role.EDITOR) is (role == "owner")


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_it_lets_only_owners_remove_members(client_for, personas, household, viewer, role, status):
    r = client_for(personas[role]).post(
        url("member_remove", household), {"member": membership(household, viewer).pk}
    )
    assert r.status_code == status
    assert Membership.objects.filter(household=household, user=viewer).exists() is (role != "owner")


def test_it_404s_for_a_member_of_another_household(client_for, owner, outsider, household):
    other = Membership.objects.get(user=outsider)
    for name in ("member_role", "member_remove"):
        r = client_for(owner).post(url(name, household), {"member": other.pk, "role": "viewer"})
        assert r.status_code == 404
    other.refresh_from_db()
    assert other.role == Role.OWNER


def test_it_keeps_the_last_owner_from_being_demoted(client_for, owner, household):
    c = client_for(owner)
    r = c.post(
        url("member_role", household), {"member": membership(household, owner).pk, "role": "viewer"}
    )
    assert r.status_code == 302
    assert membership(household, owner).role == Role.OWNER
    html = c.get(r.url).content.decode()
    assert "A household needs at least one owner" in html


def test_it_keeps_the_last_owner_from_being_removed(client_for, owner, household):
    c = client_for(owner)
    r = c.post(
        url("member_remove", household), {"member": membership(household, owner).pk}, follow=True
    )
    assert "A household needs at least one owner" in r.content.decode()
    assert Membership.objects.filter(household=household, user=owner).exists()


def test_it_keeps_the_last_owner_from_leaving(client_for, owner, household):
    r = client_for(owner).post(url("household_leave", household), follow=True)
    assert "A household needs at least one owner" in r.content.decode()
    assert Membership.objects.filter(household=household, user=owner).exists()


def test_it_lets_an_owner_step_down_once_there_is_another_owner(
    client_for, owner, editor, household
):
    c = client_for(owner)
    c.post(
        url("member_role", household), {"member": membership(household, editor).pk, "role": "owner"}
    )
    r = c.post(
        url("member_role", household), {"member": membership(household, owner).pk, "role": "viewer"}
    )
    assert r.status_code == 302
    assert membership(household, owner).role == Role.VIEWER
    assert membership(household, editor).role == Role.OWNER


def test_it_lets_an_owner_remove_themselves_when_another_owner_remains(
    client_for, owner, editor, household
):
    services.change_role(membership=membership(household, editor), role=Role.OWNER)
    r = client_for(owner).post(
        url("member_remove", household), {"member": membership(household, owner).pk}
    )
    assert r.url == reverse("dashboard")
    assert not Membership.objects.filter(household=household, user=owner).exists()


@pytest.mark.parametrize(("role", "status"), [("editor", 302), ("viewer", 302), ("outsider", 404)])
def test_it_lets_any_member_leave(client_for, personas, household, role, status):
    r = client_for(personas[role]).post(url("household_leave", household))
    assert r.status_code == status
    if status == 302:
        assert r.url == reverse("dashboard")
        assert not Membership.objects.filter(household=household, user=personas[role]).exists()


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_it_lets_only_owners_revoke_invitations(
    client_for, personas, household, owner, role, status
):
    invitation, _ = services.invite(
        household=household, email="gran@example.org", role="viewer", invited_by=owner
    )
    r = client_for(personas[role]).post(url("invitation_revoke", household, invitation.public_id))
    assert r.status_code == status
    invitation.refresh_from_db()
    expected = Invitation.Status.REVOKED if role == "owner" else Invitation.Status.PENDING
    assert invitation.status == expected


def test_it_keeps_an_owner_of_another_household_from_revoking(
    client_for, owner, outsider, household
):
    invitation, _ = services.invite(
        household=household, email="gran@example.org", role="viewer", invited_by=owner
    )
    theirs = Membership.objects.get(user=outsider).household
    r = client_for(outsider).post(url("invitation_revoke", theirs, invitation.public_id))
    assert r.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_it_explains_revoking_an_answered_invitation(client_for, owner, editor, household):
    invitation, _ = services.invite(
        household=household, email="gran@example.org", role="viewer", invited_by=owner
    )
    services.decline_invitation(invitation=invitation)
    r = client_for(owner).post(
        url("invitation_revoke", household, invitation.public_id), follow=True
    )
    assert "Only a waiting invitation can be revoked." in r.content.decode()


def test_an_owner_is_offered_removing_others_but_leaving_for_themselves(
    client_for, owner, editor, viewer, household
):
    html = client_for(owner).get(url("household_sharing", household)).content.decode()
    assert "Remove Daniel Alvarez" in html and "Remove Alex Advocate" in html
    assert "Remove Rosa Alvarez" not in html
    assert f'name="member" value="{membership(household, owner).pk}"' in html  # its role form
    assert html.count('action="' + url("member_remove", household)) == 2
    assert "To leave this household, see “Leave this household” below." in html
    assert url("household_leave", household) in html
