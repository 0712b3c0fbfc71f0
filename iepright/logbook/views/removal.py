"""The pages that delete what the log points at: a school contact, a child, a household.

Each page asks to confirm, then calls logbook.removal, which knows the log's rows; the pages
stay in the templates of their own areas (correspondence/, plans/, accounts/).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from iepright.accounts.access import Need, get_household
from iepright.accounts.forms import DeleteHouseholdForm
from iepright.accounts.views import current_user
from iepright.correspondence.access import get_contact
from iepright.logbook import removal
from iepright.logbook.models import Entry
from iepright.plans.access import get_child
from iepright.plans.forms import ConfirmForm


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    contact = get_contact(request.user, public_id, Need.WRITE).obj
    child = contact.child
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = contact.name
        removal.delete_contact(contact, user=current_user(request), client="web")
        messages.success(request, _("%(name)s is deleted from the contacts.") % {"name": name})
        return redirect("contact_list", public_id=child.public_id)
    return render(
        request,
        "correspondence/contact_delete.html",
        {
            "form": form,
            "child": child,
            "contact": contact,
            "naming": Entry.objects.filter(reported_contact=contact).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    child = get_child(request.user, public_id, Need.MANAGE).obj
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = child.name
        removal.delete_child(child)
        messages.success(
            request, _("%(name)s and all of their records are deleted.") % {"name": name}
        )
        return redirect("dashboard")
    return render(
        request,
        "plans/child_delete.html",
        {
            "child": child,
            "form": form,
            "plans": child.plans.count(),
            "entries": child.entries.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    household = get_household(request.user, public_id, Need.MANAGE).obj
    form = DeleteHouseholdForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        name = household.name
        removal.delete_household(household=household)
        messages.success(
            request, _("The household “%(name)s” and all its records are deleted.") % {"name": name}
        )
        return redirect("dashboard")
    children = household.children.count()
    return render(
        request,
        "accounts/household_delete.html",
        {"form": form, "household": household, "children": children},
    )
