"""The month grid: provisions by school day, with symbols, markers and accessible names."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from iepright.logbook import services
from iepright.plans import services as plan_services
from iepright.plans.models import Category, Child, Plan, Provision
from tests.clock import AFTER_NOVEMBER
from tests.conftest import log_entry
from tests.logbook.test_history_support import URLCONF, attach, log

pytestmark = [pytest.mark.urls(URLCONF), pytest.mark.frozen(AFTER_NOVEMBER)]

NOVEMBER_SCHOOL_DAYS = [
    date(2026, 11, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 30)
]


def month(client: Client, child: Child, value: str | None = "2026-11") -> Any:
    url = reverse("log_month", kwargs={"public_id": child.public_id})
    return client.get(url, {"month": value} if value else {})


def test_it_shows_only_the_calendars_school_days(client_for, owner, child, plan, calendar):
    response = month(client_for(owner), child)
    grid = response.context["grid"]
    assert [d.day for d in grid.days] == NOVEMBER_SCHOOL_DAYS  # no weekends, no Thanksgiving
    assert not grid.approximate
    assert [row.provision.position for row in grid.rows] == [0, 1]
    early = [d.day for d in grid.days if d.early_release]
    assert early == [date(2026, 11, 20)]
    assert "early release" in response.content.decode()


def test_it_draws_a_real_table_with_headers_and_a_scrolling_wrapper(
    client_for, owner, child, plan, calendar
):
    html = month(client_for(owner), child).content.decode()
    assert '<div class="table-wrap grid-wrap" role="region" aria-labelledby="grid-caption"' in html
    assert '<caption id="grid-caption">' in html
    assert '<th scope="col" class="sticky">Provision</th>' in html
    assert html.count('<th scope="row" class="sticky">') == 2
    assert "history.css" in html


def test_it_shows_status_symbols_markers_and_accessible_names(
    client_for, owner, child, speech, extended_time, calendar, media
):
    late = log(speech, date(2026, 11, 17), owner, late=True, status="not_delivered")
    attach(late, owner)
    log(speech, date(2026, 11, 16), owner, status="delivered")
    log(extended_time, date(2026, 11, 16), owner, status="partly")
    log(extended_time, date(2026, 11, 17), owner, status="no_opportunity")
    html = month(client_for(owner), child).content.decode()
    checkin = reverse("checkin", kwargs={"public_id": child.public_id})
    assert (
        f'<td class="cell cell-not_delivered"><a href="{checkin}?date=2026-11-17" '
        'aria-label="Speech-language therapy, Nov 17: Not delivered, recorded late, 1 attachment"'
    ) in html
    assert '✗<span class="mark-late">◷</span><span class="mark-evidence">▣</span>' in html
    assert 'aria-label="Speech-language therapy, Nov 16: Delivered"' in html
    assert '<span aria-hidden="true">✓</span>' in html
    assert '<td class="cell cell-partly">' in html and "◐" in html
    assert '<td class="cell cell-no_opportunity">' in html
    # An empty cell is "not logged", with the middle dot as its symbol.
    assert 'aria-label="Speech-language therapy, Nov 18: not logged"' in html
    assert '<span aria-hidden="true">·</span>' in html
    for words in ("Key", "Not logged", "Recorded late", "Has attachments", "No opportunity"):
        assert words in html


def test_it_adds_a_non_school_day_only_when_something_was_logged(
    client_for, owner, child, speech, calendar
):
    log(speech, date(2026, 11, 24), owner, status="delivered")  # Thanksgiving break
    log(speech, date(2026, 11, 21), owner, status="delivered")  # a Saturday
    grid = month(client_for(owner), child).context["grid"]
    extra = [d.day for d in grid.days if not d.school_day]
    assert extra == [date(2026, 11, 21), date(2026, 11, 24)]
    assert date(2026, 11, 23) not in [d.day for d in grid.days]
    speech_row = next(r for r in grid.rows if r.provision.pk == speech.pk)
    saturday = next(c for c in speech_row.cells if c.day.day == date(2026, 11, 21))
    assert saturday.entry is not None and saturday.symbol == "✓"


def test_it_leaves_deleted_entries_out_of_the_grid(client_for, owner, child, speech, calendar):
    entry = log(speech, date(2026, 11, 17), owner, status="not_delivered")
    services.delete_entry(entry, user=owner, reason="wrong day")
    html = month(client_for(owner), child).content.decode()
    assert "Nov 17: not logged" in html and "Not delivered," not in html


def test_without_a_calendar_it_says_monday_to_friday_is_an_approximation(
    client_for, owner, child, plan
):
    response = month(client_for(owner), child)
    grid = response.context["grid"]
    assert grid.approximate and not grid.has_calendar
    assert date(2026, 11, 25) in [d.day for d in grid.days]  # no calendar knows Thanksgiving
    assert len(grid.days) == 21
    assert "an approximation" in response.content.decode()


def test_a_plan_changed_mid_month_shows_each_versions_provisions_on_its_days(
    client_for, owner, child, plan, speech, calendar
):
    amendment = plan_services.copy_plan(
        plan, start_date=date(2026, 11, 16), end_date=date(2027, 9, 14), label="Amendment"
    )
    new_speech = amendment.provisions.get(position=1)
    log(speech, date(2026, 11, 10), owner, status="delivered")
    log(new_speech, date(2026, 11, 17), owner, status="partly", minutes_delivered=10)
    response = month(client_for(owner), child)
    grid = response.context["grid"]
    assert [(r.plan.label, r.provision.position) for r in grid.rows] == [
        ("Annual IEP", 0),
        ("Annual IEP", 1),
        ("Amendment", 0),
        ("Amendment", 1),
    ]
    cutover = date(2026, 11, 16)
    for row in grid.rows:
        days = [c.day.day for c in row.cells if c.applies]
        if row.plan.pk == plan.pk:
            assert days == [d for d in NOVEMBER_SCHOOL_DAYS if d < cutover]
        else:
            assert days == [d for d in NOVEMBER_SCHOOL_DAYS if d >= cutover]
    html = response.content.decode()
    assert "Annual IEP from Sep 16" in html and "Amendment from Nov 16" in html
    assert 'aria-label="Speech-language therapy, Nov 16: not in effect"' not in html
    assert "Nov 16: not in effect" in html  # the old version's cells on the new version's days


def test_viewers_cells_open_the_day_instead_of_the_check_in(
    client_for, viewer, child, speech, calendar
):
    html = month(client_for(viewer), child).content.decode()
    day_url = reverse("log_day", kwargs={"public_id": child.public_id})
    checkin = reverse("checkin", kwargs={"public_id": child.public_id})
    assert f'href="{day_url}?date=2026-11-17"' in html
    assert checkin not in html


def test_it_defaults_to_this_month_and_links_to_the_neighbours(
    client_for, owner, child, plan, calendar
):
    client = client_for(owner)
    response = month(client, child, value=None)
    assert response.context["month"] == date(2026, 12, 1)
    html = response.content.decode()
    assert "?month=2026-11" in html and "?month=2027-01" not in html  # no link into the future
    december = response.context["grid"]
    future = [d for d in december.days if d.future]
    assert future and all(not c.linkable for r in december.rows for c in r.cells if c.day.future)
    html = month(client, child, "2026-10").content.decode()
    assert "?month=2026-09" in html and "?month=2026-11" in html


@pytest.mark.parametrize("bad", ["2026-13", "nope", "99999-01", "2026-1"])
def test_a_bad_month_shows_a_message_and_this_month(client_for, owner, child, plan, bad):
    response = month(client_for(owner), child, bad)
    assert response.status_code == 200
    assert response.context["month"] == date(2026, 12, 1)
    assert "is not a month" in response.content.decode()


def test_a_month_before_any_plan_says_there_is_nothing_to_log(client_for, owner, child, plan):
    html = month(client_for(owner), child, "2026-08").content.decode()
    assert "No plan was in effect this month" in html


def _many_provisions(plan: Plan, count: int) -> list[Provision]:
    for n in range(count - plan.provisions.count()):
        Provision.objects.create(
            plan=plan, position=10 + n, category=Category.ACCOMMODATION, text=f"Support {n}"
        )
    return list(plan.provisions.all())


def test_the_grid_takes_the_same_number_of_queries_however_much_is_logged(
    client_for, owner, child, plan, calendar, django_assert_num_queries
):
    client = client_for(owner)
    october = [date(2026, 10, 1) + timedelta(days=n) for n in range(31)]
    school_days = [d for d in october if d.isoweekday() <= 5][:20]
    speech = plan.provisions.get(position=1)
    log(speech, school_days[0], owner, status="delivered")
    with django_assert_num_queries(8):
        month(client, child, "2026-10")
    provisions = _many_provisions(plan, 12)
    for day in school_days:
        for provision in provisions:
            log_entry(provision, day, owner, status="delivered")
    with django_assert_num_queries(8):
        response = month(client, child, "2026-10")
    grid = response.context["grid"]
    assert len(grid.rows) == 12
    assert sum(1 for r in grid.rows for c in r.cells if c.entry) == 240
