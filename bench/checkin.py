"""`python -m bench checkin`: check-in writes per second against two references, same server.

For each database: prepare the data set (bench/prepare.py), start gunicorn as gunicorn.conf.py
configures it (2 sync workers; --worker-class gthread to compare) with the app's production
settings (plus bench/urls.py), load it with wrk on loopback — GET /bench/noop, POST
/bench/insert (one durable row), then POST check-ins, at 16 connections and again at 4 — and
print one table at the end.
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
# Check-ins at >= 25 % of the durable one-row insert at the full load, and p99 < 50 ms at the
# light one (at the full load, p99 follows from throughput: connections / rate, Little's law).
TARGET_RATIO, TARGET_P99_MS = 0.25, 50.0
LIGHT_CONNECTIONS = 4
# Shares of the check-in targets: warm-up, the full-load run, the light-load run. Each line is
# used once, so every check-in is a new entry.
SHARES = (0.2, 0.5, 0.3)


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
class Load:
    """What one load level measured: no-op, reference insert, check-in."""

    connections: int
    noop: wrk.Result
    insert: wrk.Result
    checkin: wrk.Result


@dataclass
class Row:
    backend: str
    loads: list[Load] = field(default_factory=list)
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
        # gunicorn.conf.py picks the worker class from this.
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


def _split(targets: Path, parts: list[Path]) -> None:
    """Cut the targets file into consecutive parts of SHARES."""
    lines = targets.read_text().splitlines(keepends=True)
    start = 0
    for part, share in zip(parts, SHARES, strict=True):
        end = start + int(len(lines) * share)
        part.write_text("".join(lines[start:end]))
        start = end


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
    targets = VAR / f"targets-{backend}.txt"
    warm, *parts = (VAR / f"targets-{backend}-{n}.txt" for n in ("warm", "full", "light"))
    print(f"== {backend}: preparing the data set", file=sys.stderr)
    meta = _prepare(backend, options, targets)
    row.extra = meta
    _split(targets, [warm, *parts])
    script = str(Path(__file__).with_name("checkin.lua"))
    inserts = str(Path(__file__).with_name("insert.lua"))
    base = f"http://127.0.0.1:{options.port}"
    run = uuid.uuid4().hex[:8]
    server = _start_server(backend, options)
    try:
        warm_load: dict[str, Any] = {"connections": options.connections, "threads": options.threads}
        short = max(2, options.warmup // 2)
        print(f"== {backend}: warming up", file=sys.stderr)
        wrk.run(f"{base}/bench/noop", seconds=short, **warm_load)
        wrk.run(base, seconds=short, script=inserts, **warm_load)
        wrk.run(base, seconds=options.warmup, script=script,
                args=(str(warm), str(options.threads), f"w{run}"), **warm_load)  # fmt: skip
        for connections, part in zip((options.connections, LIGHT_CONNECTIONS), parts, strict=True):
            load: dict[str, Any] = {
                "connections": connections,
                "threads": min(options.threads, connections),
            }
            print(f"== {backend}: {connections} connections", file=sys.stderr)
            noop = wrk.run(f"{base}/bench/noop", seconds=options.duration, **load)
            insert = wrk.run(base, seconds=options.duration, script=inserts, **load)
            spy = (
                _profile(server, options.duration, VAR / f"profile-{backend}-{connections}.txt")
                if options.profile
                else None
            )
            row.extra.setdefault("load", os.getloadavg()[0])  # before the first check-in run
            checkin = wrk.run(
                base,
                seconds=options.duration,
                script=script,
                args=(str(part), str(load["threads"]), f"m{connections}{run}"),
                **load,
            )
            if spy is not None:
                spy.wait(timeout=options.duration + 30)
            row.loads.append(Load(connections, noop, insert, checkin))
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


def _errors(load: Load) -> int:
    return sum(r.non_2xx + r.socket_errors for r in (load.noop, load.insert, load.checkin))


def _table(rows: list[Row], options: Options) -> str:
    head = (
        f"{'backend':<10} {'conns':>5} {'noop req/s':>10} {'insert req/s':>12} "
        f"{'check-in req/s':>14} {'check-in/insert':>15} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'check-in/noop':>13} {'insert/noop':>11}"
    )
    lines = [head, "-" * len(head)]
    verdicts = []
    for row in rows:
        if len(row.loads) != 2:
            lines.append(f"{row.backend:<10} not measured: {row.note}")
            continue
        for load in row.loads:
            c = load.checkin
            lines.append(
                f"{row.backend:<10} {load.connections:>5} {load.noop.rate:>10.0f} "
                f"{load.insert.rate:>12.0f} {c.rate:>14.0f} {c.rate / load.insert.rate:>15.0%} "
                f"{c.p50_ms:>7.1f} {c.p99_ms:>7.1f} {_errors(load):>6} "
                f"{c.rate / load.noop.rate:>13.0%} {load.insert.rate / load.noop.rate:>11.0%}"
            )
        full, light = row.loads
        ratio_met = full.checkin.rate / full.insert.rate >= TARGET_RATIO
        p99_met = light.checkin.p99_ms < TARGET_P99_MS
        clean = sum(_errors(load) for load in row.loads) == 0
        verify = row.extra.get("verify", {})
        verdicts.append(
            f"{row.backend}: ratio {'met' if ratio_met else 'MISSED'}, "
            f"p99 at {light.connections} {'met' if p99_met else 'MISSED'}, "
            f"errors {'none' if clean else 'SOME'}, chains "
            f"{'ok' if verify.get('ok') else 'BROKEN ' + str(verify.get('first_problem'))}"
        )
    lines.append("")
    threads = f" x {options.server_threads} threads" if options.worker_class == "gthread" else ""
    lines.append(
        f"target: check-ins >= {TARGET_RATIO:.0%} of the durable one-row insert at "
        f"{options.connections} connections, p99 < {TARGET_P99_MS:.0f} ms at "
        f"{LIGHT_CONNECTIONS} connections, 0 errors, every chain verifying; gunicorn "
        f"{options.workers} {options.worker_class} workers{threads}, {options.duration} s per run"
    )
    lines.extend(verdicts)
    lines.append(
        "insert: the reference durable write (POST /bench/insert, one row committed through "
        "Django on the same server and database), the floor of any acknowledged write here"
    )
    for row in rows:
        if len(row.loads) != 2:
            continue
        meta, verify = row.extra, row.extra.get("verify", {})
        sent = "; ".join(
            f"{load.checkin.requests:,} check-ins sent at {load.connections} "
            f"({load.checkin.statuses})"
            for load in row.loads
        )
        lines.append(
            f"{row.backend}: {meta['entries']:,} generated entries, {meta['children']} children "
            f"in {meta['households']} households; {sent}; chain verified for "
            f"{verify.get('children')} children written to: "
            f"{'ok' if verify.get('ok') else 'BROKEN'}; load average before the "
            f"check-in runs {meta.get('load', 0):.1f} on {os.cpu_count()} CPUs"
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
