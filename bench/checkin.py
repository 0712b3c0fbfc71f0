"""`python -m bench checkin`: check-in writes per second against a no-op view, same server.

For each database: prepare the data set (bench/prepare.py), start gunicorn as gunicorn.conf.py
configures it (2 sync workers; --worker-class gthread to compare) with the app's production
settings (plus /bench/noop), load it with wrk at 16 connections on loopback — first GET
/bench/noop, then POST check-ins — and print one table at the end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import wrk
from bench.prepare import STALE

ROOT = Path(__file__).resolve().parent.parent
# The data sets, targets and profiles; BENCH_DIR moves them (tests/test_bench.py).
VAR = Path(os.environ.get("BENCH_DIR") or ROOT / "var" / "bench")
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iepright_bench")
TARGET_RATIO, TARGET_P99_MS = 0.60, 50.0
WARMUP_SHARE = 0.2  # of the check-in targets, kept for the warm-up run


@dataclass
class Options:
    backends: list[str]
    entries: int
    households: int
    duration: int
    warmup: int
    connections: int
    threads: int
    port: int
    fresh: bool
    workers: int = 2
    worker_class: str = "sync"
    server_threads: int = 8
    seed: int = 42
    profile: bool = False


@dataclass
class Row:
    backend: str
    noop: wrk.Result | None = None
    insert: wrk.Result | None = None
    unsynced: wrk.Result | None = None
    checkin: wrk.Result | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _env(backend: str, options: Options) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(VAR / "media"),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
        # gunicorn.conf.py picks the worker class (and group commit on SQLite) from this.
        "GUNICORN_THREADS": str(options.server_threads if options.worker_class == "gthread" else 1),
    }
    if backend == "sqlite":
        env["DATABASE_URL"] = ""
        env["SQLITE_PATH"] = str(_sqlite_path(options))
    else:
        env["DATABASE_URL"] = PG_URL
    return env


def _sqlite_path(options: Options) -> Path:
    return VAR / f"iepright-{options.entries}-{options.households}.sqlite3"


def _drop(backend: str, options: Options) -> None:
    """Remove the cached data set, so the next prepare generates it again."""
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{_sqlite_path(options)}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _ensure_pg_database() -> str:
    """Create the bench database if missing; return "" or why PostgreSQL cannot be used."""
    try:
        import psycopg

        name = PG_URL.rsplit("/", 1)[1]
        admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{name}"')
            settings = conn.execute(
                "SELECT current_setting('fsync'), current_setting('synchronous_commit')"
            ).fetchone()
            if settings != ("on", "on"):
                return f"fsync/synchronous_commit are {settings}: not durable, not measured"
    except Exception as exc:  # any failure means "not available"
        return f"PostgreSQL is not available ({exc.__class__.__name__}: {exc})"
    return ""


def _prepare(backend: str, options: Options, targets: Path) -> dict[str, Any]:
    if options.fresh:
        _drop(backend, options)
    command = [
        sys.executable,
        "-m",
        "bench",
        "_prepare",
        "--entries",
        str(options.entries),
        "--households",
        str(options.households),
        "--seed",
        str(options.seed),
        "--targets",
        str(targets),
    ]
    for attempt in range(2):
        done = subprocess.run(
            command, env=_env(backend, options), stdout=subprocess.PIPE, text=True, check=False
        )
        if done.returncode == STALE and attempt == 0:
            _drop(backend, options)
            continue
        if done.returncode != 0:
            raise SystemExit(f"preparing {backend} failed")
        meta: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return meta
    raise SystemExit(f"preparing {backend} failed")


def _split(targets: Path, warm: Path, main: Path) -> None:
    lines = targets.read_text().splitlines(keepends=True)
    cut = int(len(lines) * WARMUP_SHARE)
    warm.write_text("".join(lines[:cut]))
    main.write_text("".join(lines[cut:]))


def _start_server(backend: str, options: Options) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "iepright.wsgi:application",
        "--workers",
        str(options.workers),
        "--bind",
        f"127.0.0.1:{options.port}",
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    server = subprocess.Popen(command, env=_env(backend, options), cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            url = f"http://127.0.0.1:{options.port}/healthz"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _profile(server: subprocess.Popen[bytes], seconds: int, out: Path) -> subprocess.Popen[bytes]:
    """Sample every gunicorn worker with py-spy (pip install py-spy) during the check-in run."""
    return subprocess.Popen(
        [
            "py-spy",
            "record",
            "--pid",
            str(server.pid),
            "--subprocesses",
            "--duration",
            str(seconds),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
    )


def measure(backend: str, options: Options) -> Row:
    row = Row(backend)
    if backend == "postgres":
        problem = _ensure_pg_database()
        if problem:
            row.note = problem
            return row
    VAR.mkdir(parents=True, exist_ok=True)
    targets, warm, main = (VAR / f"targets-{backend}{s}.txt" for s in ("", "-warm", "-main"))
    print(f"== {backend}: preparing the data set", file=sys.stderr)
    meta = _prepare(backend, options, targets)
    row.extra = meta
    _split(targets, warm, main)
    script = str(Path(__file__).with_name("checkin.lua"))
    base = f"http://127.0.0.1:{options.port}"
    load: dict[str, Any] = {"connections": options.connections, "threads": options.threads}
    server = _start_server(backend, options)
    try:
        print(f"== {backend}: no-op baseline", file=sys.stderr)
        wrk.run(f"{base}/bench/noop", seconds=max(2, options.warmup // 2), **load)
        row.noop = wrk.run(f"{base}/bench/noop", seconds=options.duration, **load)
        print(f"== {backend}: reference insert", file=sys.stderr)
        inserts = str(Path(__file__).with_name("insert.lua"))
        wrk.run(base, seconds=max(2, options.warmup // 2), script=inserts, **load)
        row.insert = wrk.run(base, seconds=options.duration, script=inserts, **load)
        print(f"== {backend}: the same insert, not waiting for the disk", file=sys.stderr)
        unsynced = ("/bench/insert-unsynced",)
        wrk.run(base, seconds=max(2, options.warmup // 2), script=inserts, args=unsynced, **load)
        row.unsynced = wrk.run(
            base, seconds=options.duration, script=inserts, args=unsynced, **load
        )
        print(f"== {backend}: check-ins", file=sys.stderr)
        run = uuid.uuid4().hex[:8]
        wrk.run(
            base,
            seconds=options.warmup,
            script=script,
            args=(str(warm), str(options.threads), f"w{run}"),
            **load,
        )
        spy = (
            _profile(server, options.duration, VAR / f"profile-{backend}.txt")
            if options.profile
            else None
        )
        row.extra["load"] = os.getloadavg()[0]
        main_args = (str(main), str(options.threads), f"m{run}")
        row.checkin = wrk.run(base, seconds=options.duration, script=script, args=main_args, **load)
        if spy is not None:
            spy.wait(timeout=options.duration + 30)
    finally:
        _stop(server)
    done = subprocess.run(
        [sys.executable, "-m", "bench", "_verify", "--sample", "25"],
        env=_env(backend, options),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    row.extra["verify"] = json.loads(done.stdout.strip().splitlines()[-1])
    return row


def _errors(*results: wrk.Result | None) -> int:
    return sum(r.non_2xx + r.socket_errors for r in results if r is not None)


def _measured(row: Row) -> bool:
    return None not in (row.noop, row.insert, row.unsynced, row.checkin)


def _table(rows: list[Row], options: Options) -> str:
    head = (
        f"{'backend':<10} {'noop req/s':>10} {'insert req/s':>12} {'check-in req/s':>14} "
        f"{'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}  target  "
        f"{'insert/noop':>11} {'check-in/insert':>15} {'unsynced/noop':>13}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        if not _measured(row):
            lines.append(f"{row.backend:<10} not measured: {row.note}")
            continue
        assert row.noop and row.insert and row.unsynced and row.checkin
        c = row.checkin
        ratio = c.rate / row.noop.rate
        errors = _errors(row.noop, row.insert, row.unsynced, c)
        met = ratio >= TARGET_RATIO and c.p99_ms < TARGET_P99_MS and errors == 0
        lines.append(
            f"{row.backend:<10} {row.noop.rate:>10.0f} {row.insert.rate:>12.0f} {c.rate:>14.0f} "
            f"{ratio:>6.0%} {c.p50_ms:>7.1f} {c.p99_ms:>7.1f} {errors:>6}  "
            f"{'met' if met else 'MISSED':<6}  {row.insert.rate / row.noop.rate:>11.0%} "
            f"{c.rate / row.insert.rate:>15.0%} {row.unsynced.rate / row.noop.rate:>13.0%}"
        )
    lines.append("")
    threads = f" x {options.server_threads} threads" if options.worker_class == "gthread" else ""
    lines.append(
        f"target: check-ins >= {TARGET_RATIO:.0%} of the no-op rate, p99 < "
        f"{TARGET_P99_MS:.0f} ms, 0 errors; gunicorn {options.workers} "
        f"{options.worker_class} workers{threads}, "
        f"{options.connections} connections, {options.duration} s per run"
    )
    lines.append(
        "insert: the reference durable write (POST /bench/insert, one row committed through "
        "Django on the same server and database, queued on the app's writer lock), the floor "
        "of any acknowledged write here"
    )
    lines.append(
        "unsynced: the same insert acknowledged before the disk has it (POST "
        "/bench/insert-unsynced: SQLite synchronous=OFF, PostgreSQL synchronous_commit=off) - "
        "not durable, never what the app does; the most that giving up durability could buy"
    )
    for row in rows:
        if not _measured(row):
            continue
        assert row.checkin and row.insert and row.unsynced and row.noop
        meta, verify = row.extra, row.extra.get("verify", {})
        lines.append(
            f"{row.backend}: {meta['entries']:,} generated entries, {meta['children']} children "
            f"in {meta['households']} households; {row.checkin.requests:,} check-ins sent "
            f"({row.checkin.statuses}); insert p50/p99 {row.insert.p50_ms:.1f}/"
            f"{row.insert.p99_ms:.1f} ms; unsynced {row.unsynced.rate:.0f} req/s, p50/p99 "
            f"{row.unsynced.p50_ms:.1f}/{row.unsynced.p99_ms:.1f} ms; "
            f"no-op p50/p99 {row.noop.p50_ms:.1f}/"
            f"{row.noop.p99_ms:.1f} ms; chain verified for "
            f"{verify.get('children')} children written to: "
            f"{'ok' if verify.get('ok') else 'BROKEN ' + str(verify.get('first_problem'))}; "
            f"load average before the check-in run {meta.get('load', 0):.1f} on "
            f"{os.cpu_count()} CPUs"
        )
    return "\n".join(lines)


def main(options: Options) -> int:
    wrk.ensure_wrk()
    started = time.monotonic()
    rows = [measure(backend, options) for backend in options.backends]
    print()
    print(_table(rows, options))
    print(f"(total {time.monotonic() - started:.0f} s)")
    return 0
