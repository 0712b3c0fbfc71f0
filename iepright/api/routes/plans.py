"""Plan versions: list, add, change, delete, copy into a new version, and the signed PDF."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from iepright.accounts.access import Need
from iepright.api.common import Pagination, apply, save, user_of
from iepright.api.schemas import ERRORS, CopyIn, PlanDetailOut, PlanIn, PlanOut, PlanPatch
from iepright.logbook.models import Entry
from iepright.plans import services
from iepright.plans.access import get_child, get_plan
from iepright.plans.models import Plan

router = Router(tags=["plans"])


def _detail(plan_id: int) -> Plan:
    """Return the plan with what PlanDetailOut reads, fetched up front (no query per row)."""
    return (
        Plan.objects.select_related("child", "copied_from")
        .prefetch_related("provisions")
        .get(pk=plan_id)
    )


@router.get("/children/{uuid:child_id}/plans", response={200: list[PlanOut], **ERRORS})
@paginate(Pagination)
def list_plans(request: HttpRequest, child_id: UUID) -> QuerySet[Plan]:
    """List a child's plan versions, newest start date first."""
    child = get_child(user_of(request), child_id).obj
    return Plan.objects.filter(child=child).select_related("child", "copied_from")


@router.post("/children/{uuid:child_id}/plans", response={201: PlanDetailOut, **ERRORS})
def create_plan(request: HttpRequest, child_id: UUID, payload: PlanIn) -> Status[Plan]:
    """Add a plan version (its provisions are added one by one after)."""
    child = get_child(user_of(request), child_id, Need.WRITE).obj
    plan = Plan(child=child, **payload.model_dump())
    save(plan)
    return Status(201, _detail(plan.pk))


@router.get("/plans/{uuid:plan_id}", response={200: PlanDetailOut, **ERRORS})
def get_plan_detail(request: HttpRequest, plan_id: UUID) -> Plan:
    """Return a plan version with its provisions in order."""
    return _detail(get_plan(user_of(request), plan_id).obj.pk)


@router.patch("/plans/{uuid:plan_id}", response={200: PlanDetailOut, **ERRORS})
def update_plan(request: HttpRequest, plan_id: UUID, payload: PlanPatch) -> Plan:
    """Change the fields sent."""
    plan = get_plan(user_of(request), plan_id, Need.WRITE).obj
    apply(plan, payload.model_dump(exclude_unset=True))
    return _detail(plan.pk)


@router.delete("/plans/{uuid:plan_id}", response={204: None, **ERRORS})
def delete_plan(request: HttpRequest, plan_id: UUID) -> Status[None]:
    """Delete a plan version entered by mistake, with its provisions."""
    plan = get_plan(user_of(request), plan_id, Need.WRITE).obj
    if Entry.objects.filter(provision__plan=plan).exists():
        # Log entries are evidence; they keep their provision (PROTECT) and so their plan.
        raise ValidationError(
            _("This plan has log entries, so it cannot be deleted. Start a new version instead.")
        )
    document = plan.document.name if plan.document else ""
    storage = plan.document.storage
    with transaction.atomic():
        plan.delete()
        if document:
            transaction.on_commit(lambda: storage.delete(document))
    return Status(204, None)


@router.post("/plans/{uuid:plan_id}/copy", response={201: PlanDetailOut, **ERRORS})
def copy_plan(request: HttpRequest, plan_id: UUID, payload: CopyIn) -> Status[Plan]:
    """Start a new version (an amendment or the next annual IEP) from this one's provisions."""
    plan = get_plan(user_of(request), plan_id, Need.WRITE).obj
    new = services.copy_plan(
        plan,
        start_date=payload.start_date,
        end_date=payload.end_date,
        label=payload.label,
        meeting_date=payload.meeting_date,
    )
    return Status(201, _detail(new.pk))


@router.post("/plans/{uuid:plan_id}/document", response={200: PlanOut, **ERRORS})
def upload_document(request: HttpRequest, plan_id: UUID, document: File[UploadedFile]) -> Plan:
    """Attach the signed copy (PDF only, checked by its content); replaces any earlier one."""
    plan = get_plan(user_of(request), plan_id, Need.WRITE).obj
    services.attach_document(plan, document)
    return _detail(plan.pk)


@router.get(
    "/plans/{uuid:plan_id}/document",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The signed copy, as uploaded.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_document(request: HttpRequest, plan_id: UUID) -> FileResponse:
    """Download the signed copy under its original file name."""
    plan = get_plan(user_of(request), plan_id).obj
    if not plan.document:
        raise Http404("This plan has no signed copy.")
    response = FileResponse(
        plan.document.open("rb"),
        as_attachment=True,
        filename=plan.document_name or "plan.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
