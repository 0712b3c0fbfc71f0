"""Group commit (iepright/groupcommit.py): writes waiting together share one transaction.

These run the real writer thread against the test database: the writes are ORM inserts of
households, and what is checked is what the database holds afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import IntegrityError, connection

from iepright import groupcommit
from iepright.accounts.models import Household


@pytest.fixture
def writer(settings) -> Iterator[None]:
    settings.GROUP_COMMIT = True
    yield
    groupcommit.shutdown()


def add(name: str) -> Callable[[], int]:
    def work() -> int:
        return Household.objects.create(name=name, timezone="America/Chicago").pk

    return work


def refused(name: str) -> Callable[[], int]:
    def work() -> int:
        Household.objects.create(name=name, timezone="America/Chicago")
        raise ValueError(f"{name} refused")

    return work


def names() -> set[str]:
    return set(Household.objects.values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
def test_writes_that_wait_together_share_one_commit_and_a_refusal_undoes_only_itself(writer):
    gate, started = threading.Event(), threading.Event()

    def first() -> str:
        started.set()
        assert gate.wait(10)
        Household.objects.create(name="first", timezone="America/Chicago")
        return "first"

    results: dict[str, Any] = {}

    def run(name: str, work: Callable[[], Any]) -> None:
        try:
            results[name] = groupcommit.submit(work)
        except Exception as exc:  # the caller's view of a refused write
            results[name] = exc

    head = threading.Thread(target=run, args=("first", first))
    head.start()
    assert started.wait(10)  # the writer is inside its first transaction
    commits = groupcommit.commits()
    jobs = {f"h{i}": (refused if i == 5 else add)(f"h{i}") for i in range(10)}
    threads = [threading.Thread(target=run, args=item) for item in jobs.items()]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while groupcommit._the_writer().queue.qsize() < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.set()
    for t in [head, *threads]:
        t.join(10)

    assert results["first"] == "first"
    assert isinstance(results["h5"], ValueError) and str(results["h5"]) == "h5 refused"
    assert all(isinstance(results[f"h{i}"], int) for i in range(10) if i != 5)
    assert names() == {"first"} | {f"h{i}" for i in range(10) if i != 5}
    assert groupcommit.commits() - commits == 2  # the first alone, then the ten together


@pytest.mark.django_db(transaction=True)
def test_a_write_is_answered_only_after_its_commit(writer):
    seen: list[bool] = []

    def work() -> int:
        pk = add("committed?")()
        seen.append(connection.in_atomic_block)
        return pk

    pk = groupcommit.submit(work)
    assert seen == [True]  # it ran inside the writer's transaction …
    assert Household.objects.filter(pk=pk).exists()  # … which another connection now sees


@pytest.mark.django_db(transaction=True)
def test_a_database_error_reaches_the_caller_and_the_writer_goes_on(writer):
    def duplicate() -> None:
        pk = add("once")()
        Household.objects.create(pk=pk, name="twice", timezone="America/Chicago")

    with pytest.raises(IntegrityError):
        groupcommit.submit(duplicate)
    assert groupcommit.submit(add("after")) > 0
    assert names() == {"after"}


@pytest.mark.django_db(transaction=True)
def test_shutdown_finishes_the_queued_writes_and_a_new_writer_starts(writer):
    assert groupcommit.submit(add("before")) > 0
    groupcommit.shutdown()
    assert groupcommit.commits() == 0  # no writer now
    assert groupcommit.submit(add("after")) > 0
    assert names() == {"before", "after"}


def test_without_group_commit_it_runs_in_the_callers_transaction(db, settings):
    settings.GROUP_COMMIT = False
    commits = groupcommit.commits()
    with pytest.raises(ValueError, match="inline refused"):
        groupcommit.submit(refused("inline"))
    assert groupcommit.submit(add("inline ok")) > 0
    assert names() == {"inline ok"}  # the refused write was rolled back with its transaction
    assert groupcommit.commits() == commits  # no writer thread was used
