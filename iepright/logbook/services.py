"""Recording the daily log: every write goes through here and appends to the hash chain.

Nothing is overwritten in place: a change or deletion updates the Entry (the current state,
for fast reading) and appends an EntryRevision holding the full new state, what changed, who,
when, from which client and why. Revisions of one child are serialised (the child row is
locked; SQLite's IMMEDIATE transactions do the same), so the chain never forks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iepright.accounts.models import User
from iepright.correspondence.models import Contact
from iepright.logbook import idempotency
from iepright.logbook.models import (
    DEFAULT_CIRCUMSTANCES,
    Entry,
    EntryRevision,
    Evidence,
    Source,
    local_date,
    snapshot_of,
)
from iepright.plans.models import Child, Plan, Provision
from iepright.rules import chain, lateness
from iepright.rules import entries as rules
from iepright.uploads import check_upload

EVIDENCE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "application/pdf",
}


class IdempotencyConflict(Exception):
    """The idempotency key was used before for a different request."""


class StaleEntry(Exception):
    """The entry changed since the revision the caller last saw (optimistic concurrency)."""

    def __init__(self, current: int) -> None:
        self.current = current
        super().__init__(
            _(
                "Someone changed this entry since you loaded it: it is now at revision "
                "%(revision)s. Reload it and make your change again."
            )
            % {"revision": current}
        )


def _check_expected(current: int, expected_revision: int | None) -> None:
    if expected_revision is not None and expected_revision != current:
        raise StaleEntry(current)


def refuse(problems: list[rules.Problem]) -> None:
    """Raise the rules' problems as one ValidationError naming each field (none: return)."""
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(problem.text(_))
        raise ValidationError(errors)


def check_reason(reason: str) -> str:
    """Return the reason stripped, or raise: a longer one is refused, never cut short."""
    reason, problem = rules.check_reason(reason)
    refuse([problem] if problem else [])
    return reason


def today_for(child: Child, now: datetime | None = None) -> date:
    """Return today's date in the child's household time zone."""
    return local_date(now or timezone.now(), child)


BUILT_IN = frozenset(code for code, _label in DEFAULT_CIRCUMSTANCES)


def circumstance_codes(child: Child) -> dict[str, str]:
    """Return the circumstances a household can choose from: code -> label."""
    codes = {code: str(label) for code, label in DEFAULT_CIRCUMSTANCES}
    for extra in child.household.circumstances.all():
        codes[extra.code] = extra.label
    return codes


def known_circumstances(child: Child, sent: Any) -> frozenset[str]:
    """Return the codes `sent` may be checked against; only household ones need a query."""
    if not isinstance(sent, list | tuple) or set(sent) <= BUILT_IN:
        return BUILT_IN
    return frozenset(circumstance_codes(child))


def terms_of(provision: Provision) -> rules.Terms:
    """Return what the provision promises, as the entry rules read it."""
    return rules.Terms(
        minutes_per_session=provision.minutes_per_session,
        starts=provision.effective_start(),
        ends=provision.effective_end(),
    )


def check_fields(
    child: Child,
    provision: Provision,
    fields: Mapping[str, Any],
    *,
    entry: Entry | None,
    day: date | None = None,
    now: datetime | None = None,
    plan_in_force: str | None = None,
) -> rules.Checked:
    """Return the rules' verdict on setting `fields` (on `entry`, or a new entry of `day`)."""
    contact = fields.get("reported_contact")
    return rules.check_entry(
        fields,
        terms=terms_of(provision),
        stored=rules.Stored(entry.status, entry.minutes_delivered) if entry else None,
        circumstances=known_circumstances(child, fields.get("circumstances")),
        sources=Source.values,
        day=day,
        today=today_for(child, now) if day is not None else None,
        contact_is_childs=isinstance(contact, Contact) and contact.child_id == child.pk,
        plan_in_force=plan_in_force,
    )


def provisions_in_effect(child: Child, day: date) -> list[Provision]:
    """Return the provisions of the plan in force on `day` that apply that day, in order."""
    plan = child.plan_in_force(day)
    if plan is None:
        return []
    return [p for p in plan.provisions.select_related("plan") if p.in_effect_on(day)]


def snapshot(
    entry: Entry, *, evidence: list[tuple[str, str, int, str]] | None = None
) -> dict[str, Any]:
    """Return the entry's full state as JSON-ready data, as the chain records it."""
    contact = entry.reported_contact
    if evidence is None:
        evidence = [
            (e.sha256, e.original_name, e.size, e.content_type)
            for e in entry.evidence.all()
            if e.removed_at is None
        ]
    return snapshot_of(
        provision=entry.provision.public_id,
        event_date=entry.event_date,
        status=entry.status,
        circumstances=entry.circumstances,
        source=entry.source,
        reported_by=entry.reported_by,
        contact=contact.public_id if contact else None,
        minutes=entry.minutes_delivered,
        note=entry.note,
        deleted=entry.deleted_at is not None,
        evidence=evidence,
    )


def append_revision(
    entry: Entry,
    action: str,
    changed: list[str],
    *,
    user: User | None,
    client: str,
    reason: str,
    now: datetime,
    fields: list[str] | None = None,
    idempotency_key: str = "",
    fingerprint: str = "",
) -> EntryRevision:
    """Save the entry (all fields, or `fields`) and append its revision to the chain.

    Callers pass an entry read under the child's lock (see _fresh), so its revision count is
    current; a new entry is inserted here with its first revision.
    """
    last = (
        EntryRevision.objects.filter(child_id=entry.child_id)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, previous = (last[0] + 1, last[1]) if last else (1, chain.GENESIS)
    created = entry.pk is None
    entry.revision_count += 1
    if created or fields is None:
        entry.save()
    else:
        entry.save(update_fields=[*fields, "revision_count"])
    # A new entry has no evidence yet: no need to ask the database.
    state = snapshot(entry, evidence=[] if created else None)
    revision = EntryRevision(
        entry=entry,
        child_id=entry.child_id,
        seq=seq,
        number=entry.revision_count,
        action=action,
        snapshot=state,
        changed=sorted(changed),
        reason=check_reason(reason),
        recorded_at=now,
        recorded_by=user,
        recorded_by_name=user.display_name() if user else "",
        client=client[:120],
        previous_hash=previous,
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint,
    )
    revision.hash = chain.link_hash(previous, revision.payload())
    revision.save()
    return revision


def lock_child(child: Child) -> None:
    """Hold the child's row until the transaction ends: one appender to its chain at a time.

    On PostgreSQL only; SQLite's BEGIN IMMEDIATE already lets one writer in at a time, so there
    the query would be wasted.
    """
    if connection.vendor == "sqlite":
        return
    Child.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True).first()


def _fresh(entry: Entry) -> Entry:
    """Return the entry as stored now (after the lock): the caller's object may be stale."""
    lock_child(entry.child)
    return Entry.objects.select_related("child__household", "provision").get(pk=entry.pk)


@dataclass
class Recorded:
    entry: Entry
    created: bool
    changed: list[str]


@transaction.atomic
def record_entry(
    *,
    child: Child,
    provision: Provision,
    event_date: date,
    fields: Mapping[str, Any],
    user: User | None,
    client: str = "web",
    reason: str = "",
    idempotency_key: str = "",
    expected_revision: int | None = None,
    now: datetime | None = None,
) -> Recorded:
    """Create the entry for a provision and day, or change the live one; append a revision.

    Only the fields given are set, as the entry rules (rules/entries.py) allow. Every
    idempotency key that created or changed an entry is kept with the revision it made:
    repeating it with the same content returns that entry as it is now, without applying
    anything again; the same key with different content raises IdempotencyConflict.
    `expected_revision` (0: no live entry yet) raises StaleEntry when the day's entry has moved
    on.
    """
    now = now or timezone.now()
    reason = check_reason(reason)
    if provision.plan.child_id != child.pk:
        raise ValidationError({"provision": _("This provision belongs to another child.")})
    key_problem = rules.check_idempotency_key(idempotency_key)
    refuse([key_problem] if key_problem else [])
    print_ = (
        idempotency.fingerprint(provision.public_id, event_date, fields) if idempotency_key else ""
    )
    lock_child(child)
    if idempotency_key:
        # exclude("") lets SQLite use the partial unique index; order_by("pk") drops the join
        # that Meta.ordering would add.
        seen = (
            EntryRevision.objects.filter(child=child, idempotency_key=idempotency_key)
            .exclude(idempotency_key="")
            .order_by("pk")
            .values_list("entry_id", "idempotency_fingerprint")
            .first()
        )
        if seen is not None:
            if not idempotency.same_request(seen[1], provision.public_id, event_date, fields):
                raise IdempotencyConflict(
                    _("This idempotency key was already used for a different entry.")
                )
            return Recorded(Entry.objects.get(pk=seen[0]), created=False, changed=[])
    entry = (
        Entry.objects.select_for_update()
        .filter(provision=provision, event_date=event_date, deleted_at__isnull=True)
        .order_by("pk")
        .first()
    )
    _check_expected(entry.revision_count if entry else 0, expected_revision)
    replaced_by = None
    if entry is None:
        in_force = child.plans_in_force(event_date).values_list("pk", flat=True).first()
        if in_force is not None and in_force != provision.plan_id:
            plan = Plan.objects.get(pk=in_force)
            replaced_by = f"{plan.label} ({plan})" if plan.label else str(plan)
    checked = check_fields(
        child, provision, fields, entry=entry, day=event_date, now=now, plan_in_force=replaced_by
    )
    refuse(checked.problems)
    if entry is not None:
        return _change(
            entry,
            checked,
            user=user,
            client=client,
            reason=reason,
            now=now,
            idempotency_key=idempotency_key,
            fingerprint=print_,
        )
    entry = Entry(
        child=child,
        provision=provision,
        event_date=event_date,
        recorded_at=now,
        recorded_by=user,
        client=client[:120],
        updated_at=now,
        recorded_late=lateness.is_late(event_date, local_date(now, child)),
        **checked.values,
    )
    entry.minutes_delivered = checked.minutes
    changed = sorted(checked.values)
    append_revision(
        entry,
        EntryRevision.Action.CREATE,
        changed,
        user=user,
        client=client,
        reason=reason,
        now=now,
        idempotency_key=idempotency_key,
        fingerprint=print_,
    )
    return Recorded(entry, created=True, changed=changed)


def _change(
    entry: Entry,
    checked: rules.Checked,
    *,
    user: User | None,
    client: str,
    reason: str,
    now: datetime,
    idempotency_key: str = "",
    fingerprint: str = "",
) -> Recorded:
    """Set the checked values that differ on a live entry read under the lock; append."""
    values = checked.values
    changed = sorted(name for name, value in values.items() if getattr(entry, name) != value)
    if not changed:
        return Recorded(entry, created=False, changed=[])
    for name in changed:
        setattr(entry, name, values[name])
    entry.minutes_delivered = checked.minutes
    entry.updated_at = now
    append_revision(
        entry,
        EntryRevision.Action.UPDATE,
        changed,
        user=user,
        client=client,
        reason=reason,
        now=now,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )
    return Recorded(entry, created=False, changed=changed)


@transaction.atomic
def update_entry(
    entry: Entry,
    *,
    fields: Mapping[str, Any],
    user: User | None,
    client: str = "web",
    reason: str = "",
    expected_revision: int | None = None,
    now: datetime | None = None,
) -> Recorded:
    """Change the fields given on this very entry (not "the day's entry"); append a revision.

    The entry is read again under the child's lock: if it was deleted meanwhile this is a
    ValidationError (nothing is stored, nothing is recreated); if `expected_revision` is given
    and the entry has moved on since, StaleEntry. Its day is not checked again, so an entry of
    a provision that has since ended can still be corrected.
    """
    now = now or timezone.now()
    reason = check_reason(reason)
    entry = _fresh(entry)
    if entry.deleted_at is not None:
        raise ValidationError(_("This entry was deleted; record the day again instead."))
    _check_expected(entry.revision_count, expected_revision)
    checked = check_fields(entry.child, entry.provision, fields, entry=entry)
    refuse(checked.problems)
    return _change(entry, checked, user=user, client=client, reason=reason, now=now)


@transaction.atomic
def delete_entry(
    entry: Entry,
    *,
    user: User | None,
    client: str = "web",
    reason: str = "",
    expected_revision: int | None = None,
    now: datetime | None = None,
) -> Entry:
    """Mark an entry deleted; it stays in the database and in the history as deleted."""
    reason = check_reason(reason)
    entry = _fresh(entry)
    if entry.deleted_at is not None:
        raise ValidationError(_("This entry was already deleted."))
    _check_expected(entry.revision_count, expected_revision)
    now = now or timezone.now()
    entry.deleted_at = now
    entry.updated_at = now
    append_revision(
        entry,
        EntryRevision.Action.DELETE,
        ["deleted"],
        user=user,
        client=client,
        reason=reason,
        now=now,
        fields=["deleted_at", "updated_at"],
    )
    return entry


@transaction.atomic
def add_evidence(
    entry: Entry,
    upload: UploadedFile[bytes],
    *,
    user: User | None,
    client: str = "web",
    now: datetime | None = None,
) -> Evidence:
    """Attach a photo or PDF (content-sniffed, size-capped) and record it in the chain."""
    checked = check_upload(upload, allowed=EVIDENCE_TYPES, field="file")
    entry = _fresh(entry)
    if entry.deleted_at is not None:
        raise ValidationError({"file": _("This entry was deleted; evidence cannot be added.")})
    now = now or timezone.now()
    evidence = Evidence(
        entry=entry,
        original_name=checked.original_name,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_at=now,
        uploaded_by=user,
    )
    evidence.file.save(checked.storage_name, checked.content, save=False)
    evidence.save()
    entry.updated_at = now
    append_revision(
        entry,
        EntryRevision.Action.UPDATE,
        ["evidence"],
        user=user,
        client=client,
        reason="",
        now=now,
        fields=["updated_at"],
    )
    return evidence


@transaction.atomic
def remove_evidence(
    evidence: Evidence,
    *,
    user: User | None,
    client: str = "web",
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """Detach evidence from the entry; the file and its hash stay for the history.

    Both are read again under the child's lock, so of two removals racing only one is
    recorded; the other, and a removal from a deleted entry, is a ValidationError.
    """
    now = now or timezone.now()
    reason = check_reason(reason)
    entry = _fresh(evidence.entry)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.removed_at is not None:
        raise ValidationError(_("This file was already removed."))
    if entry.deleted_at is not None:
        raise ValidationError(_("This entry was deleted; its files cannot be changed."))
    evidence.removed_at = now
    evidence.save(update_fields=["removed_at"])
    entry.updated_at = now
    append_revision(
        entry,
        EntryRevision.Action.UPDATE,
        ["evidence"],
        user=user,
        client=client,
        reason=reason,
        now=now,
        fields=["updated_at"],
    )
