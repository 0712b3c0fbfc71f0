"""The home page of an advocate and the sharing page of an owner, at 390×844 with axe."""

from typing import Any

import pytest
from django.urls import reverse

from iepright.accounts.models import Household, User
from iepright.plans.models import Child
from tests.browser_support import PageChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advocate_sees_whose_records_first(
    phone: PageChecker, live_server: Any, viewer: User, child: Child
) -> None:
    page = phone.page
    phone.log_in(viewer)
    page.goto(live_server.url + reverse("dashboard"))
    phone.axe_check()
    page.get_by_role("heading", name="Records shared with you", level=1).wait_for()
    shared = page.locator("section", has=page.get_by_role("heading", name="Whose records"))
    assert "Maya Alvarez" in shared.inner_text() and "Viewer" in shared.inner_text()
    assert page.get_by_role("button", name="Create a household").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_owner_is_offered_leaving_not_removing_themselves(
    phone: PageChecker, live_server: Any, owner: User, household: Household
) -> None:
    page = phone.page
    phone.log_in(owner)
    page.goto(live_server.url + reverse("household_sharing", args=[household.public_id]))
    phone.axe_check()
    assert page.get_by_role("button", name="Remove Daniel Alvarez").count() == 1
    assert page.get_by_role("button", name="Remove Rosa Alvarez").count() == 0
    assert page.get_by_role("button", name="Leave household").count() == 1
