"""Add and change a child; the child's page with their plan versions.

Deleting a child takes their log with them: logbook/views/removal.py.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from iepright.accounts.access import Need, get_household
from iepright.plans.access import get_child
from iepright.plans.forms import ChildForm
from iepright.plans.models import Child
from iepright.plans.views import today_for


@login_required
@require_http_methods(["GET", "POST"])
def child_create(request: HttpRequest, household_id: UUID) -> HttpResponse:
    household = get_household(request.user, household_id, Need.WRITE).obj
    form = ChildForm(
        request.POST if request.method == "POST" else None, instance=Child(household=household)
    )
    if request.method == "POST" and form.is_valid():
        child = form.save()
        messages.success(
            request,
            _("%(name)s is added. Next, add their IEP or 504 plan.") % {"name": child.name},
        )
        return redirect("child_detail", public_id=child.public_id)
    return render(
        request, "plans/child_form.html", {"form": form, "household": household, "child": None}
    )


@login_required
@require_GET
def child_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_child(request.user, public_id)
    child = access.obj
    today = today_for(child)
    in_force = child.plan_in_force(today)
    plans = list(child.plans.all())  # newest start date first (Plan.Meta.ordering)
    for plan in plans:
        plan.is_current = in_force is not None and plan.pk == in_force.pk  # type: ignore[attr-defined]
        plan.is_past = plan.end_date < today  # type: ignore[attr-defined]
        plan.is_future = plan.start_date > today  # type: ignore[attr-defined]
    return render(
        request,
        "plans/child_detail.html",
        {
            "child": child,
            "household": child.household,
            "plans": plans,
            "in_force": in_force,
            "today": today,
            "can_write": access.can_write,
            "can_manage": access.can_manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_child(request.user, public_id, Need.WRITE)
    child = access.obj
    form = ChildForm(request.POST if request.method == "POST" else None, instance=child)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s's details are saved.") % {"name": child.name})
        return redirect("child_detail", public_id=child.public_id)
    return render(
        request,
        "plans/child_form.html",
        {
            "form": form,
            "household": child.household,
            "child": child,
            "can_manage": access.can_manage,
        },
    )
