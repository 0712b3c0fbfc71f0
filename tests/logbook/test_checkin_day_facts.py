"""The check-in page's "What was different today?": day facts, asked on every logged day."""

from __future__ import annotations

from datetime import date

import pytest

from iepright.logbook.models import DayFacts
from iepright.plans.models import Child
from tests.clock import AFTER_THANKSGIVING
from tests.logbook.checkin_support import TODAY, url

pytestmark = pytest.mark.frozen(AFTER_THANKSGIVING)

EARLIER = date(2026, 11, 20)


def page(client, child: Child, day: date | None = None) -> str:
    query = f"?date={day.isoformat()}" if day else ""
    html: str = client.get(url("checkin", child) + query).content.decode()
    return html


def save(client, child: Child, facts: list[str], day: date = TODAY):
    return client.post(
        url("checkin_day_facts", child) + f"?date={day.isoformat()}",
        {"date": day.isoformat(), "facts": facts},
    )


def test_it_asks_what_was_different_with_every_circumstance(client_for, owner, child, plan):
    child.household.circumstances.create(code="bus_late", label="Bus late")
    html = page(client_for(owner), child)
    section = html[html.index('id="day-facts"') :]
    assert "What was different today?" in section
    assert "Not answered yet for this day." in section
    for code in ("substitute_teacher", "schedule_change", "assembly", "field_trip",
                 "state_testing", "child_absent", "bus_late"):  # fmt: skip
        assert f'id="day-fact-{code}"' in section and f'for="day-fact-{code}"' in section
    assert "What got in the way" in html  # an entry's own reason stays in its details


def test_an_earlier_day_is_asked_by_its_date(client_for, owner, child, plan):
    assert "What was different on Nov 20?" in page(client_for(owner), child, EARLIER)


def test_it_records_the_ticked_boxes_without_javascript(client_for, owner, child, plan):
    client = client_for(owner)
    r = save(client, child, ["substitute_teacher", "assembly"], EARLIER)
    assert r.status_code == 302
    assert r["Location"].endswith(f"?date={EARLIER.isoformat()}#day-facts")
    [row] = DayFacts.objects.filter(child=child)
    assert (row.day, row.facts, row.client, row.recorded_by) == (
        EARLIER, ["assembly", "substitute_teacher"], "web", owner,
    )  # fmt: skip
    html = page(client, child, EARLIER)
    assert "Saved what was different that day." in html
    assert "Recorded: Assembly or event, Substitute teacher" in html
    assert 'value="assembly" id="day-fact-assembly" checked' in html


def test_nothing_ticked_records_that_nothing_was_different(client_for, editor, child, plan):
    client = client_for(editor)
    save(client, child, [])
    assert DayFacts.objects.get(child=child).facts == []
    html = page(client, child)
    assert "Saved: nothing was different that day." in html
    assert "Recorded: nothing was different." in html


def test_a_change_keeps_the_earlier_answer(client_for, owner, child, plan):
    client = client_for(owner)
    save(client, child, ["field_trip"])
    save(client, child, [])
    save(client, child, [])
    assert [r.facts for r in DayFacts.objects.filter(child=child).order_by("id")] == [
        ["field_trip"], [],
    ]  # fmt: skip


def test_it_refuses_an_unknown_code_and_a_day_still_to_come(client_for, owner, child, plan):
    client = client_for(owner)
    save(client, child, ["meteor_shower"])
    html = page(client, child)
    assert "Unknown circumstance: meteor_shower." in html
    save(client, child, [], date(2026, 12, 1))
    assert "You cannot log a day that has not happened yet." in page(client, child)
    assert not DayFacts.objects.exists()


def test_a_viewer_sees_the_answer_but_no_form(client_for, owner, viewer, child, plan):
    save(client_for(owner), child, ["state_testing"])
    html = page(client_for(viewer), child)
    assert "Recorded: State testing" in html
    assert 'name="facts"' not in html
    assert save(client_for(viewer), child, []).status_code == 403
    assert DayFacts.objects.count() == 1


def test_an_outsider_gets_404(client_for, outsider, child, plan):
    assert save(client_for(outsider), child, ["assembly"]).status_code == 404
    assert not DayFacts.objects.exists()


def test_reloading_the_form_address_goes_back_to_the_day(client_for, owner, child, plan):
    r = client_for(owner).get(url("checkin_day_facts", child) + f"?date={EARLIER.isoformat()}")
    assert r.status_code == 302 and r["Location"].endswith(f"?date={EARLIER.isoformat()}")


def test_it_asks_in_spanish(client_for, owner, child, plan, settings):
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = page(client, child)
    assert "¿Qué fue distinto hoy?" in html
    assert "Guardar qué fue distinto" in html
    assert "Todavía sin respuesta para este día." in html
