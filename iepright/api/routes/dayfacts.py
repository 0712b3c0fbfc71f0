"""Day facts: what was different about a child's day (substitute, assembly, child absent …).

Recorded once per day whatever the outcomes (iepright/logbook/dayfacts.py); the findings compare
days only by them. PUT replaces the day's answer with a new one (the old one is kept in
`history`); `[]` records "nothing was different". Viewers read, editors and owners write.
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema

from iepright.accounts.access import Need
from iepright.api.common import client_of, user_of
from iepright.api.schemas import ERRORS, In
from iepright.logbook import dayfacts
from iepright.logbook.models import DayFacts
from iepright.plans.access import get_child
from iepright.plans.models import Child

router = Router(tags=["log"])


class DayFactsIn(In):
    facts: list[str] = Field(
        description="Circumstance codes (built-in such as `substitute_teacher`, `assembly`, "
        "`child_absent`, or the household's own); `[]` = nothing was different."
    )


class DayFactsVersionOut(Schema):
    facts: list[str]
    recorded_at: dt.datetime
    recorded_by: str
    client: str

    @staticmethod
    def resolve_recorded_by(obj: DayFacts) -> str:
        return obj.recorded_by_name


class DayFactsOut(Schema):
    child: UUID
    day: dt.date
    recorded: bool = Field(description="False: nobody has said what was different that day.")
    facts: list[str] = Field(description="The current answer (empty if not recorded).")
    history: list[DayFactsVersionOut] = Field(description="Every answer recorded, oldest first.")


def _body(child: Child, day: dt.date) -> dict[str, Any]:
    rows = dayfacts.history(child, day)
    return {
        "child": child.public_id,
        "day": day,
        "recorded": bool(rows),
        "facts": rows[-1].facts if rows else [],
        "history": rows,
    }


@router.get("/children/{uuid:child_id}/days/{day}/facts", response={200: DayFactsOut, **ERRORS})
def get_day_facts(request: HttpRequest, child_id: UUID, day: dt.date) -> dict[str, Any]:
    """Return what was recorded as different about the child's day, with its history."""
    child = get_child(user_of(request), child_id).obj
    return _body(child, day)


@router.put("/children/{uuid:child_id}/days/{day}/facts", response={200: DayFactsOut, **ERRORS})
def put_day_facts(
    request: HttpRequest, child_id: UUID, day: dt.date, payload: DayFactsIn
) -> dict[str, Any]:
    """Record what was different about the day (editors and owners); the same answer again
    records nothing new."""
    child = get_child(user_of(request), child_id, Need.WRITE).obj
    dayfacts.record(child, day, payload.facts, user=user_of(request), client=client_of(request))
    return _body(child, day)
