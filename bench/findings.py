"""`python -m bench findings`: pattern findings and the service ledger for 3 school years.

Target: findings for one child over three school years in at most 100 ms. The data is
shaped like a real log: 20 provisions (4 of them timed services) over 540 school days, about
10,800 entries, with misses tied to a circumstance and a weekday, and random noise.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, timedelta

from iepright.rules.findings import analyse
from iepright.rules.ledger import service_ledger
from iepright.rules.logdata import LogData, LogItem, ProvisionInfo

TARGET_MS = 100.0


def build() -> LogData:
    rng = random.Random(7)
    days: list[date] = []
    d = date(2024, 8, 19)
    while len(days) < 540:
        if d.isoweekday() <= 5 and not (d.month == 12 and d.day > 20) and d.month not in (6, 7):
            days.append(d)
        d += timedelta(days=1)
    provisions = []
    for k in range(20):
        timed = k >= 16
        provisions.append(
            ProvisionInfo(
                f"p{k}",
                f"Provision {k}",
                "related_service" if timed else "accommodation",
                "week" if timed else "day",
                2 if timed else None,
                30 if timed else None,
                days[0],
                days[-1],
            )
        )
    items = []
    for i, day in enumerate(days):
        sub = rng.random() < 0.1
        for k, p in enumerate(provisions):
            missed = (sub and k < 4 and rng.random() < 0.7) or rng.random() < 0.05
            circ = ("substitute_teacher",) if sub else ()
            minutes = None
            if p.minutes_per_session:
                if day.isoweekday() not in (2, 4):
                    continue
                minutes = 0 if missed else 30
            status = "not_delivered" if missed else "delivered"
            items.append(
                LogItem(p.id, day, status, circ, "child_reported", "", minutes, i % 40 == 0)
            )
    return LogData(tuple(provisions), tuple(items), tuple(days))


def main(argv: list[str]) -> int:
    data = build()
    start, end = data.school_days[0], data.school_days[-1]
    runs = []
    for _ in range(15):
        began = time.perf_counter()
        found = analyse(data, start, end)
        rows = service_ledger(data, start, end)
        runs.append((time.perf_counter() - began) * 1000)
    median = statistics.median(runs)
    print(
        f"entries: {len(data.items):,}; provisions: {len(data.provisions)}; "
        f"school days: {len(data.school_days)}; findings: {len(found)}; ledger rows: {len(rows)}"
    )
    print(
        f"analyse + ledger, median of {len(runs)} runs: {median:.1f} ms "
        f"(target ≤ {TARGET_MS:.0f} ms: {'PASS' if median <= TARGET_MS else 'FAIL'}); "
        f"ratio to target {median / TARGET_MS:.2f}"
    )
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
