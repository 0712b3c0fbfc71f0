"""Children: list, add, change and (owners only) delete; the plan in force on a date."""

import datetime as dt
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from iepright.accounts.access import Need, get_household, scoped
from iepright.api.common import Pagination, apply, save, user_of
from iepright.api.schemas import ERRORS, ChildIn, ChildOut, ChildPatch, PlanInForceOut
from iepright.logbook import removal
from iepright.plans.access import get_child
from iepright.plans.models import Child, Plan

router = Router(tags=["children"])


def _state(value: str | None) -> str | None:
    # Model.clean() upper-cases too, but full_clean checks the choices before clean() runs.
    return value.strip().upper() if isinstance(value, str) else value


@router.get("/children", response={200: list[ChildOut], **ERRORS})
@paginate(Pagination)
def list_children(request: HttpRequest, household: UUID | None = None) -> QuerySet[Child]:
    """List the children in your households; `?household=<id>` limits it to one household."""
    user = user_of(request)
    children = scoped(Child.objects.select_related("household"), user, "household")
    if household is not None:
        children = children.filter(household=get_household(user, household).obj)
    return children.order_by("name", "id")


@router.post("/children", response={201: ChildOut, **ERRORS})
def create_child(request: HttpRequest, payload: ChildIn) -> Status[Child]:
    """Add a child to a household (editors and owners)."""
    household = get_household(user_of(request), payload.household, Need.WRITE).obj
    data = payload.model_dump(exclude={"household"})
    data["state"] = _state(data["state"])
    child = Child(household=household, **data)
    save(child)
    return Status(201, child)


@router.get("/children/{uuid:child_id}", response={200: ChildOut, **ERRORS})
def get_child_detail(request: HttpRequest, child_id: UUID) -> Child:
    """Return one child."""
    return get_child(user_of(request), child_id).obj


@router.patch("/children/{uuid:child_id}", response={200: ChildOut, **ERRORS})
def update_child(request: HttpRequest, child_id: UUID, payload: ChildPatch) -> Child:
    """Change the fields sent; the household (and so the time zone) cannot be changed here."""
    child = get_child(user_of(request), child_id, Need.WRITE).obj
    data = payload.model_dump(exclude_unset=True)
    if "state" in data:
        data["state"] = _state(data["state"])
    apply(child, data)
    return child


@router.delete("/children/{uuid:child_id}", response={204: None, **ERRORS})
def delete_child(request: HttpRequest, child_id: UUID) -> Status[None]:
    """Delete a child and every record about them (owners only)."""
    child = get_child(user_of(request), child_id, Need.MANAGE).obj
    removal.delete_child(child)
    return Status(204, None)


@router.get("/children/{uuid:child_id}/plan-in-force", response={200: PlanInForceOut, **ERRORS})
def plan_in_force(
    request: HttpRequest, child_id: UUID, date: dt.date | None = None
) -> dict[str, object]:
    """Return the plan version in effect on `date` (default: today in the household's zone)."""
    child = get_child(user_of(request), child_id).obj
    # "Today" is the household's local date, not the server's UTC date.
    day = date or timezone.now().astimezone(ZoneInfo(child.timezone_name())).date()
    found = (
        Plan.objects.filter(child=child, start_date__lte=day, end_date__gte=day)
        .select_related("child", "copied_from")
        .prefetch_related("provisions")
        .order_by("-start_date", "-created", "-id")
        .first()
    )
    return {"date": day, "plan": found}
