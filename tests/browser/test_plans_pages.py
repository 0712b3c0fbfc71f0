"""The plans, calendar and contacts pages on a 390 px phone: no sideways scroll, axe clean."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_plans_pages_fit_a_phone_and_pass_axe(
    phone, live_server, owner, child, plan, calendar, contact, provision
):
    c = Client()
    c.force_login(owner)
    page = phone.page
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )
    provision.ended_on = "2027-01-15"
    provision.save()
    urls = [
        reverse("child_detail", args=[child.public_id]),
        reverse("plan_detail", args=[plan.public_id]),
        reverse("provision_create", args=[plan.public_id]),
        reverse("provision_edit", args=[provision.public_id]),
        reverse("provision_end", args=[provision.public_id]),
        reverse("plan_create", args=[child.public_id]),
        reverse("plan_copy", args=[plan.public_id]),
        reverse("plan_document", args=[plan.public_id]),
        reverse("plan_delete", args=[plan.public_id]),
        reverse("child_edit", args=[child.public_id]),
        reverse("child_create", args=[child.household.public_id]),
        reverse("calendar", args=[child.public_id]) + "?day=2026-11-23",
        reverse("calendar", args=[child.public_id]) + "?start=2026-11-27&end=2026-11-01",
        reverse("calendar_create", args=[child.public_id]),
        reverse("calendar_import", args=[calendar.public_id]),
        reverse("event_create", args=[calendar.public_id]),
        reverse("contact_list", args=[child.public_id]),
        reverse("contact_create", args=[child.public_id]),
    ]
    for url in urls:
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        phone.axe_check()
    # The error state of the most used form.
    page.goto(live_server.url + reverse("provision_create", args=[plan.public_id]))
    page.get_by_role("button", name="Save and add another").click()
    assert page.get_by_role("alert").is_visible()
    phone.axe_check()
