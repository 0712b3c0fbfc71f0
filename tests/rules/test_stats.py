"""Fisher's exact test, against hand-checked literature values and against scipy."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from iepright.rules.stats import Alternative, fisher_exact


@pytest.mark.parametrize(
    ("table", "alternative", "expected"),
    [
        # Fisher's tea-tasting table (Fisher 1935): P = 17/70 one-sided, 34/70 two-sided.
        ((3, 1, 1, 3), "greater", 0.2429),
        ((3, 1, 1, 3), "two-sided", 0.4857),
        ((1, 3, 3, 1), "less", 0.2429),
        ((1, 3, 3, 1), "greater", 69 / 70),
        # All four cups right: the only table that extreme, 1/70.
        ((4, 0, 0, 4), "greater", 0.0143),
        ((4, 0, 0, 4), "two-sided", 0.0286),
        ((3, 1, 1, 3), "less", 69 / 70),
        # The dieting example on Wikipedia's "Fisher's exact test" page (men 1 of 12 dieting,
        # women 9 of 12): one-tailed 0.001379728, two-tailed 0.002759456.
        ((1, 11, 9, 3), "two-sided", 0.002759),
        ((1, 11, 9, 3), "less", 0.001379),
    ],
)
def test_it_matches_literature_values(
    table: tuple[int, int, int, int], alternative: str, expected: float
) -> None:
    assert fisher_exact(*table, alternative=alternative) == pytest.approx(  # type: ignore[arg-type]
        expected, abs=5e-5
    )


def test_it_is_exact_for_the_tea_tasting_table() -> None:
    assert Fraction(fisher_exact(3, 1, 1, 3)).limit_denominator(1000) == Fraction(17, 70)
    assert Fraction(fisher_exact(3, 1, 1, 3, "two-sided")).limit_denominator(1000) == Fraction(
        34, 70
    )


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ((0, 0, 0, 0), 1.0),  # no data: nothing is unusual
        ((0, 5, 0, 5), 1.0),  # no misses at all
        ((5, 0, 5, 0), 1.0),  # misses every day
    ],
)
def test_it_returns_one_when_nothing_can_be_unusual(
    table: tuple[int, int, int, int], expected: float
) -> None:
    assert fisher_exact(*table) == pytest.approx(expected)
    assert fisher_exact(*table, alternative="two-sided") == pytest.approx(expected)


def test_the_one_sided_p_is_one_at_the_fewest_possible_misses() -> None:
    assert fisher_exact(0, 3, 2, 4) == pytest.approx(1.0)  # P(a >= 0)


def test_it_rejects_negative_counts_and_unknown_alternatives() -> None:
    with pytest.raises(ValueError, match="negative"):
        fisher_exact(-1, 2, 3, 4)
    with pytest.raises(ValueError, match="alternative"):
        fisher_exact(1, 2, 3, 4, alternative="sideways")  # type: ignore[arg-type]


def test_it_handles_three_school_years_of_days() -> None:
    # Big binomial coefficients stay exact integers until the final division.
    p = fisher_exact(60, 20, 40, 420)
    assert 0 < p < 1e-20


def test_it_agrees_with_scipy() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    rng = random.Random(20260916)
    for _ in range(300):
        table = [rng.randint(0, 25) for _ in range(4)]
        a, b, c, d = table
        alternatives: tuple[Alternative, ...] = ("greater", "less", "two-sided")
        for alternative in alternatives:
            expected = scipy_stats.fisher_exact([[a, b], [c, d]], alternative=alternative).pvalue
            assert fisher_exact(a, b, c, d, alternative) == pytest.approx(
                expected, rel=1e-6, abs=1e-12
            ), (table, alternative)
