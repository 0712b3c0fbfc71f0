"""The check-in's fast path (iepright/api/checkin_fast.py) answers and writes as the full route.

Each request is sent twice from the same database state — once with the fast path on, once with
FAST_CHECKIN off so the API's own route answers — and the answers and the rows written compared.
A request went through the fast path when Django's query wrappers saw no query but the savepoint
around the write (it runs its statements on the driver's cursor); the full route runs a dozen.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from iepright import groupcommit
from iepright.accounts.models import ApiToken, User
from iepright.logbook.models import Entry, EntryRevision
from iepright.logbook.verify import verify_child
from iepright.plans.models import Child, Provision
from tests.api.conftest import API

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=ZoneInfo("America/Chicago"))  # a Wednesday

# Columns that differ between two recordings of the same check-in by construction.
ENTRY_OWN = {"id", "public_id"}
REVISION_OWN = {"id", "entry_id", "hash"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def bearer(user: User, used: datetime | None = NOW) -> Client:
    """Return a client with a fresh token, marked used at `used` (None: never used)."""
    token, raw = ApiToken.issue(user, "phone")
    ApiToken.objects.filter(pk=token.pk).update(last_used=used)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, child: Child, body: Any, **headers: str) -> tuple[Any, int]:
    """POST a check-in; return the response and how many queries Django's wrappers saw.

    Savepoints are left out: the test's own transaction turns the write's into savepoints.
    """
    data = body if isinstance(body, str) else json.dumps(body)
    with CaptureQueriesContext(connection) as seen:
        response = client.post(
            f"{API}/children/{child.public_id}/entries",
            data=data,
            content_type="application/json",
            headers=headers,
        )
    queries = [q["sql"] for q in seen.captured_queries if "SAVEPOINT" not in q["sql"]]
    return response, len(queries)


def rows(child: Child) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entries = [
        {k: v for k, v in row.items() if k not in ENTRY_OWN}
        for row in Entry.objects.filter(child=child).order_by("pk").values()
    ]
    revisions = [
        {k: v for k, v in row.items() if k not in REVISION_OWN}
        for row in EntryRevision.objects.filter(child=child).order_by("seq").values()
    ]
    return entries, revisions


def both_ways(settings: Any, client: Client, child: Child, body: Any, **headers: str) -> Any:
    """Send `body` by both routes from the same state; return (fast, full) results.

    Each result is (status, JSON, ORM queries, rows written); the fast one's writes are rolled
    back before the full route runs, and the full route's are kept.
    """
    results = []
    for fast in (True, False):
        settings.FAST_CHECKIN = fast
        sid = transaction.savepoint()
        response, queries = post(client, child, body, **headers)
        result = (response.status_code, response.json(), queries, rows(child))
        results.append(result)
        if fast:
            transaction.savepoint_rollback(sid)
        else:
            transaction.savepoint_commit(sid)
    settings.FAST_CHECKIN = True
    return results


def same_answer(fast: dict[str, Any], full: dict[str, Any]) -> None:
    assert fast.pop("id") != full.pop("id")
    assert fast == full


def body(provision: Provision, day: str = "2026-11-17", **fields: Any) -> dict[str, Any]:
    return {"provision": str(provision.public_id), "event_date": day, **fields}


# What the fast path takes --------------------------------------------------------------------

TAKEN: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("delivered fills the session's minutes", {"status": "delivered"}, {}),
    ("partly, with minutes", {"status": "partly", "minutes_delivered": 10}, {}),
    ("not delivered, zero minutes", {"status": "not_delivered", "minutes_delivered": 0}, {}),
    ("no opportunity", {"status": "no_opportunity"}, {}),
    (
        "every optional field, padded and repeated",
        {
            "status": "not_delivered",
            "circumstances": ["substitute_teacher", "assembly", "substitute_teacher"],
            "source": "teacher_told",
            "reported_by": "  Ms. Ruiz ",
            "reported_contact": None,
            "note": " Speech room was used for testing.\n",
            "reason": "  Told at pickup ",
        },
        {},
    ),
    ("a key in the body", {"status": "delivered", "idempotency_key": " tap-1 "}, {}),
    ("a key in the header", {"status": "partly", "minutes_delivered": 5}, {"Idempotency-Key": "k"}),
    (
        "accented text",
        {"status": "not_delivered", "note": "La maestra faltó; sesión cancelada"},
        {},
    ),
]


@pytest.mark.parametrize(("fields", "headers"), [t[1:] for t in TAKEN], ids=[t[0] for t in TAKEN])
def test_it_answers_and_writes_as_the_full_route(
    settings, owner, child, provision, calendar, fields, headers
):
    client = bearer(owner)
    fast, full = both_ways(settings, client, child, body(provision, **fields), **headers)
    assert (fast[0], full[0]) == (201, 201), (fast[1], full[1])
    assert fast[2] == 0, "the fast path ran no ORM query"
    assert full[2] > 5, "the full route answered the second time"
    same_answer(fast[1], full[1])
    assert fast[3] == full[3]  # the same rows, field for field, but their own ids and hashes
    assert verify_child(child).ok


def test_it_extends_the_chain_after_entries_of_the_full_route(settings, owner, child, plan):
    client = bearer(owner)
    speech, extended = plan.provisions.get(position=1), plan.provisions.get(position=0)
    settings.FAST_CHECKIN = False
    for day in ("2026-11-16", "2026-11-17"):
        assert post(client, child, body(extended, day, status="delivered"))[0].status_code == 201
    settings.FAST_CHECKIN = True
    response, queries = post(client, child, body(speech, "2026-11-18", status="delivered"))
    assert (response.status_code, queries) == (201, 0)
    seqs = list(EntryRevision.objects.filter(child=child).order_by("seq").values_list("seq"))
    assert seqs == [(1,), (2,), (3,)]
    check = verify_child(child)
    assert (check.ok, check.revisions, check.entries) == (True, 3, 3)


def test_a_late_entry_is_marked_late_by_both(settings, owner, child, provision):
    fast, full = both_ways(
        settings, bearer(owner), child, body(provision, "2026-11-11", status="delivered")
    )
    assert fast[2] == 0
    same_answer(fast[1], full[1])
    assert (full[1]["recorded_late"], full[1]["days_late"]) == (True, 7)
    assert fast[3] == full[3]


# What it hands to the full route: errors, and what pydantic reads leniently -------------------

DECLINED: list[tuple[str, Any]] = [
    ("unknown field", {"status": "delivered", "colour": "red"}),
    ("no status", {}),
    ("unknown status", {"status": "done"}),
    ("future day", {"status": "delivered", "event_date": "2026-11-19"}),
    ("before the plan", {"status": "delivered", "event_date": "2026-09-01"}),
    ("not a day", {"status": "delivered", "event_date": "2026-02-30"}),
    ("a day spelled otherwise", {"status": "delivered", "event_date": "20261117"}),
    ("more minutes than the session", {"status": "delivered", "minutes_delivered": 31}),
    ("partly with the whole session", {"status": "partly", "minutes_delivered": 30}),
    ("not delivered with minutes", {"status": "not_delivered", "minutes_delivered": 5}),
    ("negative minutes", {"status": "partly", "minutes_delivered": -1}),
    ("minutes as text (pydantic reads it)", {"status": "partly", "minutes_delivered": "10"}),
    ("a day as a number", {"status": "delivered", "event_date": 20261117}),
    ("unknown circumstance", {"status": "not_delivered", "circumstances": ["aliens"]}),
    ("circumstances not a list", {"status": "not_delivered", "circumstances": "assembly"}),
    ("unknown source", {"status": "delivered", "source": "rumour"}),
    ("note not text", {"status": "delivered", "note": 5}),
    ("reason too long", {"status": "delivered", "reason": "x" * 501}),
    ("key too long", {"status": "delivered", "idempotency_key": "k" * 101}),
    ("provision not a uuid", {"status": "delivered", "provision": "speech"}),
    (
        "provision unknown",
        {"status": "delivered", "provision": "0" * 8 + "-0000-4000-8000-" + "0" * 12},
    ),
    ("not JSON", "status=delivered"),
    ("a list", [{"status": "delivered"}]),
]


@pytest.mark.parametrize("change", [d[1] for d in DECLINED], ids=[d[0] for d in DECLINED])
def test_the_unusual_gets_the_full_routes_answer(settings, owner, child, provision, change):
    client = bearer(owner)
    sent = change if not isinstance(change, dict) else {**body(provision), **change}
    fast, full = both_ways(settings, client, child, sent)
    assert fast[2] > 0, "the fast path declined: the full route answered both times"
    assert fast[0] == full[0]
    if full[0] == 201:
        same_answer(fast[1], full[1])
        assert fast[3] == full[3]
    else:
        assert fast[0] in (400, 404, 422) and fast[1] == full[1]
        assert fast[3] == full[3] == ([], [])  # nothing written


def test_a_different_key_in_header_and_body_is_the_full_routes_422(
    settings, owner, child, provision
):
    sent = body(provision, status="delivered", idempotency_key="a")
    fast, full = both_ways(settings, bearer(owner), child, sent, **{"Idempotency-Key": "b"})
    assert (fast[0], fast[1]) == (full[0], full[1]) == (422, full[1])


def test_a_second_tap_a_replay_and_a_conflict_go_to_the_full_route(owner, child, provision):
    client = bearer(owner)
    first, queries = post(
        client, child, body(provision, status="delivered"), **{"Idempotency-Key": "t1"}
    )
    assert (first.status_code, queries) == (201, 0)
    replay, queries = post(
        client, child, body(provision, status="delivered"), **{"Idempotency-Key": "t1"}
    )
    assert (replay.status_code, replay.json()["id"]) == (200, first.json()["id"])
    assert queries > 0
    conflict, _ = post(client, child, body(provision, status="partly"), **{"Idempotency-Key": "t1"})
    assert conflict.status_code == 409
    change, _ = post(client, child, body(provision, status="partly", minutes_delivered=20))
    assert (change.status_code, change.json()["revision_count"]) == (200, 2)
    assert Entry.objects.filter(child=child).count() == 1
    assert verify_child(child).ok


@pytest.mark.parametrize("role", ["viewer", "outsider"])
def test_a_viewer_and_an_outsider_get_the_full_routes_answer(
    settings, personas, child, provision, role
):
    fast, full = both_ways(
        settings, bearer(personas[role]), child, body(provision, status="delivered")
    )
    assert fast[0] == full[0] == {"viewer": 403, "outsider": 404}[role]
    assert fast[1] == full[1]


@pytest.mark.parametrize("auth", ["Bearer iep_not-a-token", "Token abc", ""])
def test_a_bad_or_missing_token_is_the_full_routes_401(settings, db, child, provision, auth):
    client = Client(HTTP_AUTHORIZATION=auth) if auth else Client()
    fast, full = both_ways(settings, client, child, body(provision, status="delivered"))
    assert fast[0] == full[0] == 401
    assert fast[1] == full[1]


def test_a_revoked_token_is_refused(owner, child, provision):
    token, raw = ApiToken.issue(owner, "old phone")
    ApiToken.objects.filter(pk=token.pk).update(last_used=NOW, revoked=NOW)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert post(client, child, body(provision, status="delivered"))[0].status_code == 401
    assert not Entry.objects.exists()


def test_a_token_not_used_for_an_hour_is_touched_by_the_full_route(owner, child, provision):
    client = bearer(owner, used=NOW - timedelta(hours=2))
    response, queries = post(client, child, body(provision, status="delivered"))
    assert response.status_code == 201 and queries > 0
    assert ApiToken.objects.get(user=owner).last_used == NOW
    _, queries = post(client, child, body(provision, "2026-11-16", status="delivered"))
    assert queries == 0  # touched within the hour: the fast path takes the next one


def test_a_session_is_the_full_routes(client_for, owner, child, provision):
    response, queries = post(client_for(owner), child, body(provision, status="delivered"))
    assert response.status_code == 201 and queries > 0
    assert response.json()["client"] == "web-api"


def test_a_household_circumstance_goes_to_the_full_route(owner, child, provision, household):
    from iepright.logbook.models import Circumstance

    Circumstance.objects.create(household=household, code="bus_late", label="Bus was late")
    sent = body(provision, status="not_delivered", circumstances=["bus_late"])
    response, queries = post(bearer(owner), child, sent)
    assert (response.status_code, response.json()["circumstances"]) == (201, ["bus_late"])
    assert queries > 0


# With the group-commit writer thread, as gunicorn runs it --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_check_ins_sent_together_are_all_written_in_one_intact_chain(settings, owner, plan):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database locks whole tables between threads")
    settings.GROUP_COMMIT = True
    child, speech, extended = (
        plan.child,
        plan.provisions.get(position=1),
        plan.provisions.get(position=0),
    )
    clients = [bearer(owner) for _ in range(8)]
    days = [(NOW.date() - timedelta(days=d)).isoformat() for d in range(40)]
    answers: list[int] = []

    def tap(i: int) -> None:
        try:
            for day in days[i * 5 : i * 5 + 5]:
                for provision in (speech, extended):
                    response, _ = post(clients[i], child, body(provision, day, status="delivered"))
                    answers.append(response.status_code)
        finally:
            connection.close()  # this thread's own connection

    try:
        threads = [threading.Thread(target=tap, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        groupcommit.shutdown()
    assert sorted(set(answers)) == [201] and len(answers) == 80
    check = verify_child(child)
    assert (check.ok, check.entries, check.revisions) == (True, 80, 80), check.reason


def test_on_postgresql_its_statements_are_prepared_once_per_connection(owner, child, plan):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    client = bearer(owner)
    for day in ("2026-11-16", "2026-11-17"):
        for provision in plan.provisions.all():
            response, queries = post(client, child, body(provision, day, status="delivered"))
            assert (response.status_code, queries) == (201, 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # The target query (which reads the chain's end, the key and the day too) and the
    # locking insert (psycopg prepares one per kind of parameter: a NULL or a smaller number is
    # another), reused for later taps; no read inside the transaction.
    kinds = {statement.split(" ", 1)[0] for statement in prepared}
    assert kinds == {"SELECT", "WITH"} and len(prepared) < 6, prepared
    assert sum(statement.startswith("SELECT t.name") for statement in prepared) == 1
    assert all(
        statement.startswith(("SELECT t.name", "WITH l AS (SELECT id FROM"))
        for statement in prepared
    ), prepared


# Races lost between the first read and the write -------------------------------------------
# On PostgreSQL the fast path reads the chain's end, the key and the day before its transaction
# and inserts under the child's lock; a writer that commits in between makes a unique
# constraint refuse the insert, and the full route answers. (On SQLite the same read happens
# inside the transaction, so the fast path sees the other write and declines.) The other
# writer here is the full route's service, run right after the fast path's first read.

RACES = [
    ("another provision of the child", "other", {}, 201),
    ("the same day", "same", {}, 200),
    ("the same key and day", "same", {"idempotency_key": "tap-1"}, 200),
]


@pytest.mark.parametrize(
    ("what", "provision_of", "key", "status"), RACES, ids=[r[0] for r in RACES]
)
def test_a_race_lost_after_the_first_read_is_answered_by_the_full_route(
    monkeypatch, owner, child, plan, what, provision_of, key, status
):
    from iepright.api import checkin_fast
    from iepright.logbook import services

    speech, extended = plan.provisions.get(position=1), plan.provisions.get(position=0)
    refused: list[str] = []
    real_target, real_submit = checkin_fast._target, groupcommit.submit

    def target_then_another_writer(*args: Any) -> Any:
        found = real_target(*args)
        services.record_entry(
            child=child,
            provision=speech if provision_of == "same" else extended,
            event_date=NOW.date() - timedelta(days=1),
            fields={"status": "delivered"},
            user=owner,
            client="web",
            idempotency_key=key.get("idempotency_key", ""),
        )
        return found

    def submit(work: Any, order: Any = 0) -> Any:
        try:
            return real_submit(work, order)
        except Exception as exc:
            refused.append(type(exc).__name__)
            raise

    monkeypatch.setattr(checkin_fast, "_target", target_then_another_writer)
    monkeypatch.setattr(groupcommit, "submit", submit)
    sent = body(speech, status="delivered", **key)
    response, _ = post(bearer(owner), child, sent)
    assert response.status_code == status, response.json()
    if connection.vendor == "postgresql":
        assert refused == ["IntegrityError"]  # Django's, from the driver's unique violation
    else:
        # Read under SQLite's write lock: the fast path sees the other write and appends after
        # it, or declines when it took the day.
        assert refused == ([] if status == 201 else ["Decline"])
    entries = Entry.objects.filter(child=child)
    assert entries.count() == (2 if status == 201 else 1)
    check = verify_child(child)
    assert (check.ok, check.revisions) == (True, 2 if status == 201 else 1), check.reason


def test_a_unique_violation_on_the_drivers_cursor_goes_to_the_full_route(
    monkeypatch, owner, child, plan
):
    from types import SimpleNamespace

    from iepright.api import checkin_fast

    speech, extended = plan.provisions.get(position=1), plan.provisions.get(position=0)
    client = bearer(owner)
    taken = post(client, child, body(extended, status="delivered"))[0].json()["id"]
    # The fast path's next entry gets the public id already taken: a real unique violation.
    monkeypatch.setattr(
        checkin_fast, "uuid", SimpleNamespace(UUID=uuid.UUID, uuid4=lambda: uuid.UUID(taken))
    )
    response, queries = post(client, child, body(speech, status="delivered"))
    assert response.status_code == 201 and queries > 0  # the full route's
    assert response.json()["id"] != taken
    assert Entry.objects.filter(child=child).count() == 2
    assert verify_child(child).ok


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_opened_again_by_the_full_route(owner, child, plan):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL server can drop a persistent connection")
    import psycopg

    client = bearer(owner)
    speech = plan.provisions.get(position=1)
    first, _ = post(client, child, body(speech, "2026-11-16", status="delivered"))
    assert first.status_code == 201
    pid = connection.connection.info.backend_pid  # the persistent connection, kept open
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname="postgres"
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    second, queries = post(client, child, body(speech, "2026-11-17", status="delivered"))
    assert second.status_code == 201 and queries > 0  # the full route, on a new connection
    assert connection.connection.info.backend_pid != pid
    assert verify_child(child).ok


def test_on_postgresql_prepared_statements_keep_their_generic_plan(db):
    if connection.vendor != "postgresql":
        pytest.skip("plan caching is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
