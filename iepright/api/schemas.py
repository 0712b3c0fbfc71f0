"""Request and response bodies of the JSON API.

Every object is named by `id`, its public UUID; integer keys never leave the server. Dates are
ISO strings ("2026-09-16"). Input schemas forbid unknown keys so a misspelt field is a 422
naming it rather than a silent no-op. Enumerated values (category, period, …) are plain strings
here and are checked against the model's choices by full_clean(), so the API and the pages
accept exactly the same values; each field's description lists them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import TextChoices
from ninja import Field, Schema
from pydantic import ConfigDict

from iepright.plans.models import CalendarEvent, Category, Delivery, Location, Period, PlanType


def _one_of(choices: type[TextChoices], blank: bool = False) -> str:
    values = ", ".join(f"`{value}`" for value in choices.values)
    return f"One of {values}" + (', or "" for none.' if blank else ".")


class PublicOut(Schema):
    """An object the API names by its public id (a UUID), never by its database key."""

    id: UUID

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id  # type: ignore[no-any-return]


class In(Schema):
    """Base of every request body: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


# Errors and lists ------------------------------------------------------------------------------


class FieldError(Schema):
    field: str = Field(description='The field at fault; "" means the request as a whole.')
    message: str


class ErrorDetail(Schema):
    status: int
    code: str = Field(
        description="unauthenticated, forbidden, not_found, validation_error, or bad_request."
    )
    message: str
    fields: list[FieldError]


class ErrorOut(Schema):
    error: ErrorDetail


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# Households ------------------------------------------------------------------------------------


class HouseholdOut(PublicOut):
    name: str
    timezone: str = Field(description="IANA time zone in which school dates are computed.")
    my_role: str = Field(description="Your role: owner, editor or viewer.")


class MemberOut(Schema):
    name: str
    role: str


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]


# Children --------------------------------------------------------------------------------------


class ChildOut(PublicOut):
    household: UUID
    name: str
    date_of_birth: dt.date | None
    grade: str
    school: str
    district: str
    state: str = Field(description="Two-letter code, such as TX.")
    timezone: str = Field(description="The household's time zone (read-only here).")

    @staticmethod
    def resolve_household(obj: Any) -> UUID:
        return obj.household.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_timezone(obj: Any) -> str:
        return obj.household.timezone  # type: ignore[no-any-return]


class ChildIn(In):
    household: UUID = Field(description="The household the child belongs to.")
    name: str
    date_of_birth: dt.date | None = None
    grade: str = ""
    school: str = ""
    district: str = ""
    state: str = Field(description="Two-letter code, such as TX.")


class ChildPatch(In):
    name: str | None = None
    date_of_birth: dt.date | None = None
    grade: str | None = None
    school: str | None = None
    district: str | None = None
    state: str | None = None


WEEKDAYS_TEXT = (
    "The service's usual days from the IEP's service grid, as ISO weekday digits: 1 = Monday "
    '… 7 = Sunday, such as "24" for Tuesday and Thursday; "" for none. Only for a timed service '
    "given weekly, and no more days than its sessions per week. Marking a whole day delivered "
    "on the check-in page includes a weekly service only on these days."
)


# Provisions ------------------------------------------------------------------------------------


class ProvisionOut(PublicOut):
    position: int
    category: str
    text: str
    applies: str
    sessions_per_period: int | None
    minutes_per_session: int | None
    period: str
    weekdays: str = Field(description=WEEKDAYS_TEXT)
    location: str
    setting: str
    provider_role: str
    delivery: str
    group_size: str
    start_date: dt.date | None
    end_date: dt.date | None
    ended_on: dt.date | None
    ended_reason: str
    frequency_text: str = Field(description='Read-only, e.g. "2 × 30 min per week".')
    is_service: bool = Field(description="Read-only: true when minutes per session are set.")

    @staticmethod
    def resolve_frequency_text(obj: Any) -> str:
        return str(obj.frequency_text())

    @staticmethod
    def resolve_is_service(obj: Any) -> bool:
        return bool(obj.is_service())


class ProvisionChangeOut(Schema):
    """A change made to a provision after its log had entries (read-only)."""

    changed_at: dt.datetime
    changed_by: str = Field(description="The name of who made it, as it was then.")
    client: str = Field(description='How it arrived: "web" or "api:<token name>".')
    entries: int = Field(description="Log entries for the provision when it was made.")
    before: dict[str, Any] = Field(description="The terms that changed, as they were.")
    after: dict[str, Any] = Field(description="The same terms, as changed.")

    @staticmethod
    def resolve_changed_by(obj: Any) -> str:
        return str(obj.changed_by_name)


class ProvisionIn(In):
    position: int | None = Field(None, description="Defaults to after the last provision.")
    category: str = Field(description=_one_of(Category))
    text: str = Field(description="The exact words of the IEP.")
    applies: str = ""
    sessions_per_period: int | None = None
    minutes_per_session: int | None = None
    period: str = Field("", description=_one_of(Period, blank=True))
    weekdays: str = Field("", description=WEEKDAYS_TEXT)
    location: str = Field("", description=_one_of(Location, blank=True))
    setting: str = ""
    provider_role: str = ""
    delivery: str = Field("", description=_one_of(Delivery, blank=True))
    group_size: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class ProvisionPatch(In):
    position: int | None = None
    category: str | None = Field(None, description=_one_of(Category))
    text: str | None = None
    applies: str | None = None
    sessions_per_period: int | None = None
    minutes_per_session: int | None = None
    period: str | None = Field(None, description=_one_of(Period, blank=True))
    weekdays: str | None = Field(None, description=WEEKDAYS_TEXT)
    location: str | None = Field(None, description=_one_of(Location, blank=True))
    setting: str | None = None
    provider_role: str | None = None
    delivery: str | None = Field(None, description=_one_of(Delivery, blank=True))
    group_size: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    ended_on: dt.date | None = Field(None, description="Send null to undo an ending.")
    ended_reason: str | None = None


class EndIn(In):
    last_day: dt.date = Field(description="The last day the provision was in effect.")
    reason: str = ""


class OrderIn(In):
    order: list[UUID] = Field(description="Every provision id of the plan, each exactly once.")


class ProvisionList(Schema):
    items: list[ProvisionOut]
    count: int


# Plans -----------------------------------------------------------------------------------------


class DocumentOut(Schema):
    name: str = Field(description="The file name as uploaded.")
    size: int | None
    sha256: str


class PlanOut(PublicOut):
    child: UUID
    plan_type: str = Field(description=_one_of(PlanType))
    label: str
    title: str
    meeting_date: dt.date | None
    start_date: dt.date
    end_date: dt.date
    document: DocumentOut | None = Field(description="The signed copy, if uploaded.")
    copied_from: UUID | None
    created: dt.datetime
    updated: dt.datetime

    @staticmethod
    def resolve_child(obj: Any) -> UUID:
        return obj.child.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.title())

    @staticmethod
    def resolve_document(obj: Any) -> dict[str, Any] | None:
        if not obj.document:
            return None
        return {"name": obj.document_name, "size": obj.document_size, "sha256": obj.document_sha256}

    @staticmethod
    def resolve_copied_from(obj: Any) -> UUID | None:
        return obj.copied_from.public_id if obj.copied_from_id else None


class PlanDetailOut(PlanOut):
    provisions: list[ProvisionOut]

    @staticmethod
    def resolve_provisions(obj: Any) -> list[Any]:
        return list(obj.provisions.all())


class PlanIn(In):
    plan_type: str = Field("iep", description=_one_of(PlanType))
    label: str = ""
    meeting_date: dt.date | None = None
    start_date: dt.date
    end_date: dt.date


class PlanPatch(In):
    plan_type: str | None = Field(None, description=_one_of(PlanType))
    label: str | None = None
    meeting_date: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class CopyIn(In):
    start_date: dt.date
    end_date: dt.date
    label: str = ""
    meeting_date: dt.date | None = None


class PlanInForceOut(Schema):
    date: dt.date
    plan: PlanDetailOut | None = Field(description="null when no plan is in force that day.")


# Calendars -------------------------------------------------------------------------------------


class EventOut(PublicOut):
    kind: str = Field(description=_one_of(CalendarEvent.Kind))
    name: str
    start_date: dt.date
    end_date: dt.date


class EventIn(In):
    kind: str = Field("closed", description=_one_of(CalendarEvent.Kind))
    name: str = ""
    start_date: dt.date
    end_date: dt.date = Field(description="Inclusive.")


class EventPatch(In):
    kind: str | None = Field(None, description=_one_of(CalendarEvent.Kind))
    name: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class CalendarOut(PublicOut):
    child: UUID
    school_year: str = Field(description="Such as 2026-2027.")
    first_day: dt.date
    last_day: dt.date
    weekdays: str = Field(description="ISO weekday digits on which school meets, such as 12345.")

    @staticmethod
    def resolve_child(obj: Any) -> UUID:
        return obj.child.public_id  # type: ignore[no-any-return]


class CalendarDetailOut(CalendarOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


class CalendarIn(In):
    school_year: str = Field(description="Such as 2026-2027.")
    first_day: dt.date
    last_day: dt.date
    weekdays: str = "12345"


class CalendarPatch(In):
    school_year: str | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    weekdays: str | None = None


class ImportOut(Schema):
    closed: int = Field(description="Closures added.")
    early_release: int = Field(description="Early-release days added.")
    first_day_set: bool
    last_day_set: bool
    skipped: list[str] = Field(description="Events not imported, each with its date and why.")
    notes: list[str] = Field(
        description="What the import simplified and the user should check by hand: repeating "
        "events it did not expand (only the first date imported), events marked cancelled."
    )


class SchoolDayOut(Schema):
    date: dt.date
    early_release: bool


class SchoolDaysOut(Schema):
    start: dt.date = Field(alias="from")
    to: dt.date
    count: int
    calendar_on_file: bool = Field(
        description="false when no school calendar covers the child: then nothing is counted."
    )
    days: list[SchoolDayOut]

    model_config = ConfigDict(populate_by_name=True)


class DayStatusOut(Schema):
    date: dt.date
    is_school_day: bool
    status: str = Field(description="school_day, early_release, weekend, closed or outside_year.")
    closure_name: str | None = Field(description="The closure's name when status is closed.")


# Contacts --------------------------------------------------------------------------------------


class ContactOut(PublicOut):
    child: UUID
    name: str
    role: str
    email: str
    phone: str
    notes: str

    @staticmethod
    def resolve_child(obj: Any) -> UUID:
        return obj.child.public_id  # type: ignore[no-any-return]


class ContactIn(In):
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


class ContactPatch(In):
    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
