"""Group commit: many small writes from request threads share one durable transaction.

A durable commit waits for the disk (SQLite's WAL with synchronous=FULL, PostgreSQL's WAL flush)
and, on SQLite, holds the database's one write lock while it does. When a server runs threads
(gunicorn's gthread workers, see gunicorn.conf.py), the daily check-ins of many parents arrive
at once; writing each in its own transaction makes them queue for the lock and pay one flush
each. Here they are handed to one writer thread per process, which runs every write waiting in
the queue inside one transaction — each in its own savepoint, so one refused write does not
undo the others — commits once, and only then tells each request thread its result. A request
is answered only after the commit that holds its write has returned: durability is unchanged.

On SQLite the writer threads of the server's processes also take an exclusive file lock
(`<database>-writer.lock`) around each transaction, so the next process's writer starts the
moment the lock is free instead of sleeping in SQLite's busy handler (1, 2, 5, 10 ms …).

Off by default (settings.GROUP_COMMIT); gunicorn.conf.py turns it on for threaded workers on
SQLite. Sync workers serve one request at a time, so there is nothing to group, and PostgreSQL
already flushes the WAL of concurrent commits together: there one writer thread per process
measured slower than each request thread committing its own (bench/README.md). With it off,
submit() still takes the SQLite writer file lock around the caller's transaction.

`submit(work)` runs `work()` and returns what it returns, or raises what it raised
(after its savepoint was rolled back). With the setting GROUP_COMMIT off (tests, one-off
scripts) it runs the work in the caller's own transaction instead: same result, no thread.
"""

from __future__ import annotations

import fcntl
import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import close_old_connections, connection, transaction

T = TypeVar("T")
Work = Callable[[], Any]

MAX_BATCH = 64  # writes per transaction; more would only make the first ones wait longer


Job = tuple[Work, Any, "Future[Any]"]
STOP = None  # queued by shutdown(): the writer finishes what is before it, then exits


class _Writer:
    """The writer thread of one process, with its queue."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self.commits = 0  # transactions committed (or failed) so far: for tests and debugging
        self.thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self.queue.get()
            if first is STOP:
                break
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    job = self.queue.get_nowait()
                except queue.Empty:
                    break
                if job is STOP:
                    stopping = True
                    break
                batch.append(job)
            # Writes that lock rows (PostgreSQL) take them in the same order in every process.
            batch.sort(key=lambda item: item[1])
            self._commit(batch)
            self.commits += 1
        connection.close()

    def _commit(self, batch: list[Job]) -> None:
        outcomes: list[tuple[Future[Any], bool, Any]] = []
        try:
            close_old_connections()
            with writer_lock(), transaction.atomic():
                connection.ensure_connection()
                cursor = connection.connection.cursor()
                for work, _order, future in batch:
                    # A savepoint per write, on the driver's cursor (the hot path).
                    cursor.execute("SAVEPOINT group_commit")
                    try:
                        outcomes.append((future, True, work()))
                    except Exception as exc:  # handed to the request thread
                        cursor.execute("ROLLBACK TO SAVEPOINT group_commit")
                        outcomes.append((future, False, exc))
                    cursor.execute("RELEASE SAVEPOINT group_commit")
                cursor.close()
        except BaseException as exc:  # the commit failed: nothing in the batch was written
            for _work, _order, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for future, ok, value in outcomes:
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)


_writer: _Writer | None = None
_start = threading.Lock()


def _the_writer() -> _Writer:
    global _writer
    with _start:
        # A forked worker starts its own thread (threads do not survive a fork).
        if _writer is None or _writer.pid != os.getpid():
            _writer = _Writer()
        return _writer


def commits() -> int:
    """Return how many transactions this process's writer thread has run (0 before it starts)."""
    return _writer.commits if _writer is not None and _writer.pid == os.getpid() else 0


def shutdown(timeout: float = 30) -> None:
    """Let the writer finish the writes already queued, close its connection and stop.

    gunicorn calls it as a worker exits (gunicorn.conf.py); the next submit() starts a new one.
    """
    global _writer
    with _start:
        writer, _writer = _writer, None
    if writer is not None and writer.pid == os.getpid():
        writer.queue.put(STOP)
        writer.thread.join(timeout)


@contextmanager
def writer_lock() -> Iterator[None]:
    """Hold the SQLite database's writer file lock (a no-op on other databases).

    submit() takes it before the check-in's transaction, so the fast path's writers in all
    processes queue in the kernel (other writes still wait in SQLite's busy handler);
    bench/urls.py's reference writes take it too.
    """
    if connection.vendor != "sqlite" or cast(Any, connection).is_in_memory_db():
        yield
        return
    path = f"{connection.settings_dict['NAME']}-writer.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def submit(work: Callable[[], T], order: Any = 0) -> T:
    """Run `work()` in a durable transaction and return its result once committed.

    `order` sorts the writes of one batch (pass the id of the row the work locks first).
    """
    if connection.in_atomic_block:
        # Inside a transaction already (a test, a management command): run it here, without
        # the file lock — taking it now, after the transaction may hold SQLite's write lock,
        # would invert the order every other writer takes them in.
        with transaction.atomic():
            return work()
    if not settings.GROUP_COMMIT:
        with writer_lock(), transaction.atomic():
            return work()
    future: Future[T] = Future()
    _the_writer().queue.put((work, order, future))
    return future.result()
