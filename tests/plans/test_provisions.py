"""Provisions: add in the IEP's words, change, reorder, end on a date, delete a mistake."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from iepright.plans.models import Category, Provision
from tests.conftest import log_entry
from tests.plans.conftest import WRITE_PAGE, WRITE_POST

ACCOMMODATION = {
    "category": "accommodation",
    "text": "Preferential seating near the teacher\nand away from distractions",
    "applies": "all classes",
}
SERVICE = {
    "category": "special_education",
    "text": "Specialized reading instruction",
    "sessions_per_period": "5",
    "minutes_per_session": "45",
    "period": "week",
    "location": "outside_general_education",
    "setting": "resource room",
    "provider_role": "Special education teacher",
    "delivery": "direct",
    "group_size": "small group of 3",
}


def texts(plan) -> list[str]:
    return [p.text for p in plan.provisions.order_by("position", "id")]


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_add_provision_form_to_writers_only(client_for, personas, plan, role, status):
    r = client_for(personas[role]).get(reverse("provision_create", args=[plan.public_id]))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "<legend>This is a timed service</legend>" in html
        assert "Save and add another" in html
        for name in (
            "category",
            "text",
            "applies",
            "sessions_per_period",
            "minutes_per_session",
            "period",
            "location",
            "setting",
            "provider_role",
            "delivery",
            "group_size",
            "start_date",
            "end_date",
        ):
            assert f'for="id_{name}"' in html


def test_it_keeps_a_service_s_usual_days_as_ticked(client_for, owner, plan):
    url = reverse("provision_create", args=[plan.public_id])
    c = client_for(owner)
    assert "Usual days" in c.get(url).content.decode()
    r = c.post(url, {**SERVICE, "sessions_per_period": "2", "weekdays": ["4", "2"], "then": "done"})
    assert r.status_code == 302
    added = plan.provisions.get(text="Specialized reading instruction")
    assert added.weekdays == "24" and added.weekday_names() == "Tuesday, Thursday"
    edit = c.get(reverse("provision_edit", args=[added.public_id]))
    assert edit.context["form"].initial["weekdays"] == ["2", "4"]


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_add_a_provision_at_the_end(client_for, personas, plan, role, status):
    r = client_for(personas[role]).post(
        reverse("provision_create", args=[plan.public_id]), {**SERVICE, "then": "done"}
    )
    assert r.status_code == status
    added = plan.provisions.filter(text="Specialized reading instruction").first()
    assert (added is not None) is (status == 302)
    if added:
        assert added.position == 2
        assert added.frequency_text() == "5 × 45 min per week"
        assert r["Location"].endswith(f"#p-{added.public_id}")


def test_it_keeps_the_exact_words_with_their_line_breaks(client_for, owner, plan):
    text = "  Preferential seating near the teacher\n   and away from distractions\n\n"
    client_for(owner).post(
        reverse("provision_create", args=[plan.public_id]), {**ACCOMMODATION, "text": text}
    )
    added = plan.provisions.get(category="accommodation")
    assert added.text == "Preferential seating near the teacher\n   and away from distractions"


def test_save_and_add_another_comes_back_with_the_same_category(client_for, owner, plan):
    c = client_for(owner)
    url = reverse("provision_create", args=[plan.public_id])
    r = c.post(url, {**ACCOMMODATION, "then": "another"})
    assert r.status_code == 302
    assert r["Location"] == f"{url}?category=accommodation"
    page = c.get(r["Location"])
    assert page.context["form"]["category"].value() == "accommodation"
    assert "Provision 3 is saved" in page.content.decode()
    assert "This plan has 3 provisions so far." in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"text": ""}, "text", "Enter the provision's text, word for word from the IEP."),
        ({"text": "   \n  "}, "text", "Enter the provision's text, word for word from the IEP."),
        ({"minutes_per_session": "0"}, "minutes_per_session", "Enter a number greater than 0."),
        ({"minutes_per_session": "-5"}, "minutes_per_session", "Enter a number greater than 0."),
        ({"sessions_per_period": "0"}, "sessions_per_period", "Enter a number greater than 0."),
        ({"minutes_per_session": "ten"}, "minutes_per_session", "Enter a whole number."),
        ({"period": ""}, "period", "Say how often"),
        ({"minutes_per_session": ""}, "minutes_per_session", "Enter the minutes per session."),
        (
            {"start_date": "2027-03-01", "end_date": "2027-02-01"},
            "end_date",
            "The end date is before the start date.",
        ),
        ({"start_date": "2026-01-01"}, "start_date", "The start date is outside the plan's dates."),
        ({"category": "wish"}, "category", "Select a valid choice."),
        ({"weekdays": ["8"]}, "weekdays", "Choose days of the week from the list."),
        ({"weekdays": ["1", "2", "3", "4", "5", "6"]}, "weekdays", "More usual days than"),
        ({"weekdays": ["2"], "period": "month"}, "weekdays", "Usual days are for a timed service"),
        (
            {"weekdays": ["2"], "minutes_per_session": "", "category": "accommodation"},
            "weekdays",
            "Usual days are for a timed service",
        ),
    ],
)
def test_it_refuses_a_bad_provision_with_the_models_message_once(
    client_for, owner, plan, changes, field, message
):
    r = client_for(owner).post(
        reverse("provision_create", args=[plan.public_id]), {**SERVICE, **changes}
    )
    assert r.status_code == 200
    errors = r.context["form"].errors[field]
    assert len(errors) == 1, errors
    assert message in errors[0]
    assert 'class="error-summary"' in r.content.decode()
    assert plan.provisions.count() == 2


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_edit_form_to_writers_only(client_for, personas, provision, role, status):
    r = client_for(personas[role]).get(reverse("provision_edit", args=[provision.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_change_a_provision(client_for, personas, provision, role, status):
    r = client_for(personas[role]).post(
        reverse("provision_edit", args=[provision.public_id]),
        {
            **SERVICE,
            "category": "related_service",
            "text": "Speech-language therapy (articulation)",
        },
    )
    assert r.status_code == status
    provision.refresh_from_db()
    assert (provision.text == "Speech-language therapy (articulation)") is (status == 302)
    assert provision.position == 1


def test_it_refuses_to_blank_the_text_of_a_provision(client_for, owner, provision):
    r = client_for(owner).post(
        reverse("provision_edit", args=[provision.public_id]), {**SERVICE, "text": ""}
    )
    assert r.context["form"].errors["text"] == [
        "Enter the provision's text, word for word from the IEP."
    ]
    provision.refresh_from_db()
    assert provision.text == "Speech-language therapy"


# Reordering -----------------------------------------------------------------------------------


@pytest.fixture
def accommodations(plan):
    """Three more accommodations: the plan reads A1, testing, speech, A2, A3 in position order."""
    plan.provisions.filter(category=Category.TESTING_ACCOMMODATION).update(
        category=Category.ACCOMMODATION
    )
    for n, text in enumerate(["Checklists for multi-step tasks", "Breaks when needed"], start=2):
        Provision.objects.create(plan=plan, position=n, category=Category.ACCOMMODATION, text=text)
    return plan


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_move_a_provision_down(client_for, personas, plan, provision, role, status):
    first = plan.provisions.get(position=0)
    first.category = provision.category
    first.save()
    r = client_for(personas[role]).post(
        reverse("provision_move", args=[first.public_id]), {"direction": "down"}
    )
    assert r.status_code == status
    moved = texts(plan)[0] == "Speech-language therapy"
    assert moved is (status == 302)


def test_move_up_passes_the_previous_provision_of_the_same_kind(client_for, owner, accommodations):
    plan = accommodations
    breaks = plan.provisions.get(text="Breaks when needed")
    c = client_for(owner)
    c.post(reverse("provision_move", args=[breaks.public_id]), {"direction": "up"})
    assert texts(plan)[2:] == ["Breaks when needed", "Checklists for multi-step tasks"]
    c.post(reverse("provision_move", args=[breaks.public_id]), {"direction": "up"})
    assert texts(plan)[0] == "Breaks when needed"
    page = c.get(reverse("plan_detail", args=[plan.public_id]))
    group = page.context["groups"][0]
    assert [p.text for p in group.provisions] == [
        "Breaks when needed",
        "Extended time (time and one half) on classroom tests, quizzes and state assessments",
        "Checklists for multi-step tasks",
    ]


def test_the_plan_page_offers_only_moves_that_do_something(client_for, owner, accommodations):
    page = client_for(owner).get(reverse("plan_detail", args=[accommodations.public_id]))
    html = page.content.decode()
    accommodation, speech = page.context["groups"]
    assert [(p.can_move_up, p.can_move_down) for p in accommodation.provisions] == [
        (False, True),
        (True, True),
        (True, False),
    ]
    assert [(p.can_move_up, p.can_move_down) for p in speech.provisions] == [(False, False)]
    assert html.count(">Move up</button>") == 2
    assert html.count(">Move down</button>") == 2


def test_it_ignores_a_move_past_the_end(client_for, owner, plan, provision):
    before = texts(plan)
    r = client_for(owner).post(
        reverse("provision_move", args=[provision.public_id]), {"direction": "down"}
    )
    assert r.status_code == 302
    assert texts(plan) == before


def test_moving_needs_a_post(client_for, owner, provision):
    r = client_for(owner).get(reverse("provision_move", args=[provision.public_id]))
    assert r.status_code == 405


# Ending -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_end_form_to_writers_only(client_for, personas, provision, role, status):
    r = client_for(personas[role]).get(reverse("provision_end", args=[provision.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_end_a_provision_and_keeps_it(
    client_for, personas, provision, role, status
):
    r = client_for(personas[role]).post(
        reverse("provision_end", args=[provision.public_id]),
        {"ended_on": "2027-01-15", "ended_reason": "Amendment of January 14"},
    )
    assert r.status_code == status
    provision.refresh_from_db()
    assert (provision.ended_on == date(2027, 1, 15)) is (status == 302)
    if status == 302:
        assert provision.ended_reason == "Amendment of January 14"
        assert provision.in_effect_on(date(2027, 1, 15))
        assert not provision.in_effect_on(date(2027, 1, 16))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ended_on": ""}, "Enter the last day."),
        ({"ended_on": "2028-01-01"}, "The last day must fall within the provision's dates."),
    ],
)
def test_it_refuses_a_bad_end_date(client_for, owner, provision, data, message):
    r = client_for(owner).post(reverse("provision_end", args=[provision.public_id]), data)
    assert r.status_code == 200
    assert r.context["form"].errors["ended_on"] == [message]
    provision.refresh_from_db()
    assert provision.ended_on is None


# Deleting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_delete_page_to_writers_only(client_for, personas, provision, role, status):
    r = client_for(personas[role]).get(reverse("provision_delete", args=[provision.public_id]))
    assert r.status_code == status


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_delete_a_provision_entered_by_mistake(
    client_for, personas, provision, role, status
):
    r = client_for(personas[role]).post(reverse("provision_delete", args=[provision.public_id]))
    assert r.status_code == status
    assert Provision.objects.filter(pk=provision.pk).exists() is (status != 302)


REFUSED = "This provision has log entries, so it cannot be deleted"


def test_it_explains_instead_of_offering_delete_when_there_are_log_entries(
    client_for, owner, provision, entry
):
    c = client_for(owner)
    edit = c.get(reverse("provision_edit", args=[provision.public_id])).content.decode()
    assert REFUSED in edit
    assert reverse("provision_delete", args=[provision.public_id]) not in edit
    assert reverse("provision_end", args=[provision.public_id]) in edit
    r = c.post(reverse("provision_delete", args=[provision.public_id]))
    assert r.status_code == 409
    assert REFUSED in r.content.decode()
    assert Provision.objects.filter(pk=provision.pk).exists()


def test_it_offers_delete_when_there_are_no_log_entries(client_for, owner, provision):
    edit = client_for(owner).get(reverse("provision_edit", args=[provision.public_id]))
    assert reverse("provision_delete", args=[provision.public_id]) in edit.content.decode()
    assert REFUSED not in edit.content.decode()


def test_it_names_a_field_the_form_does_not_show_when_the_model_refuses_it(
    client_for, owner, provision
):
    provision.ended_on = date(2027, 1, 15)
    provision.save()
    r = client_for(owner).post(
        reverse("provision_edit", args=[provision.public_id]),
        {**SERVICE, "category": "related_service", "end_date": "2027-01-01"},
    )
    assert r.status_code == 200
    assert r.context["form"].non_field_errors() == [
        "Last day in effect: The last day must fall within the provision's dates."
    ]
    provision.refresh_from_db()
    assert provision.end_date is None


# Changes after logging began --------------------------------------------------------------


def form_data(provision: Provision, **changes: object) -> dict[str, object]:
    """Return the edit form as the page fills it in, with `changes` typed over it."""
    from iepright.plans.forms import ProvisionForm

    data = {}
    for name in ProvisionForm.Meta.fields:
        value = getattr(provision, name)
        data[name] = "" if value is None else value
    data["weekdays"] = list(provision.weekdays)  # tick boxes: one value per ticked day
    return {**data, **changes}


def test_a_change_after_logging_began_is_kept_and_shown(client_for, owner, provision, entry):
    from iepright.plans.models import ProvisionChange

    c = client_for(owner)
    old_text = provision.text
    page = c.get(reverse("provision_edit", args=[provision.public_id])).content.decode()
    assert "1 log entry is recorded for this provision." in page
    r = c.post(
        reverse("provision_edit", args=[provision.public_id]),
        form_data(provision, text="Speech-language therapy, articulation", minutes_per_session=20),
    )
    assert r.status_code == 302
    change = ProvisionChange.objects.get(provision=provision)
    assert change.before == {"text": old_text, "minutes_per_session": 30}
    assert change.after == {
        "text": "Speech-language therapy, articulation",
        "minutes_per_session": 20,
    }
    assert (change.changed_by, change.client, change.entries) == (owner, "web", 1)
    for url in (
        reverse("provision_edit", args=[provision.public_id]),
        reverse("log_provision", args=[provision.public_id]),
    ):
        html = c.get(url).content.decode()
        assert "Changed after logging began" in html
        assert f'<dt>Before</dt><dd class="text">{old_text}</dd>' in html
        assert "1 entry logged by then" in html


def test_nothing_is_recorded_before_logging_began_or_when_nothing_changed(
    client_for, owner, provision
):
    from iepright.plans.models import ProvisionChange

    c = client_for(owner)
    url = reverse("provision_edit", args=[provision.public_id])
    assert c.post(url, form_data(provision, text="Speech therapy")).status_code == 302
    provision.refresh_from_db()
    log_entry(provision, date(2026, 11, 18), owner, status="delivered")
    assert c.post(url, form_data(provision)).status_code == 302  # saved as it was
    assert not ProvisionChange.objects.exists()
    assert "Changed after logging began" not in c.get(url).content.decode()
