"""The check-in page in real Chromium on a 390 px phone: taps save in place, with axe checks."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iepright.logbook import services
from iepright.logbook.models import Entry
from iepright.plans.models import Provision
from tests.browser_support import open_details
from tests.clock import AFTER_THANKSGIVING
from tests.conftest import log_entry
from tests.images import image

# tick=True: the clock runs on from there, in the live server's thread too.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.frozen(AFTER_THANKSGIVING, tick=True),
]


def live_status(provision: Provision) -> str | None:
    entry = Entry.objects.filter(provision=provision, deleted_at__isnull=True).first()
    return entry.status if entry else None


def test_taps_save_in_place_and_fit_a_phone(phone, live_server, owner, child, plan, calendar):
    speech = plan.provisions.get(text="Speech-language therapy")
    speech.weekdays = "1"  # Mondays, such as 30 November
    speech.save()
    phone.log_in(owner)
    page = phone.page
    page.goto(live_server.url + reverse("checkin", args=[child.public_id]))
    phone.axe_check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_text("Not marked: Extended time").wait_for()

    row = page.locator(f"#p-{speech.public_id}")
    # Clear is offered once the row is logged; the Details form is opened when asked.
    assert not row.get_by_role("button", name="Clear the status").is_visible()
    assert row.locator(".details-form").count() == 0
    open_details(row)
    phone.axe_check()
    group = row.get_by_role("group")
    for name in ("Delivered", "Partly", "Not delivered", "No opportunity"):
        box = group.get_by_role("button", name=name, exact=True).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
        assert box["x"] + box["width"] <= 390
    url_before = page.url

    group.get_by_role("button", name="Partly", exact=True).click()
    live = page.locator("#checkin-live")
    live.filter(has_text="Saved").wait_for()
    assert (
        group.get_by_role("button", name="Partly", exact=True).get_attribute("aria-pressed")
        == "true"
    )
    assert (
        group.get_by_role("button", name="Delivered", exact=True).get_attribute("aria-pressed")
        == "false"
    )
    row.get_by_text("Recorded Nov 30, 2026").wait_for()
    assert page.url == url_before  # no reload
    page.get_by_text("1 of 2 provisions logged").wait_for()
    assert live_status(speech) == "partly"
    # The details form follows the tap, so saving details later keeps "Partly".
    assert row.locator("select[name=status]").input_value() == "partly"
    clear = row.get_by_role("button", name="Clear the status")
    assert clear.is_visible()
    partly = group.get_by_role("button", name="Partly", exact=True).bounding_box()
    assert clear.bounding_box()["width"] * clear.bounding_box()["height"] < (
        partly["width"] * partly["height"]
    )

    # A failed save restores the buttons and says so beside the provision.
    page.route("**/checkin/status/", lambda route: route.abort())
    group.get_by_role("button", name="Not delivered", exact=True).click()
    row.get_by_text("Not saved").wait_for()
    assert (
        group.get_by_role("button", name="Partly", exact=True).get_attribute("aria-pressed")
        == "true"
    )
    assert live_status(speech) == "partly"
    page.unroute("**/checkin/status/")
    phone.console_errors.clear()  # the aborted request above, on purpose

    row.get_by_role("button", name="Clear the status").click()
    row.get_by_text("Not logged yet.").wait_for()
    assert live_status(speech) is None
    assert not row.get_by_role("button", name="Clear the status").is_visible()
    assert page.evaluate("document.activeElement.value") == "delivered"  # focus stays in the row

    # The tap redrew what the whole-day button marks: speech therapy again, once cleared.
    page.get_by_role("button", name="Mark 1 delivered").click()
    page.wait_for_url("**?date=2026-11-30")
    assert set(Entry.objects.filter(deleted_at__isnull=True).values_list("status", flat=True)) == {
        "delivered"
    }
    row = page.locator(f"#p-{speech.public_id}")
    open_details(row)
    phone.axe_check()


def test_the_entry_page_and_form_errors_pass_axe(
    phone, live_server, owner, child, speech, extended_time, media
):
    today = AFTER_THANKSGIVING.date()
    entry = log_entry(speech, today, owner, status="delivered")
    log_entry(speech, today, owner, reason="Cut short", status="partly", minutes_delivered=12)
    entry.refresh_from_db()
    png = image("PNG", (1, 1))
    services.add_evidence(entry, SimpleUploadedFile("board.png", png), user=owner)
    phone.log_in(owner)
    page = phone.page
    page.goto(live_server.url + reverse("entry_detail", args=[entry.public_id]))
    page.get_by_role("img", name="Photo: board.png").wait_for()
    # The thumbnail really loads through the access-checked download view.
    # Polled from here: wait_for_function's in-page polling evaluates a string, which the
    # app's Content-Security-Policy (no 'unsafe-eval') refuses whenever the first check fails.
    thumb, waited = page.locator("img.thumb"), 0
    while thumb.evaluate("img => img.complete && img.naturalWidth") != 1:
        assert waited < 10_000, "the thumbnail did not load"
        page.wait_for_timeout(50)
        waited += 50
    phone.axe_check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Without a status, details are refused with the message on the status field.
    page.goto(live_server.url + reverse("checkin", args=[child.public_id]))
    row = page.locator(f"#p-{extended_time.public_id}")
    open_details(row)
    row.get_by_label("Note").fill("Teacher forgot the extended time")
    row.get_by_role("button", name="Save details").click()
    page.get_by_text("Choose a status for this provision.").first.wait_for()
    assert page.locator(f"#p-{extended_time.public_id} details.entry-details[open]").count() == 1
    assert row.get_by_label("Note").input_value() == "Teacher forgot the extended time"
    phone.axe_check()


def marks_clear_of_labels(page: Any) -> list[str]:
    """Return the pressed buttons whose mark overlaps their label or leaves the button."""
    found: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('.status-button[aria-pressed=true]'))
          .filter(b => {
            const m = b.querySelector('.pressed-mark').getBoundingClientRect();
            const r = document.createRange();
            r.selectNodeContents(b.querySelector('.status-label'));
            const box = b.getBoundingClientRect();
            const inside = m.width > 0 && m.left >= box.left && m.right <= box.right
              && m.top >= box.top && m.bottom <= box.bottom;
            const overlaps = Array.from(r.getClientRects()).some(t =>
              m.left < t.right && t.left < m.right && m.top < t.bottom && t.top < m.bottom);
            return overlaps || !inside;
          }).map(b => b.textContent.trim())"""
    )
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pressed_mark_never_covers_its_label(
    phone, live_server, owner, child, plan, calendar, lang
):
    today = AFTER_THANKSGIVING.date()
    provisions = list(plan.provisions.all())
    for provision, status in zip(provisions, ["no_opportunity", "not_delivered"], strict=False):
        log_entry(provision, today, owner, status=status)
    owner.language = lang
    owner.save(update_fields=["language"])
    phone.log_in(owner)
    page = phone.page
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(live_server.url + reverse("checkin", args=[child.public_id]))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".status-button[aria-pressed=true]").count() == len(provisions[:2])
    assert marks_clear_of_labels(page) == []
    phone.axe_check()
    # 200 % text, as a phone's text-size setting makes it; the page still fits 390 px.
    # (Through the CSSOM: the Content-Security-Policy refuses an added <style>.)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "32px"
    assert marks_clear_of_labels(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for button in page.locator(".status-button").all():
        assert button.evaluate("b => b.scrollWidth <= b.clientWidth")
        # One button a line at this size, so no word is broken inside a label.
        assert button.bounding_box()["width"] > 250


def test_details_open_and_save_without_javascript(
    chromium, live_server, owner, child, speech, extended_time, calendar
):
    from tests.browser_support import PHONE, PageChecker

    # No axe here: it is a script, and this page has none (the same page passes axe above).
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        phone = PageChecker(context.new_page(), live_server.url)
        phone.log_in(owner)
        page = phone.page
        page.goto(live_server.url + reverse("checkin", args=[child.public_id]))
        row = page.locator(f"#p-{speech.public_id}")
        row.get_by_role("button", name="Partly", exact=True).click()
        row.get_by_text("Saved: Partly.").wait_for()
        assert row.get_by_role("button", name="Clear the status").is_visible()
        other = page.locator(f"#p-{extended_time.public_id}")
        assert not other.get_by_role("button", name="Clear the status").is_visible()
        open_details(row)
        assert page.locator(".details-form").count() == 1
        assert row.get_by_label("Reason for the change").is_visible()  # the entry exists
        row.get_by_label("Minutes delivered").fill("45")
        row.get_by_role("button", name="Save details").click()
        page.locator(".error-summary").first.wait_for()
        assert row.locator(".field-error").get_by_label("Minutes delivered").input_value() == "45"
        row.get_by_label("Minutes delivered").fill("20")
        row.get_by_role("button", name="Save details").click()
        row.get_by_text("Details saved.").wait_for()
        assert page.locator(".details-form").count() == 0
        entry = Entry.objects.get(provision=speech, deleted_at__isnull=True)
        assert (entry.status, entry.minutes_delivered) == ("partly", 20)
        # A first recording is not asked for a reason.
        open_details(other)
        assert not other.get_by_label("Reason for the change").is_visible()
    finally:
        context.close()
