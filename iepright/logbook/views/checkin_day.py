"""Whole-day shortcuts of the check-in page: "All delivered" and "Child absent this day".

"Child absent" changes entries already logged, so when there are any it first shows what it
will change and asks to confirm (a page, so it works without JavaScript). It adds "Child
absent" to an entry's circumstances instead of replacing them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iepright.accounts.access import Need
from iepright.accounts.views import current_user
from iepright.logbook import services, shortcuts
from iepright.logbook.models import Entry, Status
from iepright.logbook.views import checkin_url, parse_day, posted_from_checkin
from iepright.plans.access import get_child
from iepright.plans.models import Child, Provision
from iepright.rules import schedule

ABSENT = "child_absent"
ALL_DELIVERED = "all_delivered"
SHORT_NAME = 40  # characters of a provision's words in the "Not marked" line


@dataclass
class Change:
    """What "child absent" does to one provision's entry."""

    provision: Provision
    entry: Entry | None
    fields: dict[str, Any]

    @property
    def new_status_label(self) -> str:
        return str(Status(self.fields["status"]).label)

    @property
    def changes_something(self) -> bool:
        if self.entry is None:
            return True
        return any(getattr(self.entry, name) != value for name, value in self.fields.items())


def short_name(text: str) -> str:
    """Return the provision's first words, cut between words, to name it in a line."""
    if len(text) <= SHORT_NAME:
        return text
    cut = text[: SHORT_NAME - 1].rsplit(" ", 1)[0] if " " in text[:SHORT_NAME] else text
    return cut[: SHORT_NAME - 1].rstrip(" ,;:(") + "…"


@dataclass
class AllDelivered:
    """What the "All delivered" button will mark, and what it leaves for a tap (with why)."""

    count: int
    left: list[str]  # "Speech-language therapy (not a usual day)", in the reader's language


def all_delivered_summary(provisions: list[Provision], day: date, logged: set[int]) -> AllDelivered:
    """Return what "All delivered" marks on `day`, as the button and the line under it say."""
    marks, left = shortcuts.all_delivered_split(provisions, day, logged)
    words = []
    for provision, reason in left:
        why = _(schedule.REASONS[reason])
        if reason == schedule.PER_EVENT and provision.applies:
            why = provision.applies
        words.append(f"{short_name(provision.text)} ({why})")
    return AllDelivered(count=len(marks), left=words)


def absent_changes(child: Child, day: date) -> list[Change]:
    """Return, per provision in effect, the fields "child absent" sets (keeping circumstances)."""
    entries = {
        e.provision_id: e
        for e in Entry.objects.filter(child=child, event_date=day, deleted_at__isnull=True)
    }
    changes = []
    for provision in services.provisions_in_effect(child, day):
        entry = entries.get(provision.pk)
        changes.append(Change(provision, entry, shortcuts.absent_fields(provision, entry)))
    return changes


def day_state(changes: list[Change]) -> str:
    """Return a short fingerprint of the day's entries, to tell a confirmation out of date."""
    seen = sorted(f"{c.entry.public_id}:{c.entry.revision_count}" for c in changes if c.entry)
    return hashlib.sha256(",".join(seen).encode()).hexdigest()[:16]


@login_required
@posted_from_checkin
def mark_day(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Apply a whole-day shortcut: "all delivered", or "child absent" (confirmed first)."""
    access = get_child(request.user, public_id, Need.WRITE)
    child = access.obj
    day = parse_day(request.POST.get("date"))
    if day is None:
        messages.error(request, _("The day is missing or not a date; nothing was saved."))
        return redirect(checkin_url(child))
    shortcut = request.POST.get("shortcut", "")
    if shortcut in (ALL_DELIVERED, ABSENT) and not services.provisions_in_effect(child, day):
        messages.error(
            request, _("There is no plan in force on this day, so there is nothing to mark.")
        )
        return redirect(checkin_url(child, day))
    user = current_user(request)
    try:
        if shortcut == ABSENT:
            changes = absent_changes(child, day)
            overwritten = [c for c in changes if c.entry is not None and c.changes_something]
            state = day_state(changes)
            confirmed = request.POST.get("confirm") == "1"
            if overwritten and not (confirmed and request.POST.get("state") == state):
                context = {
                    "child": child,
                    "day": day,
                    "is_today": day == services.today_for(child),
                    "changes": [c for c in changes if c.changes_something],
                    "codes": services.circumstance_codes(child),
                    "back": checkin_url(child, day),
                    "state": state,
                    # Confirmed, but the day changed after the question was shown: ask again.
                    "changed_since": confirmed,
                }
                return render(request, "logbook/checkin_absent_confirm.html", context)
        results = shortcuts.mark_day(
            child=child, day=day, shortcut=shortcut, user=user, client="web"
        )
        count = sum(1 for r in results if r.created or r.changed)
    except ValidationError as exc:
        messages.error(request, str(exc.messages[0]) if exc.messages else _("That did not work."))
        return redirect(checkin_url(child, day))
    if shortcut == ALL_DELIVERED:
        if count:
            messages.success(
                request,
                ngettext(
                    "Marked %(n)s not-yet-logged provision as delivered.",
                    "Marked %(n)s not-yet-logged provisions as delivered.",
                    count,
                )
                % {"n": count},
            )
        else:
            messages.info(
                request, _("Nothing was marked: no provision due this day is left unlogged.")
            )
    else:
        messages.success(
            request,
            ngettext(
                "Marked the day as child absent: %(n)s provision changed. Each one can still be "
                "changed on its own.",
                "Marked the day as child absent: %(n)s provisions changed. Each one can still be "
                "changed on its own.",
                count,
            )
            % {"n": count},
        )
    return redirect(checkin_url(child, day))
