"""The app as deployed: gunicorn with ./gunicorn.conf.py, parents checking in at once.

Two worker processes write into one SQLite file (WAL, synchronous=FULL), queueing on the writer
file lock (iepright/sqlite): sync workers (the default), and threaded workers, whose threads
queue on it too. In the PostgreSQL run of the suite, also two sync workers on a throwaway
PostgreSQL database, where check-ins of one child sent together queue on the child's row lock.
Every check-in sent together must be answered 201, be in the database afterwards, and leave the
child's hash chain intact.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.processes import free_port, run_python

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
import json, datetime
import django
django.setup()
from django.utils import timezone
from iepright.accounts.models import ApiToken, Household, Membership, Role, User
from iepright.plans.models import Child, Plan, Provision

today = timezone.now().date()
user = User.objects.create_user(email="rosa@example.org", password="x" * 12, name="Rosa")
home = Household.objects.create(name="Alvarez household", timezone="UTC")
Membership.objects.create(household=home, user=user, role=Role.OWNER)
child = Child.objects.create(household=home, name="Maya", state="TX")
plan = Plan.objects.create(
    child=child, plan_type="iep", label="IEP", meeting_date=today - datetime.timedelta(days=90),
    start_date=today - datetime.timedelta(days=80), end_date=today + datetime.timedelta(days=200),
)
provisions = [
    Provision.objects.create(plan=plan, position=i, category="accommodation", text=f"Aid {i}")
    for i in range(4)
]
tokens = []
for i in range(8):
    token, raw = ApiToken.issue(user, f"phone {i}")
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    tokens.append(raw)
print(json.dumps({
    "child": str(child.public_id),
    "provisions": [str(p.public_id) for p in provisions],
    "tokens": tokens,
    "days": [(today - datetime.timedelta(days=d)).isoformat() for d in range(1, 61)],
}))
"""

CHECK = """
import json, sys
import django
django.setup()
from iepright.logbook.models import Entry
from iepright.logbook.verify import verify_child
from iepright.plans.models import Child

child = Child.objects.get(public_id=sys.argv[1])
check = verify_child(child)
print(json.dumps({"ok": check.ok, "entries": Entry.objects.filter(child=child).count(),
                  "revisions": check.revisions, "reason": check.reason}))
"""


def _env(tmp_path: Path, port: int, threads: str, database_url: str = "") -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "DJANGO_", "GUNICORN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="iepright.settings",
        SECRET_KEY="server-test-" + "x" * 40,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SQLITE_PATH=str(tmp_path / "server.sqlite3"),
        MEDIA_ROOT=str(tmp_path / "media"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_THREADS=threads,
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """Return the URL of a throwaway PostgreSQL database, dropped afterwards.

    Only in the suite's PostgreSQL run (scripts/with_postgres.sh sets DATABASE_URL).
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the PostgreSQL run of the suite covers gunicorn on PostgreSQL")
    import psycopg

    name = f"iepright_server_{os.getpid()}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _python(env: dict[str, str], code: str, *args: str) -> Any:
    return json.loads(run_python(env, "-c", code, *args))


@pytest.fixture(
    params=["1", "8", "postgres"],
    ids=["sync workers", "threaded workers", "PostgreSQL, sync workers"],
)
def server(request: Any, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    if request.param == "postgres":
        env = _env(tmp_path, port, "1", request.getfixturevalue("postgres_database"))
    else:
        env = _env(tmp_path, port, request.param)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "iepright.wsgi:application"], env=env, cwd=ROOT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                assert gunicorn.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer /healthz"
                time.sleep(0.2)
        yield url, env
    finally:
        gunicorn.terminate()
        gunicorn.wait(30)


def test_check_ins_sent_together_through_gunicorn_are_all_kept_in_one_chain(server):
    url, env = server
    data = _python(env, SETUP)
    answers: list[int] = []

    def phone(i: int) -> None:
        # Each phone logs all four provisions for its own days, one request after another.
        for day in data["days"][i::8]:
            for provision in data["provisions"]:
                body = {"provision": provision, "event_date": day, "status": "delivered"}
                request = urllib.request.Request(
                    f"{url}/api/v1/children/{data['child']}/entries",
                    data=json.dumps(body).encode(),
                    method="POST",
                    headers={
                        "Authorization": f"Bearer {data['tokens'][i]}",
                        "Content-Type": "application/json",
                        "Idempotency-Key": f"{day}-{provision}",
                    },
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        answers.append(response.status)
                except urllib.error.HTTPError as error:
                    answers.append(error.code)

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(answers) == 240 and set(answers) == {201}, sorted(set(answers))
    check = _python(env, CHECK, data["child"])
    assert check == {"ok": True, "entries": 240, "revisions": 240, "reason": ""}
