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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

# Resample response by response when n < DRAW_BY_RESPONSE × distinct scores: a binomial
# costs numpy several times what one uniform index does.
DRAW_BY_RESPONSE = 8
# Values drawn at once (replicates × responses or distinct scores): bounds the memory.
BLOCK_VALUES = 1 << 22
HALF_CENT_SLACK = 1e-6
CENTS = 10000  # scores are 0-100: 0 to 10000 cents

Tally = Mapping[Fraction, int]


def fraction_text(value: Fraction) -> str:
    """An exact fraction as `p/q` in lowest terms (Fraction keeps them lowest)."""
    return f"{value.numerator}/{value.denominator}"


def fraction_of(text: str) -> Fraction:
    numerator, _slash, denominator = text.partition("/")
    return Fraction(int(numerator), int(denominator or 1))


def tally_json(tally: Tally) -> list[list]:
    """A tally as stored: [["p/q", count], ...] by score, zero counts left out."""
    return [[fraction_text(score), n] for score, n in _increasing(tally) if n]


def _increasing(tally: Tally) -> list[tuple[Fraction, int]]:
    """The tally's items by increasing score. Compared as floats (a Fraction comparison
    costs a hundred times more), then exactly where two floats are equal."""
    return sorted(tally.items(), key=lambda item: (float(item[0]), item[0]))


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
    return owner_ranks(np.ascontiguousarray(cents.T)).T


def owner_ranks(cents: np.ndarray) -> np.ndarray:
    """The same, owners by replicates: per column (a replicate), the rank of each row.
    Scores are whole cents from 0 to 10000, so each replicate's ranks come from counting,
    not sorting."""
    owners, replicates = cents.shape
    bins = CENTS + 1
    if owners < bins // 4:
        # Few owners: sorting each replicate is cheaper than counting 10,001 bins.
        by_replicate = np.ascontiguousarray(cents.T)
        offsets = (np.arange(replicates, dtype=np.int64) * bins)[:, None]
        ascending = (np.sort(by_replicate, axis=1) + offsets).ravel()
        at_most = np.searchsorted(ascending, (by_replicate + offsets).ravel(), side="right")
        at_most = at_most.reshape(replicates, owners) - np.arange(replicates)[:, None] * owners
        return (1 + owners - at_most).T.astype(np.int32)
    flat = cents + (np.arange(replicates, dtype=np.int64) * bins)[None, :]
    counts = np.bincount(flat.ravel(), minlength=replicates * bins).reshape(replicates, bins)
    # at_most[r, c]: how many owners score c cents or less in replicate r; the others
    # score higher.
    at_most = np.cumsum(counts, axis=1, dtype=np.int32)
    ranks = at_most.ravel()[flat]
    np.subtract(owners + 1, ranks, out=ranks)
    return ranks


@dataclass(frozen=True)
class _Pool:
    """One owner's tally of one component, ready to draw from: distinct scores in
    increasing order (never the database's row order) and their counts."""

    column: int
    scores: np.ndarray
    counts: np.ndarray
    n: int


def _blocks(pools: list[_Pool], size_of, limit: int) -> Iterator[list[_Pool]]:
    """Consecutive pools in blocks of at most `limit` drawn values (at least one pool)."""
    block, used = [], 0
    for pool in pools:
        if block and used + size_of(pool) > limit:
            yield block
            block, used = [], 0
        block.append(pool)
        used += size_of(pool)
    if block:
        yield block


def _sums_by_response(rng: np.random.Generator, block: list[_Pool], replicates: int):
    """Draw n responses (uniform indexes into the owner's own responses) per owner and
    replicate, for owners with the same n; returns the sums, replicates by owners."""
    n = block[0].n
    responses = np.stack([np.repeat(pool.scores, pool.counts) for pool in block])
    drawn = rng.integers(0, n, size=(replicates, len(block), n))
    drawn += (np.arange(len(block), dtype=np.int64) * n)[None, :, None]
    picked = responses.ravel()[drawn]
    sums = picked[:, :, 0].copy()
    for response in range(1, n):  # a few responses: faster than sum(axis=2)
        sums += picked[:, :, response]
    return sums


def _sums_by_multinomial(rng: np.random.Generator, block: list[_Pool], replicates: int):
    """One multinomial draw over the distinct scores per owner and replicate."""
    width = max(len(pool.scores) for pool in block)
    scores = np.zeros((len(block), width))
    chances = np.zeros((len(block), width))
    for row, pool in enumerate(block):
        scores[row, : len(pool.scores)] = pool.scores
        chances[row, : len(pool.scores)] = pool.counts / pool.n
    ns = np.array([pool.n for pool in block], dtype=np.int64)
    draws = rng.multinomial(ns, chances, size=(replicates, len(block)))
    return np.einsum("bkm,km->bk", draws.astype(np.float64), scores)


def _component_sums(rng, pools: list[_Pool], replicates: int) -> Iterator[tuple[list, object]]:
    """(block of pools, their replicate sums) for every pool: first the owners resampled
    response by response, by n, then those drawn by multinomial, each in the contenders'
    order, in blocks that keep memory flat."""
    by_response = [p for p in pools if p.n < DRAW_BY_RESPONSE * len(p.scores)]
    by_multinomial = [p for p in pools if p.n >= DRAW_BY_RESPONSE * len(p.scores)]
    limit = max(1, BLOCK_VALUES // replicates)
    # Owners with equal n are drawn together (smallest n first): one bounded-integer draw
    # with a single upper bound is numpy's fast path.
    same_n: dict[int, list[_Pool]] = {}
    for pool in by_response:
        same_n.setdefault(pool.n, []).append(pool)
    for n in sorted(same_n):
        for block in _blocks(same_n[n], lambda p: p.n, limit):
            yield block, _sums_by_response(rng, block, replicates)
    for block in _blocks(by_multinomial, lambda p: len(p.scores), limit):
        yield block, _sums_by_multinomial(rng, block, replicates)


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
    # Owners by replicates: a block of owners adds to whole rows.
    base = np.zeros((len(ordered), replicates), dtype=np.float64)
    for name, weight in weights.items():
        city = city_means.get(name)
        if city is None or not weight:
            continue  # left out of the score: weight 0
        weight, city = float(weight), float(city)
        pools = []
        for column, contender in enumerate(ordered):
            tally = [(s, n) for s, n in _increasing(contender.tallies.get(name) or {}) if n]
            if not tally:
                base[column] += weight * city  # no responses: the city mean, always
                continue
            scores = np.array([float(score) for score, _n in tally])
            counts = np.array([n for _s, n in tally], dtype=np.int64)
            pools.append(_Pool(column, scores, counts, int(counts.sum())))
        for block, sums in _component_sums(rng, pools, replicates):
            columns = [pool.column for pool in block]
            ns = np.array([pool.n for pool in block], dtype=np.float64)
            base[columns] += (weight * (sums + prior * city) / (ns + prior)).T
    shifts = np.array([float(c.shift) for c in ordered], dtype=np.float64)
    base += shifts[:, None]
    np.clip(base, 0.0, 100.0, out=base)
    base *= 100
    base += 0.5
    base += HALF_CENT_SLACK
    np.floor(base, out=base)
    cents = base.astype(np.int64)
    low, high = percentile_positions(replicates)
    ranks = np.partition(owner_ranks(cents), (low, high), axis=1)
    return {
        contender.key: (int(ranks[column, low]), int(ranks[column, high]))
        for column, contender in enumerate(ordered)
    }
