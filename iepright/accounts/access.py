"""The one place that decides which records a user may see and change.

Every page and API route looks objects up through `get_for_user`, by way of each area's typed
getters (`plans/access.py`, `correspondence/access.py`, `logbook/access.py`): accounts knows
households and roles, not the records in them. Each lookup returns the object together with the
user's membership in its household: an object outside the user's households is a 404 (it does not
exist for them); a write by a member whose role does not allow it is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import F, Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from iepright.accounts.models import Household, Membership, Role, User

M = TypeVar("M", bound=Model)


class Need:
    """What the caller intends to do with the object."""

    READ = "read"
    WRITE = "write"
    MANAGE = "manage"


@dataclass(frozen=True)
class Access(Generic[M]):
    obj: M
    household_id: int
    role: str

    @property
    def can_write(self) -> bool:
        return self.role in (Role.OWNER, Role.EDITOR)

    @property
    def can_manage(self) -> bool:
        return self.role == Role.OWNER


def _allowed(role: str, need: str) -> bool:
    if need == Need.READ:
        return True
    if need == Need.WRITE:
        return role in (Role.OWNER, Role.EDITOR)
    return role == Role.OWNER


def households_for(user: User | Any) -> QuerySet[Household]:
    """Return the households the user belongs to, each annotated with `my_role`."""
    if not getattr(user, "is_authenticated", False):
        return Household.objects.none()
    return Household.objects.filter(memberships__user=user).annotate(my_role=F("memberships__role"))


def scoped(queryset: QuerySet[M], user: User | Any, household_path: str) -> QuerySet[M]:
    """Return `queryset` limited to the user's households, annotated with `my_role`.

    `household_path` is the lookup from the model to its Household, e.g. "child__household".
    """
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    prefix = f"{household_path}__" if household_path else ""
    # filter() then annotate() on the same relation reuses one join, so my_role is the role of
    # *this* user's membership row.
    limited = queryset.filter(**{f"{prefix}memberships__user": user}).annotate(
        my_role=F(f"{prefix}memberships__role"),
        my_household_id=F(f"{prefix}id") if prefix else F("id"),
    )
    return cast("QuerySet[M]", limited)


def get_for_user(
    queryset: QuerySet[M],
    user: User | Any,
    household_path: str,
    public_id: UUID | str,
    need: str = Need.READ,
) -> Access[M]:
    """Return the object with this public id and the user's role; 404 or 403 otherwise."""
    try:
        obj = scoped(queryset, user, household_path).get(public_id=public_id)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        # A malformed id names no record either.
        raise Http404("No such record.") from exc
    role: str = obj.my_role  # type: ignore[attr-defined]
    if not _allowed(role, need):
        raise PermissionDenied(
            _("Your role in this household can read but not change records.")
            if need == Need.WRITE
            else _("Only an owner of the household can do this.")
        )
    return Access(obj=obj, household_id=obj.my_household_id, role=role)  # type: ignore[attr-defined]


def get_household(
    user: User | Any, public_id: UUID | str, need: str = Need.READ
) -> Access[Household]:
    return get_for_user(Household.objects.all(), user, "", public_id, need)


def get_membership(user: User | Any, household: Household) -> Membership | None:
    """Return the user's membership in `household`, or None."""
    return Membership.objects.filter(household=household, user=user).first()
