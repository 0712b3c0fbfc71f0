"""The SQLite backend (iepright/sqlite): each transaction holds the writer file lock, and only
while it lasts, so writers in other processes queue on it in the kernel."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iepright.settings import _database
from iepright.sqlite.base import DatabaseWrapper


@pytest.fixture
def wrapper(tmp_path: Path, monkeypatch: Any, django_db_blocker: Any) -> Iterator[Any]:
    """Return a connection to a SQLite file configured as the app configures it."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SQLITE_PATH", str(tmp_path / "lock.sqlite3"))
    config = _database()
    config.update(
        {"TIME_ZONE": None, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False,
         "CONN_HEALTH_CHECKS": False, "TEST": {}}
    )  # fmt: skip
    db = DatabaseWrapper(config, alias="lock-check")
    with django_db_blocker.unblock():
        with db.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x integer)")
        yield db
        db.close()


def locked(path: str) -> bool:
    """Return whether another open file could not take the lock now."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_the_engine_is_this_backend(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert _database()["ENGINE"] == "iepright.sqlite"


def test_a_transaction_holds_the_writer_lock_until_it_commits(wrapper):
    path = wrapper.writer_lock_path()
    assert path.endswith("lock.sqlite3-writer.lock")
    assert not locked(path)
    with wrapper.cursor() as cursor:
        wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        cursor.execute("INSERT INTO t VALUES (1)")
        assert locked(path)
        wrapper.commit()
        wrapper.set_autocommit(True)
    assert not locked(path)
    with wrapper.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_a_rollback_lets_the_lock_go_and_keeps_nothing(wrapper):
    path = wrapper.writer_lock_path()
    with wrapper.cursor() as cursor:
        wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        cursor.execute("INSERT INTO t VALUES (1)")
        assert locked(path)
        wrapper.rollback()
        wrapper.set_autocommit(True)
        assert not locked(path)
        assert cursor.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_closing_a_connection_mid_transaction_lets_the_lock_go(wrapper):
    path = wrapper.writer_lock_path()
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert locked(path)
    wrapper.close()
    assert not locked(path)


def test_reads_outside_a_transaction_take_no_lock(wrapper):
    path = wrapper.writer_lock_path()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        assert not locked(path)
