"""The home page: the user's households and their children."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from iepright.accounts.access import households_for
from iepright.accounts.models import Role


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    # One query for the households and one for all their children, however many there are.
    households = list(households_for(request.user).prefetch_related("children"))
    for household in households:
        role = household.my_role  # type: ignore[attr-defined]
        household.can_write = role in (Role.OWNER, Role.EDITOR)  # type: ignore[attr-defined]
        household.can_manage = role == Role.OWNER  # type: ignore[attr-defined]
        household.role_label = Role(role).label  # type: ignore[attr-defined]
    return render(request, "accounts/dashboard.html", {"households": households})
