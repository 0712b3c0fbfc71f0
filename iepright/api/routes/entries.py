"""The daily log: record, list, change and delete entries; their history, evidence and checks.

Every write goes through iepright/logbook/services.py, which appends a revision to the child's
hash chain; the client is recorded as "api:<token name>" for a bearer token or "web-api" for the
site's own pages (session). A provision or contact that is not this child's is a 422 naming the
field, whether it belongs to another child of the household or to another household: the
answer is the same, so it says nothing about records the caller cannot see.
"""

import json
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Header, P, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from iepright.accounts.access import Need
from iepright.api.common import Pagination, client_of, user_of
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
from iepright.errors import error_body
from iepright.logbook import changes, services
from iepright.logbook.access import get_entry, get_evidence
from iepright.logbook.models import Entry, EntryRevision, Evidence
from iepright.logbook.models import Status as EntryStatus
from iepright.logbook.verify import Verification, verify_child
from iepright.plans.access import find_childs_provision, get_child
from iepright.plans.models import Child
from iepright.rules import entries as rules

router = Router(tags=["log"])

TEXT_FIELDS = ("source", "reported_by", "note")


def etag(entry: Entry) -> str:
    """Return the entry's ETag: its revision number, which every change increases."""
    return f'"{entry.revision_count}"'


def _expected(request: HttpRequest, in_body: int | None) -> int | None:
    """Return the revision the client last saw (If-Match or `expected_revision`), or None."""
    header = request.headers.get("If-Match", "").strip()
    from_header: int | None = None
    if header and header != "*":
        text = header.removeprefix("W/").strip('"')
        if not text.isdigit():
            raise ValidationError(
                {
                    "If-Match": _(
                        'Send the ETag you received with the entry, such as "3" (with the quotes).'
                    )
                }
            )
        from_header = int(text)
    if from_header is not None and in_body is not None and from_header != in_body:
        raise ValidationError(
            {"expected_revision": _("The If-Match header and expected_revision differ.")}
        )
    return from_header if from_header is not None else in_body


def _stale(exc: services.StaleEntry) -> Status[dict[str, Any]]:
    return Status(409, error_body(409, "edit_conflict", str(exc)))


def _entries() -> QuerySet[Entry]:
    """Return entries with everything EntryOut reads, fetched up front (no query per row)."""
    return Entry.objects.select_related(
        "child__household", "provision", "recorded_by", "reported_contact"
    ).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True)),
        changes.PREFETCH,
    )


def check_texts(data: dict[str, Any]) -> None:
    """Refuse text that cannot be stored (a NUL, a lone surrogate), naming each field."""
    errors: dict[str, str] = {}
    for name, value in data.items():
        for text in value if isinstance(value, list) else [value]:
            problem = rules.text_problem(text, name) if isinstance(text, str) else None
            if problem:
                errors[name] = problem.text(_)
    if errors:
        raise ValidationError(errors)


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
    response: HttpResponse,
    key_header: Header[str, P(alias="Idempotency-Key")] = "",  # type: ignore[type-arg,valid-type]
) -> Status[Any]:
    """Record how a provision went on a day (201), or change that day's entry (200).

    Only the fields sent are set. Send an `Idempotency-Key` header (or `idempotency_key`) to
    make retries safe: the same key with the same content returns the same entry (200, no new
    revision); the same key with different content is a 409 `idempotency_conflict`.
    """
    found = find_childs_provision(user_of(request), child_id, payload.provision, Need.WRITE)
    if found is None:
        raise ValidationError({"provision": _("Choose one of this child's provisions.")})
    provision = found.obj
    child = provision.plan.child
    data = payload.model_dump(exclude_unset=True)
    check_texts({**data, "Idempotency-Key": key_header})
    day = data.pop("event_date")
    del data["provision"]
    reason = data.pop("reason", "")
    body_key = data.pop("idempotency_key", "")
    key = key_header.strip() or body_key.strip()
    if key_header.strip() and body_key.strip() and key_header.strip() != body_key.strip():
        raise ValidationError(
            {"idempotency_key": _("The Idempotency-Key header and idempotency_key differ.")}
        )
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
        response["ETag"] = etag(recorded.entry)
        return Status(201, recorded.entry)
    return Status(200, _answer(response, recorded.entry.pk))


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


def _answer(response: HttpResponse, entry_pk: int) -> Entry:
    entry = _entries().get(pk=entry_pk)
    response["ETag"] = etag(entry)
    return entry


CONCURRENCY = (
    "\n\nTo make sure you do not overwrite a change you have not seen, send the entry's "
    '`ETag` (for example `"3"`) in `If-Match`, or its `revision` as `expected_revision`: '
    "if the entry has changed since, the answer is a 409 `edit_conflict` naming the current "
    "revision, and nothing is stored. Without them the change is applied to the entry as it "
    "is now."
)


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The `ETag` you last received, such as `"3"`: a 409 if the entry changed since.',
}


@router.get("/entries/{uuid:entry_id}", response={200: EntryOut, **ERRORS})
def get_entry_detail(request: HttpRequest, entry_id: UUID, response: HttpResponse) -> Entry:
    """Return one entry (a deleted one too, marked `deleted`), with its `ETag`."""
    entry: Entry = get_entry(user_of(request), entry_id).obj
    return _answer(response, entry.pk)


@router.patch(
    "/entries/{uuid:entry_id}",
    response={200: EntryOut, **WRITE_ERRORS},
    description="Change the fields sent; `reason` says why and is kept in the history. "
    "A deleted entry cannot be changed (422): record the day again instead." + CONCURRENCY,
    openapi_extra={"parameters": [IF_MATCH]},
)
def update_entry(
    request: HttpRequest, entry_id: UUID, payload: EntryPatch, response: HttpResponse
) -> Status[Any] | Entry:
    entry: Entry = get_entry(user_of(request), entry_id, Need.WRITE).obj
    data = payload.model_dump(exclude_unset=True)
    check_texts(data)
    reason = data.pop("reason", "")
    expected = _expected(request, data.pop("expected_revision", None))
    try:
        services.update_entry(
            entry,
            fields=_fields(entry.child, data),
            user=user_of(request),
            client=client_of(request),
            reason=reason,
            expected_revision=expected,
        )
    except services.StaleEntry as exc:
        return _stale(exc)
    return _answer(response, entry.pk)


def _delete_options(request: HttpRequest, reason: str) -> tuple[str, int | None]:
    """Return the reason and expected revision of a DELETE, from its query or its JSON body.

    A body is optional; when sent it must be a JSON object with only `reason` and
    `expected_revision`, so nothing in it is ignored.
    """
    expected: int | None = None
    if request.body.strip():
        try:
            sent = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise HttpError(400, _("The body is not valid JSON.")) from None
        if not isinstance(sent, dict):
            raise ValidationError(_("Send a JSON object with reason and expected_revision."))
        unknown = sorted(set(sent) - {"reason", "expected_revision"})
        if unknown:
            raise ValidationError({name: _("This field cannot be set.") for name in unknown})
        in_body = sent.get("reason")
        if in_body is not None:
            if not isinstance(in_body, str):
                raise ValidationError({"reason": _("Send the reason as text.")})
            if reason and in_body != reason:
                raise ValidationError(
                    {"reason": _("The reason in the query and in the body differ.")}
                )
            reason = in_body
        expected = sent.get("expected_revision")
        if expected is not None and (type(expected) is not int or expected < 0):
            raise ValidationError(
                {"expected_revision": _("Send the revision number you last saw, such as 3.")}
            )
    return services.check_reason(reason), expected


REASON = {"type": "string", "maxLength": rules.MAX_REASON}


def optional_json_body(**properties: dict[str, Any]) -> dict[str, Any]:
    """Return the OpenAPI requestBody of a DELETE that may send these keys as a JSON object."""
    schema = {"type": "object", "additionalProperties": False, "properties": properties}
    return {"required": False, "content": {"application/json": {"schema": schema}}}


DELETE_BODY = {
    "parameters": [IF_MATCH],
    "requestBody": optional_json_body(
        reason=REASON, expected_revision={"type": "integer", "minimum": 0}
    ),
}


@router.delete(
    "/entries/{uuid:entry_id}",
    response={200: EntryOut, **WRITE_ERRORS},
    description="Delete an entry: it is kept, shown as deleted, and the day can be recorded "
    "again. The reason (at most 500 characters) goes in `?reason=` or in a JSON body "
    '`{"reason": …}`.' + CONCURRENCY,
    openapi_extra=DELETE_BODY,
)
def delete_entry(
    request: HttpRequest,
    entry_id: UUID,
    response: HttpResponse,
    reason: Query[str, P(max_length=rules.MAX_REASON)] = "",  # type: ignore[type-arg,valid-type]
) -> Status[Any] | Entry:
    entry: Entry = get_entry(user_of(request), entry_id, Need.WRITE).obj
    reason, in_body = _delete_options(request, reason)
    try:
        services.delete_entry(
            entry,
            user=user_of(request),
            client=client_of(request),
            reason=reason,
            expected_revision=_expected(request, in_body),
        )
    except services.StaleEntry as exc:
        return _stale(exc)
    return _answer(response, entry.pk)


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
    """Attach a photo (JPEG, PNG, GIF, WebP, HEIC) or PDF, checked by its content.

    One file per request: a request with several `file` parts is a 422 (none is stored).
    """
    entry: Entry = get_entry(user_of(request), entry_id, Need.WRITE).obj
    if len(request.FILES.getlist("file")) > 1:
        raise ValidationError({"file": _("Send one file per request.")})
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
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise HttpError(404, _("The file is missing from storage.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # As the site's own downloads: a child's records are not kept by shared caches or the
    # browser's disk cache.
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(
    "/evidence/{uuid:evidence_id}",
    response={204: None, **ERRORS},
    openapi_extra={"requestBody": optional_json_body(reason=REASON)},
)
def remove_evidence(
    request: HttpRequest,
    evidence_id: UUID,
    reason: Query[str, P(max_length=rules.MAX_REASON)] = "",  # type: ignore[type-arg,valid-type]
) -> Status[None]:
    """Detach a file from its entry; the file and its hash stay in the history.

    The reason (at most 500 characters) goes in `?reason=` or in a JSON body. A file already
    removed, or on a deleted entry, is a 422.
    """
    evidence: Evidence = get_evidence(user_of(request), evidence_id, Need.WRITE).obj
    reason, expected = _delete_options(request, reason)
    if expected is not None:
        raise ValidationError({"expected_revision": _("This field cannot be set.")})
    services.remove_evidence(
        evidence, user=user_of(request), client=client_of(request), reason=reason
    )
    return Status(204, None)


@router.get("/children/{uuid:child_id}/verify", response={200: VerifyOut, **ERRORS})
def verify(request: HttpRequest, child_id: UUID) -> Verification:
    """Re-walk the child's hash chain and compare each entry with its last revision."""
    child: Child = get_child(user_of(request), child_id).obj
    return verify_child(child)
