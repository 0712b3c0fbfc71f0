"""Settings → API tokens in real Chromium at 390×844, with axe on each page visited."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from iepright.accounts.models import ApiToken, User
from tests.browser_support import PageChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_makes_a_token_for_90_days_uses_it_and_revokes_it(
    phone: PageChecker, live_server: Any, owner: User
) -> None:
    page = phone.page
    phone.log_in(owner)
    page.goto(live_server.url + reverse("account_settings"))
    phone.axe_check()
    assert page.get_by_label("Works for").input_value() == "365"  # a year unless chosen
    page.get_by_label("Token name").fill("Shortcut on my phone")
    page.get_by_label("Works for").select_option(label="90 days")
    page.get_by_role("button", name="Create token").click()
    page.get_by_text("Copy it now.").wait_for()
    phone.axe_check()
    token = ApiToken.objects.get(user=owner)
    assert token.expires is not None
    assert (token.expires - token.created).days == 90
    raw = page.get_by_label("Token “Shortcut on my phone”").input_value()

    program = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")  # no session: the token alone
    assert program.get("/api/v1/households").status_code == 200

    page.get_by_role("link", name="I copied it — back to settings").click()
    row = page.get_by_role("row", name="Shortcut on my phone")
    assert token.expires.strftime("%Y") in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.axe_check()
    page.once("dialog", lambda dialog: dialog.accept())  # "Revoke this token? …"
    row.get_by_role("button", name="Revoke “Shortcut on my phone”").click()
    page.get_by_text("is revoked. It no longer works.").wait_for()
    assert program.get("/api/v1/households").status_code == 401
