"""Look up a child, plan, provision or school calendar for a user (accounts.access decides)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from iepright.accounts.access import Access, Need, get_for_user
from iepright.accounts.models import User
from iepright.plans.models import CalendarEvent, Child, Plan, Provision, SchoolCalendar


def get_child(user: User | Any, public_id: UUID | str, need: str = Need.READ) -> Access[Child]:
    """Return the child and the user's role in its household; 404 or 403 otherwise."""
    queryset = Child.objects.select_related("household")
    return get_for_user(queryset, user, "household", public_id, need)


def get_plan(user: User | Any, public_id: UUID | str, need: str = Need.READ) -> Access[Plan]:
    """Return the plan version and the user's role in its household; 404 or 403 otherwise."""
    queryset = Plan.objects.select_related("child__household")
    return get_for_user(queryset, user, "child__household", public_id, need)


def get_provision(
    user: User | Any, public_id: UUID | str, need: str = Need.READ
) -> Access[Provision]:
    """Return the provision and the user's role in its household; 404 or 403 otherwise."""
    queryset = Provision.objects.select_related("plan__child__household")
    return get_for_user(queryset, user, "plan__child__household", public_id, need)


def get_calendar(
    user: User | Any, public_id: UUID | str, need: str = Need.READ
) -> Access[SchoolCalendar]:
    """Return the school calendar and the user's role in its household; 404 or 403 otherwise."""
    queryset = SchoolCalendar.objects.select_related("child__household")
    return get_for_user(queryset, user, "child__household", public_id, need)


def get_calendar_event(
    user: User | Any, public_id: UUID | str, need: str = Need.READ
) -> Access[CalendarEvent]:
    """Return the calendar event and the user's role in its household; 404 or 403 otherwise."""
    queryset = CalendarEvent.objects.select_related("calendar__child__household")
    return get_for_user(queryset, user, "calendar__child__household", public_id, need)


def find_childs_provision(
    user: User | Any, child_id: UUID | str, provision_id: UUID | str, need: str = Need.READ
) -> Access[Provision] | None:
    """Return one of the child's provisions with its plan, child and household, in one query.

    None when the provision is not this child's (or not a provision at all). A child the user
    cannot see is a 404, and a role that may not do what `need` says a 403, as with get_child.
    """
    try:
        found = get_provision(user, provision_id, need)
    except Http404:
        found = None
    if found is not None and str(found.obj.plan.child.public_id) == str(child_id):
        return found
    get_child(user, child_id, need)
    return None
