"""The check-in page (GET): which day, which provisions, what kind of day, who may tap."""

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iepright.logbook import services
from iepright.logbook.models import Circumstance
from iepright.plans.models import Category, Child, Period, Plan, Provision
from tests.clock import AFTER_THANKSGIVING, at, frozen
from tests.conftest import log_entry
from tests.images import PNG
from tests.logbook.checkin_support import TODAY

pytestmark = pytest.mark.frozen(AFTER_THANKSGIVING)


def page(child: Child, day: date | None = None) -> str:
    url = reverse("checkin", kwargs={"public_id": child.public_id})
    return f"{url}?date={day.isoformat()}" if day else url


@pytest.mark.parametrize(
    ("role", "status", "buttons"),
    [("owner", 200, True), ("editor", 200, True), ("viewer", 200, False), ("outsider", 404, False)],
)
def test_it_shows_the_page_by_role(client_for, personas, child, plan, role, status, buttons):
    r = client_for(personas[role]).get(page(child))
    assert r.status_code == status
    if status != 200:
        return
    html = r.content.decode()
    assert html.count("<h1") == 1
    assert "Speech-language therapy" in html
    assert ('name="status" value="delivered"' in html) is buttons
    assert ('name="shortcut" value="child_absent"' in html) is buttons
    assert ("Not marked:" in html) is buttons
    assert ("&amp;details=" in html) is buttons  # each row links to its Details form
    assert (reverse("checkin_status", args=[child.public_id]) in html) is buttons


def test_anonymous_visitors_are_sent_to_log_in(client_for, child):
    r = client_for(None).get(page(child))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_it_shows_today_in_the_household_time_zone_by_default(client_for, owner, child, plan):
    # 04:30 UTC on December 1st is still the evening of November 30th in Chicago.
    with frozen(datetime(2026, 12, 1, 4, 30, tzinfo=UTC)):
        r = client_for(owner).get(page(child))
    assert r.context["day"] == TODAY and r.context["is_today"]
    html = r.content.decode()
    assert "Monday, November 30, 2026" in html
    assert "Next day" not in html  # nothing after today
    assert "?date=2026-11-29" in html  # previous day link
    assert 'max="2026-11-30"' in html


def test_any_past_day_can_be_chosen(client_for, owner, child, plan):
    r = client_for(owner).get(page(child, date(2026, 11, 17)))
    assert r.status_code == 200 and r.context["day"] == date(2026, 11, 17)
    html = r.content.decode()
    assert "Tuesday, November 17, 2026" in html
    assert "?date=2026-11-18" in html and "?date=2026-11-16" in html
    assert 'value="2026-11-17"' in html


@pytest.mark.parametrize(
    ("asked", "message"),
    [("2026-12-01", "has not happened yet"), ("2026-13-45", "not a date"), ("soon", "not a date")],
)
def test_future_and_malformed_dates_are_refused(client_for, owner, child, plan, asked, message):
    r = client_for(owner).get(page(child) + f"?date={asked}", follow=True)
    assert r.redirect_chain[-1][0] == page(child)
    assert r.context["day"] == TODAY
    assert message in r.content.decode()


@pytest.mark.parametrize(
    ("day", "notice"),
    [
        (date(2026, 11, 21), "Saturday is not a school day (weekend)."),
        (date(2026, 11, 23), "No school this day: Thanksgiving break."),
        (date(2027, 6, 15), "outside the school year"),
        (date(2026, 11, 20), "Early release day."),
    ],
)
def test_it_says_when_a_day_is_not_a_school_day(
    client_for, owner, child, plan, calendar, day, notice
):
    with frozen(at(date(2027, 6, 20), 12)):
        r = client_for(owner).get(page(child, day))
    html = r.content.decode()
    assert notice in html
    # A parent can still log it (school may have held a session anyway).
    assert ("You can still log this day." in html) is (day != date(2026, 11, 20))
    assert 'name="status" value="delivered"' in html


def test_a_school_day_has_no_notice(client_for, owner, child, plan, calendar):
    html = client_for(owner).get(page(child, date(2026, 11, 18))).content.decode()
    assert "You can still log this day." not in html


def test_it_says_when_no_calendar_is_entered(client_for, owner, child, plan):
    html = client_for(owner).get(page(child)).content.decode()
    assert "No school calendar is entered" in html
    assert "You can still log this day." in html


def test_it_says_when_no_plan_is_in_force(client_for, owner, child, plan):
    r = client_for(owner).get(page(child, date(2026, 9, 1)))  # before the plan starts
    html = r.content.decode()
    assert "No plan in force on this day" in html
    assert reverse("child_detail", args=[child.public_id]) in html
    assert 'name="status"' not in html


def test_it_lists_the_provisions_in_effect_with_category_and_frequency(
    client_for, owner, child, plan
):
    Provision.objects.create(
        plan=plan,
        position=2,
        category=Category.ACCOMMODATION,
        text="Preferential seating",
        ended_on=date(2026, 11, 10),
    )
    long_text = "Access to a word bank and graphic organizer " * 6
    Provision.objects.create(plan=plan, position=3, category=Category.ACCOMMODATION, text=long_text)
    html = client_for(owner).get(page(child)).content.decode()
    assert "Extended time (time and one half)" in html
    assert "Testing accommodation" in html
    assert "Related service" in html and "2 × 30 min per week" in html
    assert "Preferential seating" not in html  # ended before this day
    assert "Full text" in html and long_text.strip() in html  # shortened heading + full text
    for label, symbol in (("Delivered", "✓"), ("Partly", "◐"), ("Not delivered", "✗")):
        assert label in html and symbol in html
    assert "No opportunity" in html and ">Clear<" in html


def test_it_shows_the_current_status_with_text_and_aria_pressed(client_for, owner, child, speech):
    log_entry(speech, TODAY, owner, status="partly", minutes_delivered=20)
    r = client_for(owner).get(page(child))
    html = r.content.decode()
    assert html.count('aria-pressed="true"') == 1
    assert 'value="partly" class="status-button status-partly" aria-pressed="true"' in html
    assert 'class="status-chip status-partly"' in html
    assert "Recorded Nov 30, 2026, 3:00 p.m. by Rosa Alvarez" in html
    assert "20 of 30" in html
    assert "Not logged yet." in html  # the other provision
    assert "<span data-progress>1 of 2 provisions logged</span> · Annual IEP" in html
    assert "Recorded late" not in html


def test_it_marks_late_entries_with_the_number_of_days(client_for, viewer, owner, child, speech):
    log_entry(speech, date(2026, 11, 20), owner, status="not_delivered")
    html = client_for(viewer).get(page(child, date(2026, 11, 20))).content.decode()
    assert "Recorded late (10 days after)" in html


@pytest.fixture
def twelve(child, plan, owner, media):
    """A 12-provision day, each logged with details, half of them with evidence."""
    for n in range(10):
        Provision.objects.create(
            plan=plan,
            position=n + 2,
            category=Category.SPECIAL_EDUCATION if n % 2 else Category.ACCOMMODATION,
            text=f"Provision number {n}",
            sessions_per_period=1 if n % 2 else None,
            minutes_per_session=20 if n % 2 else None,
            period=Period.DAY if n % 2 else "",
        )
    Circumstance.objects.create(household=child.household, code="fire-drill", label="Fire drill")
    for index, provision in enumerate(plan.provisions.all()):
        entry = log_entry(
            provision, TODAY, owner, status="not_delivered", circumstances=["fire-drill"], note="x"
        )
        if index % 2:
            upload = SimpleUploadedFile(f"photo{index}.png", PNG, content_type="image/png")
            services.add_evidence(entry, upload, user=owner)
    return plan


@pytest.mark.parametrize("role", ["owner", "viewer"])
def test_the_page_does_a_fixed_number_of_queries(
    client_for, personas, child, twelve, calendar, contact, django_assert_num_queries, role
):
    c = client_for(personas[role])
    # session, user, child, plan in force, provisions, calendars, calendar events, entries,
    # evidence, circumstances, revisions of changed entries, the day facts (contacts only when a
    # row's Details form is asked for)
    with django_assert_num_queries(12):
        r = c.get(page(child))
    assert len(r.context["rows"]) == 12
    html = r.content.decode()
    assert html.count("Fire drill") >= 12
    assert html.count("photo") >= 6


def test_another_plan_version_is_used_from_its_start(client_for, owner, child, plan):
    amended = Plan.objects.create(
        child=child, label="Amendment", start_date=date(2026, 11, 25), end_date=date(2027, 9, 14)
    )
    Provision.objects.create(plan=amended, category=Category.ACCOMMODATION, text="Calculator")
    html = client_for(owner).get(page(child)).content.decode()
    assert "Calculator" in html and "Speech-language therapy" not in html
    html = client_for(owner).get(page(child, date(2026, 11, 24))).content.decode()
    assert "Calculator" not in html and "Speech-language therapy" in html
