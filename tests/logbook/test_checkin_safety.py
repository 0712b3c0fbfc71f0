"""Check-in writes that must not lose or overwrite what someone typed or saved.

Stale details forms, Clear on an entry with details, "child absent" over a logged day, errors
without JavaScript, the typed circumstance, messages at the row, entries of ended provisions.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from iepright.logbook import services
from iepright.logbook.models import Circumstance, Entry
from iepright.plans.models import Provision
from tests.clock import AFTER_THANKSGIVING
from tests.logbook.checkin_support import FETCH, details, live, tap, url

pytestmark = [pytest.mark.frozen(AFTER_THANKSGIVING), pytest.mark.usefixtures("media")]


def test_details_from_a_form_shown_before_a_tap_are_refused_and_kept_as_typed(
    client_for, owner, child, speech
):
    c = client_for(owner)
    opened = f"{url('checkin', child)}?details={speech.public_id}"
    page = c.get(opened).content.decode()
    assert 'name="revision"' in page
    tap(c, child, speech, "delivered", **FETCH)  # the form on the page still says "no entry"
    r = details(c, child, speech, status="", minutes_delivered="", note="Bus was late", revision="")
    assert r.status_code == 200
    html = r.content.decode()
    assert "this entry was changed" in html
    assert "Bus was late</textarea>" in html  # what was typed is kept
    assert 'name="revision" value="1"' in html  # saving again is a deliberate choice
    entry = live().get()
    assert (entry.status, entry.minutes_delivered, entry.note) == ("delivered", 30, "")


def test_details_after_a_synced_tap_keep_the_tapped_minutes(client_for, owner, child, speech):
    c = client_for(owner)
    body = tap(c, child, speech, "delivered", **FETCH).json()
    assert (body["revision"], body["minutes_delivered"]) == (1, 30)
    r = details(
        c,
        child,
        speech,
        status=body["status"],
        minutes_delivered=str(body["minutes_delivered"]),
        note="Good session",
        revision=str(body["revision"]),
    )
    assert r.status_code == 302
    entry = live().get()
    assert (entry.status, entry.minutes_delivered, entry.note) == ("delivered", 30, "Good session")


def test_a_stale_form_does_not_revert_someone_elses_newer_change(
    client_for, owner, editor, child, speech
):
    rosa, daniel = client_for(owner), client_for(editor)
    details(rosa, child, speech, status="partly", minutes_delivered="20", revision="")
    # Both open the form at revision 1; Daniel saves first.
    r = details(daniel, child, speech, status="delivered", minutes_delivered="30", revision="1")
    assert r.status_code == 302
    r = details(
        rosa, child, speech, status="partly", minutes_delivered="20", note="x", revision="1"
    )
    assert r.status_code == 200
    assert "this entry was changed" in r.content.decode()
    entry = live().get()
    assert (entry.status, entry.minutes_delivered, entry.revision_count) == ("delivered", 30, 2)


def test_the_entry_page_refuses_a_stale_form_too(client_for, owner, editor, child, speech):
    details(client_for(owner), child, speech, status="partly", minutes_delivered="20", revision="")
    entry = live().get()
    tap(client_for(editor), child, speech, "delivered")
    r = client_for(owner).post(
        reverse("entry_detail", args=[entry.public_id]),
        {"status": "partly", "minutes_delivered": "20", "note": "mine", "revision": "1"},
    )
    assert r.status_code == 200
    assert "this entry was changed" in r.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.note) == ("delivered", "")


def test_clear_on_an_entry_with_details_asks_first_then_deletes_with_a_reason(
    client_for, owner, child, speech
):
    c = client_for(owner)
    details(c, child, speech, status="partly", minutes_delivered="10", note="Fire drill")
    entry = live().get()
    confirm = reverse("entry_delete", args=[entry.public_id])
    r = tap(c, child, speech, "clear")
    assert (r.status_code, r["Location"]) == (302, confirm)
    assert tap(c, child, speech, "clear", **FETCH).json() == {"confirm_url": confirm}
    assert live().count() == 1  # nothing deleted yet
    page = c.get(confirm).content.decode()
    assert "Delete this entry?" in page and "Fire drill" in page
    r = c.post(confirm, {"reason": "Wrong day", "back": "checkin"})
    assert r["Location"].endswith(f"?date=2026-11-30#p-{speech.public_id}")
    assert live().count() == 0
    assert entry.revisions.order_by("-number")[0].reason == "Wrong day"


def test_clear_on_a_status_only_entry_still_takes_one_tap(client_for, owner, child, speech):
    c = client_for(owner)
    tap(c, child, speech, "delivered")  # 30 of 30 minutes: the default for Delivered
    assert tap(c, child, speech, "clear").status_code == 302
    assert live().count() == 0


def test_child_absent_over_a_logged_day_asks_first_and_keeps_circumstances(
    client_for, owner, child, plan, speech
):
    c = client_for(owner)
    details(c, child, speech, status="partly", minutes_delivered="10", circumstances=["assembly"])
    r = c.post(url("checkin_day", child), {"date": "2026-11-30", "shortcut": "child_absent"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Mark Maya Alvarez absent today?" in html
    assert "Partly → Not delivered" in html
    assert live().count() == 1 and live().get().status == "partly"  # nothing changed yet
    r = c.post(
        url("checkin_day", child),
        {"date": "2026-11-30", "shortcut": "child_absent", "confirm": "1", "state": state(html)},
        follow=True,
    )
    assert "2 provisions changed" in r.content.decode()
    entry = live().get(provision=speech)
    assert entry.status == "not_delivered"
    assert entry.circumstances == ["assembly", "child_absent"]


def state(html: str) -> str:
    return re.search(r'name="state" value="([0-9a-f]+)"', html).group(1)  # type: ignore[union-attr]


def test_a_child_absent_confirmation_shown_before_a_change_asks_again(
    client_for, owner, editor, child, plan, speech
):
    c = client_for(owner)
    details(c, child, speech, status="partly", minutes_delivered="10", note="Fire drill")
    asked = c.post(url("checkin_day", child), {"date": "2026-11-30", "shortcut": "child_absent"})
    tap(client_for(editor), child, speech, "delivered")  # someone else, meanwhile
    form = {"date": "2026-11-30", "shortcut": "child_absent", "confirm": "1"}
    r = c.post(url("checkin_day", child), {**form, "state": state(asked.content.decode())})
    assert r.status_code == 200
    html = r.content.decode()
    assert "this day was changed after the question was shown" in html
    assert "Delivered → Not delivered" in html
    assert live().get(provision=speech).status == "delivered"  # nothing marked
    r = c.post(url("checkin_day", child), {**form, "state": state(html)})
    assert r.status_code == 302
    assert live().get(provision=speech).status == "not_delivered"


def test_child_absent_on_an_empty_day_needs_no_confirmation_and_names_the_day(
    client_for, owner, child, plan
):
    c = client_for(owner)
    page = c.get(url("checkin", child) + "?date=2026-11-27").content.decode()
    assert "Child absent on Nov 27" in page
    assert "Child absent today" in c.get(url("checkin", child)).content.decode()
    r = c.post(url("checkin_day", child), {"date": "2026-11-27", "shortcut": "child_absent"})
    assert r.status_code == 302
    assert live().count() == 2


def test_a_details_error_without_javascript_is_summarised_at_the_top(
    client_for, owner, child, speech
):
    r = details(
        client_for(owner), child, speech, status="partly", minutes_delivered="45", note="Kept"
    )
    html = r.content.decode()
    summary = html.index('class="error-summary"')
    assert summary < html.index("<h1>")
    assert "autofocus" in html[summary - 120 : summary + 120]  # focus goes there without JS
    field_id = f"d{speech.public_id.hex[:12]}-minutes_delivered"
    assert f'href="#{field_id}"' in html[summary : html.index("<h1>")]
    assert "Kept</textarea>" in html


def test_a_refused_details_page_opened_again_leads_back_to_its_day(
    client_for, owner, viewer, outsider, child, speech
):
    c = client_for(owner)
    r = details(c, child, speech, day=date(2026, 11, 20), status="partly", minutes_delivered="45")
    action = re.search(rf'action="([^"]*provision={speech.public_id})"', r.content.decode())
    assert action is not None
    again = c.get(action.group(1).replace("&amp;", "&"))  # a reload or the history: a GET
    checkin = reverse("checkin", args=[child.public_id])
    assert (again.status_code, again["Location"]) == (
        302,
        f"{checkin}?date=2026-11-20#p-{speech.public_id}",
    )
    assert client_for(viewer).get(url("checkin_details", child)).status_code == 302
    assert client_for(outsider).get(url("checkin_day", child)).status_code == 404
    assert c.put(url("checkin_day", child)).status_code == 405
    assert not Entry.objects.exists()


def test_a_typed_circumstance_is_added_and_ticked_with_the_details(
    client_for, owner, child, speech
):
    r = details(
        client_for(owner),
        child,
        speech,
        status="not_delivered",
        note="Drill",
        circumstances=["assembly"],
        new_circumstance="  Fire  drill ",
        new_circumstance_student_side="",
    )
    assert r.status_code == 302
    added = Circumstance.objects.get()
    assert (added.label, added.code, added.student_side) == ("Fire drill", "fire-drill", False)
    entry = live().get()
    assert entry.circumstances == ["assembly", "fire-drill"] and entry.note == "Drill"
    # Typing one that is already in the list ticks it, without a duplicate.
    details(client_for(owner), child, speech, status="not_delivered", new_circumstance="fire DRILL")
    assert Circumstance.objects.count() == 1


def test_the_outcome_of_a_save_is_shown_in_the_row(client_for, owner, child, speech):
    c = client_for(owner)
    r = details(c, child, speech, status="delivered", note="Fine")
    html = c.get(r["Location"]).content.decode()
    row = html[html.index(f'id="p-{speech.public_id}"') :]
    assert "Details saved." in row[: row.index("</li>")]
    assert 'class="messages"' not in html
    assert "data-focus-on-load" in row[: row.index("</li>")]


def test_an_entry_of_a_provision_no_longer_in_effect_stays_listed(
    client_for, owner, child, plan, speech, extended_time
):
    c = client_for(owner)
    tap(c, child, speech, "delivered")
    tap(c, child, extended_time, "delivered")
    Provision.objects.filter(pk=speech.pk).update(ended_on=date(2026, 11, 29))
    html = c.get(url("checkin", child)).content.decode()
    assert "1 of 1 provision logged" in html
    row = html[html.index(f'id="p-{speech.public_id}"') :]
    assert "Not in effect this day" in row[: row.index("</li>")]
    entry = live().get(provision=speech)
    assert reverse("entry_delete", args=[entry.public_id]) in row
    # ... and it can still be corrected on its page: that entry, not "the day's".
    r = c.post(
        reverse("entry_detail", args=[entry.public_id]),
        {"status": "partly", "minutes_delivered": "20", "note": "Only 20", "revision": "1"},
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.minutes_delivered, entry.note) == ("partly", 20, "Only 20")
    assert live().filter(provision=speech).count() == 1


@pytest.mark.parametrize("name", ["checkin", "log_day"])
def test_a_day_out_of_range_gets_a_message_not_a_crash(client_for, owner, child, plan, name):
    r = client_for(owner).get(url(name, child) + "?date=0001-01-01", follow=True)
    assert r.status_code == 200
    assert "0001-01-01" in r.content.decode()


@pytest.mark.parametrize("shortcut", ["all_delivered", "child_absent"])
def test_a_shortcut_on_a_day_without_a_plan_says_so(client_for, owner, child, plan, shortcut):
    r = client_for(owner).post(
        url("checkin_day", child), {"date": "2026-08-01", "shortcut": shortcut}, follow=True
    )
    assert "There is no plan in force on this day" in r.content.decode()
    assert Entry.objects.count() == 0


def test_shortcut_counts_use_plurals(client_for, owner, child, plan, speech):
    Provision.objects.create(plan=plan, position=2, category="accommodation", text="Seating")
    c = client_for(owner)
    tap(c, child, speech, "delivered")
    r = c.post(
        url("checkin_day", child), {"date": "2026-11-30", "shortcut": "all_delivered"}, follow=True
    )
    assert "Marked 1 not-yet-logged provision as delivered." in r.content.decode()


def test_a_fetch_tap_for_a_foreign_or_missing_provision_gets_json(
    client_for, owner, outsider, child
):
    other = Provision.objects.exclude(plan__child=child).first()
    data = {"date": "2026-11-30", "status": "delivered", "provision": "nope"}
    for provision in ([other.public_id] if other else []) + ["nope"]:
        data["provision"] = str(provision)
        r = client_for(owner).post(url("checkin_status", child), data, **FETCH)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"


def test_times_read_the_same_on_every_page(client_for, owner, child, speech):
    c = client_for(owner)
    tap(c, child, speech, "delivered")
    entry = live().get()
    services.delete_entry(entry, user=owner)
    listing = c.get(url("log_day", child) + "?date=2026-11-30").content.decode()
    assert "Nov 30, 2026, 3:00 p.m." in listing
    assert "2026 15:00" not in listing
    assert "deleted Nov 30, 2026, 3:00 p.m." in listing
