"""Look up a log entry or its evidence for a user (accounts.access decides)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from iepright.accounts.access import Access, Need, get_for_user
from iepright.accounts.models import User
from iepright.logbook.models import Entry, Evidence


def get_entry(user: User | Any, public_id: UUID | str, need: str = Need.READ) -> Access[Entry]:
    """Return the entry and the user's role in its household; 404 or 403 otherwise."""
    queryset = Entry.objects.select_related(
        "child__household", "provision__plan", "reported_contact"
    )
    return get_for_user(queryset, user, "child__household", public_id, need)


def get_evidence(
    user: User | Any, public_id: UUID | str, need: str = Need.READ
) -> Access[Evidence]:
    """Return the evidence file's record and the user's role in its household; 404 or 403."""
    queryset = Evidence.objects.select_related("entry__child__household")
    return get_for_user(queryset, user, "entry__child__household", public_id, need)
