"""Signing up, logging in and out, resetting and changing a password."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from iepright.accounts.models import User
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new long passphrase"


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Ana Parent",
        "email": "Ana@Example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "language": "es",
    }
    data.update(overrides)
    return data


def test_it_shows_the_signup_page(client, db):
    r = client.get(reverse("signup"))
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<h1") == 1
    for field in ("name", "email", "password1", "password2", "language"):
        assert f'for="id_{field}"' in html


def test_it_signs_up_and_logs_in(client, db):
    r = client.post(reverse("signup"), signup_data())
    assert r.status_code == 302
    assert r.url == reverse("dashboard")
    user = User.objects.get(email="ana@example.org")
    assert user.name == "Ana Parent"
    assert user.language == "es"
    assert user.check_password(NEW_PASSWORD)
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "something else entirely"}, "password2", "not the same"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": "ROSA@example.org"}, "email", "already exists"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_it_rejects_bad_signups(client, owner, overrides, field, message):
    r = client.post(reverse("signup"), signup_data(**overrides))
    assert r.status_code == 200
    assert message in str(r.context["form"].errors[field])
    assert 'class="error-summary"' in r.content.decode()
    assert not User.objects.filter(name="Ana Parent").exists()


def test_it_sends_signed_in_users_from_signup_to_the_dashboard(client_for, owner):
    r = client_for(owner).get(reverse("signup"))
    assert r.status_code == 302
    assert r.url == reverse("dashboard")


def test_it_logs_in_with_email_in_any_case(client, owner):
    r = client.post(reverse("login"), {"username": "ROSA@Example.org", "password": PASSWORD})
    assert r.status_code == 302
    assert r.url == reverse("dashboard")
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_it_rejects_a_wrong_password_with_a_plain_message(client, owner):
    r = client.post(reverse("login"), {"username": owner.email, "password": "nope nope nope"})
    assert r.status_code == 200
    assert "do not match an account" in r.content.decode()


def test_it_labels_the_login_fields(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'for="id_username">Email' in html
    assert 'for="id_password">Password' in html
    assert 'type="email"' in html


def test_it_logs_out_on_post_only(client_for, owner):
    c = client_for(owner)
    assert c.get(reverse("logout")).status_code == 405
    r = c.post(reverse("logout"))
    assert r.status_code == 302
    assert r.url == reverse("login")
    r = c.get(reverse("dashboard"))
    assert r.status_code == 302
    assert r.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name",
    ["dashboard", "account_settings", "household_create", "password_change"],
)
def test_it_requires_login(client, db, name):
    r = client.get(reverse(name))
    assert r.status_code == 302
    assert r.url.startswith(reverse("login") + "?next=")


def test_it_emails_a_password_reset_link_and_the_link_sets_a_new_password(client, owner):
    r = client.post(reverse("password_reset"), {"email": "Rosa@example.org"})
    assert r.status_code == 302
    assert r.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert message.subject == "Reset your IEP Right password"
    assert "Rosa Alvarez" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    found = re.search(r"(http://\S+/reset/\S+/)", str(message.body))
    assert found
    link = found.group(1)
    assert link.startswith(settings.SITE_URL + "/reset/")
    assert f'href="{link}"' in str(html)

    path = link.removeprefix(settings.SITE_URL)
    r = client.get(path)  # Django moves the token into the session and redirects
    assert r.status_code == 302
    form_url = r.url
    r = client.get(form_url)
    assert r.context["validlink"]
    r = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302
    assert r.url == reverse("password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    # The link works once.
    r = client.get(path, follow=True)
    assert not r.context["validlink"]
    assert "This link does not work" in r.content.decode()


def test_it_sends_no_reset_email_for_an_unknown_address(client, db):
    r = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert r.status_code == 302  # same answer either way: no account discovery
    assert mail.outbox == []


def test_it_changes_the_password(client_for, owner):
    c = client_for(owner)
    r = c.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert r.url == reverse("account_settings")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    r = c.get(reverse("account_settings"))  # still logged in, with a success message
    assert "Your password is changed." in r.content.decode()


def test_it_requires_the_current_password_to_change_it(client_for, owner):
    r = client_for(owner).post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 200
    assert "old_password" in r.context["form"].errors
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
