"""Rank intervals (SPEC section 5, "How sure a rank is"), without a database: the bootstrap
from tallies against a slow, obvious one that resamples response rows with Python's
`random`, the nearest-rank percentiles, ties sharing the best rank, and the seed."""

from __future__ import annotations

import gc
import random
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction
from functools import partial

import numpy as np
import pytest

from scoring import intervals, resampled_sums, rules
from scoring.intervals import Contender

F = Fraction
WEIGHTS = {"v": F(3, 10), "t": F(4, 10), "h": F(3, 10)}
K = F(5)


def synthetic_city(seed: int = 7, departments: int = 20):
    """Departments of very different sizes, each with its own response rows."""
    draw = random.Random(seed)
    city = {}
    for i in range(departments):
        n = draw.choice([3, 5, 8, 12, 20, 40, 80, 150, 300])
        quality = draw.uniform(55, 90)
        rows = {}
        for name in WEIGHTS:
            scores = [F(25 * min(4, max(0, round(draw.gauss(quality, 18) / 25)))) for _ in range(n)]
            if name == "t":  # some unanswered calls, scored 0
                scores = [F(0) if draw.random() < 0.15 else s for s in scores]
            rows[name] = scores
        city[f"D{i:02d}"] = {"rows": rows, "shift": F(draw.choice([0, 0, 0, 1, 2]), 2)}
    return city


def tally(rows: list[Fraction]) -> dict[Fraction, int]:
    out: dict[Fraction, int] = {}
    for score in rows:
        out[score] = out.get(score, 0) + 1
    return out


def city_means(city) -> dict[str, Fraction]:
    return {
        name: sum((s for d in city.values() for s in d["rows"][name]), F(0))
        / sum(len(d["rows"][name]) for d in city.values())
        for name in WEIGHTS
    }


def exact_final(rows_by_component, shift, means) -> Fraction:
    base = sum(
        (
            WEIGHTS[name] * rules.shrink(sum(rows, F(0)) / len(rows), len(rows), means[name], K)
            for name, rows in rows_by_component.items()
        ),
        F(0),
    )
    return rules.clamp(base + shift)


def competition(scores: dict[str, Decimal]) -> dict[str, int]:
    return {
        key: 1 + sum(other > value for other in scores.values()) for key, value in scores.items()
    }


def slow_bootstrap(city, replicates: int, seed: int = 11):
    """The obvious way: resample each department's response rows with random.choices and
    score every replicate with the exact formulas."""
    draw = random.Random(seed)
    means = city_means(city)
    ranks = {key: [] for key in city}
    for _ in range(replicates):
        scores = {}
        for key, d in city.items():
            resampled = {name: draw.choices(rows, k=len(rows)) for name, rows in d["rows"].items()}
            scores[key] = rules.round_half_up(exact_final(resampled, d["shift"], means))
        for key, rank in competition(scores).items():
            ranks[key].append(rank)
    return ranks


def fast_intervals(city, replicates: int = 1000, seed: int = 3):
    contenders = [
        Contender(key, {n: tally(rows) for n, rows in d["rows"].items()}, d["shift"])
        for key, d in city.items()
    ]
    return intervals.rank_intervals(
        contenders,
        weights=WEIGHTS,
        city_means=city_means(city),
        k=K,
        replicates=replicates,
        seed=seed,
    )


def nearest_rank(sorted_ranks: list[int]) -> tuple[int, int]:
    low, high = intervals.percentile_positions(len(sorted_ranks))
    return sorted_ranks[low], sorted_ranks[high]


def run_ranks(city) -> dict[str, int]:
    means = city_means(city)
    return competition(
        {
            key: rules.round_half_up(exact_final(d["rows"], d["shift"], means))
            for key, d in city.items()
        }
    )


@pytest.fixture(scope="module")
def city():
    return synthetic_city()


@pytest.fixture(scope="module")
def slow(city):
    return slow_bootstrap(city, replicates=2000)


def test_intervals_agree_with_a_slow_obvious_bootstrap_within_one_rank(city, slow):
    fast = fast_intervals(city)
    close = 0
    for key, ranks in slow.items():
        low, high = nearest_rank(sorted(ranks))
        if abs(fast[key][0] - low) <= 1 and abs(fast[key][1] - high) <= 1:
            close += 1
    assert close >= 0.9 * len(city), (close, len(city))


def test_an_interval_contains_the_rank_wherever_a_tenth_of_replicates_reach_it(city, slow):
    fast = fast_intervals(city)
    checked = 0
    for key, rank in run_ranks(city).items():
        if slow[key].count(rank) >= 0.10 * len(slow[key]):
            checked += 1
            low, high = fast[key]
            assert low <= rank <= high, (key, rank, fast[key])
    assert checked >= len(city) // 4


def test_departments_with_fewer_responses_get_wider_intervals_on_average(city):
    fast = fast_intervals(city)
    sizes = {key: len(d["rows"]["v"]) for key, d in city.items()}
    middle = sorted(sizes.values())[len(sizes) // 2]
    width = {key: high - low for key, (low, high) in fast.items()}
    small = [width[k] for k, n in sizes.items() if n < middle]
    large = [width[k] for k, n in sizes.items() if n >= middle]
    assert sum(small) / len(small) > sum(large) / len(large)


def test_the_same_tallies_and_seed_give_the_same_intervals(city):
    assert fast_intervals(city, seed=5) == fast_intervals(city, seed=5)
    assert fast_intervals(city, seed=5) != fast_intervals(city, seed=6)


def test_the_workers_do_not_change_the_intervals(city, monkeypatch):
    # The draws are made on one thread in order; the blocks are summed by a pool of
    # workers: with small blocks many are in flight at once, and the intervals are those
    # of one worker.
    monkeypatch.setattr(resampled_sums, "BLOCK_VALUES", 1 << 9)
    monkeypatch.setattr(intervals, "WORKERS", 1)
    alone = fast_intervals(city, replicates=300, seed=9)
    monkeypatch.setattr(intervals, "WORKERS", 4)
    assert fast_intervals(city, replicates=300, seed=9) == alone


def test_groups_ranked_at_once_give_their_own_intervals_with_the_collector_paused(city):
    # Departments and officials are ranked on two threads at once, each from its own
    # generator: the same intervals as one after the other; the collector is paused
    # around both and turned back on after.
    alone = {seed: fast_intervals(city, replicates=200, seed=seed) for seed in (3, 4)}
    found, collecting = {}, []

    def group(seed):
        collecting.append(gc.isenabled())
        found[seed] = fast_intervals(city, replicates=200, seed=seed)

    assert gc.isenabled()
    intervals.rank_intervals_at_once([partial(group, 3), partial(group, 4)])
    assert found == alone
    assert collecting == [False, False]
    assert gc.isenabled()


@pytest.mark.parametrize("owners", [50, 40000])
def test_percentile_ranks_are_the_nearest_ranks_of_each_owner(owners):
    # Ranks of up to 32,766 owners are sorted as 16-bit numbers, more are partitioned.
    ranks = np.random.default_rng(owners).integers(1, owners + 1, size=(owners, 41))
    low, high = intervals.percentile_positions(41)
    expected = np.sort(ranks, axis=1)[:, [low, high]]
    assert (intervals.percentile_ranks(ranks) == expected).all()
    with ThreadPoolExecutor(2) as workers:
        assert (intervals.percentile_ranks(ranks, workers) == expected).all()


@pytest.mark.parametrize(
    ("replicates", "positions"), [(1000, (49, 949)), (100, (4, 94)), (19, (0, 18))]
)
def test_percentiles_are_taken_by_nearest_rank(replicates, positions):
    # ceil(0.05·B) and ceil(0.95·B), counted from 1.
    assert intervals.percentile_positions(replicates) == positions


def test_equal_replicate_scores_share_the_best_rank():
    cents = np.array([[7000, 8000, 8000, 6000], [5000, 5000, 5000, 5000]])
    assert intervals.competition_ranks(cents).tolist() == [[3, 1, 1, 4], [1, 1, 1, 1]]


def test_a_department_without_responses_stays_at_the_city_mean_in_every_replicate():
    contenders = [
        Contender("A", {"v": {}}, F(0)),
        Contender("B", {"v": {F(100): 1, F(0): 1}}, F(0)),
    ]
    found = intervals.rank_intervals(
        contenders, weights={"v": F(1)}, city_means={"v": F(50)}, k=F(0), replicates=400, seed=1
    )
    # B's replicate mean is 0, 50 or 100 (a quarter, a half, a quarter): B takes rank 1
    # or shares it, or falls to 2; A, always 50, is 1st or 2nd accordingly.
    assert found == {"A": (1, 2), "B": (1, 2)}


def test_no_ranked_owner_gives_no_interval():
    assert (
        intervals.rank_intervals([], weights=WEIGHTS, city_means={}, k=K, replicates=10, seed=1)
        == {}
    )


def test_the_seed_is_the_first_eight_bytes_of_sha256_over_canonical_json():
    import hashlib

    tallies = {"departments": {"D1": {"v": [["100/1", 2]]}}, "officials": {}}
    canonical = (
        '{"period":"2025-H1","rule_set_version":1,'
        '"tallies":{"departments":{"D1":{"v":[["100/1",2]]}},"officials":{}}}'
    )
    expected = int.from_bytes(hashlib.sha256(canonical.encode()).digest()[:8], "big")
    assert intervals.seed_of("2025-H1", 1, tallies) == expected


def test_tallies_are_stored_as_exact_fractions_and_read_back():
    stored = intervals.tally_json({F(250, 3): 2, F(0): 1, F(75): 0})
    assert stored == [["0/1", 1], ["250/3", 2]]
    assert intervals.tally_of(stored) == {F(0): 1, F(250, 3): 2}


@pytest.mark.parametrize("owners", [4, 300, 3000])
def test_replicate_ranks_equal_counting_who_scores_higher(owners):
    # Few owners are ranked by sorting, many by counting cents: both give 1 + how many
    # score higher, ties included.
    cents = np.random.default_rng(owners).integers(0, 10001, size=(40, owners))
    cents[:, : owners // 2] = cents[:, owners // 2 : owners // 2 * 2]  # plenty of ties
    expected = 1 + (cents[:, None, :] > cents[:, :, None]).sum(axis=2)
    assert (intervals.competition_ranks(cents) == expected).all()
    # Groups of replicates ranked at once by workers: 200 replicates, several groups.
    with ThreadPoolExecutor(2) as workers:
        ranked = intervals.owner_ranks(np.ascontiguousarray(np.tile(cents, (5, 1)).T), workers)
    assert (ranked.T == np.tile(expected, (5, 1))).all()


def exact_sum_counts(steps: list[int], counts: list[int], n: int) -> list[int]:
    """How many of the n^n ordered draws of n responses give each sum (in steps): the
    coefficients of (Σ count·x^step)^n, in whole numbers."""
    poly = [1]
    for _ in range(n):
        longer = [0] * (len(poly) + max(steps))
        for i, ways in enumerate(poly):
            for step, count in zip(steps, counts, strict=True):
                longer[i + step] += ways * count
        poly = longer
    return poly


@pytest.mark.parametrize(
    ("scores", "n_each"),
    [
        ([F(0), F(25), F(50), F(75), F(100)], [3, 9, 5, 1, 6]),  # a kindness answer
        ([F(15 + 5 * i) for i in range(12)], [1, 2, 1, 5, 3, 8, 4, 9, 2, 6, 1, 3]),
        ([F(250, 3), F(50), F(175, 2)], [2, 3, 1]),  # exact fractions: unit 5/6
        ([F(0), F(100)], [200, 200]),  # long: drawn from a window around the mean
    ],
)
def test_the_chances_of_a_sum_equal_counting_every_draw(scores, n_each):
    # The sum of n draws is drawn from its distribution: it must be the bootstrap's, that
    # is, the share of the n^n equally likely ordered draws giving each sum.
    tally = [(s.numerator, s.denominator, c) for s, c in zip(scores, n_each, strict=True)]
    tally.sort(key=lambda t: F(t[0], t[1]))
    pools = resampled_sums.Pools.of([(0, tally)])
    starts, lengths = pools.windows()
    chances = resampled_sums.sum_chances(pools, starts, int(lengths[0]))[0]
    n = sum(n_each)
    ways = exact_sum_counts(pools.steps.tolist(), pools.counts.tolist(), n)
    exact = [F(w, n**n) for w in ways]
    window = range(int(starts[0]), int(starts[0]) + int(lengths[0]))
    inside = [float(exact[t]) if t < len(exact) else 0.0 for t in window]
    outside = sum((e for t, e in enumerate(exact) if t not in window), F(0))
    assert outside < F(1, 2**70)
    assert np.abs(chances - np.array(inside)).max() < 1e-15
    # A sum is n × low + unit × steps, low and unit exact.
    low, unit = tally[0], pools.units[0]
    assert pools.lows[0] == low[0] / low[1]
    assert all(
        abs(float(s) - (pools.lows[0] + unit * step)) < 1e-12
        for s, step in zip(sorted(scores), pools.steps, strict=True)
    )


def test_the_inverse_transform_finds_what_a_search_finds():
    draw = np.random.default_rng(4)
    for length in (2, 3, 64, 1000):
        chances = draw.random((30, length)) ** 8
        chances[:, ::3] = 0.0
        chances[:, -1] += 1e-3
        chances[:, : length // 3] *= 1e-12
        cumulative = np.cumsum(chances, axis=1)
        cumulative /= cumulative[:, -1:]
        uniforms = draw.random((30, 500))
        # Uniforms on a cumulative chance, at 0 and just below 1 (a uniform is below 1).
        uniforms[0, :3] = [0.0, np.nextafter(1.0, 0.0), cumulative[0, length // 2 - 1]]
        expected = [
            np.searchsorted(c, u, side="right") for c, u in zip(cumulative, uniforms, strict=True)
        ]
        assert (resampled_sums.inverse_transform(cumulative, uniforms) == np.array(expected)).all()


def test_whole_number_tallies_are_read_as_the_exact_path_reads_them(city):
    # Whole-number scores are gathered with numpy, fractions tally by tally: the same
    # pools either way.
    contenders = sorted(
        (
            Contender(key, {n: tally(rows) for n, rows in d["rows"].items()}, d["shift"])
            for key, d in city.items()
        ),
        key=lambda c: c.key,
    )
    contenders.append(Contender("Z1", {"v": {F(40): 3}}, F(0)))  # one distinct score
    contenders.append(Contender("Z2", {"v": {}}, F(0)))  # none
    fast = intervals._component(contenders, "v")
    exact = intervals._component_of_fractions(contenders, "v")
    for field in ("empty", "single", "single_ns", "single_scores"):
        assert getattr(fast, field).tolist() == getattr(exact, field).tolist()
    for field in ("columns", "ns", "lows", "units", "spans", "sizes", "steps", "counts"):
        assert getattr(fast.pools, field).tolist() == getattr(exact.pools, field).tolist()


def test_fine_fractions_are_drawn_by_multinomial_with_the_right_mean():
    # Scores on a fine lattice (unit 1/77 over 0-100) would need a long transform: such an
    # owner is drawn by one multinomial over its distinct scores per replicate instead.
    tally_ = [(1, 7, 30), (1, 11, 20), (100, 1, 50)]
    pools = resampled_sums.Pools.of([(0, tally_)])
    assert pools.units[0] == 1 / 77
    drawn = list(
        resampled_sums.component_sums(np.random.Generator(np.random.PCG64(1)), pools, 4000)
    )
    assert len(drawn) == 1
    rows, sums, in_steps = drawn[0]
    assert not in_steps and sums.shape == (1, 4000)
    mean = float(30 * F(1, 7) + 20 * F(1, 11) + 50 * 100)  # n × the tally's mean
    assert abs(sums.mean() - mean) < 4 * sums.std() / np.sqrt(4000)
