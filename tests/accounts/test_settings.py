"""Account settings: name, language and personal API tokens."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse

from iepright.accounts.models import ApiToken
from tests.clock import frozen


def test_it_shows_the_settings_page(client_for, owner):
    r = client_for(owner).get(reverse("account_settings"))
    html = r.content.decode()
    assert r.status_code == 200
    assert html.count("<h1") == 1
    for field in ("name", "language"):
        assert f'for="id_{field}"' in html
    assert reverse("password_change") in html
    assert reverse("token_create") in html


def test_it_saves_name_and_language(client_for, owner):
    c = client_for(owner)
    r = c.post(reverse("account_settings"), {"name": "Rosa A.", "language": "es"})
    assert r.status_code == 302
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    owner.refresh_from_db()
    assert (owner.name, owner.language) == ("Rosa A.", "es")
    assert c.get(reverse("account_settings")).status_code == 200


def test_it_rejects_an_unknown_language(client_for, owner):
    r = client_for(owner).post(reverse("account_settings"), {"name": "Rosa", "language": "fr"})
    assert r.status_code == 200
    assert "language" in r.context["form"].errors
    owner.refresh_from_db()
    assert owner.language == "en"


def raw_token(html: str) -> str:
    found = re.search(r'value="(iep_[^"]+)"', html)
    assert found, "the raw token is shown"
    return found.group(1)


def _raw_tokens_in_database(raw: str) -> list[str]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        found = []
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                if any(isinstance(v, str) and raw in v for v in row):
                    found.append(table)
    # Session data is encoded; look inside it too.
    found += [f"session {s.pk}" for s in Session.objects.all() if raw in str(s.get_decoded())]
    return found


def test_it_creates_a_token_shows_it_once_and_stores_only_its_hash(client_for, owner):
    c = client_for(owner)
    r = c.post(reverse("token_create"), {"name": "Shortcut on my phone", "lifetime": "365"})
    assert r.status_code == 200
    html = r.content.decode()
    raw = raw_token(html)
    assert "shown only this once" in html
    token = ApiToken.objects.get(user=owner)
    assert token.name == "Shortcut on my phone"
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.hint == raw[:8]
    assert _raw_tokens_in_database(raw) == []
    # The settings page lists it, by hint only.
    html = c.get(reverse("account_settings")).content.decode()
    assert "Shortcut on my phone" in html
    assert token.hint in html
    assert raw not in html


def test_it_lets_the_new_token_call_the_api(client_for, owner):
    r = client_for(owner).post(reverse("token_create"), {"name": "script", "lifetime": "30"})
    raw = raw_token(r.content.decode())
    from iepright.api.auth import token_auth

    assert token_auth.authenticate(HttpRequest(), raw) == owner


def test_it_requires_a_token_name(client_for, owner):
    r = client_for(owner).post(reverse("token_create"), {"name": "", "lifetime": "30"})
    assert r.status_code == 200
    assert "name" in r.context["token_form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.frozen(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
@pytest.mark.parametrize(
    ("lifetime", "expires", "shown"),
    [
        ("30", datetime(2026, 12, 30, 15, 0, tzinfo=UTC), "It works until Dec. 30, 2026."),
        ("365", datetime(2027, 11, 30, 15, 0, tzinfo=UTC), "It works until Nov. 30, 2027."),
        ("never", None, "It works until you revoke it."),
    ],
)
def test_a_new_token_works_for_the_chosen_time(client_for, owner, lifetime, expires, shown):
    c = client_for(owner)
    r = c.post(reverse("token_create"), {"name": "phone", "lifetime": lifetime})
    assert shown in r.content.decode()
    assert ApiToken.objects.get().expires == expires
    html = c.get(reverse("account_settings")).content.decode()
    assert ("Until revoked" in html) is (expires is None)


def test_a_lifetime_not_offered_is_refused(client_for, owner):
    r = client_for(owner).post(reverse("token_create"), {"name": "phone", "lifetime": "7"})
    assert r.status_code == 200
    assert "lifetime" in r.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_listed_as_expired_until_revoked(client_for, owner):
    with frozen(datetime(2026, 9, 1, 12, 0, tzinfo=UTC)):
        ApiToken.issue(owner, "old phone", lifetime=timedelta(days=30))
    with frozen(datetime(2026, 11, 30, 12, 0, tzinfo=UTC)):
        html = client_for(owner).get(reverse("account_settings")).content.decode()
    assert "old phone" in html
    assert "Expired Oct. 1, 2026" in html


def test_it_revokes_my_token(client_for, owner):
    token, _ = ApiToken.issue(owner, "old")
    c = client_for(owner)
    r = c.post(reverse("token_revoke", args=[token.public_id]))
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None
    assert token not in c.get(reverse("account_settings")).context["tokens"]
    assert c.post(reverse("token_revoke", args=[token.public_id])).status_code == 404


def test_it_cannot_revoke_someone_elses_token(client_for, owner, outsider):
    token, _ = ApiToken.issue(owner, "mine")
    r = client_for(outsider).post(reverse("token_revoke", args=[token.public_id]))
    assert r.status_code == 404
    token.refresh_from_db()
    assert token.revoked is None


def test_it_revokes_on_post_only(client_for, owner):
    token, _ = ApiToken.issue(owner, "mine")
    assert client_for(owner).get(reverse("token_revoke", args=[token.public_id])).status_code == 405


def test_it_pins_the_settings_query_count(client_for, owner, django_assert_num_queries):
    for n in range(3):
        ApiToken.issue(owner, f"t{n}")
    c = client_for(owner)
    # session, user, profile copy, tokens
    with django_assert_num_queries(4):
        assert c.get(reverse("account_settings")).status_code == 200
