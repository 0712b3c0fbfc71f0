"""Look up a school contact for a user (accounts.access decides)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from iepright.accounts.access import Access, Need, get_for_user
from iepright.accounts.models import User
from iepright.correspondence.models import Contact


def get_contact(user: User | Any, public_id: UUID | str, need: str = Need.READ) -> Access[Contact]:
    """Return the contact and the user's role in its household; 404 or 403 otherwise."""
    queryset = Contact.objects.select_related("child__household")
    return get_for_user(queryset, user, "child__household", public_id, need)
