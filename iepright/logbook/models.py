"""What happened: the daily log of whether each provision was delivered, with its history.

An Entry is the current state of one provision on one school day. It is never changed without
appending an EntryRevision: who, when, from which client, what changed and why. Revisions of a
child's entries form one hash chain (iepright/rules/chain.py), so an edit made behind the app's
back — directly in the database — is detected by `manage.py verify`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepright.plans.models import Child, Provision
from iepright.rules import lateness


class Status(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    PARTLY = "partly", _("Partly")
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    NO_OPPORTUNITY = "no_opportunity", _("No opportunity")


# A short text/shape cue beside each colour, for colour-blind readers and for print.
STATUS_SYMBOL = {
    Status.DELIVERED: "✓",
    Status.PARTLY: "◐",
    Status.NOT_DELIVERED: "✗",
    Status.NO_OPPORTUNITY: "\N{EN DASH}",
}


class Source(models.TextChoices):
    PARENT_OBSERVED = "parent_observed", _("Parent observed")
    CHILD_REPORTED = "child_reported", _("Child reported")
    TEACHER_TOLD = "teacher_told", _("Teacher told me")
    TEACHER_EMAIL = "teacher_email", _("Teacher email")
    WORK_SAMPLE = "work_sample", _("Work sample or test paper")
    SCHOOL_REPORT = "school_report", _("School report or log")
    OTHER_ADULT = "other_adult", _("Other adult")


# Built-in circumstances; a household adds its own (Circumstance rows). Codes are stable keys
# for statistics; labels are translated.
DEFAULT_CIRCUMSTANCES: list[tuple[str, Any]] = [
    ("substitute_teacher", _("Substitute teacher")),
    ("provider_absent", _("Provider absent")),
    ("schedule_change", _("Schedule change")),
    ("assembly", _("Assembly or event")),
    ("field_trip", _("Field trip")),
    ("state_testing", _("State testing")),
    ("aide_coverage", _("Class coverage by aide")),
    ("child_absent", _("Child absent")),
    ("child_refused", _("Child refused")),
    ("technology", _("Technology not working")),
    ("other", _("Other")),
]
STUDENT_SIDE = {"child_absent", "child_refused"}


class Circumstance(models.Model):
    """A circumstance a household added to the built-in list."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        "accounts.Household", models.CASCADE, related_name="circumstances"
    )
    code = models.SlugField(max_length=60)
    label = models.CharField(_("circumstance"), max_length=100)
    student_side = models.BooleanField(_("caused by the student (absent, refused)"), default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "code"], name="circumstance_code_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Entry(models.Model):
    """Whether one provision was delivered on one day, as last recorded."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by entry_child_date, whose first column it is (one index less to write per entry).
    child = models.ForeignKey(Child, models.CASCADE, related_name="entries", db_index=False)
    provision = models.ForeignKey(Provision, models.PROTECT, related_name="entries")
    event_date = models.DateField(_("school day"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    circumstances = models.JSONField(_("circumstances"), default=list, blank=True)
    source = models.CharField(_("how you know"), max_length=20, choices=Source.choices, blank=True)
    reported_by = models.CharField(_("who saw or reported it"), max_length=200, blank=True)
    # Indexed only where set (entry_reported_contact): most entries name no contact, and the
    # index is read only when a contact is deleted. PROTECT: removal.delete_contact changes the
    # entries naming it first, each with a revision (a silent SET_NULL would leave the entry
    # differing from its last revision, which verify reports as altered).
    reported_contact = models.ForeignKey(
        "correspondence.Contact",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    minutes_delivered = models.PositiveIntegerField(_("minutes delivered"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Set by the server, never by the client.
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    recorded_late = models.BooleanField(_("recorded late"), default=False)
    client = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    revision_count = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event_date", "provision__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "event_date"],
                condition=models.Q(deleted_at__isnull=True),
                name="one_live_entry_per_provision_day",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "event_date"], name="entry_child_date"),
            models.Index(
                fields=["reported_contact"],
                condition=models.Q(reported_contact__isnull=False),
                name="entry_reported_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_date} {self.status}"

    def is_deleted(self) -> bool:
        """Return True if the entry was deleted (it is kept, and shown as deleted)."""
        return self.deleted_at is not None

    def days_late(self) -> int:
        """Return how many days after the school day the entry was first recorded."""
        return lateness.days_after(self.event_date, local_date(self.recorded_at, self.child))

    def status_symbol(self) -> str:
        """Return the text/shape cue that goes with the status colour."""
        return STATUS_SYMBOL[Status(self.status)]


def local_date(moment: Any, child: Child) -> date:
    """Return the calendar date of `moment` in the child's household time zone."""
    result: date = moment.astimezone(ZoneInfo(child.household.timezone)).date()
    return result


class EntryRevision(models.Model):
    """One append-only change to an entry, linked into the child's hash chain."""

    class Action(models.TextChoices):
        CREATE = "create", _("Recorded")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        RESTORE = "restore", _("Restored")

    # Both indexed as the first column of a unique constraint below (one_revision_number,
    # one_revision_per_chain_seq): no index of their own to write per revision.
    entry = models.ForeignKey(Entry, models.CASCADE, related_name="revisions", db_index=False)
    child = models.ForeignKey(Child, models.CASCADE, related_name="+", db_index=False)
    seq = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    snapshot = models.JSONField()
    changed = models.JSONField(default=list)
    reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200)
    client = models.CharField(max_length=120, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The idempotency key of the request that made this revision, and a hash of what it asked
    # (idempotency.fingerprint): every key that created or changed an entry is remembered, so a
    # retry is answered without applying it again. Not part of the hashed payload. The
    # database defaults let bulk writers (bench/data.py) leave them out.
    idempotency_key = models.CharField(max_length=100, blank=True, default="", db_default="")
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["child", "seq"], name="one_revision_per_chain_seq"),
            models.UniqueConstraint(fields=["entry", "number"], name="one_revision_number"),
            models.UniqueConstraint(
                fields=["child", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="revision_idempotency_key_unique_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def payload(self) -> dict[str, Any]:
        """Return exactly what the chain hashes for this revision."""
        return revision_payload(
            self.seq,
            self.entry.public_id,
            self.number,
            self.action,
            self.snapshot,
            self.changed,
            self.reason,
            self.recorded_at,
            self.recorded_by_name,
            self.client,
        )


def revision_payload(
    seq: int,
    entry_id: uuid.UUID,
    number: int,
    action: str,
    snapshot: Any,
    changed: Any,
    reason: str,
    recorded_at: datetime,
    recorded_by: str,
    client: str,
) -> dict[str, Any]:
    """Return the JSON object the chain hashes for one revision (one definition for all)."""
    return {
        "seq": seq,
        "entry": str(entry_id),
        "number": number,
        "action": action,
        "snapshot": snapshot,
        "changed": changed,
        "reason": reason,
        # UTC with microseconds: the same text before and after a database round trip.
        "recorded_at": recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "recorded_by": recorded_by,
        "client": client,
    }


def snapshot_of(
    *,
    provision: Any,
    event_date: date,
    status: str,
    circumstances: list[str],
    source: str,
    reported_by: str,
    contact: Any,
    minutes: int | None,
    note: str,
    deleted: bool,
    evidence: Iterable[tuple[str, str, int, str]],
) -> dict[str, Any]:
    """Return an entry's state as the chain records it, from plain values (services.snapshot
    builds it from an entry, the verifier from database rows)."""
    return {
        "provision": str(provision),
        "event_date": event_date.isoformat(),
        "status": status,
        "circumstances": sorted(circumstances),
        "source": source,
        "reported_by": reported_by,
        "reported_contact": str(contact) if contact else None,
        "minutes_delivered": minutes,
        "note": note,
        "deleted": deleted,
        "evidence": [
            {"sha256": sha, "name": name, "size": size, "type": kind}
            for sha, name, size, kind in evidence
        ],
    }


class DayFacts(models.Model):
    """What was different about one day for a child, as recorded at one moment.

    Append-only: a change adds a row, and the latest row of a day is what the day facts are now
    (earlier rows are the history). Asked once per day on the check-in page whatever the
    outcomes, so the findings can compare days with a circumstance against days without it.
    Not linked into the entries' hash chain (see logbook/dayfacts.py).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by dayfacts_child_day, whose first column it is.
    child = models.ForeignKey(Child, models.CASCADE, related_name="day_facts", db_index=False)
    day = models.DateField(_("day"))
    facts = models.JSONField(_("what was different"), default=list, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200, blank=True)
    client = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["child", "day"], name="dayfacts_child_day")]

    def __str__(self) -> str:
        return f"{self.day} {', '.join(self.facts) or '-'}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{filename}"


class Evidence(models.Model):
    """A photo or document attached to an entry, identified in the chain by its SHA-256."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(Entry, models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=60)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def is_image(self) -> bool:
        """Return True for photos (shown inline), False for PDFs."""
        return self.content_type.startswith("image/")
