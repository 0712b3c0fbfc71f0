"""Health check, database configuration, the demo loader, and that docs match the code."""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from iepright.accounts.models import Membership, Role, User
from iepright.correspondence.models import Contact
from iepright.demo.load import DEMO_PASSWORD, load_sample
from iepright.logbook.models import Entry, Evidence
from iepright.logbook.verify import verify_child
from iepright.plans.models import CalendarEvent, Child, Plan, Provision
from iepright.settings import _database
from iepright.sqlite.base import DatabaseWrapper
from tests.clock import DEMO_EVENING

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_sqlite_connections_use_wal_full_sync_and_immediate(
    tmp_path, monkeypatch, django_db_blocker
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SQLITE_PATH", str(tmp_path / "check.sqlite3"))
    config = _database()
    config.update(
        {
            "TIME_ZONE": None,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "CONN_HEALTH_CHECKS": False,
            "TEST": {},
        }
    )
    wrapper = DatabaseWrapper(config, alias="wal-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
        assert getattr(wrapper, "transaction_mode") == "IMMEDIATE"  # noqa: B009 (not in the stubs)
    finally:
        wrapper.close()


def test_database_url_switches_to_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/iep")
    config = _database()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "iep"
    assert config["HOST"] == "db.example"
    assert config.get("OPTIONS", {}) == {}


def test_options_given_in_the_database_url_are_kept(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://u@db.example/iep?options=-c%20statement_timeout%3D5000"
    )
    assert _database()["OPTIONS"]["options"] == "-c statement_timeout=5000"


def test_settings_fail_loudly_without_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", "import iepright.settings"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.frozen(DEMO_EVENING)
def test_demo_loads_the_sample_household_once(db, capsys, media):
    call_command("demo")
    out = capsys.readouterr().out
    sample = load_sample()
    rosa = User.objects.get(email="rosa.alvarez@example.org")
    assert rosa.email in out and DEMO_PASSWORD in out
    assert rosa.check_password(DEMO_PASSWORD)
    child = Child.objects.get(name="Maya Alvarez")
    membership = Membership.objects.get(user=rosa, household=child.household)
    assert membership.role == Role.OWNER
    assert Membership.objects.get(user__email="daniel.alvarez@example.org").role == Role.EDITOR
    plan = Plan.objects.get(child=child)
    texts = list(plan.provisions.values_list("text", flat=True))
    assert texts == [p["text"] for p in sample["plan"]["provisions"]]
    speech = plan.provisions.get(text="Speech-language therapy")
    assert speech.frequency_text() == "2 × 30 min per week"
    assert Contact.objects.filter(child=child).count() == len(sample["contacts"])
    events = CalendarEvent.objects.filter(calendar__child=child)
    assert events.count() == len(sample["school_calendar"]["closed"]) + len(
        sample["school_calendar"]["early_release"]
    )
    entries = Entry.objects.filter(child=child)
    assert entries.filter(event_date=date(2026, 9, 16)).exists()  # from the plan's start
    # To Wednesday: Friday (today) and Thursday are left to log (tests/test_demo.py).
    assert entries.filter(event_date=date(2026, 11, 18)).exists()
    assert not entries.filter(event_date__gt=date(2026, 11, 18)).exists()
    statuses = set(entries.values_list("status", flat=True))
    assert statuses == {"delivered", "partly", "not_delivered", "no_opportunity"}
    assert entries.filter(status="delivered").count() > entries.count() * 0.7  # mostly delivered
    assert entries.filter(recorded_late=True).exists()
    assert Evidence.objects.filter(entry__child=child).exists()
    result = verify_child(child, check_files=True)
    assert result.ok, result.reason
    counts = [
        m.objects.count() for m in (User, Child, Plan, Provision, Contact, CalendarEvent, Entry)
    ]

    call_command("demo")
    assert "0 records and 0 log entries created" in capsys.readouterr().out
    assert [
        m.objects.count() for m in (User, Child, Plan, Provision, Contact, CalendarEvent, Entry)
    ] == counts


def test_the_app_does_not_read_the_shared_folder_at_runtime():
    for path in (ROOT / "iepright").rglob("*.py"):
        assert "../shared" not in path.read_text(), path


def _readme() -> str:
    return (ROOT / "README.md").read_text()


def test_every_setting_is_documented():
    source = (ROOT / "iepright" / "settings.py").read_text()
    names = set(re.findall(r'env(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source))
    names.add("DATABASE_URL")
    readme = _readme()
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert names and not missing, f"settings missing from README: {missing}"


def test_every_management_command_is_documented():
    commands = [
        p.stem
        for p in (ROOT / "iepright").glob("*/management/commands/*.py")
        if not p.stem.startswith("_")
    ]
    readme = _readme()
    missing = [c for c in commands if f"manage.py {c}" not in readme]
    assert commands and not missing, f"commands missing from README: {missing}"


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    readme = _readme()
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.django_db
def test_every_api_route_is_documented_in_openapi(client):
    schema = client.get("/api/v1/openapi.json").json()
    undocumented = [
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
        if not (op.get("summary") or op.get("description"))
    ]
    assert schema["paths"], "the API has no routes"
    assert not undocumented, undocumented
