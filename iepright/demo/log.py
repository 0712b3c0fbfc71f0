"""Fill the demo child's log with true-looking entries from the plan's start date to today.

Deterministic (seeded), so every demo looks the same; idempotent: a day that already has
entries is left alone. Entries are written through the real service, with the time they would
have been recorded, so late entries really are late and the hash chain is real.
"""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from iepright.accounts.models import User
from iepright.logbook import services
from iepright.logbook.models import Entry, Source, Status
from iepright.plans.models import Child, Period, Provision
from iepright.plans.services import school_days_between

SEED = 20260916

# Days with a substitute teacher: accommodations that depend on the classroom teacher slip.
SUBSTITUTE_SENSITIVE = (
    "Extended time",
    "Copy of teacher notes",
    "Directions read aloud",
    "Text-to-speech",
)
NOTES_EN = [
    "Maya said the sub did not know about her extended time and collected the test at the bell.",
    "No guided notes in her folder for science today.",
    "Speech was cancelled; the SLP was at a district training.",
    "Reading group was moved to the afternoon and cut to 20 minutes because of the assembly.",
]
NOTES_ES = [
    "Maya dijo que la maestra suplente no le dio tiempo extra en el examen.",
    "No recibió las notas guiadas de ciencias. ¿Otra vez? 😞",
]


def tiny_png(seed: int) -> bytes:
    """Return a small, valid PNG (a coloured square) to stand in for a photo of a test paper."""
    width = height = 16
    shade = bytes([(seed * 37) % 256, (seed * 91) % 256, 180])
    raw = b"".join(b"\x00" + shade * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _scheduled(provision: Provision, day: date) -> bool:
    """Return whether the demo's school schedules this provision on `day`."""
    if provision.weekdays:  # its usual days in the IEP's service grid
        return str(day.isoweekday()) in provision.weekdays
    if provision.period == Period.MONTH:
        return day.isoweekday() == 3 and day.day <= 7  # first Wednesday
    return True


@transaction.atomic
def fill_demo_log(child: Child, recorder: User, *, today: date | None = None) -> int:
    """Log every school day from the plan's start to today that has no entries yet."""
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    tz = ZoneInfo(child.household.timezone)
    now = timezone.now()
    today = today or services.today_for(child, now)
    plan = child.plan_in_force(today) or child.plans.order_by("start_date").first()
    if plan is None:
        return 0
    logged_days = set(Entry.objects.filter(child=child).values_list("event_date", flat=True))
    days = school_days_between(child, plan.start_date, min(today, plan.end_date))
    substitute_days = set(rng.sample(days, k=min(len(days), max(1, len(days) // 7))))
    test_days = {d for d in days if d.isoweekday() == 5 or rng.random() < 0.15}
    created = 0
    for index, day in enumerate(days):
        if day in logged_days:
            continue
        late = rng.random() < 0.06
        when = datetime.combine(day, time(15, 30), tz) + timedelta(minutes=rng.randint(0, 240))
        if late:
            when += timedelta(days=rng.randint(3, 5))
        when = min(when, now - timedelta(minutes=1))
        provider_absent = day.isoweekday() in (2, 4) and rng.random() < 0.12
        for provision in services.provisions_in_effect(child, day):
            if not _scheduled(provision, day):
                continue
            fields = _day_fields(
                provision,
                day,
                rng,
                substitute=day in substitute_days,
                test_day=day in test_days,
                provider_absent=provider_absent,
            )
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
            if fields["status"] == Status.NOT_DELIVERED and index % 5 == 0:
                photo = SimpleUploadedFile(f"IMG_{day:%m%d}.png", tiny_png(index), "image/png")
                services.add_evidence(result.entry, photo, user=recorder, client="demo", now=when)
    return created


def _day_fields(
    provision: Provision,
    day: date,
    rng: random.Random,
    *,
    substitute: bool,
    test_day: bool,
    provider_absent: bool,
) -> dict[str, object]:
    if provision.category == "testing_accommodation" and not test_day:
        return {"status": Status.NO_OPPORTUNITY}
    if provision.text.startswith("Speech") and provider_absent:
        return {
            "status": Status.NOT_DELIVERED,
            "circumstances": ["provider_absent"],
            "source": Source.TEACHER_EMAIL,
            "reported_by": "Priya Shah",
            "note": NOTES_EN[2],
            "minutes_delivered": 0,
        }
    if substitute and provision.text.startswith(SUBSTITUTE_SENSITIVE) and rng.random() < 0.8:
        note = rng.choice(NOTES_ES if rng.random() < 0.4 else NOTES_EN[:2])
        return {
            "status": Status.NOT_DELIVERED,
            "circumstances": ["substitute_teacher"],
            "source": Source.CHILD_REPORTED,
            "reported_by": "Maya",
            "note": note,
        }
    if provision.text.startswith("Specialized reading") and rng.random() < 0.08:
        return {
            "status": Status.PARTLY,
            "circumstances": ["assembly"],
            "minutes_delivered": 20,
            "source": Source.CHILD_REPORTED,
            "note": NOTES_EN[3],
        }
    if rng.random() < 0.04:
        return {
            "status": Status.NOT_DELIVERED,
            "circumstances": ["schedule_change"],
            "source": Source.CHILD_REPORTED,
        }
    return {"status": Status.DELIVERED, "source": Source.CHILD_REPORTED}
