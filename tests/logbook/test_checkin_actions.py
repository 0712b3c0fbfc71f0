"""Writing from the check-in page: status taps (plain and fetch), details, shortcuts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from iepright.logbook import dayfacts, services, shortcuts, verify
from iepright.logbook.models import Circumstance, DayFacts, Entry, EntryRevision, Evidence
from iepright.plans.models import Category, Child, Plan, Provision
from tests.clock import AFTER_THANKSGIVING
from tests.images import HEIC, PDF, PNG
from tests.logbook.checkin_support import FETCH, TODAY, details, live, tap, url

pytestmark = [pytest.mark.frozen(AFTER_THANKSGIVING), pytest.mark.usefixtures("media")]


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]
)
def test_tapping_a_status_is_for_owners_and_editors(
    client_for, personas, child, speech, role, status
):
    r = tap(client_for(personas[role]), child, speech, "delivered")
    assert r.status_code == status
    assert live().count() == (1 if status == 302 else 0)


def test_anonymous_taps_go_to_log_in(client_for, child, speech):
    r = tap(client_for(None), child, speech, "delivered")
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("status", ["delivered", "partly", "not_delivered", "no_opportunity"])
def test_each_status_button_records_an_entry_and_comes_back_to_the_provision(
    client_for, owner, child, speech, status
):
    r = tap(client_for(owner), child, speech, status, day=date(2026, 11, 27))
    assert r.status_code == 302
    assert r["Location"] == (f"{url('checkin', child)}?date=2026-11-27#p-{speech.public_id}")
    entry = live().get()
    assert (entry.status, entry.event_date, entry.client) == (status, date(2026, 11, 27), "web")
    assert entry.recorded_by == owner and entry.recorded_at == AFTER_THANKSGIVING
    revision = entry.revisions.get()
    assert (revision.action, revision.client, revision.recorded_by_name) == (
        "create",
        "web",
        "Rosa Alvarez",
    )


def test_tapping_again_changes_the_entry_with_a_revision_and_clear_deletes_it(
    client_for, owner, editor, child, speech
):
    tap(client_for(owner), child, speech, "delivered")
    tap(client_for(editor), child, speech, "partly")
    entry = live().get()
    assert entry.status == "partly" and entry.minutes_delivered is None
    tap(client_for(editor), child, speech, "partly")  # the same tap again changes nothing
    assert entry.revisions.count() == 2
    r = tap(client_for(editor), child, speech, "clear")
    assert r.status_code == 302
    assert live().count() == 0
    entry.refresh_from_db()
    assert entry.is_deleted()
    actions = list(entry.revisions.order_by("number").values_list("action", "recorded_by_name"))
    assert actions == [
        ("create", "Rosa Alvarez"),
        ("update", "Daniel Alvarez"),
        ("delete", "Daniel Alvarez"),
    ]
    # Clearing a provision with nothing logged is harmless.
    assert tap(client_for(editor), child, speech, "clear").status_code == 302
    assert EntryRevision.objects.count() == 3


def test_the_fetch_path_answers_with_json(client_for, owner, child, speech):
    c = client_for(owner)
    r = tap(c, child, speech, "not_delivered", day=date(2026, 11, 20), **FETCH)
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    body = r.json()
    entry = live().get()
    assert body["status"] == "not_delivered" and body["symbol"] == "✗"
    assert body["late"] is True and body["days_late"] == 10
    assert body["entry_url"] == reverse("entry_detail", args=[entry.public_id])
    assert body["message"] == "Saved" and body["progress"] == "1 of 2 provisions logged"
    assert "Recorded late (10 days after)" in body["meta_html"]
    assert "Recorded Nov 30, 2026, 3:00 p.m. by Rosa Alvarez" in body["meta_html"]
    body = tap(c, child, speech, "clear", day=date(2026, 11, 20), **FETCH).json()
    assert body["status"] is None and body["entry_url"] is None
    assert "Not logged yet." in body["meta_html"]


@pytest.mark.parametrize(
    ("status", "day", "field", "message"),
    [
        ("maybe", TODAY, "status", "Choose delivered"),
        ("delivered", date(2026, 12, 1), "event_date", "not happened yet"),
        ("delivered", date(2026, 9, 1), "event_date", "not in effect"),
    ],
)
def test_bad_taps_store_nothing_and_say_why(
    client_for, owner, child, speech, status, day, field, message
):
    c = client_for(owner)
    r = tap(c, child, speech, status, day=day, **FETCH)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["fields"][0]["field"] == field and message in error["fields"][0]["message"]
    r = tap(c, child, speech, status, day=day)
    assert r.status_code == 200
    assert message in r.content.decode()  # shown beside the provision
    assert Entry.objects.count() == 0


def test_a_provision_of_another_child_is_not_found(client_for, owner, child, household):
    sibling = Child.objects.create(household=household, name="Leo Alvarez", state="TX")
    sibling_plan = Plan.objects.create(
        child=sibling, start_date=date(2026, 9, 1), end_date=date(2027, 6, 1)
    )
    other = Provision.objects.create(
        plan=sibling_plan, category=Category.ACCOMMODATION, text="Sibling's provision"
    )
    c = client_for(owner)
    assert tap(c, child, other, "delivered").status_code == 404
    assert details(c, child, other, status="delivered").status_code == 404
    r = c.post(
        url("checkin_status", child),
        {"date": "2026-11-30", "provision": "nope", "status": "delivered"},
    )
    assert r.status_code == 404
    assert Entry.objects.count() == 0


def test_an_outsiders_provision_is_not_found(client_for, outsider, child, speech):
    theirs = Child.objects.get(name="Other Child")
    assert tap(client_for(outsider), theirs, speech, "delivered").status_code == 404
    assert Entry.objects.count() == 0


def test_details_save_circumstances_source_who_minutes_note_and_evidence(
    client_for, owner, child, speech, contact
):
    Circumstance.objects.create(household=child.household, code="fire-drill", label="Fire drill")
    c = client_for(owner)
    photo = SimpleUploadedFile("IMG_1.jpg", PNG, content_type="image/jpeg")
    scan = SimpleUploadedFile("log.pdf", PDF, content_type="application/pdf")
    r = details(
        c,
        child,
        speech,
        status="partly",
        circumstances=["substitute_teacher", "fire-drill"],
        source="teacher_email",
        reported_by="Ms. Lee",
        reported_contact=str(contact.public_id),
        minutes_delivered="15",
        note="Cut short by the fire drill",
        evidence=[photo, scan],
    )
    assert r.status_code == 302 and r["Location"].endswith(f"#p-{speech.public_id}")
    entry = live().get()
    assert entry.status == "partly" and entry.minutes_delivered == 15
    assert entry.circumstances == ["fire-drill", "substitute_teacher"]
    assert (entry.source, entry.reported_by, entry.reported_contact) == (
        "teacher_email",
        "Ms. Lee",
        contact,
    )
    assert entry.note == "Cut short by the fire drill"
    assert sorted(entry.evidence.values_list("original_name", "content_type")) == [
        ("IMG_1.jpg", "image/png"),
        ("log.pdf", "application/pdf"),
    ]
    assert entry.revisions.count() == 3  # the entry, then one per file
    assert verify.verify_child(child, check_files=True).ok
    html = c.get(url("checkin", child)).content.decode()
    assert "Fire drill" in html and "Substitute teacher" in html and "IMG_1.jpg" in html


def test_editing_details_keeps_a_reason_and_picks_minutes_for_a_new_status(
    client_for, owner, child, speech
):
    c = client_for(owner)
    tap(c, child, speech, "delivered")
    entry = live().get()
    assert entry.minutes_delivered == 30
    # The form still shows 30 minutes; changing only the status lets the minutes follow it.
    r = details(
        c,
        child,
        speech,
        status="not_delivered",
        minutes_delivered="30",
        reason="Teacher corrected me",
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "not_delivered"
    assert entry.minutes_delivered is None
    assert entry.revisions.order_by("-number")[0].reason == "Teacher corrected me"


@pytest.mark.parametrize(
    ("provision_name", "fields", "message"),
    [
        ("speech", {"status": "partly", "minutes_delivered": "45"}, "more than the 30 minutes"),
        ("speech", {"status": "partly", "minutes_delivered": "30"}, "fewer than 30"),
        ("speech", {"status": "partly", "minutes_delivered": "-3"}, "Minutes cannot be negative."),
        ("extended_time", {"status": "partly", "minutes_delivered": "5"}, "timed services"),
        ("speech", {"status": "delivered", "circumstances": ["aliens"]}, "aliens"),
        ("speech", {"note": "No status chosen"}, "Choose a status"),
        ("speech", {"status": "delivered", "reported_contact": "not-a-contact"}, "valid choice"),
    ],
)
def test_bad_details_store_nothing_and_name_the_field(
    client_for, owner, child, request, provision_name, fields, message
):
    provision = request.getfixturevalue(provision_name)
    r = details(client_for(owner), child, provision, **fields)
    assert r.status_code == 200
    html = r.content.decode()
    assert message in html
    assert "Please fix the following:" in html
    assert '<details class="entry-details" open>' in html  # the form stays open, as typed
    assert Entry.objects.count() == 0 and EntryRevision.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100), "not an accepted type"),
        (SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024 + 10)), "the limit is 1 MB"),
        # A JPEG's first bytes in front of a web page, and a photo cut short: not images.
        (
            SimpleUploadedFile("page.jpg", b"\xff\xd8\xff<html><script>x()</script></html>"),
            "starts like a JPEG image but is damaged or is not really one",
        ),
        (SimpleUploadedFile("cut.png", PNG[:40]), "starts like a PNG image but is damaged"),
        # A PDF cut short in the upload, a program behind a PDF's first bytes, an iPhone photo
        # cut short, and one with something appended.
        (SimpleUploadedFile("cut.pdf", PDF[: len(PDF) // 2]), "starts like a PDF but is damaged"),
        (
            SimpleUploadedFile("x.pdf", b"%PDF-1.7\n" + b"MZ\x90\x00" * 40),
            "starts like a PDF but is damaged",
        ),
        (SimpleUploadedFile("cut.heic", HEIC[:-10]), "starts like a HEIC photo (iPhone) but"),
        (SimpleUploadedFile("x.heic", HEIC + b"MZ\x90\x00"), "starts like a HEIC photo (iPhone)"),
    ],
)
def test_bad_evidence_stores_nothing(client_for, owner, child, speech, settings, upload, message):
    settings.MAX_UPLOAD_MB = 1
    c = client_for(owner)
    good = SimpleUploadedFile("ok.png", PNG, content_type="image/png")
    r = details(c, child, speech, status="delivered", note="hello", evidence=[good, upload])
    assert r.status_code == 200
    assert message in r.content.decode()
    assert Entry.objects.count() == 0 and Evidence.objects.count() == 0
    assert not any(settings.MEDIA_ROOT.rglob("*.*"))


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]
)
def test_details_are_for_owners_and_editors(client_for, personas, child, speech, role, status):
    r = details(client_for(personas[role]), child, speech, status="delivered", note="n")
    assert r.status_code == status


def daily(plan: Plan, text: str = "Preferential seating", position: int = 2) -> Provision:
    return Provision.objects.create(
        plan=plan, position=position, category=Category.ACCOMMODATION, text=text
    )


def test_all_delivered_marks_only_what_is_not_logged(client_for, owner, child, plan, speech):
    speech.weekdays = "13"  # Monday and Wednesday; 30 November is a Monday
    speech.save()
    daily(plan)
    c = client_for(owner)
    tap(c, child, speech, "not_delivered")
    r = c.post(url("checkin_day", child), {"date": "2026-11-30", "shortcut": "all_delivered"})
    assert r.status_code == 302 and r["Location"] == f"{url('checkin', child)}?date=2026-11-30"
    assert dict(live().values_list("provision__position", "status")) == {
        1: "not_delivered",
        2: "delivered",
    }
    assert all(e.client == "web" for e in live())
    r = c.post(
        url("checkin_day", child), {"date": "2026-11-30", "shortcut": "all_delivered"}, follow=True
    )
    assert "Nothing was marked" in r.content.decode()


def test_all_delivered_leaves_a_weekly_service_not_due_and_a_per_test_accommodation(
    client_for, owner, child, plan, speech, extended_time
):
    speech.weekdays = "24"  # Tuesday and Thursday; 30 November is a Monday
    speech.save()
    seating = daily(plan)
    c = client_for(owner)
    html = c.get(url("checkin", child), {"date": "2026-11-30"}).content.decode()
    assert "Mark 1 delivered" in html
    assert (
        "Not marked: Extended time (time and one half) on… (each test or quiz), "
        "Speech-language therapy (not a usual day)"
    ) in html
    c.post(url("checkin_day", child), {"date": "2026-11-30", "shortcut": "all_delivered"})
    assert list(live().values_list("provision", "status")) == [(seating.pk, "delivered")]
    # On a usual day the service is marked too; the per-test accommodation never is.
    html = c.get(url("checkin", child), {"date": "2026-11-26"}).content.decode()
    assert "Mark 2 delivered" in html
    c.post(url("checkin_day", child), {"date": "2026-11-26", "shortcut": "all_delivered"})
    assert set(
        live().filter(event_date=date(2026, 11, 26)).values_list("provision", flat=True)
    ) == {
        seating.pk,
        speech.pk,
    }


def test_all_delivered_leaves_a_service_without_usual_days(client_for, owner, child, plan, speech):
    daily(plan)
    html = client_for(owner).get(url("checkin", child), {"date": "2026-11-30"}).content.decode()
    assert "Speech-language therapy (no usual days in the plan)" in html
    shortcuts.mark_day(child=child, day=date(2026, 11, 30), shortcut="all_delivered", user=owner)
    assert not live().filter(provision=speech).exists()


def test_a_tap_tells_the_page_what_all_delivered_will_now_mark(
    client_for, owner, child, plan, speech
):
    daily(plan)
    body = tap(client_for(owner), child, speech, "delivered", **FETCH).json()
    assert "Mark 1 delivered" in body["all_delivered_html"]
    assert "Not marked: Extended time (time and one half) on…" in body["all_delivered_html"]
    assert "Speech-language therapy" not in body["all_delivered_html"]


def test_a_ten_provision_day_takes_at_most_twelve_taps(client_for, owner, child, plan):
    for n in range(8):
        daily(plan, f"Accommodation {n}", n + 2)
    provisions = list(plan.provisions.all())
    assert len(provisions) == 10
    speech = provisions[1]
    speech.weekdays = "12"
    speech.save()
    c = client_for(owner)
    taps = 1
    c.post(url("checkin_day", child), {"date": "2026-11-30", "shortcut": "all_delivered"})
    for missed in provisions[:3]:
        tap(c, child, missed, "not_delivered", **FETCH)
        taps += 1
    assert taps <= 12
    # The per-test accommodation was left for its own tap (here, a test with no extra time).
    assert (
        sorted(live().values_list("status", flat=True)) == ["delivered"] * 7 + ["not_delivered"] * 3
    )


def test_child_absent_marks_the_whole_day(client_for, editor, child, plan):
    r = client_for(editor).post(
        url("checkin_day", child), {"date": "2026-11-20", "shortcut": "child_absent"}
    )
    assert r.status_code == 302
    statuses = dict(live().values_list("provision__position", "status"))
    assert statuses == {0: "no_opportunity", 1: "not_delivered"}
    assert all(e.circumstances == ["child_absent"] and e.recorded_late for e in live())


def test_child_absent_adds_itself_to_the_days_facts_keeping_the_others(
    client_for, owner, editor, child, plan
):
    day = date(2026, 11, 20)
    dayfacts.record(child, day, ["substitute_teacher"], user=owner, client="web")
    c = client_for(editor)
    c.post(url("checkin_day", child), {"date": "2026-11-20", "shortcut": "child_absent"})
    now = dayfacts.current(child, day)
    assert now is not None
    assert now.facts == ["child_absent", "substitute_teacher"]
    assert (now.recorded_by, now.client) == (editor, "web")
    # Again: the entries and the day facts already say so, so nothing more is recorded.
    c.post(url("checkin_day", child), {"date": "2026-11-20", "shortcut": "child_absent"})
    assert len(dayfacts.history(child, day)) == 2


def test_all_delivered_records_no_day_facts(client_for, owner, child, plan):
    daily(plan)
    client_for(owner).post(
        url("checkin_day", child), {"date": "2026-11-30", "shortcut": "all_delivered"}
    )
    assert live().exists() and not DayFacts.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2026-12-01", "shortcut": "all_delivered"}, "not happened yet"),
        ({"date": "2026-12-01", "shortcut": "child_absent"}, "not happened yet"),
        ({"date": "2026-11-30", "shortcut": "party"}, "Unknown shortcut"),
    ],
)
def test_bad_shortcuts_store_nothing(client_for, owner, child, plan, data, message):
    r = client_for(owner).post(url("checkin_day", child), data, follow=True)
    assert message in r.content.decode()
    assert Entry.objects.count() == 0
    assert not DayFacts.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]
)
def test_shortcuts_are_for_owners_and_editors(client_for, personas, child, plan, role, status):
    daily(plan)
    r = client_for(personas[role]).post(
        url("checkin_day", child), {"date": "2026-11-30", "shortcut": "all_delivered"}
    )
    assert r.status_code == status
    assert Entry.objects.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]
)
def test_a_household_can_add_its_own_circumstance(
    client_for, personas, child, speech, role, status
):
    r = client_for(personas[role]).post(
        url("circumstance_create", child),
        {
            "label": " Bus  late ",
            "student_side": "on",
            "date": "2026-11-27",
            "provision": str(speech.public_id),
        },
    )
    assert r.status_code == status
    if status != 302:
        assert Circumstance.objects.count() == 0
        return
    assert r["Location"] == f"{url('checkin', child)}?date=2026-11-27#p-{speech.public_id}"
    added = Circumstance.objects.get()
    assert (added.code, added.label, added.student_side) == ("bus-late", "Bus late", True)
    assert added.household == child.household
    assert services.circumstance_codes(child)["bus-late"] == "Bus late"


@pytest.mark.parametrize(
    ("label", "message"), [("Field trip", "already in the list"), ("   ", "This field is required")]
)
def test_a_duplicate_or_empty_circumstance_is_refused(client_for, owner, child, label, message):
    r = client_for(owner).post(url("circumstance_create", child), {"label": label}, follow=True)
    assert message in r.content.decode()
    assert Circumstance.objects.count() == 0


def test_a_tap_takes_a_fixed_number_of_queries(
    client_for, owner, child, speech, extended_time, django_assert_num_queries
):
    client = client_for(owner)
    assert tap(client, child, extended_time, "delivered").status_code == 302
    # The session and its user; the provision with its plan, child and household (and the
    # caller's role); then in the transaction (a savepoint here): the child's row lock
    # (PostgreSQL only), the day's entry, the plan version in force, the end of the chain, the
    # entry and its revision.
    locks = 0 if connection.vendor == "sqlite" else 1
    with django_assert_num_queries(10 + locks):
        assert tap(client, child, speech, "delivered").status_code == 302
    # The page's script also gets the row back: the provisions in effect that day (plan and
    # provisions) and how many of them are logged. A new entry has no circumstances to name
    # and no files to list, so neither is looked up.
    with django_assert_num_queries(10 + locks + 3):
        r = tap(client, child, speech, "partly", day=date(2026, 11, 25), **FETCH)
    assert r.status_code == 200 and r.json()["status"] == "partly"
