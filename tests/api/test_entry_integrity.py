"""What the daily-log API must not let happen: a deleted day brought back, a retry applied
twice, a stale edit overwriting a newer one, a replaced plan version logged against,
contradictory minutes, reasons cut short or ignored, a file removed twice."""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from iepright.logbook import services, verify
from iepright.logbook.models import Entry, EntryRevision
from iepright.plans.models import Plan
from iepright.plans.services import copy_plan
from iepright.rules import chain
from tests.api.conftest import API
from tests.api.entry_support import body, error, post_entry
from tests.conftest import log_entry
from tests.images import PNG

pytestmark = pytest.mark.frozen


def patch(client: Client, entry: Entry, data: dict[str, Any], **headers: str) -> Any:
    return client.patch(
        f"{API}/entries/{entry.public_id}",
        data=json.dumps(data),
        content_type="application/json",
        headers=headers,
    )


# 1. A change racing a deletion -----------------------------------------------------------------


def test_a_change_to_an_entry_deleted_meanwhile_stores_nothing(owner, entry):
    seen_before = Entry.objects.get(pk=entry.pk)  # what the PATCH read before the lock
    services.delete_entry(entry, user=owner)
    revisions = EntryRevision.objects.count()
    with pytest.raises(ValidationError, match="deleted"):
        services.update_entry(seen_before, fields={"note": "late change"}, user=owner)
    assert Entry.objects.count() == 1, "the day was not recorded again"
    assert EntryRevision.objects.count() == revisions


def test_patching_a_deleted_entry_is_a_422_and_does_not_record_the_day_again(api_for, owner, entry):
    client = api_for(owner)
    assert client.delete(f"{API}/entries/{entry.public_id}").status_code == 200
    r = patch(client, entry, {"status": "partly", "minutes_delivered": 10})
    assert r.status_code == 422
    assert "deleted" in r.json()["error"]["fields"][0]["message"]
    assert Entry.objects.count() == 1 and Entry.objects.get().deleted_at is not None


def test_update_entry_changes_that_entry(owner, entry):
    recorded = services.update_entry(entry, fields={"note": "in the hallway"}, user=owner)
    assert (recorded.entry.pk, recorded.changed) == (entry.pk, ["note"])
    assert Entry.objects.get().note == "in the hallway"


# 2. Idempotency keys ----------------------------------------------------------------------------


def test_a_retried_key_that_changed_an_entry_is_not_applied_again(api_for, owner, child, provision):
    client = api_for(owner)
    first = post_entry(client, child, body(provision, status="delivered"), Idempotency_Key="k1")
    assert first.status_code == 201
    change = body(provision, status="partly", minutes_delivered=10)
    assert post_entry(client, child, change, Idempotency_Key="k2").status_code == 200
    entry = Entry.objects.get()
    assert (
        patch(client, entry, {"status": "not_delivered", "minutes_delivered": 0}).status_code == 200
    )
    revisions = EntryRevision.objects.count()

    retry = post_entry(client, child, change, Idempotency_Key="k2")
    assert retry.status_code == 200
    assert (retry.json()["id"], retry.json()["status"]) == (str(entry.public_id), "not_delivered")
    assert EntryRevision.objects.count() == revisions

    other = post_entry(client, child, body(provision, status="delivered"), Idempotency_Key="k2")
    assert error(other)[:2] == (409, "idempotency_conflict")
    assert Entry.objects.get().status == "not_delivered"
    assert EntryRevision.objects.count() == revisions


def test_a_key_that_changed_one_entry_is_not_reused_for_another_that_changed_another_entry(
    api_for, owner, child, provision, plan
):
    client = api_for(owner)
    extended = plan.provisions.get(position=0)
    assert post_entry(client, child, body(provision, status="delivered")).status_code == 201
    change = body(provision, status="partly", minutes_delivered=10)
    assert post_entry(client, child, change, Idempotency_Key="k").status_code == 200
    r = post_entry(
        client, child, body(extended, "2026-11-18", status="delivered"), Idempotency_Key="k"
    )
    assert error(r)[:2] == (409, "idempotency_conflict")
    assert Entry.objects.count() == 1


def test_a_null_note_and_no_note_are_the_same_request(api_for, owner, child, provision):
    client = api_for(owner)
    first = post_entry(client, child, body(provision, status="delivered"), Idempotency_Key="k")
    again = post_entry(
        client, child, body(provision, status="delivered", note=None), Idempotency_Key="k"
    )
    assert (first.status_code, again.status_code) == (201, 200)


def test_a_key_kept_before_empty_fields_were_dropped_still_matches_its_retry(
    api_for, owner, child, provision
):
    client = api_for(owner)
    sent = body(provision, status="delivered", note=None)
    assert post_entry(client, child, sent, Idempotency_Key="k").status_code == 201
    # How earlier versions hashed the key's request: the empty note as the route passed it.
    payload = {
        "provision": str(provision.public_id),
        "day": "2026-11-17",
        "fields": {"status": "delivered", "note": ""},
    }
    old = hashlib.sha256(chain.canonical_json(payload).encode()).hexdigest()
    assert EntryRevision.objects.update(idempotency_fingerprint=old) == 1

    retry = post_entry(client, child, sent, Idempotency_Key="k")
    assert retry.status_code == 200
    other = post_entry(client, child, body(provision, status="partly"), Idempotency_Key="k")
    assert error(other)[:2] == (409, "idempotency_conflict")
    assert EntryRevision.objects.count() == 1


# 3. Optimistic concurrency ---------------------------------------------------------------------


def test_an_entry_shows_its_revision_and_etag(api_for, owner, entry):
    r = api_for(owner).get(f"{API}/entries/{entry.public_id}")
    assert (r.json()["revision"], r.headers["ETag"]) == (1, '"1"')


def test_a_stale_change_is_a_409_and_stores_nothing(api_for, owner, editor, entry):
    mine, theirs = api_for(owner), api_for(editor)
    etag = mine.get(f"{API}/entries/{entry.public_id}").headers["ETag"]
    r = patch(theirs, entry, {"note": "Met in the hallway"}, If_Match=etag)
    assert (r.status_code, r.headers["ETag"], r.json()["revision"]) == (200, '"2"', 2)

    stale = patch(mine, entry, {"note": "Speech room"}, If_Match=etag)
    assert error(stale)[:2] == (409, "edit_conflict")
    assert "changed" in stale.json()["error"]["message"]
    assert "revision 2" in stale.json()["error"]["message"]
    by_body = patch(mine, entry, {"note": "Speech room", "expected_revision": 1})
    assert by_body.status_code == 409
    gone = mine.delete(f"{API}/entries/{entry.public_id}", headers={"If-Match": etag})
    assert gone.status_code == 409
    assert Entry.objects.get().note == "Met in the hallway"
    assert Entry.objects.get().deleted_at is None
    assert EntryRevision.objects.count() == 2

    assert patch(mine, entry, {"note": "Speech room", "expected_revision": 2}).status_code == 200
    r = mine.delete(f"{API}/entries/{entry.public_id}", headers={"If-Match": '"3"'})
    assert r.status_code == 200


def test_without_a_revision_a_change_applies_as_before(api_for, owner, entry):
    services.update_entry(entry, fields={"note": "first"}, user=owner)
    assert patch(api_for(owner), entry, {"note": "second"}).status_code == 200


def test_a_malformed_if_match_is_a_422(api_for, owner, entry):
    r = patch(api_for(owner), entry, {"note": "x"}, If_Match="yesterday")
    assert error(r) == (422, "validation_error", ["If-Match"])


def test_the_services_take_expected_revision(owner, child, provision, entry):
    with pytest.raises(services.StaleEntry):
        services.record_entry(
            child=child,
            provision=provision,
            event_date=entry.event_date,
            fields={"note": "x"},
            user=owner,
            expected_revision=0,
        )
    with pytest.raises(services.StaleEntry):
        services.delete_entry(entry, user=owner, expected_revision=5)
    assert services.delete_entry(entry, user=owner, expected_revision=1).deleted_at


# 4. The plan version in force -----------------------------------------------------------------


@pytest.fixture
def amended(plan: Plan) -> Plan:
    return copy_plan(plan, start_date=date(2026, 11, 2), end_date=plan.end_date, label="Amendment")


def test_a_provision_of_a_replaced_plan_version_is_refused(
    api_for, owner, child, provision, amended
):
    r = post_entry(api_for(owner), child, body(provision, status="delivered"))
    assert error(r) == (422, "validation_error", ["provision"])
    assert "Amendment" in r.json()["error"]["fields"][0]["message"]
    assert not Entry.objects.exists()
    # Before the amendment, the old version was in force.
    r = post_entry(api_for(owner), child, body(provision, "2026-10-28", status="delivered"))
    assert r.status_code == 201
    new = amended.provisions.get(position=1)
    assert post_entry(api_for(owner), child, body(new, status="delivered")).status_code == 201


# 5. Minutes that contradict the status ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "minutes", "says"),
    [("delivered", 20, "whole session of 30 minutes"), ("no_opportunity", 5, "No opportunity")],
)
def test_minutes_that_contradict_the_status_are_refused(
    api_for, owner, child, provision, status, minutes, says
):
    r = post_entry(api_for(owner), child, body(provision, status=status, minutes_delivered=minutes))
    assert error(r) == (422, "validation_error", ["minutes_delivered"])
    assert says in r.json()["error"]["fields"][0]["message"]
    assert not Entry.objects.exists()


def test_fewer_minutes_on_a_delivered_entry_are_refused(api_for, owner, entry):
    r = patch(api_for(owner), entry, {"minutes_delivered": 10})
    assert error(r) == (422, "validation_error", ["minutes_delivered"])
    assert Entry.objects.get().minutes_delivered == 30


def test_an_entry_recorded_before_an_amendment_stays_editable(owner, child, provision, plan):
    day = date(2026, 11, 17)
    recorded = log_entry(provision, day, owner, status="delivered")
    copy_plan(plan, start_date=date(2026, 11, 2), end_date=plan.end_date, label="Amendment")
    changed = services.record_entry(
        child=child, provision=provision, event_date=day, fields={"note": "late bus"}, user=owner
    )
    assert (changed.entry.pk, changed.changed) == (recorded.pk, ["note"])


# Sent together (PostgreSQL: SQLite's in-memory test database locks whole tables) -------------


def together(*calls: Any) -> list[int]:
    """Run the calls in threads at once; return their status codes."""
    codes: list[int] = []
    start = threading.Barrier(len(calls))

    def run(call: Any) -> None:
        try:
            start.wait(10)
            codes.append(call().status_code)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return sorted(codes)


@pytest.mark.django_db(transaction=True)
def test_files_removed_together_are_removed_once(api_for, owner, child, provision):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database locks whole tables between threads")
    entry = log_entry(provision, date(2026, 11, 16), owner, status="delivered")
    upload = SimpleUploadedFile("IMG_0042.png", PNG, content_type="image/png")
    evidence = services.add_evidence(entry, upload, user=owner)
    clients = [api_for(owner) for _ in range(10)]
    url = f"{API}/evidence/{evidence.public_id}"
    codes = together(*[functools.partial(c.delete, url) for c in clients])
    assert codes == [204] + [422] * 9
    assert entry.revisions.count() == 3
    assert verify.verify_child(child).ok


@pytest.mark.django_db(transaction=True)
def test_a_change_sent_with_a_deletion_never_records_the_day_again(
    api_for, owner, child, provision
):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database locks whole tables between threads")
    for attempt in range(5):
        entry = log_entry(provision, date(2026, 11, 16 - attempt), owner, status="delivered")
        url = f"{API}/entries/{entry.public_id}"
        change = json.dumps({"note": "hallway"})
        a, b = api_for(owner), api_for(owner)
        together(
            functools.partial(a.patch, url, data=change, content_type="application/json"),
            functools.partial(b.delete, url),
        )
        assert Entry.objects.filter(event_date=entry.event_date).count() == 1
        assert not Entry.objects.filter(event_date=entry.event_date, deleted_at=None).exists()
    assert verify.verify_child(child).ok


def test_a_new_entry_comes_with_its_etag(api_for, owner, child, provision):
    r = post_entry(api_for(owner), child, body(provision, status="delivered"))
    assert (r.status_code, r.headers["ETag"], r.json()["revision"]) == (201, '"1"', 1)


def test_the_openapi_document_describes_if_match_and_the_delete_body(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    entry = paths["/api/v1/entries/{entry_id}"]
    for method in ("patch", "delete"):
        assert "If-Match" in [p["name"] for p in entry[method]["parameters"]]
        assert "If-Match" in entry[method]["description"]
    body_schema = entry["delete"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body_schema["properties"]) == {"reason", "expected_revision"}
