"""Bearer tokens and the session: who is let in, and CSRF on the session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from iepright.accounts.models import ApiToken
from iepright.logbook.models import Entry
from iepright.plans.models import Child
from tests.api.conftest import API, send
from tests.api.entry_support import body, post_entry
from tests.clock import frozen

NEW_CHILD = {"name": "Leo", "state": "TX"}


def test_it_refuses_a_revoked_token(owner, child):
    token, raw = ApiToken.issue(owner, "laptop")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert send(client, "get", "/children").status_code == 200
    token.revoked = timezone.now()
    token.save()
    r = send(client, "get", "/children")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"


def test_an_expired_token_is_refused_saying_so(owner, child, provision):
    with frozen(datetime(2026, 10, 1, 12, 0, tzinfo=UTC)):
        _, raw = ApiToken.issue(owner, "laptop", lifetime=timedelta(days=30))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    check_in = body(provision, "2026-10-30", status="delivered")
    with frozen(datetime(2026, 10, 31, 11, 59, tzinfo=UTC)):
        assert send(client, "get", "/children").status_code == 200
    with frozen(datetime(2026, 10, 31, 12, 0, tzinfo=UTC)):
        for r in (send(client, "get", "/children"), post_entry(client, child, check_in)):
            assert r.status_code == 401
            assert r.json()["error"]["code"] == "token_expired"
            assert "expired at 2026-10-31 12:00 UTC" in r.json()["error"]["message"]
    assert not Entry.objects.exists()


def test_it_refuses_a_made_up_token(child):
    client = Client(HTTP_AUTHORIZATION="Bearer iep_not-a-real-token")
    assert send(client, "get", "/children").status_code == 401


def test_it_refuses_a_token_of_an_inactive_user(api_for, owner, child):
    client = api_for(owner)
    owner.is_active = False
    owner.save()
    assert send(client, "get", "/children").status_code == 401


def test_a_token_sees_only_its_users_data(api_for, personas, child):
    client = api_for(personas["outsider"])
    assert [c["name"] for c in send(client, "get", "/children").json()["items"]] == ["Other Child"]
    assert send(client, "get", f"/children/{child.public_id}").status_code == 404


def test_it_stamps_a_tokens_last_use(api_for, owner, child):
    client = api_for(owner)
    assert ApiToken.objects.get(user=owner).last_used is None
    send(client, "get", "/children")
    assert ApiToken.objects.get(user=owner).last_used is not None


def test_it_answers_anonymous_writes_with_401(household):
    client = Client(enforce_csrf_checks=True)
    r = send(client, "post", "/children", {"household": str(household.public_id), **NEW_CHILD})
    assert r.status_code == 401
    assert not Child.objects.filter(name="Leo").exists()


def test_it_lets_a_session_read_without_csrf(owner, child):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert send(client, "get", f"/children/{child.public_id}").status_code == 200


def test_it_refuses_a_session_write_without_the_csrf_token(owner, household):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    r = send(client, "post", "/children", {"household": str(household.public_id), **NEW_CHILD})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
    assert "CSRF" in r.json()["error"]["message"]
    assert not Child.objects.filter(name="Leo").exists()


def test_it_accepts_a_session_write_with_the_csrf_token(owner, household):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    token = get_random_string(32)  # as the CSRF cookie that our pages set holds it
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    r = client.post(
        f"{API}/children",
        data={"household": str(household.public_id), **NEW_CHILD},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert r.status_code == 201, r.content
    assert Child.objects.filter(name="Leo", household=household).exists()


def test_a_token_needs_no_csrf_token(api_for, owner, household):
    client = api_for(owner)
    client.handler.enforce_csrf_checks = True
    r = send(client, "post", "/children", {"household": str(household.public_id), **NEW_CHILD})
    assert r.status_code == 201
