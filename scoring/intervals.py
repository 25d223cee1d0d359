"""How sure a rank is (SPEC section 5): rank intervals by bootstrap from a run's tallies.

Pure numbers, no database. A tally is one owner's responses to one component as each
distinct score (an exact fraction) with its count. In each of B replicates every owner's
responses are resampled with replacement from its own (n draws from its n responses); the
city means, k, weights, bonus, deduction and officials' eligibility stay those of the run.
The replicate scores are clamped, rounded half-up to cents and ranked with ties sharing
the best rank; an owner's interval is the 5th to 95th percentile of its ranks, by nearest
rank.

Drawing n responses from a tally is a multinomial draw over its distinct scores. numpy
draws a multinomial as one binomial per distinct score, which for an owner with few
responses and many distinct scores costs more than drawing the n responses themselves; so
an owner whose n is small beside its number of distinct scores is resampled response by
response, the others by multinomial. Both are exact draws of the same distribution, and
which one an owner gets depends on its tally alone, so the same tallies and seed give the
same intervals everywhere.

The replicate arithmetic is in floating point: a replicate score within 1e-6 of a cent of
a half cent counts as the half cent and rounds up, as the exact run does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

# Resample response by response when n < DRAW_BY_RESPONSE × distinct scores: a binomial
# costs numpy several times what one uniform index does.
DRAW_BY_RESPONSE = 8
HALF_CENT_SLACK = 1e-6

Tally = Mapping[Fraction, int]


def fraction_text(value: Fraction) -> str:
    """An exact fraction as `p/q` in lowest terms (Fraction keeps them lowest)."""
    return f"{value.numerator}/{value.denominator}"


def fraction_of(text: str) -> Fraction:
    numerator, _slash, denominator = text.partition("/")
    return Fraction(int(numerator), int(denominator or 1))


def tally_json(tally: Tally) -> list[list]:
    """A tally as stored: [["p/q", count], ...] by score, zero counts left out."""
    return [[fraction_text(score), n] for score, n in sorted(tally.items()) if n]


def tally_of(stored: Sequence[Sequence]) -> dict[Fraction, int]:
    return {fraction_of(score): int(n) for score, n in stored}


def seed_of(period_code: str, rule_set_version: int, tallies: dict) -> int:
    """The first 8 bytes (big-endian) of SHA-256 over the canonical JSON (sorted keys, no
    spaces, UTF-8) of the period code, the rule-set version and the run's tallies."""
    canonical = json.dumps(
        {"period": period_code, "rule_set_version": rule_set_version, "tallies": tallies},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return int.from_bytes(hashlib.sha256(canonical.encode("utf-8")).digest()[:8], "big")


@dataclass(frozen=True)
class Contender:
    """One department or ranked official in the bootstrap."""

    key: str  # department code or employee number: orders the draws
    tallies: Mapping[str, Tally]  # component -> tally
    shift: Fraction  # bonus minus deduction, fixed in every replicate


def percentile_positions(replicates: int) -> tuple[int, int]:
    """0-based positions of the 5th and 95th percentile among B sorted ranks, by nearest
    rank: ceil(0.05·B) and ceil(0.95·B), counted from 1."""
    return (5 * replicates + 99) // 100 - 1, (95 * replicates + 99) // 100 - 1


def competition_ranks(cents: np.ndarray) -> np.ndarray:
    """Per row (a replicate), the rank of each column: 1 + how many score higher, so that
    equal scores share the best rank (1, 2, 2, 4)."""
    order = np.argsort(-cents, axis=1, kind="stable")
    ordered = np.take_along_axis(cents, order, axis=1)
    positions = np.broadcast_to(np.arange(1, cents.shape[1] + 1, dtype=np.int32), cents.shape)
    starts = np.ones(cents.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ranks_in_order = np.where(starts, positions, 0)
    np.maximum.accumulate(ranks_in_order, axis=1, out=ranks_in_order)
    ranks = np.empty_like(ranks_in_order)
    np.put_along_axis(ranks, order, ranks_in_order, axis=1)
    return ranks


def _replicate_sums(rng: np.random.Generator, tally: Tally, replicates: int) -> np.ndarray:
    """The sum of n responses drawn with replacement from the tally, B times. The distinct
    scores are taken in increasing order, whatever order the database returned them in."""
    ordered = sorted(tally.items())
    scores = np.array([float(score) for score, _n in ordered], dtype=np.float64)
    counts = np.array([n for _score, n in ordered], dtype=np.int64)
    n = int(counts.sum())
    if n < DRAW_BY_RESPONSE * len(scores):
        responses = np.repeat(scores, counts)
        drawn = rng.integers(0, n, size=(replicates, n), dtype=np.int64)
        return responses[drawn].sum(axis=1)
    draws = rng.multinomial(n, counts / n, size=replicates)
    return draws.astype(np.float64) @ scores


def rank_intervals(
    contenders: Sequence[Contender],
    *,
    weights: Mapping[str, Fraction],
    city_means: Mapping[str, Fraction | None],
    k: Fraction,
    replicates: int,
    seed: int,
) -> dict[str, tuple[int, int]]:
    """Key -> (rank_low, rank_high) for every contender, ranked among the contenders."""
    if not contenders or replicates < 1:
        return {}
    rng = np.random.Generator(np.random.PCG64(seed))
    ordered = sorted(contenders, key=lambda c: c.key)
    prior = float(k)
    base = np.zeros((replicates, len(ordered)), dtype=np.float64)
    for name, weight in weights.items():
        city = city_means.get(name)
        if city is None or not weight:
            continue  # left out of the score: weight 0
        weight, city = float(weight), float(city)
        for column, contender in enumerate(ordered):
            tally = {s: n for s, n in (contender.tallies.get(name) or {}).items() if n}
            n = sum(tally.values())
            if not n:
                base[:, column] += weight * city  # no responses: the city mean, always
                continue
            sums = _replicate_sums(rng, tally, replicates)
            base[:, column] += weight * (sums + prior * city) / (n + prior)
    shifts = np.array([float(c.shift) for c in ordered], dtype=np.float64)
    final = np.clip(base + shifts, 0.0, 100.0)
    cents = np.floor(final * 100 + 0.5 + HALF_CENT_SLACK).astype(np.int64)
    ranks = competition_ranks(cents)
    ranks.sort(axis=0)
    low, high = percentile_positions(replicates)
    return {
        contender.key: (int(ranks[low, column]), int(ranks[high, column]))
        for column, contender in enumerate(ordered)
    }
