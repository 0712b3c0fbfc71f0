"""Households: read only here (they are created, renamed and shared from the site's pages)."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from iepright.accounts.access import get_household, households_for
from iepright.accounts.models import Household
from iepright.api.common import Pagination, user_of
from iepright.api.schemas import ERRORS, HouseholdDetailOut, HouseholdOut

router = Router(tags=["households"])


@router.get("/households", response={200: list[HouseholdOut], **ERRORS})
@paginate(Pagination)
def list_households(request: HttpRequest) -> QuerySet[Household]:
    """List the households you belong to, with your role in each."""
    return households_for(user_of(request)).order_by("name", "id")


@router.get("/households/{uuid:household_id}", response={200: HouseholdDetailOut, **ERRORS})
def get_household_detail(request: HttpRequest, household_id: UUID) -> Household:
    """Return one household with its members' names and roles (never their emails)."""
    household = get_household(user_of(request), household_id).obj
    memberships = household.memberships.select_related("user").order_by("created", "id")
    members = [{"name": m.user.display_name(), "role": m.role} for m in memberships]
    setattr(household, "members", members)  # noqa: B010 - read by HouseholdDetailOut
    return household
