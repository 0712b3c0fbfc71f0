"""The daily check-in's fast path: a new log entry recorded with a few hand-written queries.

`POST /api/v1/children/{id}/entries` is the request a parent's phone sends for every tap at the
school gate, so it is the one write that has to be cheap. The full route
(iepright/api/routes/entries.py → iepright/logbook/services.record_entry) costs about ten ORM
queries and a pydantic round trip; this path does the common case — a new entry, sent with a
bearer token, with ordinary values — in one query for the token, the caller's role, the child and
the provision, then, inside the write transaction, one read and the two inserts (on PostgreSQL,
after locking the child's row, one statement).

It is an optimisation, not a second implementation of the rules: whenever anything is unusual
(no or unknown token, a session instead of a token, a body it does not fully understand, a value
that would be refused, an entry that already exists, a reused idempotency key, a race lost to
another writer) it *declines* and the request goes to the full route unchanged, which gives the
answer and the error messages. What it writes is what the full route writes: the same rows, the
same revision in the same hash chain (rules/chain.py, checked by logbook/verify.py), the same JSON
back. tests/api/test_checkin_fast.py sends the same requests through both and compares them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from iepright import groupcommit
from iepright.accounts.models import ApiToken, Role, hash_secret
from iepright.api.checkin_sql import CHILD as CHILD
from iepright.api.checkin_sql import ENTRY_COLUMNS as ENTRY_COLUMNS
from iepright.api.checkin_sql import REVISION_COLUMNS as REVISION_COLUMNS
from iepright.api.checkin_sql import Sql as Sql
from iepright.api.checkin_sql import _cursor, _pipeline, _sql
from iepright.api.routes.entries import TEXT_FIELDS
from iepright.api.schemas_logbook import EntryIn
from iepright.logbook import services
from iepright.logbook.models import (
    DEFAULT_CIRCUMSTANCES,
    EntryRevision,
    Source,
    Status,
    revision_payload,
)
from iepright.rules import chain, lateness

View = Callable[..., HttpResponse]

# What EntryIn accepts; anything else (an unknown key is a 422) goes to the full route.
KNOWN_KEYS = frozenset(EntryIn.model_fields)
STATUSES = frozenset(Status.values)
SOURCES = frozenset(Source.values)
# A household's own circumstances need a query; the built-in ones do not.
BUILT_IN_CIRCUMSTANCES = frozenset(code for code, _label in DEFAULT_CIRCUMSTANCES)
WRITERS = (Role.OWNER.value, Role.EDITOR.value)
TOKEN_TOUCH_SECONDS = 3600  # TokenAuth's rule: the full route touches last_used when older
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Decline(Exception):
    """The request is not the common case: the full route handles it."""


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _as_datetime(value: Any) -> datetime | None:
    """Return a stored time as an aware datetime (SQLite's rows hold naive UTC)."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse(request: HttpRequest) -> tuple[str, dict[str, Any]]:
    """Return the bearer token and the body, or decline."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(ApiToken.PREFIX):
        raise Decline
    if request.GET:
        raise Decline  # the route takes no query parameters: the full route refuses them
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise Decline from exc  # RecursionError: arrays nested past Python's stack
    if not isinstance(body, dict) or not KNOWN_KEYS.issuperset(body):
        raise Decline
    for value in body.values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and services.text_problem(text):
                raise Decline  # a NUL or a lone surrogate: the full route names the field
    return token, body


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Decline
    return value


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    """Return the entry fields sent, as the full route passes them on, or decline."""
    fields: dict[str, Any] = {
        name: body[name]
        for name in services.EDITABLE
        if name in body and name != "reported_contact"  # set below: only null is taken
    }
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = _text(fields, name)
    if len(fields.get("note", "")) > services.MAX_NOTE:
        raise Decline
    if len(fields.get("reported_by", "")) > services.MAX_REPORTED_BY:
        raise Decline
    if body.get("reported_contact") is not None:
        raise Decline  # a contact needs its own lookup: the full route does it
    if "reported_contact" in body:
        fields["reported_contact"] = None
    if fields.get("status") not in STATUSES:
        raise Decline
    if fields.get("source") and fields["source"] not in SOURCES:
        raise Decline
    circumstances = fields.get("circumstances")
    if circumstances is not None and (
        not isinstance(circumstances, list)
        or not all(
            isinstance(code, str) and code in BUILT_IN_CIRCUMSTANCES for code in circumstances
        )
    ):
        raise Decline
    minutes = fields.get("minutes_delivered")
    if minutes is not None and (type(minutes) is not int or minutes < 0):
        raise Decline
    return fields


def _plain(body: dict[str, Any], name: str) -> str:
    """Return a field that must be a string when sent (null is a 422: the full route's)."""
    value = body.get(name, "")
    if not isinstance(value, str):
        raise Decline
    return value


def _key(request: HttpRequest, body: dict[str, Any]) -> str:
    header = request.headers.get("Idempotency-Key", "").strip()
    in_body = _plain(body, "idempotency_key")
    if len(in_body) > 100:
        raise Decline
    in_body = in_body.strip()
    if header and in_body and header != in_body:
        raise Decline
    key = header or in_body
    if len(key) > 100:
        raise Decline
    return key


class Target:
    """The caller, their role, the child and the provision, read in one query."""

    def __init__(self, row: tuple[Any, ...]) -> None:
        (
            self.token_name,
            last_used,
            expires,
            self.user_id,
            name,
            email,
            self.child_id,
            self.tz,
            self.role,
            self.provision_id,
            self.minutes_per_session,
            start,
            end,
            ended_on,
            plan_start,
            plan_end,
            plan_id,
            in_force_id,
        ) = row[:18]
        self.plan_in_force = plan_id == in_force_id
        # PostgreSQL's target query also reads the state Sql.state reads on SQLite.
        self.state: tuple[Any, ...] | None = tuple(row[18:]) if len(row) > 18 else None
        # A provision's own dates, else its plan's (which always has both).
        self.start: date = _day(start if start is not None else plan_start)
        self.end: date = _day(end if end is not None else plan_end)
        if ended_on is not None:
            self.end = min(self.end, _day(ended_on))
        self.last_used = _as_datetime(last_used)
        self.expires = _as_datetime(expires)
        self.author: str = name or email
        self.client = f"api:{self.token_name}"[:120]


def _target(
    db: Any, sql: Sql, token: str, child: uuid.UUID, provision: uuid.UUID, key: str, day: date
) -> Target:
    cursor = _cursor(db)
    stored_day = sql.ops.adapt_datefield_value(day)
    params = [hash_secret(token), sql.uuid(child), sql.uuid(provision)]
    if sql.optimistic:
        params = [key, stored_day, *params]
    params = [stored_day, stored_day, *params]
    try:
        sql.run(cursor, sql.target, params)
        row = cursor.fetchone()
    except (db.Database.OperationalError, db.Database.InterfaceError) as exc:
        # A persistent connection the server dropped (a restart): the full route reconnects.
        db.close()
        raise Decline from exc
    cursor.close()
    # The query just proved the connection works: that was the health check Django would run
    # (CONN_HEALTH_CHECKS, a `SELECT 1` round trip) before the transaction.
    db.health_check_done = True
    if row is None:
        raise Decline  # 401, 404 or 422: the full route tells which
    target = Target(row)
    if target.role not in WRITERS:
        raise Decline  # a viewer: 403
    return target


def record(request: HttpRequest, child_public_id: uuid.UUID) -> HttpResponse:
    """Record a new entry and answer 201 as the full route does, or raise Decline."""
    from iepright.api.api import api

    token, body = _parse(request)
    provision_text, day_text = body.get("provision"), body.get("event_date")
    # Only the canonical forms: pydantic's other spellings are the full route's business.
    if not isinstance(provision_text, str) or not isinstance(day_text, str):
        raise Decline
    if not ISO_DATE.fullmatch(day_text):
        raise Decline
    try:
        provision_public_id = uuid.UUID(provision_text)
        event_date = date.fromisoformat(day_text)
    except ValueError as exc:
        raise Decline from exc
    if str(provision_public_id) != provision_text.lower():
        raise Decline
    fields = _fields(body)
    reason = _plain(body, "reason")
    if len(reason) > 500:
        raise Decline
    key = _key(request, body)

    now = timezone.now()
    db = connections[DEFAULT_DB_ALIAS]
    sql = _sql(db)
    target = _target(db, sql, token, child_public_id, provision_public_id, key, event_date)
    if target.state is not None and (target.state[0] is not None or target.state[1] is not None):
        raise Decline  # a replay, a conflict or an update: the full route's
    if target.expires is not None and target.expires <= now:
        raise Decline  # the full route's 401 says the token expired
    used = target.last_used
    if used is None or (now - used).total_seconds() > TOKEN_TOUCH_SECONDS:
        raise Decline  # the full route records that the token was used
    user_id, author, client = target.user_id, target.author, target.client
    recorded_on = now.astimezone(ZoneInfo(target.tz)).date()
    if event_date > recorded_on or not target.start <= event_date <= target.end:
        raise Decline
    if not target.plan_in_force:
        raise Decline  # a provision of a plan version replaced on that day: a 422
    session = target.minutes_per_session
    status = fields["status"]
    minutes = fields.get("minutes_delivered")
    if minutes is not None:
        if session is None or minutes > session:
            raise Decline
        if status == Status.PARTLY and minutes >= session:
            raise Decline
        if status == Status.NOT_DELIVERED and minutes > 0:
            raise Decline
        if status == Status.DELIVERED and minutes < session:
            raise Decline
        if status == Status.NO_OPPORTUNITY and minutes > 0:
            raise Decline
    elif status == Status.DELIVERED and session is not None:
        minutes = session
    circumstances = sorted(set(fields.get("circumstances") or []))
    source = fields.get("source", "")
    reported_by = fields.get("reported_by", "").strip()
    note = fields.get("note", "").strip()
    fingerprint = services.fingerprint(provision_public_id, event_date, fields) if key else ""
    entry_public_id = uuid.uuid4()
    changed = sorted(fields)
    late = lateness.is_late(event_date, recorded_on)
    reason = reason.strip()

    ops = sql.ops
    stored_now = ops.adapt_datetimefield_value(now)
    state = services.snapshot_of(
        provision=provision_public_id,
        event_date=event_date,
        status=status,
        circumstances=circumstances,
        source=source,
        reported_by=reported_by,
        contact=None,
        minutes=minutes,
        note=note,
        deleted=False,
        evidence=[],
    )
    entry = {
        "public_id": sql.uuid(entry_public_id),
        "child": target.child_id,
        "provision": target.provision_id,
        "event_date": ops.adapt_datefield_value(event_date),
        "status": status,
        "circumstances": ops.adapt_json_value(circumstances, None),
        "source": source,
        "reported_by": reported_by,
        "reported_contact": None,
        "minutes_delivered": minutes,
        "note": note,
        "recorded_at": stored_now,
        "recorded_by": user_id,
        "recorded_late": late,
        "client": client,
        "updated_at": stored_now,
        "revision_count": 1,
        "deleted_at": None,
    }
    entry_row = [entry[name] for name in ENTRY_COLUMNS]
    action = EntryRevision.Action.CREATE.value

    def write() -> None:
        """Append the entry and its first revision (in a transaction: see groupcommit).

        Run by the group-commit writer thread: its own connection, not this request's.
        """
        writer = connections[DEFAULT_DB_ALIAS]
        if not writer.in_atomic_block:
            raise RuntimeError("a check-in is written only inside its transaction")
        cursor = _cursor(writer)
        if target.state is not None:
            found = target.state  # read before the transaction: see Sql.insert_both
        else:
            sql.run(
                cursor,
                sql.state,
                [target.child_id, key, target.provision_id, entry["event_date"]]
                + [target.child_id] * 2,
            )
            found = cursor.fetchone()
        seen_key, live_entry, last_seq, last_hash = found
        if seen_key is not None:
            raise Decline  # a replay (200) or a conflict (409)
        if live_entry is not None:
            raise Decline  # an update (200)
        seq, previous = (int(last_seq) + 1, str(last_hash)) if last_seq else (1, chain.GENESIS)
        payload = revision_payload(
            seq, entry_public_id, 1, action, state, changed, reason, now, author, client
        )
        revision_row = [
            target.child_id,
            seq,
            1,
            action,
            ops.adapt_json_value(state, None),
            ops.adapt_json_value(changed, None),
            reason,
            stored_now,
            user_id,
            author,
            client,
            previous,
            chain.link_hash(previous, payload),
            key,
            fingerprint,
        ]
        # Should another writer have won the day, the key or the chain's next place all the
        # same, the unique constraints raise IntegrityError (Django's, for entries_view) and
        # the full route answers.
        with writer.wrap_database_errors:
            if sql.insert_both:
                params = [
                    target.child_id,
                    *entry_row[:CHILD],
                    *entry_row[CHILD + 1 :],
                    *revision_row,
                ]
                with _pipeline(writer):  # the BEGIN and the statement in one round trip
                    sql.run(cursor, sql.insert_both, params)
            else:
                cursor.execute(sql.insert_entry, entry_row)
                cursor.execute(sql.insert_revision, [cursor.lastrowid, *revision_row])
        cursor.close()

    groupcommit.submit(write, order=target.child_id)
    out = {
        "id": entry_public_id,
        "child": child_public_id,
        "provision": provision_public_id,
        "event_date": event_date,
        "status": status,
        "circumstances": circumstances,
        "source": source,
        "reported_by": reported_by,
        "reported_contact": None,
        "minutes_delivered": minutes,
        "note": note,
        "recorded_at": now,
        "recorded_by": author,
        "recorded_late": late,
        "days_late": lateness.days_after(event_date, recorded_on),
        "client": client,
        "updated_at": now,
        "revision_count": 1,
        "revision": 1,
        "deleted": False,
        "deleted_at": None,
        "evidence": [],
    }
    response = api.create_response(request, out, status=201)
    response["ETag"] = '"1"'  # routes/entries.etag: the revision number
    return response


def entries_view(full_route: View) -> View:
    """Return the view for /api/v1/children/{id}/entries: the fast path, else `full_route`."""

    @csrf_exempt
    def view(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
        if request.method == "POST" and settings.FAST_CHECKIN:
            try:
                return record(request, child_id)
            except (Decline, RequestDataTooBig):
                pass  # RequestDataTooBig: the full route answers it in the error shape
            except IntegrityError:
                # A race lost to another writer (the same day or key, just recorded): the
                # full route reads the row that won and answers as for a retry or a change.
                pass
        return full_route(request, child_id=str(child_id))

    return view
