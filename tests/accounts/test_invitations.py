"""The invitation link page: accept, decline, and links that no longer work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from iepright.accounts import services
from iepright.accounts.models import Invitation, Membership, Role, User
from tests.clock import frozen
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def invited(household, owner):
    """Return (invitation, raw token) for gran@example.org as a viewer."""
    return services.invite(
        household=household, email="gran@example.org", role=Role.VIEWER, invited_by=owner
    )


@pytest.fixture
def gran(db):
    return make_user("gran@example.org", "Gran")


def link(raw: str, action: str = "") -> str:
    name = f"invitation_{action}" if action else "invitation_detail"
    return reverse(name, args=[raw])


def test_it_shows_who_invited_and_the_role(client_for, gran, invited):
    _, raw = invited
    r = client_for(gran).get(link(raw))
    html = r.content.decode()
    assert r.status_code == 200
    assert html.count("<h1") == 1
    assert "Alvarez household" in html
    assert "Rosa Alvarez" in html
    assert "Viewer" in html
    assert link(raw, "accept") in html
    assert link(raw, "decline") in html


def test_it_accepts_and_joins_with_the_invited_role(client_for, gran, invited, household):
    invitation, raw = invited
    r = client_for(gran).post(link(raw, "accept"))
    assert r.status_code == 302
    assert r.url == reverse("dashboard")
    assert Membership.objects.get(household=household, user=gran).role == Role.VIEWER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_it_declines(client_for, gran, invited, household):
    invitation, raw = invited
    r = client_for(gran).post(link(raw, "decline"))
    assert r.status_code == 302
    assert not Membership.objects.filter(household=household, user=gran).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED


def test_it_works_once(client_for, gran, invited):
    _, raw = invited
    c = client_for(gran)
    c.post(link(raw, "accept"))
    r = c.post(link(raw, "accept"))
    assert r.status_code == 410
    assert "already accepted" in r.content.decode()
    r = c.get(link(raw))
    assert r.status_code == 410
    assert "already accepted" in r.content.decode()


def test_it_explains_an_expired_link(client_for, gran, invited, household):
    _, raw = invited
    c = client_for(gran)
    with frozen(timezone.now() + timedelta(days=15)):
        r = c.get(link(raw))
        assert r.status_code == 410
        assert "has expired" in r.content.decode()
        r = c.post(link(raw, "accept"))
        assert r.status_code == 410
    assert not Membership.objects.filter(household=household, user=gran).exists()


def test_it_explains_a_revoked_link(client_for, gran, invited, household):
    invitation, raw = invited
    services.revoke_invitation(invitation=invitation)
    r = client_for(gran).post(link(raw, "accept"))
    assert r.status_code == 410
    assert "cancelled" in r.content.decode()
    assert not Membership.objects.filter(household=household, user=gran).exists()


def test_it_explains_an_unknown_link(client_for, gran):
    r = client_for(gran).get(link("not-a-real-token"))
    assert r.status_code == 404
    html = r.content.decode()
    assert "does not work" in html
    assert html.count("<h1") == 1


def test_it_keeps_the_link_while_a_visitor_logs_in(client, gran, invited, household):
    _, raw = invited
    r = client.get(link(raw))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Alvarez household" in html
    assert link(raw, "accept") not in html  # answer after logging in
    assert reverse("signup") in html
    r = client.post(reverse("login"), {"username": gran.email, "password": PASSWORD})
    assert r.url == link(raw)
    r = client.post(link(raw, "accept"))
    assert r.url == reverse("dashboard")
    assert Membership.objects.filter(household=household, user=gran).exists()
    assert "invitation_token" not in client.session


def test_it_brings_a_new_account_back_to_the_invitation(client, invited, household):
    _, raw = invited
    client.get(link(raw))
    r = client.post(
        reverse("signup"),
        {
            "name": "Gran",
            "email": "gran@example.org",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
            "language": "en",
        },
    )
    assert r.url == link(raw)
    client.post(link(raw, "accept"))
    gran = User.objects.get(email="gran@example.org")
    assert Membership.objects.get(household=household, user=gran).role == Role.VIEWER


def test_it_sends_an_anonymous_answer_back_to_the_invitation_page(client, invited):
    invitation, raw = invited
    r = client.post(link(raw, "accept"))
    assert r.url == link(raw)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_it_keeps_a_members_higher_role(client_for, owner, household):
    _, raw = services.invite(
        household=household, email="someone@example.org", role=Role.VIEWER, invited_by=owner
    )
    r = client_for(owner).get(link(raw))
    assert "already a member" in r.content.decode()
    client_for(owner).post(link(raw, "accept"))
    assert Membership.objects.get(household=household, user=owner).role == Role.OWNER
