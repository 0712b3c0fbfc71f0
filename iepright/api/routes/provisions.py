"""Provisions of a plan: list, add, change, end on a date, delete, and put in order."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from iepright.accounts.access import Need
from iepright.api.common import Pagination, apply, client_of, renamed, save, user_of
from iepright.api.schemas import (
    ERRORS,
    EndIn,
    OrderIn,
    ProvisionChangeOut,
    ProvisionIn,
    ProvisionList,
    ProvisionOut,
    ProvisionPatch,
)
from iepright.plans import services
from iepright.plans.access import get_plan, get_provision
from iepright.plans.models import Provision, ProvisionChange

router = Router(tags=["provisions"])


@router.get("/plans/{uuid:plan_id}/provisions", response={200: list[ProvisionOut], **ERRORS})
@paginate(Pagination)
def list_provisions(request: HttpRequest, plan_id: UUID) -> QuerySet[Provision]:
    """List a plan's provisions in the plan's order."""
    plan = get_plan(user_of(request), plan_id).obj
    # frequency_text and is_service read only the row itself; the plan is not needed.
    return plan.provisions.order_by("position", "id")


@router.post("/plans/{uuid:plan_id}/provisions", response={201: ProvisionOut, **ERRORS})
def create_provision(
    request: HttpRequest, plan_id: UUID, payload: ProvisionIn
) -> Status[Provision]:
    """Add a provision, in the IEP's exact words; it goes last unless `position` is sent."""
    plan = get_plan(user_of(request), plan_id, Need.WRITE).obj
    data = payload.model_dump()
    if data["position"] is None:
        data["position"] = services.next_position(plan)
    provision = Provision(plan=plan, **data)
    save(provision)
    return Status(201, provision)


@router.put("/plans/{uuid:plan_id}/provisions/order", response={200: ProvisionList, **ERRORS})
def reorder_provisions(request: HttpRequest, plan_id: UUID, payload: OrderIn) -> dict[str, object]:
    """Put the provisions in the order given; sending the same order again changes nothing."""
    plan = get_plan(user_of(request), plan_id, Need.WRITE).obj
    services.reorder_provisions(plan, payload.order)
    provisions = list(plan.provisions.order_by("position", "id"))
    return {"items": provisions, "count": len(provisions)}


@router.get("/provisions/{uuid:provision_id}", response={200: ProvisionOut, **ERRORS})
def get_provision_detail(request: HttpRequest, provision_id: UUID) -> Provision:
    """Return one provision."""
    return get_provision(user_of(request), provision_id).obj


@router.get(
    "/provisions/{uuid:provision_id}/changes", response={200: list[ProvisionChangeOut], **ERRORS}
)
@paginate(Pagination)
def list_provision_changes(request: HttpRequest, provision_id: UUID) -> QuerySet[ProvisionChange]:
    """List the changes made to the provision after its log had entries, oldest first."""
    provision = get_provision(user_of(request), provision_id).obj
    return provision.changes.order_by("changed_at", "id")


@router.patch("/provisions/{uuid:provision_id}", response={200: ProvisionOut, **ERRORS})
def update_provision(
    request: HttpRequest, provision_id: UUID, payload: ProvisionPatch
) -> Provision:
    """Change the fields sent (to record that the school stopped it, use /end).

    Once the log has entries for the provision, the change is recorded (what it said before and
    after, who, when) and shown on the provision's log page.
    """
    user = user_of(request)
    provision = get_provision(user, provision_id, Need.WRITE).obj
    before = services.provision_terms(provision)
    with transaction.atomic():
        apply(provision, payload.model_dump(exclude_unset=True))
        services.note_provision_change(provision, before, user=user, client=client_of(request))
    return provision


@router.delete("/provisions/{uuid:provision_id}", response={204: None, **ERRORS})
def delete_provision(request: HttpRequest, provision_id: UUID) -> Status[None]:
    """Delete a provision entered by mistake; one with log entries can only be ended."""
    provision = get_provision(user_of(request), provision_id, Need.WRITE).obj
    services.delete_provision(provision)
    return Status(204, None)


@router.post("/provisions/{uuid:provision_id}/end", response={200: ProvisionOut, **ERRORS})
def end_provision(request: HttpRequest, provision_id: UUID, payload: EndIn) -> Provision:
    """Record the last day the provision was in effect; it stays in the plan's history."""
    provision = get_provision(user_of(request), provision_id, Need.WRITE).obj
    try:
        services.end_provision(provision, last_day=payload.last_day, reason=payload.reason)
    except ValidationError as exc:
        raise renamed(exc, {"ended_on": "last_day", "ended_reason": "reason"}) from None
    return provision
