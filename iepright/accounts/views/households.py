"""Create and rename a household (deleting one, with its log, is logbook/views/removal.py)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from iepright.accounts import services
from iepright.accounts.access import Need, get_household
from iepright.accounts.forms import HouseholdForm
from iepright.accounts.views import current_user


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.create_household(
                owner=current_user(request),
                name=form.cleaned_data["name"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The household “%(name)s” is created. Next, add your child.")
                % {"name": household.name},
            )
            return redirect("dashboard")
    return render(request, "accounts/household_form.html", {"form": form, "household": None})


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    household = get_household(request.user, public_id, Need.MANAGE).obj
    form = HouseholdForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The household is saved."))
        return redirect("dashboard")
    return render(request, "accounts/household_form.html", {"form": form, "household": household})
