"""Household operations that touch several rows: creating, inviting, joining, leaving."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iepright.accounts.models import Household, Invitation, Membership, Role, User, hash_secret


@transaction.atomic
def create_household(*, owner: User, name: str, timezone_name: str) -> Household:
    """Create a household with `owner` as its first owner."""
    household = Household(name=name.strip(), timezone=timezone_name)
    household.full_clean()
    household.save()
    Membership.objects.create(household=household, user=owner, role=Role.OWNER)
    return household


@transaction.atomic
def invite(
    *, household: Household, email: str, role: str, invited_by: User
) -> tuple[Invitation, str]:
    """Create an invitation; return it and the raw token for the email link."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose owner, editor or viewer.")})
    if Membership.objects.filter(household=household, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the household.")})
    pending = Invitation.objects.select_for_update().filter(
        household=household, email__iexact=email, status=Invitation.Status.PENDING
    )
    for old in pending:
        if old.is_open():
            raise ValidationError(
                {
                    "email": _(
                        "An invitation to this email address is already waiting for an answer."
                    )
                }
            )
        old.status = Invitation.Status.REVOKED  # expired: make room for a fresh one
        old.save(update_fields=["status"])
    raw, digest = Invitation.new_token()
    invitation = Invitation(
        household=household,
        email=email,
        role=role,
        token_hash=digest,
        invited_by=invited_by,
        expires=Invitation.default_expiry(),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, raw


def find_invitation(raw_token: str) -> Invitation | None:
    """Return the invitation a link's token belongs to, or None."""
    return (
        Invitation.objects.select_related("household", "invited_by")
        .filter(token_hash=hash_secret(raw_token))
        .first()
    )


def _check_open(invitation: Invitation) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            _("This invitation was already %(status)s.")
            % {"status": invitation.get_status_display().lower()}
        )
    if invitation.expires <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask for a new one."))


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Join the household with the invited role; an existing member keeps the higher role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation)
    membership, _ = Membership.objects.get_or_create(
        household=invitation.household, user=user, defaults={"role": invitation.role}
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.responded = timezone.now()
    invitation.save(update_fields=["status", "responded"])
    return membership


@transaction.atomic
def decline_invitation(*, invitation: Invitation) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation)
    invitation.status = Invitation.Status.DECLINED
    invitation.responded = timezone.now()
    invitation.save(update_fields=["status", "responded"])


def revoke_invitation(*, invitation: Invitation) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a waiting invitation can be revoked."))
    invitation.status = Invitation.Status.REVOKED
    invitation.responded = timezone.now()
    invitation.save(update_fields=["status", "responded"])


def _guard_last_owner(membership: Membership) -> None:
    if membership.role == Role.OWNER:
        owners = Membership.objects.select_for_update().filter(
            household_id=membership.household_id, role=Role.OWNER
        )
        if owners.count() <= 1:
            raise ValidationError(
                _("A household needs at least one owner. Make someone else an owner first.")
            )


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose owner, editor or viewer.")})
    if membership.role == Role.OWNER and role != Role.OWNER:
        _guard_last_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    """Remove a member (or let a member leave); the last owner cannot go."""
    _guard_last_owner(membership)
    membership.delete()
