"""Personas and records shared by the whole suite, built the same way everywhere.

Personas: `owner` (parent), `editor` (co-parent), `viewer` (advocate), `outsider` (a parent in
another household, with a child of their own). Each has a logged-in Django test client
(`client_for(user)`) and an API token (`api_for(user)`). Log entries are made with
`log_entry(...)` (or the `entry` fixture), through the logbook's one write path; time is frozen
with tests/clock.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from iepright.accounts.models import ApiToken, Household, Membership, Role, User
from iepright.correspondence.models import Contact
from iepright.logbook import services
from iepright.logbook.models import Entry
from iepright.plans.models import (
    CalendarEvent,
    Category,
    Child,
    Location,
    Period,
    Plan,
    Provision,
    SchoolCalendar,
)
from tests.clock import NOW, frozen

PASSWORD = "correct horse battery staple"


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email=email, password=PASSWORD, name=name)


def log_entry(
    provision: Provision,
    day: date,
    user: User,
    *,
    when: datetime | None = None,
    reason: str = "",
    **fields: Any,
) -> Entry:
    """Record `fields` for the provision's child on `day`, as `user` would; return the entry.

    Through the logbook's one write path, so the revision and the hash chain are the real ones.
    `when` is the server's time of the write (by default the clock as it stands).
    """
    return services.record_entry(
        child=provision.plan.child,
        provision=provision,
        event_date=day,
        fields=fields,
        user=user,
        reason=reason,
        now=when,
    ).entry


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "frozen(moment=NOW, tick=False): run the test and its fixtures at that moment "
        "(tests/clock.py)",
    )


@pytest.fixture(autouse=True)
def _frozen_marker(request: pytest.FixtureRequest) -> Iterator[None]:
    """Stop time for a test marked `frozen`, before its other fixtures are made."""
    marker = request.node.get_closest_marker("frozen")
    if marker is None:
        yield
        return
    with frozen(*marker.args, **marker.kwargs):
        yield


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Any:
    """Put the thread back in English: LocaleMiddleware leaves a request's language active."""
    yield
    translation.activate("en")


@pytest.fixture
def owner(db: Any) -> User:
    return make_user("rosa@example.org", "Rosa Alvarez")


@pytest.fixture
def editor(db: Any) -> User:
    return make_user("daniel@example.org", "Daniel Alvarez")


@pytest.fixture
def viewer(db: Any) -> User:
    return make_user("advocate@example.org", "Alex Advocate")


@pytest.fixture
def outsider(db: Any) -> User:
    user = make_user("other@example.org", "Other Parent")
    other = Household.objects.create(name="Other household", timezone="America/New_York")
    Membership.objects.create(household=other, user=user, role=Role.OWNER)
    Child.objects.create(household=other, name="Other Child", state="NY")
    return user


@pytest.fixture
def household(owner: User, editor: User, viewer: User) -> Household:
    h = Household.objects.create(name="Alvarez household", timezone="America/Chicago")
    Membership.objects.create(household=h, user=owner, role=Role.OWNER)
    Membership.objects.create(household=h, user=editor, role=Role.EDITOR)
    Membership.objects.create(household=h, user=viewer, role=Role.VIEWER)
    return h


@pytest.fixture
def child(household: Household) -> Child:
    return Child.objects.create(
        household=household,
        name="Maya Alvarez",
        date_of_birth=date(2016, 5, 9),
        grade="4",
        school="Lone Oak Elementary School",
        district="Riverbend Independent School District",
        state="TX",
    )


@pytest.fixture
def plan(child: Child) -> Plan:
    p = Plan.objects.create(
        child=child,
        plan_type="iep",
        label="Annual IEP",
        meeting_date=date(2026, 9, 15),
        start_date=date(2026, 9, 16),
        end_date=date(2027, 9, 14),
    )
    Provision.objects.create(
        plan=p,
        position=0,
        category=Category.TESTING_ACCOMMODATION,
        text="Extended time (time and one half) on classroom tests, quizzes and state assessments",
        applies="each test or quiz",
        period=Period.PER_EVENT,
    )
    Provision.objects.create(
        plan=p,
        position=1,
        category=Category.RELATED_SERVICE,
        text="Speech-language therapy",
        sessions_per_period=2,
        minutes_per_session=30,
        period=Period.WEEK,
        location=Location.OUTSIDE_GENERAL_EDUCATION,
        setting="speech room",
        provider_role="Speech-language pathologist",
        delivery="direct",
        group_size="individual",
    )
    return p


@pytest.fixture
def provision(plan: Plan) -> Provision:
    """Return the plan's timed service: speech-language therapy, 30 minutes a session."""
    return plan.provisions.get(position=1)


@pytest.fixture
def speech(provision: Provision) -> Provision:
    """Return `provision`, by the name the log and report tests give it."""
    return provision


@pytest.fixture
def extended_time(plan: Plan) -> Provision:
    """Return the plan's first provision, an accommodation (no minutes)."""
    return plan.provisions.get(position=0)


@pytest.fixture
def calendar(child: Child) -> SchoolCalendar:
    cal = SchoolCalendar.objects.create(
        child=child,
        school_year="2026-2027",
        first_day=date(2026, 8, 12),
        last_day=date(2027, 5, 27),
    )
    CalendarEvent.objects.create(
        calendar=cal,
        kind="closed",
        name="Thanksgiving break",
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 27),
    )
    CalendarEvent.objects.create(
        calendar=cal,
        kind="early_release",
        name="Early release",
        start_date=date(2026, 11, 20),
        end_date=date(2026, 11, 20),
    )
    return cal


@pytest.fixture
def contact(child: Child) -> Contact:
    return Contact.objects.create(
        child=child,
        name="Karen Whitfield",
        role="Case manager",
        email="kwhitfield@riverbend-isd.example.org",
    )


@pytest.fixture
def client_for(db: Any) -> Callable[[User | None], Client]:
    """Return a test client logged in as the user (anonymous for None)."""

    def make(user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def api_for(db: Any) -> Callable[..., Client]:
    """Return a test client that sends a new bearer token of the user (none for None).

    The token is named `name` (default "tests"): the API records entries as from "api:NAME".
    """

    def make(user: User | None, *, name: str = "tests") -> Client:
        if user is None:
            return Client()
        _, raw = ApiToken.issue(user, name)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Keep the test's uploaded files in a folder of its own; return it."""
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = folder
    return folder


@pytest.fixture
def personas(
    owner: User, editor: User, viewer: User, outsider: User, household: Household
) -> dict[str, User]:
    """Return the four personas by role name: owner, editor, viewer, outsider."""
    return {"owner": owner, "editor": editor, "viewer": viewer, "outsider": outsider}


@pytest.fixture
def entry(owner: User, provision: Provision) -> Entry:
    """Return speech therapy delivered on Monday 2026-11-16, recorded by the parent at NOW."""
    return log_entry(provision, date(2026, 11, 16), owner, when=NOW, status="delivered")


@pytest.fixture
def report_log(
    owner: User, speech: Provision, extended_time: Provision, calendar: SchoolCalendar
) -> dict[str, Entry]:
    """Log the reports' known November (tests/reports/reportlog.py); return its notable entries."""
    from tests.reports.reportlog import make_log  # it records through log_entry, above

    return make_log(owner, speech, extended_time)


@pytest.fixture
def entry_naming_contact(owner: User, extended_time: Provision, contact: Contact) -> Entry:
    """Return a log entry naming `contact` as who reported it (extended time, missed 11-17)."""
    return log_entry(
        extended_time,
        date(2026, 11, 17),
        owner,
        when=NOW,
        status="not_delivered",
        reported_contact=contact,
    )
