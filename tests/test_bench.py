"""The check-in benchmark still runs, end to end, at a small size (`python -m bench checkin`).

What it measures is not tested here (speed belongs to the benchmark, not to the suite); that it
measures what it says is: at both loads the no-op, the reference insert and the check-ins are
answered without an error, every check-in is a new entry, and the chains it wrote to verify.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import connection

from tests.processes import free_port, run_python


def test_the_checkin_benchmark_runs_without_errors(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite run of the suite covers the benchmark")
    if shutil.which("wrk") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("wrk is not installed (scripts/ensure_chromium.sh installs it)")
        pytest.skip("wrk is not installed: sudo apt-get install wrk")
    env = {**os.environ, "BENCH_DIR": str(tmp_path), "DATABASE_URL": ""}
    small = ("--entries=3000", "--households=4", "--duration=1", "--warmup=2", "--backend=sqlite")
    stdout = run_python(env, "-m", "bench", "checkin", *small, f"--port={free_port()}", timeout=300)
    # backend, connections, no-op, insert, check-in, check-in/insert, p50, p99, errors, 2 ratios
    rows = [line.split() for line in stdout.splitlines() if line[:7] == "sqlite "]
    assert [len(row) for row in rows] == [11, 11], stdout
    assert [row[1] for row in rows] == ["16", "4"], stdout
    for row in rows:
        noop, insert, checkins, errors = (int(row[n]) for n in (2, 3, 4, 8))
        assert noop > 0 and insert > 0 and checkins > 0
        assert errors == 0, stdout
    pattern = r"([\d,]+) check-ins sent at \d+ \(\{'created': ([\d]+), 'updated': 0"
    sent = re.findall(pattern, stdout)
    assert len(sent) == 2 and all(int(n.replace(",", "")) == int(c) for n, c in sent), stdout
    assert "children written to: ok" in stdout, stdout


def test_the_page_benchmark_weighs_the_check_in_page_and_finds_no_third_party() -> None:
    env = {**os.environ, "DATABASE_URL": ""}
    stdout = run_python(env, "-m", "bench", "page", timeout=300)
    sizes = dict(re.findall(r"^  (html|css|js|other|total) +([\d,]+)", stdout, re.M))
    assert set(sizes) == {"html", "css", "js", "other", "total"}, stdout
    kinds = [int(sizes[k].replace(",", "")) for k in ("html", "css", "js", "other")]
    assert kinds[0] > 1000 and kinds[1] > 0 and kinds[2] > 0, stdout
    assert int(sizes["total"].replace(",", "")) == sum(kinds)
    assert re.search(r"^requests: [2-9]\d*$", stdout, re.M), stdout
    assert "third-party requests: 0" in stdout
