"""Request and response bodies of the daily-log API (entries, their history and evidence).

The same conventions as iepright/api/schemas.py: objects are named by `id` (their public UUID),
dates are ISO strings, input bodies refuse unknown keys. Values such as `status` are plain
strings checked by iepright/logbook/services.py, so the API and the pages accept the same input.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import BeforeValidator, StrictInt

from iepright.api.schemas import ERRORS, ErrorOut, In, PublicOut
from iepright.logbook import changes
from iepright.logbook.models import Source, Status
from iepright.rules import entries as rules

# The write route answers 409 when an idempotency key is reused for different content.
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 409: ErrorOut}


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    # pydantic would also take a timestamp, a datetime at midnight or "20261128" (read as a
    # timestamp, with a message about seconds): a day is written one way only.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError(gettext("Use the format YYYY-MM-DD, such as 2026-11-28."))
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def limit(characters: int) -> dict[str, Any]:
    """Return the OpenAPI note of a text's length limit, which the entry rules enforce (so an
    overlong text is refused in the same words as on the pages, not in pydantic's)."""
    return {"maxLength": characters}


def _one_of(values: list[str]) -> str:
    return "One of " + ", ".join(f"`{value}`" for value in values) + "."


class EvidenceOut(PublicOut):
    name: str = Field(description="The file name as uploaded.")
    size: int
    type: str = Field(description="The type read from the file's content, not from its name.")
    sha256: str
    url: str = Field(description="Where to download the file.")
    uploaded_at: dt.datetime
    removed: bool = Field(description="true once detached; the file stays for the history.")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.original_name  # type: ignore[no-any-return]

    @staticmethod
    def resolve_type(obj: Any) -> str:
        return obj.content_type  # type: ignore[no-any-return]

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("api:download_evidence", kwargs={"evidence_id": obj.public_id})

    @staticmethod
    def resolve_removed(obj: Any) -> bool:
        return obj.removed_at is not None


class LateChangeOut(Schema):
    on: dt.date = Field(description="The day of the change, in the household's time zone.")
    days_after: int = Field(description="Days between the school day and the change.")
    field: str = Field(description='"status", "minutes_delivered" or "circumstances".')
    old: Any = Field(description='The value before; for status, "deleted" if it was deleted.')
    new: Any = Field(description='The value after; for status, "deleted" if the change deleted it.')


class EntryOut(PublicOut):
    child: UUID
    provision: UUID
    event_date: dt.date
    status: str = Field(description=_one_of(Status.values))
    circumstances: list[str] = Field(description="Circumstance codes.")
    source: str = Field(description=_one_of(Source.values) + ' Or "".')
    reported_by: str
    reported_contact: UUID | None
    minutes_delivered: int | None
    note: str
    recorded_at: dt.datetime = Field(description="When it was first recorded (server time).")
    recorded_by: str = Field(description="The name of who first recorded it.")
    recorded_late: bool = Field(
        description="true when first recorded more than 2 days after the school day."
    )
    days_late: int = Field(description="Days between the school day and the first recording.")
    changed_late: list[LateChangeOut] = Field(
        description="Changes to status, minutes or circumstances (deleting included) made more "
        "than 2 days after the school day, oldest first: each is marked changed N days later."
    )
    client: str = Field(description='Where it was first recorded from: "web", "api:<token>", …')
    updated_at: dt.datetime
    revision_count: int = Field(description="How many revisions the entry has.")
    revision: int = Field(
        description="The entry's current revision number (also its `ETag`): send it back as "
        "`expected_revision` or `If-Match` so a stale change is refused."
    )
    deleted: bool = Field(description="Deleted entries are kept and shown as deleted.")
    deleted_at: dt.datetime | None
    evidence: list[EvidenceOut] = Field(description="Attached files (not the removed ones).")

    @staticmethod
    def resolve_child(obj: Any) -> UUID:
        return obj.child.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_provision(obj: Any) -> UUID:
        return obj.provision.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_reported_contact(obj: Any) -> UUID | None:
        return obj.reported_contact.public_id if obj.reported_contact_id else None

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str:
        return str(obj.recorded_by.display_name()) if obj.recorded_by_id else ""

    @staticmethod
    def resolve_days_late(obj: Any) -> int:
        return int(obj.days_late())

    @staticmethod
    def resolve_changed_late(obj: Any) -> list[Any]:
        return changes.of_entry(obj, ZoneInfo(obj.child.household.timezone))

    @staticmethod
    def resolve_revision(obj: Any) -> int:
        return int(obj.revision_count)

    @staticmethod
    def resolve_deleted(obj: Any) -> bool:
        return obj.deleted_at is not None

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        known = getattr(obj, "live_evidence", None)
        if known is not None:
            return list(known)
        return [e for e in obj.evidence.all() if e.removed_at is None]


class EntryIn(In):
    provision: UUID = Field(description="One of this child's provisions.")
    event_date: IsoDate = Field(
        description="The school day (YYYY-MM-DD), in the household's time zone."
    )
    status: str | None = Field(None, description=_one_of(Status.values))
    circumstances: list[str] | None = Field(None, description="Circumstance codes.")
    source: str | None = Field(None, description=_one_of(Source.values) + ' Or "".')
    reported_by: str | None = Field(None, json_schema_extra=limit(rules.MAX_REPORTED_BY))
    reported_contact: UUID | None = Field(None, description="One of this child's contacts.")
    minutes_delivered: StrictInt | None = Field(
        None, description="Timed services only; at most one session."
    )
    note: str | None = Field(None, json_schema_extra=limit(rules.MAX_NOTE))
    reason: str = Field(
        "",
        description="Why it changed (kept in the history).",
        json_schema_extra=limit(rules.MAX_REASON),
    )
    idempotency_key: str = Field(
        "",
        description="Or the `Idempotency-Key` header: a retry with the same key and content "
        "returns the same entry.",
        json_schema_extra=limit(rules.MAX_IDEMPOTENCY_KEY),
    )


class EntryPatch(In):
    status: str | None = Field(None, description=_one_of(Status.values))
    circumstances: list[str] | None = None
    source: str | None = None
    reported_by: str | None = Field(None, json_schema_extra=limit(rules.MAX_REPORTED_BY))
    reported_contact: UUID | None = None
    minutes_delivered: StrictInt | None = None
    note: str | None = Field(None, json_schema_extra=limit(rules.MAX_NOTE))
    reason: str = Field(
        "",
        description="Why it changed (kept in the history).",
        json_schema_extra=limit(rules.MAX_REASON),
    )
    expected_revision: int | None = Field(
        None,
        ge=0,
        description="The `revision` you last saw: if the entry has changed since, a 409 and "
        "nothing is stored. Or send the ETag in `If-Match`.",
    )


class EntryFilters(Schema):
    start: IsoDate | None = Field(None, alias="from", description="First day, included.")
    to: IsoDate | None = Field(None, description="Last day, included.")
    status: list[str] | None = Field(
        None, description=_one_of(Status.values) + " Repeat for several."
    )
    provision: UUID | None = None
    late: bool | None = Field(None, description="Only entries recorded late (or not).")
    include_deleted: bool = False


class RevisionOut(Schema):
    number: int = Field(description="1 for the first recording of this entry, then 2, 3, …")
    seq: int = Field(description="Position in the child's hash chain.")
    action: str = Field(description="create, update, delete or restore.")
    recorded_at: dt.datetime
    recorded_by: str
    client: str
    changed: list[str]
    reason: str
    snapshot: dict[str, Any] = Field(description="The entry's full state after this change.")
    previous_hash: str
    hash: str

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str:
        return obj.recorded_by_name  # type: ignore[no-any-return]


class VerifyOut(Schema):
    ok: bool
    revisions: int
    entries: int
    final_hash: str = Field(description="The hash of the last revision: note it to prove later.")
    broken_at: int | None = Field(description="The chain position (seq) of the first break.")
    reason: str
    entry: UUID | None = Field(description="The entry at fault.")
