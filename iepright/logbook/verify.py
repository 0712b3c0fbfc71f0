"""Re-walking a child's hash chain, and comparing every entry with its last revision.

This runs for `manage.py verify`, the API, and every PDF report's footer, so it reads plain
rows (values_list) instead of model instances: a school year's chain of a few thousand
revisions verifies in a fraction of a second.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from iepright.logbook.models import Entry, EntryRevision, Evidence, revision_payload, snapshot_of
from iepright.plans.models import Child
from iepright.rules import chain


@dataclass
class Verification:
    ok: bool
    revisions: int
    entries: int
    final_hash: str
    broken_at: int | None = None
    reason: str = ""
    entry: str | None = None


ALTERED = "the entry differs from its last recorded revision (altered)"
ENTRY_FIELDS = (
    "pk", "public_id", "provision__public_id", "event_date", "status", "circumstances", "source",
    "reported_by", "reported_contact__public_id", "minutes_delivered", "note", "deleted_at",
    "revision_count",
)  # fmt: skip
# A revision's fields: revision_payload's arguments (the entry by its row id), then the hashes.
REVISION_FIELDS = (
    "seq", "entry_id", "number", "action", "snapshot", "changed", "reason", "recorded_at",
    "recorded_by_name", "client", "previous_hash", "hash",
)  # fmt: skip


def verify_child(child: Child, *, check_files: bool = False) -> Verification:
    """Re-walk the child's chain; also compare each entry with its latest revision."""
    # Entries first: their public ids name the revisions, so the revision rows need no join.
    entries = list(Entry.objects.filter(child=child).values_list(*ENTRY_FIELDS))
    public_ids: dict[int, UUID] = {row[0]: row[1] for row in entries}
    rows = list(
        EntryRevision.objects.filter(child=child).order_by("seq").values_list(*REVISION_FIELDS)
    )
    _add_public_ids(public_ids, {r[1] for r in rows} - public_ids.keys())
    links = [
        chain.Link(r[0], revision_payload(r[0], public_ids[r[1]], *r[2:10]), r[10], r[11])
        for r in rows
    ]
    final = rows[-1][11] if rows else chain.GENESIS
    broken = chain.first_break(links)
    if broken:
        entry = next((str(public_ids[r[1]]) for r in rows if r[0] == broken.seq), None)
        return Verification(False, len(rows), 0, final, broken.seq, broken.reason, entry)
    latest: dict[int, tuple[Any, ...]] = {}
    for row in rows:
        latest[row[1]] = row
    evidence: dict[int, list[tuple[str, str, int, str]]] = defaultdict(list)
    for entry_id, sha, name, size, kind in (
        Evidence.objects.filter(entry__child=child, removed_at__isnull=True)
        .order_by("uploaded_at", "id")
        .values_list("entry_id", "sha256", "original_name", "size", "content_type")
    ):
        evidence[entry_id].append((sha, name, size, kind))
    count = 0
    for pk, public_id, provision, day, status, circ, source, who, contact, minutes, note, deleted, n in entries:  # noqa: E501  # fmt: skip
        count += 1
        last = latest.get(pk)
        state = snapshot_of(
            provision=provision, event_date=day, status=status, circumstances=circ or [],
            source=source, reported_by=who, contact=contact, minutes=minutes, note=note,
            deleted=deleted is not None, evidence=evidence.get(pk, []),
        )  # fmt: skip
        if last is None or last[4] != state or last[2] != n:
            seq = last[0] if last else None
            return Verification(False, len(rows), count, final, seq, ALTERED, str(public_id))
    if check_files:
        bad = _first_bad_file(child)
        if bad is not None:
            item, seq = bad
            return Verification(False, len(rows), count, final, seq,
                                f"the file of evidence {item.public_id} does not match its hash",
                                str(item.entry.public_id))  # fmt: skip
    return Verification(True, len(rows), count, final)


def _add_public_ids(public_ids: dict[int, UUID], missing: set[int]) -> None:
    """Add the public ids of entries not among the child's (a revision filed under the wrong
    child still names its own entry)."""
    if missing:
        public_ids.update(Entry.objects.filter(pk__in=missing).values_list("pk", "public_id"))


def _first_bad_file(child: Child) -> tuple[Evidence, int | None] | None:
    for item in Evidence.objects.filter(entry__child=child).select_related("entry"):
        digest = hashlib.sha256()
        try:
            with item.file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(65536), b""):
                    digest.update(chunk)
        except OSError:
            return item, None
        if digest.hexdigest() != item.sha256:
            return item, None
    return None
