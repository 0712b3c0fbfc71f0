"""The fast path's SQL (iepright/api/checkin_fast.py): its columns and statements per vendor.

Written once per database connection's vendor and run on the driver's own cursor; what the
statements read and write is described in checkin_fast's docstring.
"""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from typing import Any

from django.db.models import Model

from iepright.accounts.models import ApiToken, Household, Membership, User
from iepright.logbook.checks import EDITABLE
from iepright.logbook.models import Entry, EntryRevision
from iepright.plans.models import Child, Plan, Provision

NEVER_BY_COUNT = 2**31 - 1  # psycopg's prepare_threshold: prepare only when asked

# Written by name (record() builds a dict): the order is only the statements'.
ENTRY_COLUMNS = (
    "public_id",
    "child",
    "provision",
    "event_date",
    *EDITABLE,
    "recorded_at",
    "recorded_by",
    "recorded_late",
    "client",
    "updated_at",
    "revision_count",
    "deleted_at",
)
CHILD = ENTRY_COLUMNS.index("child")
REVISION_COLUMNS = (
    "entry",
    "child",
    "seq",
    "number",
    "action",
    "snapshot",
    "changed",
    "reason",
    "recorded_at",
    "recorded_by",
    "recorded_by_name",
    "client",
    "previous_hash",
    "hash",
    "idempotency_key",
    "idempotency_fingerprint",
)


class Sql:
    """The fast path's statements for one database vendor, written once, run on the DB-API.

    The driver's own cursor skips Django's per-query wrappers (this is the hot path); values
    are adapted with the backend's own `ops` methods, as the ORM adapts them.
    """

    def __init__(self, db: Any) -> None:
        self.vendor = db.vendor
        self.ops = db.ops
        self.native_uuid = db.features.has_native_uuid_field
        mark = "?" if db.vendor == "sqlite" else "%s"
        q = db.ops.quote_name

        def table(model: type[Model]) -> str:
            return str(q(model._meta.db_table))

        def insert(model: type[Model], names: tuple[str, ...]) -> str:
            column = {f.name: f.column for f in model._meta.concrete_fields}
            columns = ", ".join(q(column[name]) for name in names)
            marks = ", ".join([mark] * len(names))
            returning = " RETURNING id" if db.vendor == "postgresql" else ""
            return f"INSERT INTO {table(model)} ({columns}) VALUES ({marks}){returning}"

        def sql(text: str) -> str:
            return text.replace("%s", mark)

        # Before the transaction: the token's owner, their role in the child's household, the
        # child and the provision, in one query. No row: a bad token, a child or provision not
        # found or not theirs — the full route tells which.
        entries, revisions = table(Entry), table(EntryRevision)
        last = f"FROM {revisions} WHERE child_id = %s ORDER BY seq DESC LIMIT 1"
        # Whether the idempotency key was used by any revision of the child (spelled as the
        # partial unique index's condition, so SQLite uses that index), whether the day already
        # has a live entry, and the end of the child's chain.
        seen = (
            f"(SELECT 1 FROM {revisions} WHERE child_id = %s AND idempotency_key = %s "
            "AND NOT (idempotency_key = ''))"
        )
        taken = (
            f"(SELECT 1 FROM {entries} WHERE provision_id = %s AND event_date = %s "
            "AND deleted_at IS NULL)"
        )
        # PostgreSQL reads them here too, outside the transaction (optimistically: see
        # insert_both); SQLite inside it, under its write lock, with self.state.
        self.optimistic = db.vendor == "postgresql"
        state_of_target = (
            ", "
            + seen.replace("child_id = %s", "child_id = c.id", 1)
            + ", "
            + taken.replace("provision_id = %s", "provision_id = p.id", 1)
            + f", (SELECT seq {last.replace('%s', 'c.id')}), "
            f"(SELECT hash {last.replace('%s', 'c.id')})"
            if self.optimistic
            else ""
        )
        # The plan version in force on the day, as Child.plan_in_force picks it: a provision
        # of an older version (replaced by an amendment) is refused by the full route.
        in_force = (
            f"(SELECT v.id FROM {table(Plan)} v WHERE v.child_id = c.id AND v.start_date <= %s "
            "AND v.end_date >= %s ORDER BY v.start_date DESC, v.created DESC, v.id DESC LIMIT 1)"
        )
        self.target = sql(
            "SELECT t.name, t.last_used, t.expires, u.id, u.name, u.email, c.id, h.timezone, "
            "m.role, p.id, p.minutes_per_session, p.start_date, p.end_date, p.ended_on, "
            "pl.start_date, "
            f"pl.end_date, pl.id, {in_force}{state_of_target} "
            f"FROM {table(ApiToken)} t "
            f"JOIN {table(User)} u ON u.id = t.user_id "
            f"JOIN {table(Membership)} m ON m.user_id = u.id "
            f"JOIN {table(Child)} c ON c.household_id = m.household_id "
            f"JOIN {table(Household)} h ON h.id = c.household_id "
            f"JOIN {table(Plan)} pl ON pl.child_id = c.id "
            f"JOIN {table(Provision)} p ON p.plan_id = pl.id "
            "WHERE t.key_hash = %s AND t.revoked IS NULL AND u.is_active "
            "AND c.public_id = %s AND p.public_id = %s"
        )
        self.state = sql(f"SELECT {seen}, {taken}, (SELECT seq {last}), (SELECT hash {last})")
        self.insert_entry = insert(Entry, ENTRY_COLUMNS)
        self.insert_revision = insert(EntryRevision, REVISION_COLUMNS)
        # PostgreSQL: both rows in one statement, sent with its BEGIN (a pipeline), the child's
        # row locked first. One child's chain appends queue on that lock, as in the full route
        # (services._lock_child), and the entry's child is the locked row's id, so the insert
        # waits for the lock. What was read before the transaction may be out of date by then
        # (another check-in of the child, or of the same day or key, committed meanwhile): the
        # unique constraints on (child, seq), (provision, day) and (child, key) then refuse the
        # insert, and the full route answers. The full route itself never loses such a race:
        # it reads the chain's end under the same lock.
        self.insert_both = ""
        if db.vendor == "postgresql":
            entry = insert(Entry, ENTRY_COLUMNS).split(" VALUES ", 1)[0]
            marks = [mark] * len(ENTRY_COLUMNS)
            marks[CHILD] = "(SELECT id FROM l)"
            entry = f"{entry} VALUES ({', '.join(marks)}) RETURNING id"
            revision = insert(EntryRevision, REVISION_COLUMNS).replace(" RETURNING id", "")
            revision = revision.replace(f"VALUES ({mark}", "VALUES ((SELECT id FROM e)", 1)
            self.insert_both = (
                f"WITH l AS (SELECT id FROM {table(Child)} WHERE id = {mark} FOR UPDATE), "
                f"e AS ({entry}) {revision}"
            )

    def run(self, cursor: Any, statement: str, params: list[Any]) -> None:
        """Execute one of the statements; on PostgreSQL prepared once per connection."""
        if self.vendor == "postgresql":
            cursor.execute(statement, params, prepare=True)
        else:
            cursor.execute(statement, params)

    def uuid(self, value: uuid.UUID) -> Any:
        return value if self.native_uuid else value.hex


_statements: dict[str, Sql] = {}


def _sql(db: Any) -> Sql:
    found = _statements.get(db.alias + db.vendor)
    if found is None:
        found = _statements[db.alias + db.vendor] = Sql(db)
    return found


def _cursor(db: Any) -> Any:
    """Return a cursor of the driver itself (Django's connection opened if needed).

    On PostgreSQL, a server-side binding cursor, so that Sql.run can prepare each statement on
    the server once per connection: planning the first query's seven-table join took longer than
    running it (Django's own cursors bind client-side and never prepare).
    """
    db.ensure_connection()
    if db.vendor == "postgresql":
        import psycopg

        if db.connection.prepare_threshold is None:
            # Django turns preparing off (None), which also ignores prepare=True; a threshold
            # never reached lets only Sql.run's statements be prepared (Django's own cursors
            # bind client-side and are never prepared either way).
            db.connection.prepare_threshold = NEVER_BY_COUNT
        return psycopg.Cursor(db.connection)
    return db.connection.cursor()


def _pipeline(db: Any) -> Any:
    """Return a psycopg pipeline on the connection: statements sent without waiting."""
    import psycopg

    return db.connection.pipeline() if psycopg.Pipeline.is_supported() else nullcontext()
