"""The check-in benchmark still runs, end to end, at a small size (`python -m bench checkin`).

What it measures is not tested here (speed belongs to the benchmark, not to the suite); that it
measures what it says is: the no-op, both reference inserts and the check-ins are answered
without an error, every check-in is a new entry, and the chains it wrote to verify.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.processes import free_port, run_python


def test_the_checkin_benchmark_runs_without_errors(settings: Any, tmp_path: Path) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite run of the suite covers the benchmark")
    if shutil.which("wrk") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("wrk is not installed (scripts/ensure_chromium.sh installs it)")
        pytest.skip("wrk is not installed: sudo apt-get install wrk")
    env = {**os.environ, "BENCH_DIR": str(tmp_path), "DATABASE_URL": ""}
    small = ("--entries=3000", "--households=4", "--duration=1", "--warmup=2", "--backend=sqlite")
    stdout = run_python(env, "-m", "bench", "checkin", *small, f"--port={free_port()}", timeout=300)
    # backend, no-op, insert, check-in, ratio, p50, p99, errors, target, three ratios
    row = next((line.split() for line in stdout.splitlines() if line[:7] == "sqlite "), [])
    assert len(row) == 12, stdout
    noop, insert, checkins, errors = (int(row[n]) for n in (1, 2, 3, 7))
    assert noop > 0 and insert > 0 and checkins > 0
    assert errors == 0, stdout
    assert re.search(r"unsynced \d+ req/s", stdout), stdout
    sent = re.search(r"([\d,]+) check-ins sent \(\{'created': ([\d]+), 'updated': 0", stdout)
    assert sent and int(sent[1].replace(",", "")) == int(sent[2]), stdout
    assert "children written to: ok" in stdout, stdout
    assert (tmp_path / "iepright-3000-4.sqlite3").exists()
