"""Issue 2's end-to-end path on a phone: sign up, create a household, add a child, enter the
sample IEP's 12 provisions word for word, and read them back on the plan page. axe runs on
every page visited; no request may leave our server."""

import pytest

from iepright.demo.load import load_sample
from iepright.plans.models import Category, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD_LABELS = {
    "daily": "day",
    "week": "week",
    "month": "month",
    "per_event": "each time it applies",
}
LOCATION_LABELS = {
    "general_education": "General education",
    "outside_general_education": "Outside general education",
}


def test_a_parent_enters_the_whole_iep_on_a_phone(phone, live_server):
    page = phone.page
    sample = load_sample()
    provisions = sample["plan"]["provisions"]

    page.goto(f"{live_server.url}/signup/")
    phone.axe_check()
    page.get_by_label("Your name").fill("Rosa Alvarez")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Password", exact=True).fill("a long pecan hollow passphrase")
    page.get_by_label("Password again").fill("a long pecan hollow passphrase")
    page.get_by_role("button", name="Create account").click()

    phone.axe_check()  # the empty dashboard explains the next step
    page.get_by_role("link", name="Create a household").first.click()
    phone.axe_check()
    page.get_by_label("Household name").fill("Alvarez household")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_role("button", name="Create household").click()

    phone.axe_check()
    page.get_by_role("link", name="Add a child").click()
    phone.axe_check()
    child = sample["child"]
    page.get_by_label("Child's name").fill(child["name"])
    page.get_by_label("Grade").fill(child["grade"])
    page.get_by_label("School (optional)", exact=True).fill(child["school"])
    page.get_by_label("School district").fill(child["district"])
    page.get_by_label("State").select_option("TX")
    page.get_by_role("button", name="Add child").click()

    phone.axe_check()
    page.get_by_role("link", name="Add a plan").click()
    phone.axe_check()
    plan = sample["plan"]
    page.get_by_label("IEP", exact=True).check()
    page.get_by_label("Meeting date").fill(plan["meeting_date"])
    page.get_by_label("Start date (the date it takes effect)").fill(plan["start_date"])
    page.get_by_label("End date").fill(plan["end_date"])
    page.get_by_role("button", name="Save and add provisions").click()

    for index, item in enumerate(provisions):
        if index < 2:
            phone.axe_check()
        page.get_by_label("Kind of provision").select_option(item["category"])
        page.get_by_label("Exact words from the IEP").fill(item["text"])
        page.get_by_label("Where or when it applies").fill(item.get("applies", ""))
        page.get_by_label("Per day, week, month or year").select_option(
            label=PERIOD_LABELS[item["period"]]
        )
        if "minutes_per_session" in item:
            page.get_by_label("Sessions").fill(str(item["sessions_per_period"]))
            page.get_by_label("Minutes per session").fill(str(item["minutes_per_session"]))
            page.get_by_label("Location").select_option(label=LOCATION_LABELS[item["location"]])
            page.get_by_label("Setting").fill(item.get("setting", ""))
            page.get_by_label("Provider (their role").fill(item["provider_role"])
            page.get_by_label("Delivery").select_option(item["delivery"])
            page.get_by_label("Group size").fill(item.get("group_size", ""))
        last = index == len(provisions) - 1
        page.get_by_role(
            "button", name="Save and see the plan" if last else "Save and add another"
        ).click()

    phone.axe_check()
    main = page.locator("main")
    for item in provisions:
        assert main.get_by_text(item["text"], exact=True).first.is_visible()
    grid = page.get_by_role("table")
    assert "2 × 30 min per week" in grid.inner_text()
    assert "5 × 45 min per week" in grid.inner_text()
    # Nothing on the plan page is wider than the phone (the grid scrolls in its own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    saved = Plan.objects.get()
    assert [p.text for p in saved.provisions.all()] == [p["text"] for p in provisions]
    assert saved.provisions.filter(category=Category.RELATED_SERVICE).count() == 2
    assert len(phone.checked) >= 9
