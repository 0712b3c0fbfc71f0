"""The home page: the user's households and their children."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from iepright.accounts.access import households_for
from iepright.accounts.models import Membership, Role


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    # One query for the households, one for all their children and one for their owners,
    # however many there are.
    owner_rows = Membership.objects.filter(role=Role.OWNER).select_related("user")
    households = list(
        households_for(request.user).prefetch_related(
            "children", Prefetch("memberships", queryset=owner_rows, to_attr="owners")
        )
    )
    roles = []
    for household in households:
        role = household.my_role  # type: ignore[attr-defined]
        roles.append(role)
        household.can_write = role in (Role.OWNER, Role.EDITOR)  # type: ignore[attr-defined]
        household.can_manage = role == Role.OWNER  # type: ignore[attr-defined]
        household.role_label = Role(role).label  # type: ignore[attr-defined]
        owners: list[Membership] = household.owners
        household.owner_names = [  # type: ignore[attr-defined]
            m.user.display_name() for m in owners if m.user_id != request.user.pk
        ]
    context = {
        "households": households,
        "shared": [h for h, role in zip(households, roles, strict=True) if role != Role.OWNER],
        # Someone who only reads others' records (an advocate) is not offered a household of
        # their own first.
        "viewer_only": bool(roles) and all(role == Role.VIEWER for role in roles),
    }
    return render(request, "accounts/dashboard.html", context)
