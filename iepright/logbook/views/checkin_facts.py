"""The check-in page's "What was different today?": the day facts, asked on every logged day.

A plain form (POST, then back to the same day), so it works without JavaScript. What got in
the way of one provision stays in that entry's details; this is about the day itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from iepright.accounts.access import Need
from iepright.accounts.views import current_user
from iepright.logbook import dayfacts
from iepright.logbook.views import checkin_url, parse_day, posted_from_checkin
from iepright.plans.access import get_child
from iepright.plans.models import Child

ANCHOR = "#day-facts"


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    checked: bool


@dataclass(frozen=True)
class DayFactsPanel:
    """What the page shows: whether the day was answered, the answer, and the boxes."""

    recorded: bool
    labels: list[str]
    choices: list[Choice]


def panel(child: Child, day: date, codes: dict[str, str]) -> DayFactsPanel:
    """Return the day's facts as the check-in page shows them (one query)."""
    row = dayfacts.current(child, day)
    facts = set(row.facts) if row is not None else set()
    return DayFactsPanel(
        recorded=row is not None,
        labels=[codes.get(code, code.replace("_", " ")) for code in sorted(facts)],
        choices=[Choice(code, label, code in facts) for code, label in codes.items()],
    )


@login_required
@posted_from_checkin
def save_day_facts(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Record what was different about the day (the boxes ticked; none = nothing)."""
    child = get_child(request.user, public_id, Need.WRITE).obj
    day = parse_day(request.POST.get("date"))
    if day is None:
        messages.error(request, _("That is not a date. Choose a day with the date picker."))
        return redirect(checkin_url(child))
    try:
        saved = dayfacts.record(
            child, day, request.POST.getlist("facts"), user=current_user(request), client="web"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        if not saved.changed:
            messages.info(request, _("What was different that day is unchanged."))
        elif saved.row.facts:
            messages.success(request, _("Saved what was different that day."))
        else:
            messages.success(request, _("Saved: nothing was different that day."))
    return redirect(checkin_url(child, day) + ANCHOR)
