"""The history pages in real Chromium on a 390-px phone, with axe on every page visited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from iepright.accounts.models import User
from iepright.plans import services as plan_services
from iepright.plans.models import Child, Plan
from tests.browser_support import PageChecker
from tests.clock import at
from tests.conftest import log_entry
from tests.logbook.test_history_support import URLCONF

pytestmark = [pytest.mark.browser, pytest.mark.urls(URLCONF)]


def _log_in(checker: PageChecker, user: User, origin: str) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    checker.page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": origin}]
    )


def _fill_november(plan: Plan, owner: User) -> None:
    speech = plan.provisions.get(position=1)
    other = plan.provisions.get(position=0)
    for day, status in ((16, "delivered"), (17, "not_delivered"), (18, "partly")):
        when = at(date(2026, 11, day + (3 if day == 17 else 0)), 18)
        fields: dict[str, Any] = {"status": status, "circumstances": ["provider_absent"]}
        if status == "partly":
            fields["minutes_delivered"] = 10
        for provision, values in ((speech, fields), (other, {"status": "no_opportunity"})):
            log_entry(provision, date(2026, 11, day), owner, when=when, **values)


def test_the_history_pages_fit_a_phone_and_pass_axe(
    phone: PageChecker,
    live_server: Any,
    owner: User,
    child: Child,
    plan: Plan,
    calendar: Any,
) -> None:
    _fill_november(plan, owner)
    _log_in(phone, owner, live_server.url)
    page = phone.page
    kid = {"public_id": child.public_id}
    page.goto(live_server.url + reverse("log_month", kwargs=kid) + "?month=2026-11")
    cell = page.get_by_role(
        "link", name="Speech-language therapy, Nov 17: Not delivered, recorded late"
    )
    assert cell.count() == 1
    table = page.get_by_role("table", name="Maya Alvarez's provisions by school day, November 2026")
    assert table.count() == 1
    # The page itself never scrolls sideways; the grid scrolls inside its wrapper.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = page.locator(".grid-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    sticky = page.locator("tbody th.sticky").first
    before = sticky.bounding_box()
    wrap.evaluate("el => { el.scrollLeft = 300; }")
    after = sticky.bounding_box()
    assert before is not None and after is not None and abs(before["x"] - after["x"]) < 1
    phone.axe_check()
    # A change after logging began: listed on the provision's log and edit pages.
    speech = plan.provisions.get(position=1)
    before = plan_services.provision_terms(speech)
    speech.text, speech.minutes_per_session = "Speech-language therapy, articulation", 25
    speech.save()
    plan_services.note_provision_change(speech, before, user=owner, client="web")
    for url in (
        reverse("log_day", kwargs=kid) + "?date=2026-11-17",
        reverse("log_list", kwargs=kid) + "?date_from=2026-11-18&date_to=2026-11-16",
        reverse("log_provision", kwargs={"public_id": speech.public_id}),
        reverse("provision_edit", kwargs={"public_id": speech.public_id}),
    ):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        phone.axe_check()
