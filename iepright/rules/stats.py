"""Fisher's exact test for a 2x2 table, computed exactly from the hypergeometric distribution.

The table is [[a, b], [c, d]]: for pattern findings, row 1 is the days with a circumstance
(or on a weekday), row 2 the other days; column 1 counts misses, column 2 the rest. With the
row and column totals fixed, the count `a` follows the hypergeometric distribution, so

    P(a = x) = C(a + c, x) · C(b + d, a + b - x) / C(n, a + b),   n = a + b + c + d.

"greater" is P(a ≥ observed): how likely so many misses on those days would be if misses
were spread over the days by chance alone. "less" is P(a ≤ observed). "two-sided" adds the
probabilities of every table no more likely than the one observed (the usual definition,
as in R's fisher.test and scipy.stats.fisher_exact). The terms are whole numbers until the
final division, so ties between equally likely tables are compared exactly.
"""

from __future__ import annotations

from math import comb
from typing import Literal

Alternative = Literal["greater", "less", "two-sided"]


def fisher_exact(a: int, b: int, c: int, d: int, alternative: Alternative = "greater") -> float:
    """Return the p-value of Fisher's exact test for the table [[a, b], [c, d]]."""
    if min(a, b, c, d) < 0:
        raise ValueError(f"Table counts must not be negative: [[{a}, {b}], [{c}, {d}]].")
    if alternative not in ("greater", "less", "two-sided"):
        raise ValueError(
            f"Unknown alternative {alternative!r}; use 'greater', 'less' or 'two-sided'."
        )
    row1, col1, n = a + b, a + c, a + b + c + d
    if n == 0:
        return 1.0
    lo, hi = max(0, row1 + col1 - n), min(row1, col1)
    col2 = n - col1
    # weights[x - lo] is the numerator of P(a = x); every term shares the denominator
    # C(n, row1). Each weight follows from the one before by a ratio whose division is exact
    # (the result is a binomial product, an integer), which is much faster than math.comb.
    weights = [comb(col1, lo) * comb(col2, row1 - lo)]
    for x in range(lo, hi):
        weights.append(weights[-1] * (col1 - x) * (row1 - x) // ((x + 1) * (col2 - row1 + x + 1)))
    if alternative == "greater":
        total = sum(weights[a - lo :])
    elif alternative == "less":
        total = sum(weights[: a - lo + 1])
    else:  # two-sided
        observed = weights[a - lo]
        total = sum(w for w in weights if w <= observed)
    # Python divides two integers with correct rounding, however large they are.
    return min(1.0, total / comb(n, row1))
