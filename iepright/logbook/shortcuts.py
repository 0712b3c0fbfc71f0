"""Whole-day shortcuts: "All delivered" and "Child absent" mark a day's entries at once.

Each entry is still written through services.record_entry, one by one, so each stays editable
on its own. "Child absent" is also what was different about the day, so it is added to the
day's facts (dayfacts.record) in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iepright.accounts.models import User
from iepright.logbook import dayfacts, services
from iepright.logbook.models import Entry, Status
from iepright.plans.models import Child, Provision
from iepright.rules import schedule


def absent_fields(provision: Provision, entry: Entry | None) -> dict[str, Any]:
    """Return the fields "child absent" gives a provision's entry of the day.

    Timed services become not delivered with 0 minutes, the others no opportunity; the
    circumstances already entered are kept, in their order, with "child_absent" added.
    """
    kept = list(entry.circumstances) if entry is not None else []
    service = provision.is_service()
    return {
        "status": Status.NOT_DELIVERED if service else Status.NO_OPPORTUNITY,
        "circumstances": kept if "child_absent" in kept else [*kept, "child_absent"],
        "minutes_delivered": 0 if service else None,
    }


def all_delivered_split(
    provisions: list[Provision], day: date, logged: set[int]
) -> tuple[list[Provision], list[tuple[Provision, str]]]:
    """Return what "All delivered" marks on `day`, and what it leaves for a tap, with why.

    It marks the provisions not logged yet that the plan schedules on that day
    (`rules.schedule`); the others not logged yet are left, each with its reason code.
    """
    marks: list[Provision] = []
    left: list[tuple[Provision, str]] = []
    for provision in provisions:
        if provision.pk in logged:
            continue
        reason = schedule.why_not_due(provision.schedule(), day)
        if reason == schedule.DUE:
            marks.append(provision)
        else:
            left.append((provision, reason))
    return marks, left


def mark_day(
    *,
    child: Child,
    day: date,
    shortcut: str,
    user: User | None,
    client: str = "web",
    now: datetime | None = None,
) -> list[services.Recorded]:
    """Apply a whole-day shortcut; each entry stays editable one by one.

    "all_delivered" marks as delivered the provisions not yet logged that day that the plan
    schedules that day (`all_delivered_split`); it never overrides a status already entered.
    "child_absent" marks every provision of the day: timed services as not delivered and the
    others as no opportunity, with the circumstance
    "Child absent" added to the circumstances already entered (never replacing them) — so the
    service ledger counts those minutes as missed for a student-side reason — and adds
    "child_absent" to the day's facts, keeping those already recorded.
    """
    if shortcut not in ("all_delivered", "child_absent"):
        raise ValidationError({"shortcut": _("Unknown shortcut.")})
    provisions = services.provisions_in_effect(child, day)
    results: list[services.Recorded] = []
    with transaction.atomic():
        # Held from the start, so the day facts read below cannot change before they are
        # written back (a day with no provision in effect records no entry to take the lock).
        services.lock_child(child)
        logged = {
            e.provision_id: e
            for e in Entry.objects.filter(child=child, event_date=day, deleted_at__isnull=True)
        }
        due = (
            {p.pk for p in all_delivered_split(provisions, day, set(logged))[0]}
            if shortcut == "all_delivered"
            else set()
        )
        for provision in provisions:
            if shortcut == "all_delivered":
                if provision.pk not in due:
                    continue
                fields: dict[str, Any] = {"status": Status.DELIVERED}
            else:
                fields = absent_fields(provision, logged.get(provision.pk))
            recorded = services.record_entry(
                child=child,
                provision=provision,
                event_date=day,
                fields=fields,
                user=user,
                client=client,
                now=now,
            )
            results.append(recorded)
        if shortcut == "child_absent":
            _add_day_fact(child, day, "child_absent", user=user, client=client, now=now)
    return results


def _add_day_fact(
    child: Child, day: date, code: str, *, user: User | None, client: str, now: datetime | None
) -> None:
    """Add `code` to the day's current day facts; an answer already holding it appends nothing."""
    last = dayfacts.current(child, day)
    facts = list(last.facts) if last is not None else []
    if code not in facts:
        dayfacts.record(child, day, [*facts, code], user=user, client=client, now=now)
