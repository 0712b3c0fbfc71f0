"""Issue 3's path on a phone for the demo child: log a 10-provision school day in at most 12
taps, add a note and a photo to a missed provision, edit it, and read its history. axe runs on
every page visited."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from iepright.accounts.models import User
from iepright.demo import photos
from iepright.demo.load import load_demo
from iepright.demo.log import fill_demo_log
from iepright.logbook.models import Entry, EntryRevision
from iepright.logbook.verify import verify_child
from iepright.plans import services as plan_services
from tests.browser_support import open_details
from tests.clock import DEMO_CHECKIN

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.frozen(DEMO_CHECKIN, tick=True),
]

TODAY = DEMO_CHECKIN.date()  # a Thursday


class Taps:
    """Count every tap the parent makes (clicks, choices, file picks; typing is not a tap)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def test_a_parent_logs_a_day_and_documents_a_miss(phone, live_server, media, tmp_path):
    demo = load_demo()
    rosa = User.objects.get(email=demo.email)
    # The demo logs the term but for today and the school day before it.
    fill_demo_log(demo.child, rosa)
    assert not Entry.objects.filter(child=demo.child, event_date__gte=date(2026, 11, 18)).exists()
    plan = demo.child.plan_in_force(TODAY)
    assert plan is not None
    # Two provisions were stopped at an amendment, so today has ten.
    for text in ("Homework reduced", "Occupational therapy"):
        provision = plan.provisions.get(text__startswith=text)
        plan_services.end_provision(provision, last_day=date(2026, 11, 18), reason="Amendment")
    extended = plan.provisions.get(text__startswith="Extended time")
    small_group = plan.provisions.get(text__startswith="Tests and quizzes")
    breaks = plan.provisions.get(text__startswith="Breaks")
    speech = plan.provisions.get(text="Speech-language therapy")

    client = Client()
    client.force_login(rosa)
    page = phone.page
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("checkin", args=[demo.child.public_id]))
    phone.axe_check()
    rows = page.locator("[id^=p-]")
    assert rows.count() == 10

    # The two per-test accommodations and the breaks "when requested" are left for a tap;
    # speech therapy is due (a Thursday is one of its usual days).
    shortcuts = page.get_by_role("form", name="Whole day")
    left = shortcuts.get_by_text("Not marked:").inner_text()
    assert all(text in left for text in ("Extended time", "Tests and quizzes", "Breaks"))
    assert "Speech" not in left
    tap = Taps()
    tap(page.get_by_role("button", name="Mark 7 delivered"))
    page.get_by_text("7 of 10 provisions logged").first.wait_for()
    for provision, status in (
        (extended, "Not delivered"),
        (small_group, "No opportunity"),
        (breaks, "Delivered"),
        (speech, "Partly"),
    ):
        row = page.locator(f"#p-{provision.public_id}")
        tap(row.get_by_role("group").get_by_role("button", name=status, exact=True))
        # The row's status line is redrawn from the server's answer.
        row.locator(".current-status").filter(has_text=status).wait_for()
    assert tap.count <= 12, f"a 10-provision day took {tap.count} taps"
    day = Entry.objects.filter(child=demo.child, event_date=TODAY, deleted_at__isnull=True)
    assert day.count() == 10
    assert sorted(day.values_list("status", flat=True)).count("delivered") == 7
    phone.axe_check()

    # Details for the missed provision: a circumstance, who, a note and a photo.
    row = page.locator(f"#p-{extended.public_id}")
    open_details(row)
    row.get_by_label("Substitute teacher").check()
    row.get_by_label("How you know").select_option(label="Child reported")
    row.get_by_label("Note").fill("The sub collected the math quiz at the bell. ¿Otra vez?")
    photo = tmp_path / "quiz.jpg"
    photo.write_bytes(photos.photo("quiz", 3))
    row.get_by_label("Photos or documents").set_input_files(str(photo))
    row.get_by_role("button", name="Save details").click()
    page.get_by_text("Evidence:").first.wait_for()
    phone.axe_check()
    entry = Entry.objects.get(provision=extended, event_date=TODAY, deleted_at__isnull=True)
    assert entry.status == "not_delivered" and entry.circumstances == ["substitute_teacher"]
    assert entry.evidence.get().original_name == "quiz.jpg"

    # Edit it with a reason, then read the history.
    page.locator(f"#p-{extended.public_id}").get_by_role(
        "link", name="Entry and its history"
    ).click()
    page.wait_for_url(f"**/entries/{entry.public_id}/")
    page.get_by_role("heading", name="History").wait_for()
    phone.axe_check()
    page.get_by_label("Note").fill("The substitute collected the math quiz at the bell.")
    page.get_by_label("Reason for the change").fill("Wrote it more clearly")
    page.get_by_role("button", name="Save changes").click()
    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    history.get_by_text("Wrote it more clearly").wait_for()
    text = history.inner_text()
    assert "The sub collected the math quiz at the bell. ¿Otra vez?" in text  # the old value
    assert "The substitute collected the math quiz at the bell." in text  # the new one
    phone.axe_check()
    assert EntryRevision.objects.filter(entry=entry).count() >= 4
    assert verify_child(demo.child, check_files=True).ok
