"""Comparing misses on two groups of days: the minimum counts, the test and the correction.

The rule (stated in full in findings.py): a comparison is made only with at least
MIN_DAYS_WITH days in the group, MIN_MISSES_WITH misses on them and MIN_OTHER_DAYS other
days; it is a lead when the one-sided Fisher's exact test (stats.py) gives p < ALPHA and it
survives the Benjamini-Hochberg step-up rule over every comparison made (fdr_cutoff).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from iepright.rules.stats import fisher_exact

ALPHA = 0.05
MIN_DAYS_WITH = 5
MIN_MISSES_WITH = 3
MIN_OTHER_DAYS = 5

Numbers = dict[str, int | float | str]


def p_text(p: float) -> str:
    """Return a p-value as it is printed in a sentence: "p = 0.012" or "p < 0.001"."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def fdr_cutoff(p_values: list[float], q: float = ALPHA) -> float:
    """Return the largest p that survives the Benjamini-Hochberg step-up rule at rate q.

    Many provision × circumstance × weekday tables are tested at once; without a correction
    some would pass p < 0.05 by chance alone. Benjamini-Hochberg keeps the expected share of
    chance findings among those reported at q or below. Returns -1 when none survives.
    """
    ordered = sorted(p_values)
    m = len(ordered)
    cutoff = -1.0
    for k, p in enumerate(ordered, start=1):
        if p <= q * k / m:
            cutoff = p
    return cutoff


def passes(with_days: int, with_misses: int, other_days: int) -> bool:
    """Return True if a 2x2 table meets the minimum counts (module docstring)."""
    enough_with = with_days >= MIN_DAYS_WITH and with_misses >= MIN_MISSES_WITH
    return enough_with and other_days >= MIN_OTHER_DAYS


def associations(
    opportunities: list[tuple[date, bool]],
    keys: Callable[[date], Iterable[str | int]],
    tested: list[float],
) -> list[tuple[str | int, Numbers]]:
    """Return the keys whose days show more misses (p < ALPHA), with the 2x2 numbers.

    Every table that meets the minimum counts is a test performed: its p goes into `tested`
    (a table with a lower rate on those days counts as p = 1), for the false-discovery-rate
    step in analyse().
    """
    days: dict[str | int, int] = {}
    misses: dict[str | int, int] = {}
    total_days, total_misses = len(opportunities), 0
    for day, missed in opportunities:
        for key in keys(day):
            days[key] = days.get(key, 0) + 1
            if missed:
                misses[key] = misses.get(key, 0) + 1
        total_misses += missed
    found = []
    for key, n_with in days.items():
        a, n_other = misses.get(key, 0), total_days - n_with
        c = total_misses - a
        # a / n_with > c / n_other, in integers; a lower rate can never pass the one-sided test.
        if not passes(n_with, a, n_other):
            continue
        if a * n_other <= c * n_with:
            tested.append(1.0)
            continue
        p = fisher_exact(a, n_with - a, c, n_other - c)
        tested.append(p)
        if p < ALPHA:
            numbers: Numbers = {
                "with_misses": a,
                "with_days": n_with,
                "other_misses": c,
                "other_days": n_other,
                "with_rate": a / n_with,
                "other_rate": c / n_other,
                "p": p,
                "p_text": p_text(p),
            }
            found.append((key, numbers))
    return found
