"""Helpers for the plans pages tests: the ownership matrix and a frozen "today"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

# Status codes a GET of a page that changes things gives, by persona.
WRITE_PAGE = [("owner", 200), ("editor", 200), ("viewer", 403), ("outsider", 404)]
# Status codes a successful POST gives (redirect after the change), by persona.
WRITE_POST = [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]
READ_PAGE = [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404)]
OWNER_PAGE = [("owner", 200), ("editor", 403), ("viewer", 403), ("outsider", 404)]
OWNER_POST = [("owner", 302), ("editor", 403), ("viewer", 403), ("outsider", 404)]

# Mid-morning in Texas on a school day of the fixtures' plan and calendar.
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
