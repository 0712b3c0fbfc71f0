"""Load the fictional sample household (iepright/demo/sample-iep.json) — idempotently.

Every row is looked up by a natural key before it is created, so running the loader twice
creates nothing twice, and a parent's own edits to demo rows are left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from iepright.accounts.models import Household, Membership, Role, User
from iepright.correspondence.models import Contact
from iepright.plans.models import CalendarEvent, Child, Plan, Provision, SchoolCalendar

SAMPLE = Path(__file__).with_name("sample-iep.json")
DEMO_PASSWORD = "iepright-demo"  # printed on start; the demo data is fictional

# The sample file says "daily" for accommodations that apply every school day.
_PERIODS = {
    "daily": "day",
    "day": "day",
    "week": "week",
    "month": "month",
    "per_event": "per_event",
}


@dataclass
class DemoResult:
    email: str
    password: str
    child: Child
    created: int


def load_sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


@transaction.atomic
def load_demo(*, password: str = DEMO_PASSWORD) -> DemoResult:
    """Create (or find) the demo household, its guardians, child, plan, calendar and contacts."""
    data = load_sample()
    created = 0

    def tally(obj_created: tuple[Any, bool]) -> Any:
        nonlocal created
        created += int(obj_created[1])
        return obj_created[0]

    h = data["household"]
    guardians = h["guardians"]
    users: list[User] = []
    for guardian in guardians:
        user = User.objects.filter(email=guardian["email"]).first()
        if user is None:
            user = User.objects.create_user(
                email=guardian["email"],
                password=password,
                name=guardian["name"],
                language=guardian.get("preferred_language", "en"),
            )
            created += 1
        users.append(user)
    household = Household.objects.filter(name=h["name"], memberships__user=users[0]).first()
    if household is None:
        household = Household.objects.create(name=h["name"], timezone=h["timezone"])
        created += 1
    for index, user in enumerate(users):
        role = Role.OWNER if index == 0 else Role.EDITOR
        tally(
            Membership.objects.get_or_create(
                household=household, user=user, defaults={"role": role}
            )
        )

    c = data["child"]
    child = tally(
        Child.objects.get_or_create(
            household=household,
            name=c["name"],
            defaults={
                "date_of_birth": date.fromisoformat(c["date_of_birth"]),
                "grade": c["grade"],
                "school": c["school"],
                "district": c["district"],
                "state": h["state"],
            },
        )
    )
    for contact in data["contacts"]:
        tally(
            Contact.objects.get_or_create(
                child=child,
                email=contact["email"],
                defaults={"name": contact["name"], "role": contact["role"]},
            )
        )

    p = data["plan"]
    plan = tally(
        Plan.objects.get_or_create(
            child=child,
            plan_type=p["type"].lower(),
            start_date=date.fromisoformat(p["start_date"]),
            defaults={
                "label": "Annual IEP",
                "meeting_date": date.fromisoformat(p["meeting_date"]),
                "end_date": date.fromisoformat(p["end_date"]),
            },
        )
    )
    for position, item in enumerate(p["provisions"]):
        tally(
            Provision.objects.get_or_create(
                plan=plan,
                text=item["text"],
                defaults={
                    "position": position,
                    "category": item["category"],
                    "applies": item.get("applies", ""),
                    "period": _PERIODS[item["period"]],
                    "weekdays": item.get("weekdays", ""),
                    "sessions_per_period": item.get("sessions_per_period"),
                    "minutes_per_session": item.get("minutes_per_session"),
                    "location": item.get("location", ""),
                    "setting": item.get("setting", ""),
                    "provider_role": item.get("provider_role", ""),
                    "delivery": item.get("delivery", ""),
                    "group_size": item.get("group_size", ""),
                },
            )
        )

    cal = data["school_calendar"]
    calendar = tally(
        SchoolCalendar.objects.get_or_create(
            child=child,
            school_year=cal["year"],
            defaults={
                "first_day": date.fromisoformat(cal["first_day"]),
                "last_day": date.fromisoformat(cal["last_day"]),
            },
        )
    )
    for closed in cal["closed"]:
        tally(
            CalendarEvent.objects.get_or_create(
                calendar=calendar,
                kind=CalendarEvent.Kind.CLOSED,
                start_date=date.fromisoformat(closed["start"]),
                end_date=date.fromisoformat(closed["end"]),
                defaults={"name": closed["name"]},
            )
        )
    for day in cal["early_release"]:
        d = date.fromisoformat(day)
        tally(
            CalendarEvent.objects.get_or_create(
                calendar=calendar,
                kind=CalendarEvent.Kind.EARLY_RELEASE,
                start_date=d,
                end_date=d,
                defaults={"name": "Early release"},
            )
        )
    return DemoResult(email=users[0].email, password=password, child=child, created=created)
