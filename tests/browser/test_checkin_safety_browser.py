"""The check-in page's safety fixes in real Chromium at 390×844, with axe on each page."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from iepright.accounts.models import User
from iepright.logbook.models import Entry
from iepright.plans.models import Child, Provision
from tests.browser_support import PageChecker, open_details
from tests.clock import AFTER_THANKSGIVING
from tests.conftest import log_entry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.frozen(AFTER_THANKSGIVING, tick=True),
]
TODAY = AFTER_THANKSGIVING.date()


def open_checkin(phone: PageChecker, live_server: Any, owner: User, child: Child) -> Any:
    phone.log_in(owner)
    phone.page.goto(live_server.url + reverse("checkin", args=[child.public_id]))
    return phone.page


def live_entry(provision: Provision) -> Entry | None:
    return Entry.objects.filter(provision=provision, deleted_at__isnull=True).first()


def test_details_saved_after_a_tap_keep_its_minutes_and_say_so_at_the_row(
    phone, live_server, owner, child, speech, calendar
):
    speech.weekdays = "1"  # due on Mondays, such as 30 November: "Mark 1 delivered"
    speech.save()
    page = open_checkin(phone, live_server, owner, child)
    row = page.locator(f"#p-{speech.public_id}")
    row.get_by_role("button", name="Delivered", exact=True).click()
    page.locator("#checkin-live").filter(has_text="Saved").wait_for()
    open_details(row)
    assert row.get_by_label("Minutes delivered").input_value() == "30"
    row.get_by_label("Note").fill("Worked on the s sound")
    row.get_by_role("button", name="Save details").click()
    message = page.locator(f"#p-{speech.public_id} [data-row-messages]")
    message.get_by_text("Details saved.").wait_for()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.className") == "row-messages"
    entry = live_entry(speech)
    assert entry is not None
    assert (entry.status, entry.minutes_delivered, entry.note) == (
        "delivered",
        30,
        "Worked on the s sound",
    )
    phone.axe_check()


def test_rapid_taps_end_on_the_last_tap(phone, live_server, owner, child, speech, calendar):
    page = open_checkin(phone, live_server, owner, child)
    group = page.locator(f"#p-{speech.public_id}").get_by_role("group")
    for name in ("Partly", "Not delivered", "No opportunity", "Delivered"):
        group.get_by_role("button", name=name, exact=True).click()
    page.locator("#checkin-live").filter(has_text="Saved").wait_for()
    expect(page.locator("form.status-form[aria-busy]")).to_have_count(0)
    entry = live_entry(speech)
    assert entry is not None and entry.status == "delivered"
    pressed = group.locator("button[aria-pressed=true]")
    assert pressed.count() == 1 and pressed.get_attribute("value") == "delivered"


@pytest.mark.parametrize("cookies", ["session", "all"])
def test_a_tap_after_the_session_ended_says_to_log_in_again(
    phone, live_server, owner, child, speech, calendar, cookies
):
    page = open_checkin(phone, live_server, owner, child)
    if cookies == "all":
        page.context.clear_cookies()
    else:
        page.context.clear_cookies(name="sessionid")
    row = page.locator(f"#p-{speech.public_id}")
    row.get_by_role("button", name="Partly", exact=True).click()
    row.get_by_text("you are logged out").wait_for()
    assert row.get_by_role("link", name="Log in again").get_attribute("href").startswith("/")
    partly = row.get_by_role("button", name="Partly", exact=True)
    assert partly.get_attribute("aria-pressed") == "false"
    assert live_entry(speech) is None
    phone.console_errors.clear()  # the refused request, on purpose


def test_a_whole_day_shortcut_asks_before_dropping_details_typing(
    phone, live_server, owner, child, speech, calendar
):
    speech.weekdays = "1"  # due on Mondays, such as 30 November: "Mark 1 delivered"
    speech.save()
    page = open_checkin(phone, live_server, owner, child)
    row = page.locator(f"#p-{speech.public_id}")
    open_details(row)
    row.get_by_label("Note").fill("Not saved yet")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("button", name="Mark 1 delivered").click()
    assert asked and "not saved" in asked[0]
    assert Entry.objects.count() == 0
    assert row.get_by_label("Note").input_value() == "Not saved yet"


def test_clear_on_an_entry_with_details_opens_its_confirmation(
    phone, live_server, owner, child, speech, calendar
):
    log_entry(speech, TODAY, owner, status="partly", minutes_delivered=10, note="Fire drill")
    page = open_checkin(phone, live_server, owner, child)
    page.locator(f"#p-{speech.public_id}").get_by_role("button", name="Clear the status").click()
    page.get_by_role("heading", name="Delete this entry?").wait_for()
    assert live_entry(speech) is not None
    phone.axe_check()
    page.get_by_label("Reason").fill("Logged the wrong day")
    page.get_by_role("button", name="Delete entry").click()
    page.locator(f"#p-{speech.public_id}").get_by_text("Entry deleted.").wait_for()
    assert live_entry(speech) is None


def test_nothing_is_cut_off_and_links_are_big_enough_at_390_px(
    phone, live_server, owner, child, speech, calendar
):
    entry = log_entry(speech, TODAY, owner, status="delivered")
    log_entry(
        speech,
        TODAY,
        owner,
        status="partly",
        minutes_delivered=12,
        note="The speech-language pathologist was called to a meeting halfway through",
        circumstances=["provider_absent", "schedule_change", "substitute_teacher"],
    )
    page = open_checkin(phone, live_server, owner, child)
    link = page.get_by_role("link", name="Entry and its history").first
    assert link.bounding_box()["height"] >= 44
    link.click()
    page.get_by_role("heading", name="History").wait_for()
    phone.axe_check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for table in page.locator("table.changes").all():
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
        assert table.bounding_box()["x"] + table.bounding_box()["width"] <= 390

    kid = {"public_id": child.public_id}
    page.goto(live_server.url + reverse("log_day", kwargs=kid) + "?date=2026-11-30")
    details = page.get_by_role("link", name="Details and history").first
    assert details.bounding_box()["height"] >= 44

    page.goto(live_server.url + reverse("log_month", kwargs=kid) + "?month=2026-11")
    caption = page.locator("#grid-caption .caption-text")
    box = caption.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert caption.evaluate("c => c.scrollWidth <= c.clientWidth")
    phone.axe_check()
    assert entry.pk


def test_a_details_error_is_summarised_at_the_top_and_the_absent_question_passes_axe(
    phone, live_server, owner, child, speech, calendar
):
    speech.weekdays = "1"  # due on Mondays, such as 30 November: "Mark 1 delivered"
    speech.save()
    page = open_checkin(phone, live_server, owner, child)
    row = page.locator(f"#p-{speech.public_id}")
    open_details(row)
    row.get_by_label("Status", exact=True).select_option("partly")
    row.get_by_label("Minutes delivered").fill("45")
    row.get_by_label("Note").fill("Typed, not lost")
    row.get_by_role("button", name="Save details").click()
    summary = page.locator(".error-summary").first
    summary.get_by_role("link", name="Minutes delivered").wait_for()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert row.get_by_label("Note").input_value() == "Typed, not lost"
    phone.axe_check()
    summary.get_by_role("link", name="Minutes delivered").click()
    assert page.url.endswith(f"#d{speech.public_id.hex[:12]}-minutes_delivered")

    log_entry(
        speech, TODAY, owner, status="partly", minutes_delivered=10, circumstances=["assembly"]
    )
    page.goto(live_server.url + reverse("checkin", args=[child.public_id]))
    page.get_by_role("button", name="Child absent today").click()
    page.get_by_role("heading", name="Mark Maya Alvarez absent today?").wait_for()
    phone.axe_check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Mark absent").click()
    page.get_by_text("2 provisions changed").wait_for()
    entry = live_entry(speech)
    assert entry is not None and entry.circumstances == ["assembly", "child_absent"]
