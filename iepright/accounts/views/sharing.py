"""Who shares a household: members and roles, invitations sent, and the invitation link page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from iepright.accounts import emails, services
from iepright.accounts.access import Need, get_household, get_membership
from iepright.accounts.forms import InviteForm, MemberForm
from iepright.accounts.models import ROLE_HELP, Household, Invitation, Membership, Role
from iepright.accounts.views import INVITATION_SESSION_KEY, current_user


def _roles() -> list[dict[str, Any]]:
    return [{"value": r.value, "label": r.label, "help": ROLE_HELP[r]} for r in Role]


def _first_message(exc: ValidationError) -> str:
    return str(exc.messages[0]) if exc.messages else _("That did not work.")


def _sharing_page(
    request: HttpRequest, household: Household, role: str, form: InviteForm
) -> HttpResponse:
    members = list(household.memberships.select_related("user"))
    can_manage = role == Role.OWNER
    invitations = (
        list(household.invitations.filter(status=Invitation.Status.PENDING)) if can_manage else []
    )
    context = {
        "household": household,
        "members": members,
        "my_role": role,
        "can_manage": can_manage,
        "roles": _roles(),
        "form": form,
        "invitations": invitations,
        "me": request.user,
    }
    return render(request, "accounts/sharing.html", context)


def _send_invitation(request: HttpRequest, invitation: Invitation, raw: str) -> None:
    inviter = current_user(request)
    emails.send(
        "invitation",
        invitation.email,
        {
            "household": invitation.household,
            "inviter": inviter.display_name(),
            "role": Role(invitation.role).label,
            "role_help": ROLE_HELP[Role(invitation.role)],
            "accept_url": settings.SITE_URL + reverse("invitation_detail", args=[raw]),
            "expires": invitation.expires,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_sharing(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Show members; on POST (owners only) invite someone by email."""
    need = Need.MANAGE if request.method == "POST" else Need.READ
    access = get_household(request.user, public_id, need)
    household = access.obj
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, raw = services.invite(
                household=household,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=current_user(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _send_invitation(request, invitation, raw)
            messages.success(
                request,
                _("Invitation sent to %(email)s. It works for 14 days.")
                % {"email": invitation.email},
            )
            return redirect("household_sharing", household.public_id)
    return _sharing_page(request, household, access.role, form)


def _member(request: HttpRequest, household: Household) -> tuple[Membership, str]:
    """Return the member picked in the POST and the role asked for; 404 if not in household."""
    form = MemberForm(request.POST, household=household)
    if not form.is_valid():
        if "member" in form.errors:
            raise Http404("No such member.")
        return form.cleaned_data["member"], ""
    return form.cleaned_data["member"], form.cleaned_data.get("role") or ""


@login_required
@require_POST
def member_role(request: HttpRequest, public_id: UUID) -> HttpResponse:
    household = get_household(request.user, public_id, Need.MANAGE).obj
    membership, role = _member(request, household)
    try:
        services.change_role(membership=membership, role=role)
    except ValidationError as exc:
        messages.error(request, _first_message(exc))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user.display_name(), "role": Role(role).label.lower()},
        )
    return redirect("household_sharing", household.public_id)


@login_required
@require_POST
def member_remove(request: HttpRequest, public_id: UUID) -> HttpResponse:
    household = get_household(request.user, public_id, Need.MANAGE).obj
    membership, _role = _member(request, household)
    leaving = membership.user_id == current_user(request).pk
    try:
        services.remove_member(membership=membership)
    except ValidationError as exc:
        messages.error(request, _first_message(exc))
        return redirect("household_sharing", household.public_id)
    messages.success(
        request,
        _("%(name)s no longer has access to this household.")
        % {"name": membership.user.display_name()},
    )
    if leaving:
        return redirect("dashboard")
    return redirect("household_sharing", household.public_id)


@login_required
@require_POST
def household_leave(request: HttpRequest, public_id: UUID) -> HttpResponse:
    household = get_household(request.user, public_id, Need.READ).obj
    membership = get_membership(request.user, household)
    if membership is None:  # pragma: no cover - get_household already 404s for outsiders
        raise Http404("No such household.")
    try:
        services.remove_member(membership=membership)
    except ValidationError as exc:
        messages.error(request, _first_message(exc))
        return redirect("household_sharing", household.public_id)
    messages.success(request, _("You left the household “%(name)s”.") % {"name": household.name})
    return redirect("dashboard")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, public_id: UUID, invitation_id: UUID) -> HttpResponse:
    household = get_household(request.user, public_id, Need.MANAGE).obj
    invitation = household.invitations.filter(public_id=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    try:
        services.revoke_invitation(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, _first_message(exc))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is cancelled. The link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("household_sharing", household.public_id)


# The invitation link page -------------------------------------------------------------------


def _closed_reason(invitation: Invitation) -> str | None:
    """Return why the invitation can no longer be answered, or None if it is still open."""
    if invitation.status == Invitation.Status.ACCEPTED:
        return _("This invitation was already accepted. Each link works once.")
    if invitation.status == Invitation.Status.DECLINED:
        return _("This invitation was declined. Ask for a new one if you want to join.")
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation was cancelled by the person who sent it.")
    if not invitation.is_open():
        return _("This invitation has expired. Ask for a new one.")
    return None


def _invalid(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    request.session.pop(INVITATION_SESSION_KEY, None)
    return render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=status)


def _open_invitation(request: HttpRequest, token: str) -> Invitation | HttpResponse:
    """Return the open invitation for the link's token, or a page explaining why not."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return _invalid(
            request,
            _(
                "This invitation link does not work. Check that you opened the whole link from "
                "the email, or ask for a new invitation."
            ),
            404,
        )
    reason = _closed_reason(invitation)
    if reason:
        return _invalid(request, reason, 410)
    return invitation


@require_http_methods(["GET"])
def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    found = _open_invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation = found
    member = False
    if request.user.is_authenticated:
        member = get_membership(request.user, invitation.household) is not None
    else:
        # Keep the link while the visitor logs in or signs up, then bring them back here.
        request.session[INVITATION_SESSION_KEY] = token
    context = {
        "invitation": invitation,
        "token": token,
        "role": Role(invitation.role).label,
        "role_help": ROLE_HELP[Role(invitation.role)],
        "inviter": invitation.invited_by.display_name() if invitation.invited_by else "",
        "already_member": member,
    }
    return render(request, "accounts/invitation.html", context)


@require_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        return redirect("invitation_detail", token)
    found = _open_invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    try:
        membership = services.accept_invitation(invitation=found, user=current_user(request))
    except ValidationError as exc:  # answered in the meantime
        return _invalid(request, _first_message(exc), 410)
    request.session.pop(INVITATION_SESSION_KEY, None)
    messages.success(
        request,
        _("You joined “%(name)s” as %(role)s.")
        % {"name": found.household.name, "role": Role(membership.role).label.lower()},
    )
    return redirect("dashboard")


@require_POST
def invitation_decline(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        return redirect("invitation_detail", token)
    found = _open_invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    try:
        services.decline_invitation(invitation=found)
    except ValidationError as exc:
        return _invalid(request, _first_message(exc), 410)
    request.session.pop(INVITATION_SESSION_KEY, None)
    messages.success(request, _("You declined the invitation. Nothing was shared with you."))
    return redirect("dashboard")
