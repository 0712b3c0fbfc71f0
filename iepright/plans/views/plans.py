"""Plan versions: add, read (the IEP as the parent reads it), change, copy, delete, signed copy."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from iepright.accounts.access import Need
from iepright.plans import services
from iepright.plans.access import get_child, get_plan
from iepright.plans.forms import ConfirmForm, CopyPlanForm, DocumentForm, PlanForm, add_errors
from iepright.plans.models import Plan, Provision
from iepright.plans.views import bound, today_for


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    child = get_child(request.user, public_id, Need.WRITE).obj
    form = PlanForm(request.POST if request.method == "POST" else None, instance=Plan(child=child))
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(
            request,
            _("The plan is saved. Now add its provisions, one by one, in the IEP's words."),
        )
        return redirect("provision_create", public_id=plan.public_id)
    return render(request, "plans/plan_form.html", {"form": form, "child": child, "plan": None})


@dataclass
class Group:
    """The provisions of one category, in the parent's order."""

    label: str
    provisions: list[Provision] = field(default_factory=list)


def group_provisions(provisions: list[Provision]) -> list[Group]:
    """Return the provisions grouped by category, groups in order of first appearance."""
    groups: dict[str, Group] = {}
    for provision in provisions:
        group = groups.setdefault(provision.category, Group(provision.get_category_display()))
        group.provisions.append(provision)
    return list(groups.values())


def neighbour_offset(provisions: list[Provision], provision: Provision, step: int) -> int | None:
    """Return how far to move `provision` to pass its neighbour of the same category.

    The page shows provisions grouped by category, so "Move up" means "before the previous
    provision in this group", however many provisions of other kinds lie between them.
    """
    index = next(i for i, p in enumerate(provisions) if p.pk == provision.pk)
    i = index + step
    while 0 <= i < len(provisions):
        if provisions[i].category == provision.category:
            return i - index
        i += step
    return None


@login_required
@require_GET
def plan_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_plan(request.user, public_id)
    plan = access.obj
    child = plan.child
    provisions = list(plan.provisions.all())
    for p in provisions:
        p.can_move_up = neighbour_offset(provisions, p, -1) is not None  # type: ignore[attr-defined]
        p.can_move_down = neighbour_offset(provisions, p, 1) is not None  # type: ignore[attr-defined]
    today = today_for(child)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "child": child,
            "groups": group_provisions(provisions),
            "services": [p for p in provisions if p.is_service()],
            "provision_count": len(provisions),
            "is_current": plan.is_in_force(today),
            "is_past": plan.end_date < today,
            "is_future": plan.start_date > today,
            "can_write": access.can_write,
            "can_manage": access.can_manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_plan(request.user, public_id, Need.WRITE)
    plan = access.obj
    form = PlanForm(request.POST if request.method == "POST" else None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The plan's details are saved."))
        return redirect("plan_detail", public_id=plan.public_id)
    return render(
        request,
        "plans/plan_form.html",
        {"form": form, "child": plan.child, "plan": plan, "can_manage": access.can_manage},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_copy(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = get_plan(request.user, public_id, Need.WRITE).obj
    form = CopyPlanForm(
        request.POST if request.method == "POST" else None, initial={"label": plan.label}
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.copy_plan(plan, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The new version is saved with the provisions copied over. Change what the "
                    "amendment changed; the previous version stays as it was."
                ),
            )
            return redirect("plan_detail", public_id=new.public_id)
    return render(
        request, "plans/plan_copy.html", {"form": form, "plan": plan, "child": plan.child}
    )


def plan_has_log_entries(plan: Plan) -> bool:
    """Return True if any provision of the plan has log entries (and so must be kept)."""
    return any(not services.provision_can_be_deleted(p) for p in plan.provisions.all())


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = get_plan(request.user, public_id, Need.MANAGE).obj
    child = plan.child
    blocked = plan_has_log_entries(plan)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not blocked:
        document = plan.document.name if plan.document else ""
        storage = plan.document.storage
        with transaction.atomic():
            plan.delete()
            if document:
                transaction.on_commit(lambda: storage.delete(document))
        messages.success(request, _("The plan version is deleted."))
        return redirect("child_detail", public_id=child.public_id)
    return render(
        request,
        "plans/plan_delete.html",
        {
            "plan": plan,
            "child": child,
            "form": form,
            "blocked": blocked,
            "provisions": plan.provisions.count(),
        },
        status=409 if blocked and request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_document(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = get_plan(request.user, public_id, Need.WRITE).obj
    form = DocumentForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_document(plan, form.cleaned_data["document"])
        except ValidationError as exc:
            add_errors(form, exc, "document")
        else:
            messages.success(
                request,
                _("The signed copy “%(name)s” is saved.") % {"name": plan.document_name},
            )
            return redirect("plan_detail", public_id=plan.public_id)
    return render(
        request, "plans/plan_document.html", {"form": form, "plan": plan, "child": plan.child}
    )


@login_required
@require_GET
def plan_document_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    plan = get_plan(request.user, public_id).obj
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
