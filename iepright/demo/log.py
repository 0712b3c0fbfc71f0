"""Fill the demo child's log with true-looking entries for the term so far, from the plan's start.

Today and the school day before it are left unlogged, so a newcomer has a day to log and a
day to catch up on. Deterministic (seeded), so every demo looks the same; idempotent: a day
that already has entries is left alone. Entries are written through the real service, with the
time they would have been recorded, so late entries really are late and the hash chain is real.
Each note comes from the provision's own set (notes.json) and each photo shows school work that
fits the provision (photos.py). Each logged day's day facts (what was different about it) are
recorded too, on the school day itself, so the findings' comparisons have real day facts.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from iepright.accounts.models import User
from iepright.demo import photos
from iepright.logbook import dayfacts, services
from iepright.logbook.models import Entry, Source, Status
from iepright.plans.models import Child, Period, Plan, Provision
from iepright.plans.services import school_days_between

SEED = 20260916
NOTES_FILE = Path(__file__).with_name("notes.json")

# Days with a substitute teacher: accommodations that depend on the classroom teacher slip.
SUBSTITUTE_SENSITIVE = (
    "Extended time",
    "Copy of teacher notes",
    "Directions read aloud",
    "Text-to-speech",
)
# Situations that come from the day itself (DemoDay), and "delivered"; a provision's other
# situation in notes.json is what its misses on plain days are put down to.
DAY_DRIVEN = {"substitute_teacher", "provider_absent", "assembly", "delivered"}
# What Rosa photographs when a provision is missed (by the provision's first words); a missed
# service (speech, reading, the OT consult) leaves no paper to photograph.
PHOTO_KINDS = {
    "Extended time": "quiz",
    "Tests and quizzes": "quiz",
    "Copy of teacher notes": "notes",
    "Directions read aloud": "notes",
    "Text-to-speech": "notes",
    "Homework reduced": "worksheet",
    "Daily check-in": "planner",
    "Breaks": "planner",
}


def demo_notes() -> dict[str, dict[str, list[str]]]:
    """Return the demo's notes: provision text → situation (a circumstance or "delivered") →
    the notes Rosa writes then."""
    data: dict[str, dict[str, list[str]]] = json.loads(NOTES_FILE.read_text(encoding="utf-8"))[
        "notes"
    ]
    return data


def days_to_log(child: Child, plan: Plan, today: date) -> list[date]:
    """Return the school days the demo logs: the plan's, up to the school day before `today`,
    which stays empty with today (Friday, when today is a Monday)."""
    before_today = school_days_between(child, plan.start_date, today - timedelta(days=1))
    return [d for d in before_today[:-1] if d <= plan.end_date]


@dataclass(frozen=True)
class DemoDay:
    """What was different about one school day at the demo's school."""

    substitute: bool
    test_day: bool
    provider_absent: bool

    def day_facts(self) -> set[str]:
        """Return the day facts codes the day itself gives (an assembly is found per entry).

        A test day is an ordinary Friday quiz, not state testing, so it is no day fact.
        """
        codes: set[str] = set()
        if self.substitute:
            codes.add("substitute_teacher")
        if self.provider_absent:
            codes.add("provider_absent")
        return codes


@transaction.atomic
def fill_demo_log(child: Child, recorder: User, *, today: date | None = None) -> int:
    """Log the days of `days_to_log` that have no entries yet; `today` is the household's
    today unless given."""
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    notes = demo_notes()
    tz = ZoneInfo(child.household.timezone)
    now = timezone.now()
    today = today or services.today_for(child, now)
    plan = child.plan_in_force(today) or child.plans.order_by("start_date").first()
    if plan is None:
        return 0
    logged_days = set(Entry.objects.filter(child=child).values_list("event_date", flat=True))
    days = days_to_log(child, plan, today)
    substitute_days = set(rng.sample(days, k=min(len(days), max(1, len(days) // 7))))
    test_days = {d for d in days if d.isoweekday() == 5 or rng.random() < 0.15}
    created = 0
    for day in days:
        if day in logged_days:
            continue
        late = rng.random() < 0.06
        on_the_day = datetime.combine(day, time(15, 30), tz) + timedelta(
            minutes=rng.randint(0, 240)
        )
        when = on_the_day + timedelta(days=rng.randint(3, 5)) if late else on_the_day
        when = min(when, now - timedelta(minutes=1))
        on_the_day = min(on_the_day, when)
        facts = DemoDay(
            substitute=day in substitute_days,
            test_day=day in test_days,
            provider_absent=day.isoweekday() in (2, 4) and rng.random() < 0.12,
        )
        day_facts = facts.day_facts()
        logged = False
        for provision in services.provisions_in_effect(child, day):
            if not _scheduled(provision, day):
                continue
            fields = _entry_fields(provision, facts, rng, notes.get(provision.text, {}))
            result = services.record_entry(
                child=child,
                provision=provision,
                event_date=day,
                fields=fields,
                user=recorder,
                client="demo",
                now=when,
            )
            created += int(result.created)
            logged = True
            # An assembly cuts into one provision's time, but it is what happened to the day.
            ticked = fields.get("circumstances")
            if isinstance(ticked, list):
                day_facts.update(code for code in ticked if code in DAY_DRIVEN)
            kind = _photo_kind(provision)
            if fields["status"] == Status.NOT_DELIVERED and kind and rng.random() < 0.3:
                taken = when + timedelta(seconds=provision.position)
                picture = SimpleUploadedFile(
                    f"IMG_{taken:%Y%m%d_%H%M%S}.jpg",
                    photos.photo(kind, rng.randrange(1 << 30)),
                    "image/jpeg",
                )
                services.add_evidence(result.entry, picture, user=recorder, client="demo", now=when)
        # Once for the day, whatever the outcomes ([] on an ordinary day), recorded on the
        # school day even when the entries were caught up on later.
        if logged:
            dayfacts.record(
                child, day, sorted(day_facts), user=recorder, client="demo", now=on_the_day
            )
    return created


def _scheduled(provision: Provision, day: date) -> bool:
    """Return whether the demo's school schedules this provision on `day`."""
    if provision.weekdays:  # its usual days in the IEP's service grid
        return str(day.isoweekday()) in provision.weekdays
    if provision.period == Period.MONTH:
        return day.isoweekday() == 3 and day.day <= 7  # first Wednesday
    return True


def _photo_kind(provision: Provision) -> str | None:
    for start, kind in PHOTO_KINDS.items():
        if provision.text.startswith(start):
            return kind
    return None


def _note(rng: random.Random, notes: dict[str, list[str]], situation: str) -> str:
    """Return one of the provision's notes for `situation`, or none when it has none."""
    return rng.choice(notes[situation]) if notes.get(situation) else ""


def _entry_fields(
    provision: Provision,
    facts: DemoDay,
    rng: random.Random,
    notes: dict[str, list[str]],
) -> dict[str, object]:
    if provision.category == "testing_accommodation" and not facts.test_day:
        return {"status": Status.NO_OPPORTUNITY}
    if provision.text.startswith("Speech") and facts.provider_absent:
        return {
            "status": Status.NOT_DELIVERED,
            "circumstances": ["provider_absent"],
            "source": Source.TEACHER_EMAIL,
            "reported_by": "Priya Shah",
            "note": _note(rng, notes, "provider_absent"),
            "minutes_delivered": 0,
        }
    if facts.substitute and provision.text.startswith(SUBSTITUTE_SENSITIVE) and rng.random() < 0.8:
        return {
            "status": Status.NOT_DELIVERED,
            "circumstances": ["substitute_teacher"],
            "source": Source.CHILD_REPORTED,
            "reported_by": "Maya",
            "note": _note(rng, notes, "substitute_teacher"),
        }
    if provision.text.startswith("Specialized reading") and rng.random() < 0.08:
        return {
            "status": Status.PARTLY,
            "circumstances": ["assembly"],
            "minutes_delivered": 20,
            "source": Source.CHILD_REPORTED,
            "note": _note(rng, notes, "assembly"),
        }
    if rng.random() < 0.04:
        # A miss on a plain day, put down to what usually gets in this provision's way.
        other = [s for s in notes if s not in DAY_DRIVEN] or ["schedule_change"]
        return {
            "status": Status.NOT_DELIVERED,
            "circumstances": other[:1],
            "source": Source.CHILD_REPORTED,
            "note": _note(rng, notes, other[0]) if rng.random() < 0.7 else "",
        }
    delivered: dict[str, object] = {"status": Status.DELIVERED, "source": Source.CHILD_REPORTED}
    if rng.random() < 0.03:
        delivered["note"] = _note(rng, notes, "delivered")
    return delivered
