"""The daily-log API: record, list, change, delete, history, evidence and the chain check."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from iepright.logbook import services
from iepright.logbook.models import Entry, EntryRevision, Evidence
from iepright.plans.models import Child, Plan, Provision
from tests.api.conftest import API, send
from tests.api.entry_support import body, post_entry
from tests.conftest import log_entry
from tests.images import PNG

pytestmark = pytest.mark.frozen

EXE = b"MZ\x90\x00" + b"\x00" * 100


def field_names(response: Any) -> list[str]:
    return [f["field"] for f in response.json()["error"]["fields"]]


# Ownership ------------------------------------------------------------------------------------

READ, WRITE = "read", "write"
ROUTES: list[tuple[str, str, str, Any, int]] = [
    ("post", "/children/{child}/entries", WRITE, "new", 201),
    ("get", "/children/{child}/entries", READ, None, 200),
    ("get", "/entries/{entry}", READ, None, 200),
    ("patch", "/entries/{entry}", WRITE, {"note": "Met in the hallway"}, 200),
    ("delete", "/entries/{entry}", WRITE, None, 200),
    ("get", "/entries/{entry}/history", READ, None, 200),
    ("post", "/entries/{entry}/evidence", WRITE, "file", 201),
    ("get", "/evidence/{evidence}", READ, None, 200),
    ("delete", "/evidence/{evidence}", WRITE, None, 204),
    ("get", "/children/{child}/verify", READ, None, 200),
]


@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "outsider", "anonymous"])
@pytest.mark.parametrize(
    ("method", "path", "need", "payload", "success"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_it_validates_ownership(
    api_for, personas, child, provision, evidence, role, method, path, need, payload, success
):
    client = api_for(None if role == "anonymous" else personas[role])
    url = API + path.format(
        child=child.public_id, entry=evidence.entry.public_id, evidence=evidence.public_id
    )
    before = EntryRevision.objects.count()
    if payload == "new":
        r = post_entry(client, child, body(provision, status="not_delivered"))
    elif payload == "file":
        r = client.post(url, {"file": SimpleUploadedFile("note.png", PNG)})
    elif payload is None:
        r = getattr(client, method)(url)
    else:
        r = getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")
    allowed = {"owner", "editor"} | ({"viewer"} if need == READ else set())
    status = {"anonymous": 401, "outsider": 404}.get(role, success if role in allowed else 403)
    assert r.status_code == status, r.content
    if status >= 400:
        assert r.json()["error"]["status"] == status
        assert EntryRevision.objects.count() == before  # nothing written


# Recording ------------------------------------------------------------------------------------


def test_it_records_an_entry_then_changes_it_on_the_same_day(api_for, owner, child, provision):
    client = api_for(owner)
    r = post_entry(client, child, body(provision, status="delivered", note="  In the speech room "))
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["status"] == "delivered"
    assert created["minutes_delivered"] == 30  # delivered = the full session
    assert created["note"] == "In the speech room"
    assert created["recorded_by"] == "Rosa Alvarez"
    assert created["client"] == "api:tests"
    assert (created["recorded_late"], created["days_late"]) == (False, 1)
    assert (created["revision_count"], created["deleted"], created["evidence"]) == (1, False, [])
    assert created["recorded_at"].startswith("2026-11-18T21:00:00")

    r = post_entry(
        client,
        child,
        body(provision, status="partly", minutes_delivered=10, reason="SLP said it was cut short"),
    )
    assert r.status_code == 200, r.content
    assert (r.json()["id"], r.json()["status"]) == (created["id"], "partly")
    assert r.json()["note"] == "In the speech room"  # not sent, not changed
    history = send(client, "get", f"/entries/{created['id']}/history").json()
    assert history["count"] == 2
    assert history["items"][1]["changed"] == ["minutes_delivered", "status"]
    assert history["items"][1]["reason"] == "SLP said it was cut short"


def test_it_records_the_session_as_the_web_api_client(client_for, owner, child, provision):
    r = post_entry(client_for(owner), child, body(provision, status="delivered"))
    assert r.status_code == 201
    assert r.json()["client"] == "web-api"
    assert Entry.objects.get().revisions.get().client == "web-api"


def test_it_names_the_client_by_the_token_name(api_for, owner, child, provision):
    client = api_for(owner, name="Rosa's phone")
    r = post_entry(client, child, body(provision, status="delivered"))
    assert r.json()["client"] == "api:Rosa's phone"


def test_it_flags_an_entry_recorded_late(api_for, owner, child, provision):
    r = post_entry(api_for(owner), child, body(provision, "2026-11-13", status="not_delivered"))
    assert (r.json()["recorded_late"], r.json()["days_late"]) == (True, 5)


def test_it_links_a_contact_and_circumstances(api_for, owner, child, provision, contact):
    r = post_entry(
        api_for(owner),
        child,
        body(
            provision,
            status="not_delivered",
            minutes_delivered=0,
            source="teacher_email",
            circumstances=["substitute_teacher", "assembly"],
            reported_contact=str(contact.public_id),
        ),
    )
    assert r.status_code == 201, r.content
    assert r.json()["reported_contact"] == str(contact.public_id)
    assert r.json()["circumstances"] == ["assembly", "substitute_teacher"]


def test_a_repeated_idempotency_key_returns_the_same_entry(api_for, owner, child, provision):
    client = api_for(owner)
    first = post_entry(client, child, body(provision, status="delivered"), Idempotency_Key="a-1")
    again = post_entry(client, child, body(provision, status="delivered"), Idempotency_Key="a-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert EntryRevision.objects.count() == 1
    by_body = post_entry(client, child, body(provision, status="delivered", idempotency_key="a-1"))
    assert (by_body.status_code, by_body.json()["id"]) == (200, first.json()["id"])

    r = post_entry(client, child, body(provision, status="partly"), Idempotency_Key="a-1")
    assert r.status_code == 409
    assert r.json() == {
        "error": {
            "status": 409,
            "code": "idempotency_conflict",
            "message": "This idempotency key was already used for a different entry.",
            "fields": [],
        }
    }
    assert Entry.objects.get().status == "delivered"
    assert EntryRevision.objects.count() == 1


def test_it_refuses_a_header_and_body_key_that_differ(api_for, owner, child, provision):
    r = post_entry(
        api_for(owner),
        child,
        body(provision, status="delivered", idempotency_key="a"),
        Idempotency_Key="b",
    )
    assert (r.status_code, field_names(r)) == (422, ["idempotency_key"])


@pytest.fixture
def sibling_provision(child, plan) -> Provision:
    """A provision of the household's other child."""
    sibling = Child.objects.create(household=child.household, name="Leo Alvarez", state="TX")
    other = Plan.objects.create(child=sibling, start_date=plan.start_date, end_date=plan.end_date)
    return Provision.objects.create(plan=other, category="accommodation", text="Seating")


@pytest.fixture
def outsider_provision(outsider, plan) -> Provision:
    other = Plan.objects.create(
        child=Child.objects.get(name="Other Child"),
        start_date=plan.start_date,
        end_date=plan.end_date,
    )
    return Provision.objects.create(plan=other, category="accommodation", text="Seating")


@pytest.mark.parametrize("which", ["sibling_provision", "outsider_provision"])
def test_a_provision_that_is_not_this_childs_is_a_422(request, api_for, owner, child, which):
    stranger = request.getfixturevalue(which)
    r = post_entry(api_for(owner), child, body(stranger, status="delivered"))
    assert (r.status_code, field_names(r)) == (422, ["provision"])
    assert not Entry.objects.exists()


def test_a_contact_that_is_not_this_childs_is_a_422(api_for, owner, child, provision, outsider):
    from iepright.correspondence.models import Contact

    theirs = Contact.objects.create(child=Child.objects.get(name="Other Child"), name="Mr. X")
    payload = body(provision, status="delivered", reported_contact=str(theirs.public_id))
    r = post_entry(api_for(owner), child, payload)
    assert (r.status_code, field_names(r)) == (422, ["reported_contact"])


@pytest.mark.parametrize(
    ("day", "fields", "field"),
    [
        ("2026-11-19", {"status": "delivered"}, "event_date"),  # tomorrow
        ("2026-09-01", {"status": "delivered"}, "event_date"),  # before the plan
        ("2026-11-17", {"status": "partly", "minutes_delivered": 31}, "minutes_delivered"),
        ("2026-11-17", {"status": "partly", "minutes_delivered": -5}, "minutes_delivered"),
        ("2026-11-17", {"status": "sort of"}, "status"),
        ("2026-11-17", {"note": "no status"}, "status"),
        ("2026-11-17", {"status": "delivered", "circumstances": ["aliens"]}, "circumstances"),
        ("2026-11-17", {"status": "delivered", "recorded_at": "2020-01-01"}, "recorded_at"),
        ("not a date", {"status": "delivered"}, "event_date"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(
    api_for, owner, child, provision, day, fields, field
):
    r = post_entry(api_for(owner), child, body(provision, day, **fields))
    assert r.status_code == 422, r.content
    assert field_names(r) == [field]
    assert not Entry.objects.exists() and not EntryRevision.objects.exists()


# Listing -------------------------------------------------------------------------------------


def _log(child, plan, owner) -> None:
    speech = plan.provisions.get(position=1)
    extended = plan.provisions.get(position=0)
    for day in (date(2026, 11, 10), date(2026, 11, 16), date(2026, 11, 17)):
        for provision in (extended, speech):
            status = "not_delivered" if day.day == 16 and provision == speech else "delivered"
            log_entry(provision, day, owner, status=status)


def test_it_lists_entries_without_a_query_per_row(
    api_for, viewer, owner, child, plan, django_assert_num_queries
):
    _log(child, plan, owner)
    first = Entry.objects.order_by("event_date", "provision__position").first()
    assert first is not None
    services.add_evidence(first, SimpleUploadedFile("a.png", PNG), user=owner)
    client = api_for(viewer)
    send(client, "get", f"/children/{child.public_id}/entries")
    with django_assert_num_queries(6):  # token, child, count, page, evidence, revisions
        r = send(client, "get", f"/children/{child.public_id}/entries")
    data = r.json()
    assert data["count"] == 6
    days = [(i["event_date"], i["status"]) for i in data["items"]]
    assert days[:3] == [("2026-11-10", "delivered")] * 2 + [("2026-11-16", "delivered")]
    item = data["items"][0]
    assert (item["recorded_late"], item["days_late"], item["recorded_by"]) == (
        True,
        8,
        "Rosa Alvarez",
    )
    assert item["client"] == "web" and item["revision_count"] == 2 and item["deleted"] is False
    [photo] = item["evidence"]
    assert set(photo) == {"id", "name", "size", "type", "sha256", "url", "uploaded_at", "removed"}
    assert photo["url"] == f"/api/v1/evidence/{photo['id']}"
    assert (photo["name"], photo["type"], photo["size"]) == ("a.png", "image/png", len(PNG))


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("from=2026-11-16&to=2026-11-16", 2),
        ("from=2026-11-16", 4),
        ("status=not_delivered", 1),
        ("status=not_delivered&status=delivered", 6),
        ("late=true", 2),
        ("late=false", 4),
        ("limit=2&offset=4", 6),
    ],
)
def test_it_filters_the_list(api_for, owner, child, plan, query, count):
    _log(child, plan, owner)
    r = send(api_for(owner), "get", f"/children/{child.public_id}/entries?{query}")
    assert r.status_code == 200, r.content
    assert r.json()["count"] == count
    if "limit=2" in query:
        assert len(r.json()["items"]) == 2


def test_it_filters_by_provision(api_for, owner, child, plan):
    _log(child, plan, owner)
    speech = plan.provisions.get(position=1)
    r = send(
        api_for(owner), "get", f"/children/{child.public_id}/entries?provision={speech.public_id}"
    )
    assert {i["provision"] for i in r.json()["items"]} == {str(speech.public_id)}


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=2026-11-17&to=2026-11-16", "to"), ("status=maybe", "status"), ("late=perhaps", "late")],
)
def test_it_refuses_bad_filters(api_for, owner, child, query, field):
    r = send(api_for(owner), "get", f"/children/{child.public_id}/entries?{query}")
    assert (r.status_code, field_names(r)) == (422, [field])


# One entry -----------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent_and_keeps_the_reason(api_for, editor, entry):
    client = api_for(editor)
    r = send(
        client,
        "patch",
        f"/entries/{entry.public_id}",
        {
            "note": "Ran 10 minutes short",
            "status": "partly",
            "minutes_delivered": 20,
            "reason": "Teacher corrected me",
        },
    )
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["minutes_delivered"]) == ("partly", 20)
    assert r.json()["recorded_by"] == "Rosa Alvarez"  # who first recorded it
    latest = entry.revisions.order_by("-number").first()
    assert latest is not None
    assert (latest.recorded_by_name, latest.reason) == ("Daniel Alvarez", "Teacher corrected me")
    assert latest.changed == ["minutes_delivered", "note", "status"]
    r = send(client, "patch", f"/entries/{entry.public_id}", {"minutes_delivered": 45})
    assert (r.status_code, field_names(r)) == (422, ["minutes_delivered"])


def test_delete_keeps_the_entry_readable_and_out_of_the_list(api_for, owner, child, entry):
    client = api_for(owner)
    r = client.delete(f"{API}/entries/{entry.public_id}?reason=wrong%20day")
    assert (r.status_code, r.json()["deleted"]) == (200, True)
    assert send(client, "get", f"/entries/{entry.public_id}").json()["deleted"] is True
    listed = send(client, "get", f"/children/{child.public_id}/entries").json()
    assert listed["count"] == 0
    everything = send(client, "get", f"/children/{child.public_id}/entries?include_deleted=true")
    assert [i["deleted"] for i in everything.json()["items"]] == [True]
    history = send(client, "get", f"/entries/{entry.public_id}/history").json()["items"]
    assert [(h["action"], h["reason"]) for h in history] == [
        ("create", ""),
        ("delete", "wrong day"),
    ]
    assert client.delete(f"{API}/entries/{entry.public_id}").status_code == 422
    r = send(client, "patch", f"/entries/{entry.public_id}", {"note": "x"})
    assert r.status_code == 422


def test_history_shows_the_chain(api_for, viewer, entry):
    r = send(api_for(viewer), "get", f"/entries/{entry.public_id}/history")
    [revision] = r.json()["items"]
    stored = entry.revisions.get()
    assert revision == {
        "number": 1,
        "seq": 1,
        "action": "create",
        "recorded_at": "2026-11-18T21:00:00Z",
        "recorded_by": "Rosa Alvarez",
        "client": "web",
        "changed": ["status"],
        "reason": "",
        "snapshot": stored.snapshot,
        "previous_hash": "0" * 64,
        "hash": stored.hash,
    }


# Evidence ------------------------------------------------------------------------------------


def test_it_attaches_downloads_and_removes_evidence(api_for, editor, entry):
    client = api_for(editor)
    upload = SimpleUploadedFile("IMG_0042.JPG", PNG, content_type="image/jpeg")
    r = client.post(f"{API}/entries/{entry.public_id}/evidence", {"file": upload})
    assert r.status_code == 201, r.content
    evidence = r.json()
    assert (evidence["name"], evidence["type"]) == ("IMG_0042.JPG", "image/png")
    download = client.get(evidence["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'filename="IMG_0042.JPG"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PNG
    assert (
        send(client, "get", f"/entries/{entry.public_id}").json()["evidence"][0]["id"]
        == (evidence["id"])
    )
    assert client.delete(f"{API}/evidence/{evidence['id']}?reason=blurry").status_code == 204
    assert send(client, "get", f"/entries/{entry.public_id}").json()["evidence"] == []
    assert client.delete(f"{API}/evidence/{evidence['id']}").status_code == 422
    assert client.get(evidence["url"]).status_code == 200  # still there for the history


def test_it_refuses_a_renamed_program_and_an_oversize_file(api_for, owner, entry, settings):
    client = api_for(owner)
    url = f"{API}/entries/{entry.public_id}/evidence"
    r = client.post(url, {"file": SimpleUploadedFile("photo.jpg", EXE, content_type="image/jpeg")})
    assert (r.status_code, field_names(r)) == (422, ["file"])
    settings.MAX_UPLOAD_MB = 1
    big = PNG + b"\x00" * (1024 * 1024)
    r = client.post(url, {"file": SimpleUploadedFile("big.png", big, content_type="image/png")})
    assert (r.status_code, field_names(r)) == (422, ["file"])
    assert "limit is 1 MB" in r.json()["error"]["fields"][0]["message"]
    assert not Evidence.objects.exists() and entry.revisions.count() == 1


# Verification --------------------------------------------------------------------------------


def test_verify_reports_an_intact_chain_then_a_tampered_one(api_for, viewer, child, entry):
    client = api_for(viewer)
    r = send(client, "get", f"/children/{child.public_id}/verify")
    assert r.json() == {
        "ok": True,
        "revisions": 1,
        "entries": 1,
        "final_hash": entry.revisions.get().hash,
        "broken_at": None,
        "reason": "",
        "entry": None,
    }
    Entry.objects.filter(pk=entry.pk).update(status="not_delivered")  # behind the app's back
    r = send(client, "get", f"/children/{child.public_id}/verify")
    assert (r.json()["ok"], r.json()["entry"]) == (False, str(entry.public_id))
    assert "altered" in r.json()["reason"]


def test_a_check_in_takes_a_fixed_number_of_queries(
    api_for, owner, child, plan, django_assert_num_queries
):
    client = api_for(owner)
    speech, extended = plan.provisions.get(position=1), plan.provisions.get(position=0)
    post_entry(client, child, body(extended, status="delivered"), Idempotency_Key="warm")
    # The token; the provision with its plan, child and household (and the caller's role);
    # then in the transaction (a savepoint here, inside the test's): the child's row lock
    # (PostgreSQL only: SQLite's BEGIN IMMEDIATE already serialises writers), the key, the
    # day's entry, the plan version in force, the end of the chain, the entry and its revision.
    locks = 0 if connection.vendor == "sqlite" else 1
    with django_assert_num_queries(10 + locks):
        r = post_entry(client, child, body(speech, status="delivered"), Idempotency_Key="k")
    assert r.status_code == 201
    # Without a key there is none to look up, and built-in circumstances need no query.
    with django_assert_num_queries(9 + locks):
        r = post_entry(
            client, child, body(speech, "2026-11-16", status="partly", circumstances=["assembly"])
        )
    assert r.status_code == 201
