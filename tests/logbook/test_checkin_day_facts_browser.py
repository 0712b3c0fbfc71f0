"""The check-in page's day facts in real Chromium on a 390 px phone, English and Spanish."""

from typing import Any

import pytest
from django.urls import reverse

from iepright.logbook.models import DayFacts
from tests.clock import AFTER_THANKSGIVING

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.frozen(AFTER_THANKSGIVING, tick=True),
]

WORDS = {
    "en": ("What was different today?", "Substitute teacher", "Save what was different",
           "Recorded: Substitute teacher"),
    "es": ("¿Qué fue distinto hoy?", "Maestro o maestra suplente", "Guardar qué fue distinto",
           "Registrado: Maestro o maestra suplente"),
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_day_facts_form_saves_and_fits_a_phone(
    phone: Any, live_server: Any, owner: Any, child: Any, plan: Any, calendar: Any, language: str
) -> None:
    heading, box_label, button, recorded = WORDS[language]
    phone.log_in(owner)
    page = phone.page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("checkin", args=[child.public_id]))
    section = page.locator("#day-facts")
    section.get_by_role("heading", name=heading).wait_for()
    phone.axe_check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = section.get_by_label(box_label, exact=True)
    size = section.locator("label[for=day-fact-substitute_teacher]").bounding_box()
    assert size["height"] >= 44 and size["x"] + size["width"] <= 390
    box.check()
    section.get_by_role("button", name=button).click()
    page.locator("#day-facts").get_by_text(recorded).wait_for()
    phone.axe_check()
    assert DayFacts.objects.get(child=child).facts == ["substitute_teacher"]
