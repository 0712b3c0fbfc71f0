"""Generate the benchmark's data set fast: households, plans and >= 1,000,000 log entries.

Runs inside Django (bench/__main__.py calls it in a subprocess per database). Small tables go
through bulk_create; entries and their revisions — the million rows — are written with raw
executemany (SQLite) or COPY (PostgreSQL). Every generated entry has its "create" revision,
linked into its child's hash chain with the app's own hash function (iepright/rules/chain.py),
so `verify_child` passes for every child, before and after the benchmark writes to it.

History covers the three school years before the current one; the current plan has no entries,
so the benchmark's check-ins are new entries (creates), as a parent's daily check-in is.
"""

from __future__ import annotations

import json
import math
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from iepright.accounts.models import ApiToken, Household, Membership, Role, User, hash_secret
from iepright.logbook.models import Entry, EntryRevision
from iepright.plans.models import Child, Plan, Provision
from iepright.rules import chain

ZONE = ZoneInfo("America/Chicago")
SCHOOL_START = (8, 12)  # first day of a school year (month, day)
SCHOOL_END = (5, 28)  # last day
HISTORY_YEARS = 3
BATCH = 20_000
META_TABLE = "bench_meta"

ENTRY_COLUMNS = [
    "id",
    "public_id",
    "child_id",
    "provision_id",
    "event_date",
    "status",
    "circumstances",
    "source",
    "reported_by",
    "reported_contact_id",
    "minutes_delivered",
    "note",
    "recorded_at",
    "recorded_by_id",
    "recorded_late",
    "client",
    "updated_at",
    "revision_count",
    "deleted_at",
]
REVISION_COLUMNS = [
    "id",
    "entry_id",
    "child_id",
    "seq",
    "number",
    "action",
    "snapshot",
    "changed",
    "reason",
    "recorded_at",
    "recorded_by_id",
    "recorded_by_name",
    "client",
    "previous_hash",
    "hash",
]

# A plan: two daily accommodations (more if many entries are asked for) and two timed services
# on fixed weekdays (Monday = 0).
SERVICES = [
    ("related_service", "Speech-language therapy", 30, 2, (1, 3)),
    ("special_education", "Specialized reading instruction", 45, 1, (0,)),
]
ACCOMMODATIONS = [
    "Extended time (time and one half) on classroom tests and quizzes",
    "Preferential seating near the point of instruction",
    "Copy of class notes provided by the teacher",
    "Breaks of 5 minutes when requested",
    "Directions read aloud and repeated",
    "Use of a calculator for math assignments",
]


@dataclass(frozen=True)
class Layout:
    """The school years of the data set, relative to `today`."""

    today: date
    current_start: date
    history_starts: tuple[date, ...]

    @classmethod
    def for_today(cls, today: date) -> Layout:
        start = date(today.year, *SCHOOL_START)
        if today < start:
            start = date(today.year - 1, *SCHOOL_START)
        history = tuple(date(start.year - n, *SCHOOL_START) for n in range(HISTORY_YEARS, 0, -1))
        return cls(today, start, history)

    def current_end(self) -> date:
        return date(self.current_start.year + 1, *SCHOOL_START) - timedelta(days=1)

    def check_in_days(self) -> list[date]:
        """Return the weekdays of the current plan up to yesterday: the benchmark's targets."""
        return weekdays(self.current_start, self.today - timedelta(days=1))


def weekdays(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def bench_token(seed: int, index: int) -> str:
    """Return the raw API token of household `index` (a throwaway data set: derived, not secret)."""
    return f"{ApiToken.PREFIX}bench-{seed}-{index:04d}"


def _accommodation_count(target: int, children: int, layout: Layout) -> int:
    weeks = sum(len(weekdays(s, date(s.year + 1, *SCHOOL_END))) for s in layout.history_starts) / 5
    per_week_needed = target / max(1, children * weeks)
    services_per_week = sum(len(days) for *_, days in SERVICES)
    return max(2, min(len(ACCOMMODATIONS), math.ceil((per_week_needed - services_per_week) / 5)))


def build_people(*, households: int, seed: int, target: int, layout: Layout) -> dict[str, Any]:
    """Create users, households, tokens, children, plans and provisions; return a summary."""
    rng = random.Random(seed)
    password = make_password(None)  # unusable: nobody logs in to the bench data set
    users = User.objects.bulk_create(
        User(email=f"parent{i:04d}@bench.example", name=f"Parent {i:04d}", password=password)
        for i in range(households)
    )
    homes = Household.objects.bulk_create(
        Household(name=f"Household {i:04d}", timezone=str(ZONE)) for i in range(households)
    )
    Membership.objects.bulk_create(
        Membership(household=h, user=u, role=Role.OWNER) for h, u in zip(homes, users, strict=True)
    )
    ApiToken.objects.bulk_create(
        ApiToken(
            user=u,
            name="bench",
            key_hash=hash_secret(bench_token(seed, i)),
            hint=bench_token(seed, i)[:8],
        )
        for i, u in enumerate(users)
    )
    kids: list[tuple[int, Child]] = []
    for i, home in enumerate(homes):
        for n in range(rng.choice((1, 2))):
            kids.append((i, Child(household=home, name=f"Child {i:04d}-{n}", state="TX")))
    children = Child.objects.bulk_create(c for _, c in kids)
    accommodations = _accommodation_count(target, len(children), layout)
    starts = [*layout.history_starts, layout.current_start]
    plans = Plan.objects.bulk_create(
        Plan(
            child=c,
            label="Annual IEP",
            start_date=s,
            end_date=date(s.year + 1, *SCHOOL_START) - timedelta(days=1),
        )
        for c in children
        for s in starts
    )
    provisions: list[Provision] = []
    for plan in plans:
        for position, text in enumerate(ACCOMMODATIONS[:accommodations]):
            provisions.append(
                Provision(
                    plan=plan,
                    position=position,
                    category="accommodation",
                    text=text,
                    applies="all classes",
                )
            )
        for offset, (category, text, minutes, sessions, _days) in enumerate(SERVICES):
            provisions.append(
                Provision(
                    plan=plan,
                    position=accommodations + offset,
                    category=category,
                    text=text,
                    minutes_per_session=minutes,
                    sessions_per_period=sessions,
                    period="week",
                )
            )
    Provision.objects.bulk_create(provisions, batch_size=2000)
    return {
        "households": len(homes),
        "children": len(children),
        "owners": {c.pk: (i, users[i]) for (i, _), c in zip(kids, children, strict=True)},
        "accommodations": accommodations,
    }


class Writer:
    """Append rows to the entry and revision tables in big batches, the fastest way per backend."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.entries: list[tuple[Any, ...]] = []
        self.revisions: list[tuple[Any, ...]] = []

    def add(self, entry: tuple[Any, ...], revision: tuple[Any, ...]) -> None:
        self.entries.append(entry)
        self.revisions.append(revision)
        if len(self.entries) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.entries:
            return
        for table, columns, rows in (
            (Entry._meta.db_table, ENTRY_COLUMNS, self.entries),
            (EntryRevision._meta.db_table, REVISION_COLUMNS, self.revisions),
        ):
            names = ", ".join(columns)
            if self.sqlite:
                marks = ", ".join("?" * len(columns))
                raw = connection.connection.cursor()
                raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            else:
                sql = f"COPY {table} ({names}) FROM STDIN"
                with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
        self.entries.clear()
        self.revisions.clear()


def _status(rng: random.Random, service_minutes: int | None) -> tuple[str, int | None, list[str]]:
    roll = rng.random()
    if roll < 0.85:
        return "delivered", service_minutes, []
    if roll < 0.92:
        partly = rng.randrange(5, service_minutes) if service_minutes else None
        return "partly", partly, [rng.choice(("schedule_change", "assembly"))]
    if roll < 0.97:
        reason = rng.choice(("substitute_teacher", "provider_absent", "state_testing"))
        return "not_delivered", 0 if service_minutes else None, [reason]
    return "no_opportunity", None, ["field_trip"]


def build_log(*, target: int, seed: int, layout: Layout, people: dict[str, Any]) -> int:
    """Write entries with their chained "create" revisions until `target`; return the count."""
    rng = random.Random(seed + 1)
    sqlite = connection.vendor == "sqlite"
    writer = Writer()
    entry_id = (Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    revision_id = (
        EntryRevision.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ) + 1
    history = [(s, weekdays(s, date(s.year + 1, *SCHOOL_END))) for s in layout.history_starts]
    moments: dict[date, datetime] = {}
    written = 0

    def moment(day: date) -> datetime:
        if day not in moments:
            local = datetime(day.year, day.month, day.day, 15, 30, tzinfo=ZONE)
            moments[day] = local.astimezone(UTC)
        return moments[day]

    def iso(day: date) -> Any:
        return day.isoformat() if sqlite else day

    def stamp(value: datetime) -> Any:
        # SQLite: the text Django itself stores (naive UTC); PostgreSQL: the aware value.
        return value.strftime("%Y-%m-%d %H:%M:%S") if sqlite else value

    provisions = Provision.objects.filter(plan__start_date__in=layout.history_starts).values_list(
        "plan__child_id", "plan__start_date", "id", "public_id", "minutes_per_session", "position"
    )
    by_plan: dict[tuple[int, date], list[tuple[int, uuid.UUID, int | None, int]]] = {}
    for child_id, start, pk, public_id, minutes, position in provisions.order_by("position"):
        by_plan.setdefault((child_id, start), []).append((pk, public_id, minutes, position))
    service_days = {text: days for _, text, _, _, days in SERVICES}
    accommodations = people["accommodations"]

    for child_id, (_, owner) in people["owners"].items():
        if written >= target:
            break
        name, previous, seq = owner.display_name(), chain.GENESIS, 0
        for start, days in history:
            plan_provisions = by_plan[(child_id, start)]
            for day in days:
                for pk, public_id, minutes, position in plan_provisions:
                    if position >= accommodations:
                        text = SERVICES[position - accommodations][1]
                        if day.weekday() not in service_days[text]:
                            continue
                    status, delivered, circumstances = _status(rng, minutes)
                    late = rng.random() < 0.05
                    recorded_at = moment(day) + timedelta(days=3 if late else 0)
                    client = "api:phone" if rng.random() < 0.3 else "web"
                    public = _uuid(rng)
                    seq += 1
                    snapshot = {
                        "provision": str(public_id),
                        "event_date": day.isoformat(),
                        "status": status,
                        "circumstances": circumstances,
                        "source": "",
                        "reported_by": "",
                        "reported_contact": None,
                        "minutes_delivered": delivered,
                        "note": "",
                        "deleted": False,
                        "evidence": [],
                    }
                    changed = ["circumstances", "status"] if circumstances else ["status"]
                    payload = {
                        "seq": seq,
                        "entry": str(public),
                        "number": 1,
                        "action": "create",
                        "snapshot": snapshot,
                        "changed": changed,
                        "reason": "",
                        "recorded_at": recorded_at.isoformat(timespec="microseconds"),
                        "recorded_by": name,
                        "client": client,
                    }
                    digest = chain.link_hash(previous, payload)
                    at = stamp(recorded_at)
                    writer.add(
                        (
                            entry_id,
                            public.hex if sqlite else public,
                            child_id,
                            pk,
                            iso(day),
                            status,
                            json.dumps(circumstances),
                            "",
                            "",
                            None,
                            delivered,
                            "",
                            at,
                            owner.pk,
                            late,
                            client,
                            at,
                            1,
                            None,
                        ),
                        (
                            revision_id,
                            entry_id,
                            child_id,
                            seq,
                            1,
                            "create",
                            json.dumps(snapshot),
                            json.dumps(changed),
                            "",
                            at,
                            owner.pk,
                            name,
                            client,
                            previous,
                            digest,
                        ),
                    )
                    previous = digest
                    entry_id += 1
                    revision_id += 1
                    written += 1
    writer.flush()
    return written


def _set_meta(values: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key varchar(40) PRIMARY KEY, value text)"
        )
        cursor.execute(f"DELETE FROM {META_TABLE}")
        for key, value in values.items():
            cursor.execute(
                f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", [key, json.dumps(value)]
            )


def read_meta() -> dict[str, Any]:
    """Return what the generator recorded, or {} if the database holds no bench data set."""
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"SELECT key, value FROM {META_TABLE}")
        except Exception:
            return {}
        return {key: json.loads(value) for key, value in cursor.fetchall()}


def generate(*, target: int, households: int, seed: int, today: date) -> dict[str, Any]:
    """Fill an empty, migrated database; return the summary stored in the meta table."""
    layout = Layout.for_today(today)
    started = time.monotonic()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a data set we can rebuild: skip the fsyncs
            cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        people = build_people(households=households, seed=seed, target=target, layout=layout)
        written = build_log(target=target, seed=seed, layout=layout, people=people)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA synchronous=FULL")
        else:
            for table in (Entry._meta.db_table, EntryRevision._meta.db_table):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")
    meta = {
        "target": target,
        "households": people["households"],
        "children": people["children"],
        "seed": seed,
        "entries": written,
        "current_start": layout.current_start.isoformat(),
        "max_entry_id": Entry.objects.order_by("-id").values_list("id", flat=True).first(),
        "max_revision_id": EntryRevision.objects.order_by("-id")
        .values_list("id", flat=True)
        .first(),
        "seconds": round(time.monotonic() - started, 1),
    }
    _set_meta(meta)
    return meta


def reset(meta: dict[str, Any]) -> int:
    """Delete what earlier benchmark runs wrote, so every run starts from the generated data."""
    with transaction.atomic():
        EntryRevision.objects.filter(id__gt=meta["max_revision_id"]).delete()
        entries, _ = Entry.objects.filter(id__gt=meta["max_entry_id"]).delete()
    return entries


def targets(meta: dict[str, Any], layout: Layout) -> Iterator[dict[str, Any]]:
    """Yield, per child, its owner's token and the provisions of the current plan."""
    current = date.fromisoformat(meta["current_start"])
    owners = dict(
        Membership.objects.filter(role=Role.OWNER).values_list("household_id", "household_id")
    )
    index = {h: i for i, h in enumerate(sorted(owners))}
    rows = Provision.objects.filter(plan__start_date=current).values_list(
        "plan__child__public_id", "plan__child__household_id", "public_id"
    )
    grouped: dict[uuid.UUID, dict[str, Any]] = {}
    for child, household, provision in rows.order_by("plan__child_id", "position"):
        item = grouped.setdefault(
            child,
            {
                "child": str(child),
                "token": bench_token(meta["seed"], index[household]),
                "provisions": [],
            },
        )
        item["provisions"].append(str(provision))
    yield from grouped.values()


def write_targets(path: Path, meta: dict[str, Any], today: date) -> int:
    """Write one check-in per line (token child provision day), spread over children; return n."""
    layout = Layout.for_today(today)
    children = list(targets(meta, layout))
    random.Random(meta["seed"]).shuffle(children)
    lines = 0
    with path.open("w") as out:
        for day in layout.check_in_days():
            for position in range(max(len(c["provisions"]) for c in children)):
                for item in children:
                    if position < len(item["provisions"]):
                        provision = item["provisions"][position]
                        out.write(f"{item['token']} {item['child']} {provision} {day}\n")
                        lines += 1
    return lines
