"""The SQLite database backend: Django's own, with writers queued on a file lock.

SQLite lets one writer in at a time. A second writer that finds the database locked sleeps in
SQLite's busy handler (1, 2, 5, 10 ms … until `timeout`) and tries again, so under load two
workers writing by turns spend much of their time asleep while the lock is free. Here every
transaction (`BEGIN IMMEDIATE`, see settings.py) first takes an exclusive lock on the file
`<database>-writer.lock` and lets it go at commit or rollback: a waiting writer is woken by the
kernel the moment the previous one is done. What is written, and when it is durable, is
unchanged; only the waiting is. Writers outside this backend (the sqlite3 shell, another
program) still meet SQLite's own lock and its busy handler, so nothing depends on the file lock
for correctness.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock: int | None = None

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def writer_lock_path(self) -> str | None:
        """Return the lock file's path, or None for an in-memory database (one connection)."""
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writer.lock"

    def _take_writer_lock(self) -> None:
        path = self.writer_lock_path()
        if path is None or self._writer_lock is not None:
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._writer_lock = fd

    def _release_writer_lock(self) -> None:
        fd, self._writer_lock = self._writer_lock, None
        if fd is not None:
            os.close(fd)  # closing the file lets the lock go
