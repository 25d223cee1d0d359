"""Clearly above or below the city, and the funnel plot's limits (SPEC section 5), against
values worked by hand."""

from fractions import Fraction

import pytest

from scoring import funnel
from scoring.funnel import Pool

F = Fraction


def test_the_city_pool_has_the_population_variance_dividing_by_n():
    # Scores 0, 50, 50, 100: mean 50, variance (2500 + 0 + 0 + 2500) / 4 = 1250.
    pool = Pool.of([{F(0): 1, F(50): 1}, {F(50): 1, F(100): 1}])
    assert (pool.n, pool.mean, pool.variance) == (4, F(50), F(1250))
    assert pool.sd == pytest.approx(35.35533906)


@pytest.mark.parametrize(
    ("n", "z", "low", "high"),
    [
        # 50 ± 1.96 × 35.35534 / √4 = 50 ± 34.64823
        (4, funnel.Z_95, 15.35177, 84.64823),
        # 50 ± 3.09 × 35.35534 / √4 = 50 ± 54.62400
        (4, funnel.Z_998, -4.62400, 104.62400),
        # 50 ± 1.96 × 35.35534 / √25 = 50 ± 13.85929
        (25, funnel.Z_95, 36.14071, 63.85929),
        # 50 ± 3.09 × 35.35534 / √25 = 50 ± 21.84960
        (25, funnel.Z_998, 28.15040, 71.84960),
    ],
)
def test_funnel_limits_match_hand_worked_values(n, z, low, high):
    pool = Pool(4, F(50), F(1250))
    assert funnel.limits(pool, n, z) == (
        pytest.approx(low, abs=1e-5),
        pytest.approx(high, abs=1e-5),
    )


def test_a_mean_beyond_the_upper_limit_is_clearly_above_and_one_inside_is_within():
    pool = Pool(4, F(50), F(1250))
    # n = 25: the 99.8 % limits are 28.15 and 71.85.
    assert funnel.flag(F(72), 25, pool) == funnel.ABOVE
    assert funnel.flag(F(718, 10), 25, pool) == funnel.WITHIN
    assert funnel.flag(F(28), 25, pool) == funnel.BELOW
    assert funnel.flag(F(282, 10), 25, pool) == funnel.WITHIN


def test_a_mean_exactly_on_a_limit_is_within():
    # σ = 100, n = 9: the limits are 50 ± 3.09 × 100 / 3 = 50 ± 103, exactly.
    pool = Pool(1000, F(50), F(10000))
    assert funnel.flag(F(153), 9, pool) == funnel.WITHIN
    assert funnel.flag(F(-53), 9, pool) == funnel.WITHIN
    assert funnel.flag(F(15301, 100), 9, pool) == funnel.ABOVE
    assert funnel.flag(F(-5301, 100), 9, pool) == funnel.BELOW


def test_no_responses_get_no_mark_and_a_city_without_spread_is_within():
    assert funnel.flag(None, 0, Pool(4, F(50), F(1250))) is None
    assert funnel.flag(F(80), 3, Pool(10, F(80), F(0))) == funnel.WITHIN


def test_a_pool_is_stored_exactly_and_read_back():
    pool = Pool.of([{F(250, 3): 2, F(0): 1}])
    assert funnel.pool_of_json(funnel.pool_json(pool)) == pool
    assert funnel.pool_of_json({}) == Pool(0, None, None)
