"""The demo tells the truth about itself: its days, its notes and its photos.

tests/test_operations.py checks that `manage.py demo` loads the household once.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from PIL import Image

from iepright.demo import photos
from iepright.demo.load import load_demo, load_sample
from iepright.demo.log import DAY_DRIVEN, PHOTO_KINDS, days_to_log, demo_notes
from iepright.logbook import dayfacts
from iepright.logbook.models import DayFacts, Entry, Evidence
from iepright.logbook.verify import verify_child
from iepright.plans.models import Child
from iepright.reports.summary import build_report
from iepright.rules.logdata import CIRCUMSTANCE_LABELS
from tests.clock import AFTER_THANKSGIVING, DEMO_EVENING, at, frozen


def _logged_days() -> set[date]:
    child = Child.objects.get(name="Maya Alvarez")
    return set(Entry.objects.filter(child=child).values_list("event_date", flat=True))


@pytest.mark.parametrize(
    ("moment", "empty", "last_logged"),
    [
        # A Friday evening: Friday and Thursday are left to log.
        (DEMO_EVENING, {date(2026, 11, 20), date(2026, 11, 19)}, date(2026, 11, 18)),
        # A Monday: Monday and the Friday before it.
        (at(date(2026, 11, 16)), {date(2026, 11, 16), date(2026, 11, 13)}, date(2026, 11, 12)),
        # The Monday after the Thanksgiving break: the school day before it is a week back.
        (AFTER_THANKSGIVING, {date(2026, 11, 30), date(2026, 11, 20)}, date(2026, 11, 19)),
        # A Saturday: no school today, Friday is left to log.
        (at(date(2026, 11, 21), 10), {date(2026, 11, 20)}, date(2026, 11, 19)),
        # 03:00 UTC on Thursday is Wednesday evening in Chicago: Wednesday is today.
        (
            datetime(2026, 11, 19, 3, tzinfo=ZoneInfo("UTC")),
            {date(2026, 11, 18), date(2026, 11, 17)},
            date(2026, 11, 16),
        ),
    ],
)
def test_it_leaves_today_and_the_school_day_before_for_the_newcomer(
    db, media, moment, empty, last_logged
):
    with frozen(moment):
        call_command("demo", stdout=io.StringIO())
    days = _logged_days()
    assert date(2026, 9, 16) in days  # the rest of the term is logged, from the plan's start
    assert max(days) == last_logged
    assert not days & empty


def test_run_again_later_it_fills_only_the_days_since(db, media):
    with frozen(DEMO_EVENING):
        call_command("demo", stdout=io.StringIO())
    wednesday = Entry.objects.filter(event_date=date(2026, 11, 18))
    before = sorted(wednesday.values_list("public_id", "status"))
    with frozen(at(date(2026, 12, 1))):  # the Tuesday after Thanksgiving
        call_command("demo", stdout=io.StringIO())
    days = _logged_days()
    assert {date(2026, 11, 19), date(2026, 11, 20)} <= days
    assert max(days) == date(2026, 11, 20)  # Monday the 30th and today are left
    assert sorted(wednesday.values_list("public_id", "status")) == before


def test_in_the_summer_the_school_years_last_day_is_the_one_left(db, media):
    demo = load_demo()
    plan = demo.child.plans.get()
    days = days_to_log(demo.child, plan, date(2027, 7, 5))
    # 27 May, the calendar's last day, is the school day before today.
    assert days[0] == plan.start_date and days[-1] == date(2027, 5, 26)


@pytest.mark.frozen(DEMO_EVENING)
def test_its_logged_days_have_day_facts_recorded_once_on_the_day(db, media):
    call_command("demo", stdout=io.StringIO())
    child = Child.objects.get(name="Maya Alvarez")
    logged = _logged_days()
    rows = DayFacts.objects.filter(child=child)
    assert sorted(rows.values_list("day", flat=True)) == sorted(logged)  # once a day
    zone = ZoneInfo(child.household.timezone)
    assert all(row.recorded_at.astimezone(zone).date() == row.day for row in rows)  # not late
    facts = dayfacts.between(child, min(logged), max(logged))
    assert sum(not codes for codes in facts.values()) > len(facts) / 2  # mostly ordinary days
    assert any("substitute_teacher" in codes for codes in facts.values())
    for entry in Entry.objects.filter(child=child):
        for code in set(entry.circumstances) & DAY_DRIVEN:
            assert code in facts[entry.event_date], (entry.event_date, code)

    call_command("demo", stdout=io.StringIO())
    assert rows.count() == len(logged)  # run again: nothing recorded twice


@pytest.mark.frozen(DEMO_EVENING)
def test_its_reports_compare_days_by_the_day_facts_it_recorded(db, media):
    call_command("demo", stdout=io.StringIO())
    child = Child.objects.get(name="Maya Alvarez")
    start, end = min(_logged_days()), max(_logged_days())

    def compared() -> set[object]:
        findings = build_report(child, start, end).findings
        return {f.numbers["circumstance_code"] for f in findings if f.kind == "circumstance"}

    assert "substitute_teacher" in compared()
    DayFacts.objects.filter(child=child).delete()
    assert not compared()  # the entries' own circumstances compare nothing


@pytest.mark.frozen(DEMO_EVENING)
def test_every_note_is_one_written_for_its_provision(db, media):
    call_command("demo", stdout=io.StringIO())
    notes = demo_notes()
    noted = Entry.objects.exclude(note="").select_related("provision")
    assert noted.count() > 10
    for entry in noted:
        situation = entry.circumstances[0] if entry.circumstances else entry.status
        assert entry.note in notes[entry.provision.text][situation], (entry.provision.text, entry)
    written = {entry.note for entry in noted}
    assert any("¿" in n or "ó" in n for n in written)  # Rosa writes some in Spanish
    assert any("the" in n.split() for n in written)


def test_the_notes_are_for_the_sample_plans_provisions():
    texts = {p["text"] for p in load_sample()["plan"]["provisions"]}
    notes = demo_notes()
    assert set(notes) == texts
    for text, by_situation in notes.items():
        assert len(set(by_situation) - DAY_DRIVEN) <= 1, text  # one cause of plain-day misses
        assert set(by_situation) <= set(CIRCUMSTANCE_LABELS) | {"delivered"}, text
        assert all(by_situation.values()), text


@pytest.mark.frozen(DEMO_EVENING)
def test_its_photos_show_school_work_that_fits_the_provision(db, media):
    call_command("demo", stdout=io.StringIO())
    evidence = Evidence.objects.select_related("entry__provision")
    assert evidence.count() >= 3
    for item in evidence:
        assert item.entry.status == "not_delivered"
        assert any(item.entry.provision.text.startswith(start) for start in PHOTO_KINDS)
        assert item.content_type == "image/jpeg" and item.original_name.endswith(".jpg")
        with item.file.open("rb") as f, Image.open(f) as image:
            assert image.format == "JPEG" and image.size == (photos.WIDTH, photos.HEIGHT)
    assert len({item.sha256 for item in evidence}) == evidence.count()  # no two alike
    result = verify_child(Child.objects.get(name="Maya Alvarez"), check_files=True)
    assert result.ok, result.reason


@pytest.mark.parametrize("kind", sorted(photos.KINDS))
def test_a_photo_is_a_jpeg_drawn_the_same_from_the_same_seed(kind):
    picture = photos.photo(kind, 7)
    assert picture == photos.photo(kind, 7)
    assert picture != photos.photo(kind, 8)
    with Image.open(io.BytesIO(picture)) as image:
        assert image.format == "JPEG"
        # A photo, not a flat card: the sheet's white and the desk's brown are both there.
        small = image.convert("RGB").resize((48, 64))
        colours = [small.getpixel((x, y)) for x in range(48) for y in range(64)]
        assert any(isinstance(c, tuple) and min(c) > 200 for c in colours)
        assert any(isinstance(c, tuple) and c[0] > c[1] + 25 > c[2] + 25 for c in colours)
