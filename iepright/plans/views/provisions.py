"""Provisions: add in the IEP's words, change, reorder, end on a date, delete a mistake."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from iepright.accounts.access import Need
from iepright.accounts.views import current_user
from iepright.plans import services
from iepright.plans.access import get_plan, get_provision
from iepright.plans.forms import ConfirmForm, EndProvisionForm, ProvisionForm
from iepright.plans.models import Category, Provision
from iepright.plans.views.plans import neighbour_offset


def _plan_anchor(provision: Provision) -> str:
    return reverse("plan_detail", args=[provision.plan.public_id]) + f"#p-{provision.public_id}"


@login_required
@require_http_methods(["GET", "POST"])
def provision_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = get_plan(request.user, public_id, Need.WRITE).obj
    instance = Provision(plan=plan, position=services.next_position(plan))
    # "Save and add another" brings the category along: IEPs list provisions of a kind together.
    category = request.GET.get("category", "")
    initial = {"category": category} if category in Category.values else {}
    form = ProvisionForm(
        request.POST if request.method == "POST" else None, instance=instance, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        provision = form.save()
        count = plan.provisions.count()
        messages.success(
            request,
            _("Provision %(n)s is saved: “%(text)s”.")
            % {"n": count, "text": provision.text[:60] + ("…" if len(provision.text) > 60 else "")},
        )
        if request.POST.get("then") == "another":
            url = reverse("provision_create", args=[plan.public_id])
            return redirect(f"{url}?{urlencode({'category': provision.category})}")
        return redirect(_plan_anchor(provision))
    return render(
        request,
        "plans/provision_form.html",
        {
            "form": form,
            "plan": plan,
            "child": plan.child,
            "provision": None,
            "count": plan.provisions.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provision_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    provision = get_provision(request.user, public_id, Need.WRITE).obj
    before = services.provision_terms(provision)  # the form changes the instance as it validates
    form = ProvisionForm(request.POST if request.method == "POST" else None, instance=provision)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            services.note_provision_change(
                provision, before, user=current_user(request), client="web"
            )
        messages.success(request, _("The provision is saved."))
        return redirect(_plan_anchor(provision))
    return render(
        request,
        "plans/provision_form.html",
        {
            "form": form,
            "plan": provision.plan,
            "child": provision.plan.child,
            "provision": provision,
            "can_delete": services.provision_can_be_deleted(provision),
            "logged": provision.entries.count(),
            "changes": list(provision.changes.all()),
            "tz": provision.plan.child.household.timezone,
        },
    )


@login_required
@require_POST
def provision_move(request: HttpRequest, public_id: UUID) -> HttpResponse:
    provision = get_provision(request.user, public_id, Need.WRITE).obj
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is not None:
        siblings = list(provision.plan.provisions.all())
        offset = neighbour_offset(siblings, provision, step)
        if offset is not None:
            services.move_provision(provision, offset)
            template = _("Moved up: “%(text)s”.") if step < 0 else _("Moved down: “%(text)s”.")
            messages.success(request, template % {"text": provision.text[:60]})
    return redirect(_plan_anchor(provision))


@login_required
@require_http_methods(["GET", "POST"])
def provision_end(request: HttpRequest, public_id: UUID) -> HttpResponse:
    provision = get_provision(request.user, public_id, Need.WRITE).obj
    form = EndProvisionForm(request.POST if request.method == "POST" else None, instance=provision)
    if request.method == "POST" and form.is_valid():
        services.end_provision(
            provision,
            last_day=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["ended_reason"],
        )
        messages.success(
            request,
            _("The provision is marked as ended on %(date)s. It stays in the plan and its history.")
            % {"date": provision.ended_on.isoformat() if provision.ended_on else ""},
        )
        return redirect(_plan_anchor(provision))
    return render(
        request,
        "plans/provision_end.html",
        {
            "form": form,
            "provision": provision,
            "plan": provision.plan,
            "child": provision.plan.child,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provision_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    provision = get_provision(request.user, public_id, Need.WRITE).obj
    plan = provision.plan
    can_delete = services.provision_can_be_deleted(provision)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and can_delete:
        try:
            services.delete_provision(provision)
        except ValidationError:
            can_delete = False  # a log entry arrived between the page and the click
        else:
            messages.success(request, _("The provision is deleted."))
            return redirect("plan_detail", public_id=plan.public_id)
    return render(
        request,
        "plans/provision_delete.html",
        {
            "form": form,
            "provision": provision,
            "plan": plan,
            "child": plan.child,
            "can_delete": can_delete,
        },
        status=409 if request.method == "POST" else 200,
    )
