"""The daily log: record, list, change and delete entries; their history, evidence and checks.

Every write goes through iepright/logbook/services.py, which appends a revision to the child's
hash chain; the client is recorded as "api:<token name>" for a bearer token or "web-api" for the
site's own pages (session). A provision or contact that is not this child's is a 422 naming the
field, whether it belongs to another child of the household or to another household: the
answer is the same, so it says nothing about records the caller cannot see.
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Header, P, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from iepright.accounts.access import Need, get_child, get_entry, get_evidence
from iepright.accounts.models import ApiToken, hash_secret
from iepright.api.common import Pagination, user_of
from iepright.api.errors import error_body
from iepright.api.schemas import ERRORS
from iepright.api.schemas_logbook import (
    WRITE_ERRORS,
    EntryFilters,
    EntryIn,
    EntryOut,
    EntryPatch,
    EvidenceOut,
    RevisionOut,
    VerifyOut,
)
from iepright.correspondence.models import Contact
from iepright.logbook import services
from iepright.logbook.models import Entry, EntryRevision, Evidence
from iepright.logbook.models import Status as EntryStatus
from iepright.plans.models import Child, Provision

router = Router(tags=["log"])

TEXT_FIELDS = ("source", "reported_by", "note")


def client_of(request: HttpRequest) -> str:
    """Return how the change arrived, as the history records it."""
    token = getattr(request, "api_token", None)
    if isinstance(token, ApiToken):
        return f"api:{token.name}"
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw.startswith(ApiToken.PREFIX):
        # TokenAuth let this request in; look its name up (by hash, as it did).
        name = (
            ApiToken.objects.filter(key_hash=hash_secret(raw.strip()))
            .values_list("name", flat=True)
            .first()
        )
        return f"api:{name or ''}"
    return "web-api"


def _entries() -> QuerySet[Entry]:
    """Return entries with everything EntryOut reads, fetched up front (no query per row)."""
    return Entry.objects.select_related(
        "child__household", "provision", "recorded_by", "reported_contact"
    ).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True))
    )


def _fields(child: Child, data: dict[str, Any]) -> dict[str, Any]:
    """Return the fields to pass to record_entry, with the contact looked up in this child."""
    for name in TEXT_FIELDS:
        if name in data and data[name] is None:
            data[name] = ""
    if data.get("reported_contact") is not None:
        contact = Contact.objects.filter(child=child, public_id=data["reported_contact"]).first()
        if contact is None:
            raise ValidationError({"reported_contact": _("Choose one of this child's contacts.")})
        data["reported_contact"] = contact
    return data


def _conflict(message: str) -> Status[dict[str, Any]]:
    return Status(409, error_body(409, "idempotency_conflict", message))


@router.post(
    "/children/{uuid:child_id}/entries",
    response={200: EntryOut, 201: EntryOut, **WRITE_ERRORS},
)
def record_entry(
    request: HttpRequest,
    child_id: UUID,
    payload: EntryIn,
    key_header: Header[str, P(alias="Idempotency-Key")] = "",  # type: ignore[type-arg,valid-type]
) -> Status[Any]:
    """Record how a provision went on a day (201), or change that day's entry (200).

    Only the fields sent are set. Send an `Idempotency-Key` header (or `idempotency_key`) to
    make retries safe: the same key with the same content returns the same entry (200, no new
    revision); the same key with different content is a 409 `idempotency_conflict`.
    """
    child: Child = get_child(user_of(request), child_id, Need.WRITE).obj
    data = payload.model_dump(exclude_unset=True)
    provision_id, day = data.pop("provision"), data.pop("event_date")
    reason = data.pop("reason", "")
    body_key = data.pop("idempotency_key", "")
    key = key_header.strip() or body_key.strip()
    if key_header.strip() and body_key.strip() and key_header.strip() != body_key.strip():
        raise ValidationError(
            {"idempotency_key": _("The Idempotency-Key header and idempotency_key differ.")}
        )
    if len(key) > 100:
        raise ValidationError({"idempotency_key": _("Use at most 100 characters.")})
    provision = (
        Provision.objects.select_related("plan")
        .filter(plan__child=child, public_id=provision_id)
        .first()
    )
    if provision is None:
        raise ValidationError({"provision": _("Choose one of this child's provisions.")})
    try:
        recorded = services.record_entry(
            child=child,
            provision=provision,
            event_date=day,
            fields=_fields(child, data),
            user=user_of(request),
            client=client_of(request),
            reason=reason,
            idempotency_key=key,
        )
    except services.IdempotencyConflict as exc:
        return _conflict(str(exc))
    if recorded.created:
        # A new entry has no evidence yet, and its child, provision and author are in hand:
        # answer without reading it back (this is the hot path of a parent's daily check-in).
        setattr(recorded.entry, "live_evidence", [])  # noqa: B010 - read by EntryOut
        return Status(201, recorded.entry)
    return Status(200, _entries().get(pk=recorded.entry.pk))


@router.get("/children/{uuid:child_id}/entries", response={200: list[EntryOut], **ERRORS})
@paginate(Pagination)
def list_entries(
    request: HttpRequest, child_id: UUID, filters: Query[EntryFilters]
) -> QuerySet[Entry]:
    """List the child's entries by day, then in plan order; deleted ones only on request."""
    child: Child = get_child(user_of(request), child_id).obj
    if filters.start and filters.to and filters.to < filters.start:
        raise ValidationError({"to": _("The end date is before the start date.")})
    bad = [s for s in filters.status or [] if s not in EntryStatus.values]
    if bad:
        raise ValidationError({"status": _("Unknown status: %(s)s.") % {"s": ", ".join(bad)}})
    entries = _entries().filter(child=child)
    if filters.start:
        entries = entries.filter(event_date__gte=filters.start)
    if filters.to:
        entries = entries.filter(event_date__lte=filters.to)
    if filters.status:
        entries = entries.filter(status__in=filters.status)
    if filters.provision:
        entries = entries.filter(provision__public_id=filters.provision)
    if filters.late is not None:
        entries = entries.filter(recorded_late=filters.late)
    if not filters.include_deleted:
        entries = entries.filter(deleted_at__isnull=True)
    return entries.order_by("event_date", "provision__position", "id")


@router.get("/entries/{uuid:entry_id}", response={200: EntryOut, **ERRORS})
def get_entry_detail(request: HttpRequest, entry_id: UUID) -> Entry:
    """Return one entry (a deleted one too, marked `deleted`)."""
    entry: Entry = get_entry(user_of(request), entry_id).obj
    return _entries().get(pk=entry.pk)


@router.patch("/entries/{uuid:entry_id}", response={200: EntryOut, **ERRORS})
def update_entry(request: HttpRequest, entry_id: UUID, payload: EntryPatch) -> Entry:
    """Change the fields sent; `reason` says why and is kept in the history."""
    entry: Entry = get_entry(user_of(request), entry_id, Need.WRITE).obj
    if entry.deleted_at is not None:
        raise ValidationError(_("This entry was deleted; record the day again instead."))
    data = payload.model_dump(exclude_unset=True)
    reason = data.pop("reason", "")
    services.record_entry(
        child=entry.child,
        provision=entry.provision,
        event_date=entry.event_date,
        fields=_fields(entry.child, data),
        user=user_of(request),
        client=client_of(request),
        reason=reason,
    )
    return _entries().get(pk=entry.pk)


@router.delete("/entries/{uuid:entry_id}", response={200: EntryOut, **ERRORS})
def delete_entry(request: HttpRequest, entry_id: UUID, reason: str = "") -> Entry:
    """Delete an entry: it is kept, shown as deleted, and the day can be recorded again."""
    entry: Entry = get_entry(user_of(request), entry_id, Need.WRITE).obj
    services.delete_entry(entry, user=user_of(request), client=client_of(request), reason=reason)
    return _entries().get(pk=entry.pk)


@router.get("/entries/{uuid:entry_id}/history", response={200: list[RevisionOut], **ERRORS})
@paginate(Pagination)
def entry_history(request: HttpRequest, entry_id: UUID) -> QuerySet[EntryRevision]:
    """List every recorded change of the entry, oldest first, with its place in the chain."""
    entry: Entry = get_entry(user_of(request), entry_id).obj
    return EntryRevision.objects.filter(entry=entry).order_by("number")


@router.post("/entries/{uuid:entry_id}/evidence", response={201: EvidenceOut, **ERRORS})
def add_evidence(
    request: HttpRequest, entry_id: UUID, file: File[UploadedFile]
) -> Status[Evidence]:
    """Attach a photo (JPEG, PNG, GIF, WebP, HEIC) or PDF, checked by its content."""
    entry: Entry = get_entry(user_of(request), entry_id, Need.WRITE).obj
    evidence = services.add_evidence(entry, file, user=user_of(request), client=client_of(request))
    return Status(201, evidence)


@router.get(
    "/evidence/{uuid:evidence_id}",
    response={200: None, **ERRORS},
    url_name="download_evidence",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as uploaded.",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_evidence(request: HttpRequest, evidence_id: UUID) -> FileResponse:
    """Download a file under its original name (removed files too: they are in the history)."""
    evidence: Evidence = get_evidence(user_of(request), evidence_id).obj
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.delete("/evidence/{uuid:evidence_id}", response={204: None, **ERRORS})
def remove_evidence(request: HttpRequest, evidence_id: UUID, reason: str = "") -> Status[None]:
    """Detach a file from its entry; the file and its hash stay in the history."""
    evidence: Evidence = get_evidence(user_of(request), evidence_id, Need.WRITE).obj
    if evidence.removed_at is not None:
        raise ValidationError(_("This file was already removed."))
    services.remove_evidence(
        evidence, user=user_of(request), client=client_of(request), reason=reason
    )
    return Status(204, None)


@router.get("/children/{uuid:child_id}/verify", response={200: VerifyOut, **ERRORS})
def verify(request: HttpRequest, child_id: UUID) -> services.Verification:
    """Re-walk the child's hash chain and compare each entry with its last revision."""
    child: Child = get_child(user_of(request), child_id).obj
    return services.verify_child(child)
