"""`python -m bench.pdf`: how fast the evidence binder renders a school year of log entries.

A throwaway SQLite database is migrated and filled with one child's school year: 20
provisions × 180 school days = 3,600 entries with notes, each with a valid hash-chain
revision, a few amended through the real services and one with a photo attached. In ONE run it
then times

  (a) a plain platypus Table of the same rows (plain-string cells, no wrapping), and
  (b) the real `render_report("binder", ...)` on those rows — median of 5 runs after a warm-up,
      with the time it spends reading the database and running the rules shown apart,

and measures the peak memory (ru_maxrss) of a fresh process rendering the binder once.
Targets: binder median ≤ 1.0 s, ≥ 2.5× faster than (a), peak memory ≤ 250 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

PROVISIONS = 20
SCHOOL_DAYS = 180
TARGET_MEDIAN = 1.0
TARGET_RATIO = 2.5
TARGET_MB = 250
FIRST_DAY = date(2026, 8, 12)
WORDS = [
    "the",
    "speech",
    "session",
    "did",
    "not",
    "happen",
    "because",
    "the",
    "therapist",
    "was",
    "out",
    "again",
    "and",
    "a",
    "substitute",
    "covered",
    "class",
    "Maya",
    "said",
    "they",
    "read",
    "a",
    "book",
    "instead",
    "no",
    "make-up",
    "time",
    "was",
    "offered",
    "front",
    "office",
    "teacher",
    "email",
    "said",
    "schedule",
    "changed",
    "for",
    "the",
    "assembly",
    "math",
    "test",
    "extended",
    "time",
    "not",
    "given",
    "quiz",
    "collected",
    "at",
    "the",
    "bell",
    "aide",
    "was",
    "with",
    "another",
    "student",
    "¿Otra",
    "vez?",
    "ñ",
    "á",
    "é",
]


def setup_django(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "iepright.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(folder / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    import django

    django.setup()


def school_days() -> list[date]:
    """Return 180 weekdays from the first day, skipping a Thanksgiving and a winter break."""
    closed = {date(2026, 11, 23) + timedelta(days=i) for i in range(5)}
    closed |= {date(2026, 12, 21) + timedelta(days=i) for i in range(12)}
    days: list[date] = []
    d = FIRST_DAY
    while len(days) < SCHOOL_DAYS:
        if d.weekday() < 5 and d not in closed:
            days.append(d)
        d += timedelta(days=1)
    return days


def note(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 34)))


def generate() -> tuple[Any, date, date]:
    """Fill the database; return the child and the year's first and last school day."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from iepright.accounts.models import Household, Membership, Role, User
    from iepright.logbook import services
    from iepright.logbook.models import Entry, EntryRevision
    from iepright.plans.models import CalendarEvent, Child, Plan, Provision, SchoolCalendar
    from iepright.rules import chain

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(4)
    user = User.objects.create_user(email="bench@example.org", password="x", name="Bench Parent")
    household = Household.objects.create(name="Bench", timezone="America/Chicago")
    Membership.objects.create(household=household, user=user, role=Role.OWNER)
    child = Child.objects.create(
        household=household, name="Bench Child", state="TX", school="Bench Elementary", grade="4"
    )
    days = school_days()
    cal = SchoolCalendar.objects.create(
        child=child, school_year="2026-2027", first_day=FIRST_DAY, last_day=days[-1]
    )
    CalendarEvent.objects.create(
        calendar=cal,
        name="Thanksgiving",
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 27),
    )
    CalendarEvent.objects.create(
        calendar=cal, name="Winter break", start_date=date(2026, 12, 21), end_date=date(2027, 1, 1)
    )
    plan = Plan.objects.create(
        child=child, label="Annual IEP", start_date=FIRST_DAY, end_date=date(2027, 8, 11)
    )
    provisions = []
    for n in range(PROVISIONS):
        timed = n % 2 == 0
        provisions.append(
            Provision.objects.create(
                plan=plan,
                position=n,
                category="related_service" if timed else "accommodation",
                text=(
                    f"Service {n + 1}: speech-language therapy in a small group, "
                    "outside the general education classroom"
                )
                if timed
                else f"Accommodation {n + 1}: extended time (time and one half) on all tests",
                sessions_per_period=2 if timed else None,
                minutes_per_session=30 if timed else None,
                period="week" if timed else "per_event",
            )
        )
    entries = []
    for day in days:
        recorded = datetime.combine(day, dtime(21, 0), tzinfo=UTC)
        for p in provisions:
            r = rng.random()
            status = (
                "delivered"
                if r < 0.8
                else "not_delivered"
                if r < 0.88
                else "partly"
                if r < 0.94
                else "no_opportunity"
            )
            if status == "partly" and not p.minutes_per_session:
                status = "not_delivered"
            late = rng.random() < 0.05
            minutes = None
            if p.minutes_per_session:
                minutes = {"delivered": 30, "partly": 15, "not_delivered": 0}.get(status)
            entries.append(
                Entry(
                    child=child,
                    provision=p,
                    event_date=day,
                    status=status,
                    circumstances=["substitute_teacher"] if status == "not_delivered" else [],
                    source="teacher_told" if status != "delivered" else "",
                    reported_by="Ms Whitfield" if status != "delivered" else "",
                    minutes_delivered=minutes,
                    note=note(rng),
                    recorded_at=recorded + timedelta(days=4 if late else 0),
                    recorded_by=user,
                    recorded_late=late,
                    client="web",
                    updated_at=recorded,
                    revision_count=1,
                )
            )
    Entry.objects.bulk_create(entries, batch_size=500)
    # One valid chain revision per entry, built as services._append builds it.
    previous, revisions = chain.GENESIS, []
    for seq, entry in enumerate(
        Entry.objects.filter(child=child)
        .select_related("provision")
        .order_by("event_date", "provision__position"),
        start=1,
    ):
        snap = {
            "provision": str(entry.provision.public_id),
            "event_date": entry.event_date.isoformat(),
            "status": entry.status,
            "circumstances": sorted(entry.circumstances),
            "source": entry.source,
            "reported_by": entry.reported_by,
            "reported_contact": None,
            "minutes_delivered": entry.minutes_delivered,
            "note": entry.note,
            "deleted": False,
            "evidence": [],
        }
        rev = EntryRevision(
            entry=entry,
            child_id=child.pk,
            seq=seq,
            number=1,
            action="create",
            snapshot=snap,
            changed=sorted(["status", "note"]),
            reason="",
            recorded_at=entry.recorded_at,
            recorded_by=user,
            recorded_by_name=user.display_name(),
            client="web",
            previous_hash=previous,
        )
        rev.hash = previous = chain.link_hash(previous, rev.payload())
        revisions.append(rev)
    EntryRevision.objects.bulk_create(revisions, batch_size=500)
    # A few amendments and a photo, through the real services.
    now = datetime.combine(days[-1], dtime(22, 0), tzinfo=UTC)
    for entry in Entry.objects.filter(child=child, status="not_delivered")[:8]:
        services.record_entry(
            child=child,
            provision=entry.provision,
            event_date=entry.event_date,
            fields={"note": entry.note + " (Corrected after the email.)"},
            user=user,
            reason="Teacher's email gave the details",
            now=now,
        )
    first_missed = Entry.objects.filter(child=child, status="not_delivered").first()
    assert first_missed is not None
    png = _png()
    services.add_evidence(first_missed, SimpleUploadedFile("email.png", png), user=user, now=now)
    return child, days[0], days[-1]


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 200, 210)).save(out, format="PNG")
    return out.getvalue()


def chronology_rows(child: Any, start: date, end: date) -> list[list[str]]:
    """Return the binder chronology's rows as plain strings, for the platypus baseline."""
    from iepright.reports.pdf.context import gather

    ctx = gather(child, start, end, with_history=False)
    return [
        [
            e.event_date.isoformat(),
            ctx.provision_short(e.provision, 40),
            ctx.status_text(e.status),
            ctx.circumstance_text(e.circumstances),
            ctx.reported_text(e),
            e.note,
            ctx.evidence_text(e, exhibits=True),
            ctx.recorded_text(e),
        ]
        for e in ctx.entries
    ]


def platypus_table(rows: list[list[str]]) -> tuple[float, int]:
    """Return (seconds, bytes) for a plain platypus Table of the rows."""
    import io

    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from iepright.reports.pdf import fonts

    regular, _bold = fonts.register()
    started = time.perf_counter()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=46, rightMargin=46)
    header = [
        "Day",
        "Provision",
        "Status",
        "Circumstances",
        "Reported",
        "Note",
        "Evidence",
        "Recorded",
    ]
    table = Table([header, *rows], repeatRows=1, colWidths=[52, 75, 55, 60, 65, 130, 40, 43])
    table.setStyle(
        TableStyle(
            [("FONT", (0, 0), (-1, -1), regular, 7), ("GRID", (0, 0), (-1, -1), 0.25, "#999999")]
        )
    )
    doc.build([table])
    return time.perf_counter() - started, len(out.getvalue())


def timed_binder(child: Any, start: date, end: date) -> tuple[float, float, int]:
    """Return (total seconds, seconds gathering data, bytes) for one binder."""
    from iepright.reports.pdf import render_report
    from iepright.reports.pdf.context import gather

    started = time.perf_counter()
    gather(child, start, end, with_history=True)
    gathering = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_report("binder", child=child, start=start, end=end)
    return time.perf_counter() - started, gathering, len(pdf)


def peak_memory_mb(folder: Path) -> float:
    """Return the peak RSS (MB) of a fresh process that renders the binder once."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.pdf", "--_memory", str(folder)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return float(result.stdout.strip().splitlines()[-1])


def memory_child(folder: Path) -> None:
    setup_django(folder)
    from iepright.plans.models import Child
    from iepright.reports.pdf import render_report

    child = Child.objects.get(name="Bench Child")
    days = school_days()
    render_report("binder", child=child, start=days[0], end=days[-1])
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # KB on Linux


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="binder runs for the median")
    parser.add_argument("--_memory", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._memory:
        memory_child(Path(args._memory))
        return 0
    with tempfile.TemporaryDirectory(prefix="iepright-bench-pdf-") as tmp:
        folder = Path(tmp)
        setup_django(folder)
        started = time.perf_counter()
        child, start, end = generate()
        from iepright.logbook.models import Entry

        n = Entry.objects.filter(child=child).count()
        print(
            f"generated {n:,} entries ({PROVISIONS} provisions × {SCHOOL_DAYS} school days) "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        rows = chronology_rows(child, start, end)
        platypus_s, platypus_bytes = platypus_table(rows)
        timed_binder(child, start, end)  # warm-up: fonts registered, caches filled
        runs = [timed_binder(child, start, end) for _ in range(args.runs)]
        median = statistics.median(r[0] for r in runs)
        gathering = statistics.median(r[1] for r in runs)
        size = runs[-1][2]
        peak = peak_memory_mb(folder)
    ratio = platypus_s / median
    checks = [
        ("binder median", f"{median:.3f} s", f"≤ {TARGET_MEDIAN:.1f} s", median <= TARGET_MEDIAN),
        ("platypus table ÷ binder", f"{ratio:.1f}×", f"≥ {TARGET_RATIO}×", ratio >= TARGET_RATIO),
        ("peak memory (binder process)", f"{peak:.0f} MB", f"≤ {TARGET_MB} MB", peak <= TARGET_MB),
    ]
    print(f"rows: {len(rows):,}")
    print(f"(a) platypus Table, plain-string cells: {platypus_s:.3f} s ({platypus_bytes:,} bytes)")
    print(
        f"(b) binder runs: {', '.join(f'{r[0]:.3f}' for r in runs)} s; median {median:.3f} s "
        f"(of which reading the log, rules and chain check {gathering:.3f} s); "
        f"{size:,} bytes"
    )
    print(f"{'measure':32} {'value':>10} {'target':>10}  result")
    for name, value, target, ok in checks:
        print(f"{name:32} {value:>10} {target:>10}  {'PASS' if ok else 'FAIL'}")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
