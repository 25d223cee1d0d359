"""How sure a rank is (SPEC section 5): rank intervals by bootstrap from a run's tallies.

Pure numbers, no database. A tally is one owner's responses to one component as each
distinct score (an exact fraction) with its count. In each of B replicates every owner's
responses are resampled with replacement from its own (n draws from its n responses); the
city means, k, weights, bonus, deduction and officials' eligibility stay those of the run.
The replicate scores are clamped, rounded half-up to cents and ranked with ties sharing
the best rank; an owner's interval is the 5th to 95th percentile of its ranks, by nearest
rank.

A replicate needs only the sum of an owner's n draws, drawn from that sum's exact
distribution (`scoring.resampled_sums`). Which way an owner is drawn, and in which order,
depends on its tally alone, so the same tallies and seed give the same intervals
everywhere. This module holds the tallies as stored (JSON, exact fractions), the seed,
the ranking of replicates and `rank_intervals`.

The replicate arithmetic is in floating point: a replicate score within 1e-6 of a cent of
a half cent counts as the half cent and rounds up, as the exact run does.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from itertools import repeat

import numpy as np

from scoring import resampled_sums


def _cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# Threads summing the drawn blocks (numpy leaves the interpreter lock while it works).
WORKERS = min(4, _cpus())
# Replicates ranked at a time.
RANK_CHUNK = 64
# Whole-number scores up to this size are gathered with numpy's integers.
WHOLE_LIMIT = 1 << 40
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
    return [[f"{p}/{q}", n] for p, q, n in _triples(tally)]


def _triples(tally: Tally) -> list[tuple[int, int, int]]:
    """The tally's (numerator, denominator, count) by increasing score, zero counts left
    out. Compared as floats (a Fraction comparison costs a hundred times more), then
    exactly where two floats are equal."""
    triples = [(score.numerator, score.denominator, n) for score, n in tally.items() if n]
    triples.sort(key=lambda t: t[0] / t[1])
    for before, after in zip(triples, triples[1:], strict=False):
        if before[0] / before[1] == after[0] / after[1]:
            triples.sort(key=lambda t: (t[0] / t[1], Fraction(t[0], t[1])))
            break
    return triples


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
        check_circular=False,  # plain data made by the run: no cycles to look for
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


def _each(workers: Executor | None, work: Callable, items) -> None:
    """Do `work` on every item: on the workers where there are some, else here."""
    for _done in (workers.map if workers else map)(work, items):
        pass


def competition_ranks(cents: np.ndarray) -> np.ndarray:
    """Per row (a replicate), the rank of each column: 1 + how many score higher, so that
    equal scores share the best rank (1, 2, 2, 4)."""
    return owner_ranks(np.ascontiguousarray(cents.T)).T


def owner_ranks(cents: np.ndarray, workers: Executor | None = None) -> np.ndarray:
    """The same, owners by replicates: per column (a replicate), the rank of each row.
    Scores are whole cents from 0 to 10000, so each replicate's ranks come from counting,
    not sorting; with `workers`, groups of replicates are ranked at once."""
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
    ranks = np.empty((owners, replicates), dtype=np.int32)
    # Only the cents someone scores get a bin; a few replicates at a time, so that their
    # counts stay in the processor's cache.
    low = int(cents.min())
    bins = int(cents.max()) - low + 1

    def ranked(first: int) -> None:
        chunk = cents[:, first : first + RANK_CHUNK]
        width = chunk.shape[1]
        flat = chunk + (np.arange(width, dtype=np.int64) * bins - low)[None, :]
        counts = np.bincount(flat.ravel(), minlength=width * bins).reshape(width, bins)
        # at_most[r, c]: how many owners score low + c cents or less in replicate r; the
        # others score higher.
        at_most = np.cumsum(counts, axis=1, dtype=np.int32).ravel()
        np.subtract(owners + 1, at_most[flat], out=ranks[:, first : first + width])

    _each(workers, ranked, range(0, replicates, RANK_CHUNK))
    return ranks


def percentile_ranks(ranks: np.ndarray, workers: Executor | None = None) -> np.ndarray:
    """Per owner (a row of ranks by replicate), its ranks at the 5th and 95th percentile,
    by nearest rank (owners by 2); with `workers`, groups of owners at once."""
    owners, replicates = ranks.shape
    low, high = percentile_positions(replicates)
    found = np.empty((owners, 2), dtype=np.int64)
    small = owners < np.iinfo(np.int16).max

    def picked(rows: np.ndarray) -> None:
        if small:
            # Ranks fit 16 bits: numpy sorts those by radix, faster than partitioning.
            part = np.sort(ranks[rows].astype(np.int16), axis=1, kind="stable")
        else:
            part = np.partition(ranks[rows], (low, high), axis=1)
        found[rows] = part[:, [low, high]]

    parts = np.array_split(np.arange(owners), WORKERS if workers else 1)
    _each(workers, picked, parts)
    return found


@dataclass
class _Component:
    """One component's tallies of every contender: the columns with no response, those
    with one distinct score (n and the score: the same in every replicate) and the pools
    to draw from (two or more)."""

    empty: np.ndarray
    single: np.ndarray
    single_ns: np.ndarray
    single_scores: np.ndarray
    pools: resampled_sums.Pools | None


def _component(ordered: Sequence[Contender], name: str) -> _Component:
    """One component's tallies; whole-number scores (the common case) with numpy."""
    columns, scores, counts = [], [], []
    for column, contender in enumerate(ordered):
        tally = contender.tallies.get(name)
        if tally:
            scores.extend(tally)
            counts.extend(tally.values())
            columns.extend(repeat(column, len(tally)))
    # The tallies share a few score objects: each is read once, and every tally entry's
    # score is a code into them.
    ids, codes = np.unique(
        np.fromiter(map(id, scores), np.uint64, len(scores)), return_inverse=True
    )
    by_id = dict(zip(map(id, scores), scores, strict=True))
    distinct = [by_id[i] for i in ids.tolist()]
    if any(
        score.denominator != 1 or not -WHOLE_LIMIT < score.numerator < WHOLE_LIMIT
        for score in distinct
    ):
        return _component_of_fractions(ordered, name)
    numerators = np.array([int(score) for score in distinct], dtype=np.int64)[codes]
    columns, counts = np.array(columns, dtype=np.int64), np.array(counts, dtype=np.int64)
    kept = counts > 0
    columns, numerators, counts = columns[kept], numerators[kept], counts[kept]
    order = np.lexsort((numerators, columns))  # by owner, then increasing score
    columns, numerators, counts = columns[order], numerators[order], counts[order]
    sizes = np.bincount(columns, minlength=len(ordered))
    firsts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    single = np.flatnonzero(sizes == 1)
    many = sizes[columns] > 1
    drawn = np.flatnonzero(sizes > 1)
    return _Component(
        np.flatnonzero(sizes == 0),
        single,
        counts[firsts[single]],
        numerators[firsts[single]].astype(np.float64),
        resampled_sums.Pools.of_whole(drawn, numerators[many], counts[many], sizes[drawn])
        if drawn.size
        else None,
    )


def _component_of_fractions(ordered: Sequence[Contender], name: str) -> _Component:
    """The same where some score is a fraction: tally by tally, exactly."""
    empty, single, single_ns, single_scores, rows = [], [], [], [], []
    for column, contender in enumerate(ordered):
        tally = _triples(contender.tallies.get(name) or {})
        if not tally:
            empty.append(column)
        elif len(tally) == 1:
            ((p, q, n),) = tally
            single.append(column)
            single_ns.append(n)
            single_scores.append(p / q)
        else:
            rows.append((column, tally))
    return _Component(
        np.array(empty, dtype=np.int64),
        np.array(single, dtype=np.int64),
        np.array(single_ns, dtype=np.int64),
        np.array(single_scores, dtype=np.float64),
        resampled_sums.Pools.of(rows) if rows else None,
    )


def rank_intervals(
    contenders: Sequence[Contender],
    *,
    weights: Mapping[str, Fraction],
    city_means: Mapping[str, Fraction | None],
    k: Fraction,
    replicates: int,
    seed: int,
) -> dict[str, tuple[int, int]]:
    """Key -> (rank_low, rank_high) for every contender, ranked among the contenders.

    Python's cyclic garbage collector is paused meanwhile (`collection_paused`)."""
    if not contenders or replicates < 1:
        return {}
    with collection_paused():
        return _rank_intervals(contenders, weights, city_means, k, replicates, seed)


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: the small objects made while ranking live
    until it is done, and a collection would walk the whole run's heap for nothing (a
    fifth of the time at 1M responses). Only the outermost pause turns it back on, so
    rankings run at once on several threads are paused around all of them."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def rank_intervals_at_once(groups: Sequence[Callable[[], None]]) -> None:
    """Run each group's ranking (a call that sets its owners' intervals) on a thread of
    its own, the collector paused around them all. Each ranking draws from its own
    generator, so running them at once changes no interval."""
    with collection_paused(), ThreadPoolExecutor(max(1, len(groups))) as at_once:
        for ranked in [at_once.submit(group) for group in groups]:
            ranked.result()


def _block_added(base, block: resampled_sums.Block, weight, city, prior) -> None:
    """Add weight × (sum + k × city) / (n + k) of each of the block's owners and replicates
    to its row of base (a sum in steps being n × low + unit × steps)."""
    drawn, sums = block.rows, block.sums()
    ns = drawn.ns.astype(np.float64)
    if block.in_steps:
        scale = (weight * drawn.units / (ns + prior))[:, None]
        offset = (weight * (ns * drawn.lows + prior * city) / (ns + prior))[:, None]
    else:
        scale = (weight / (ns + prior))[:, None]
        offset = (weight * prior * city / (ns + prior))[:, None]
    values = sums * scale
    values += offset
    base[drawn.columns] += values


def replicate_cents(base: np.ndarray, shifts: np.ndarray, workers: Executor) -> np.ndarray:
    """The replicate finals in whole cents, owners by replicates: base plus the owner's
    shift, clamped to 0-100, rounded half-up (a value within HALF_CENT_SLACK of a cent of
    a half cent counting as the half cent); groups of owners at once."""
    cents = np.empty(base.shape, dtype=np.int32)

    def rounded(rows: slice) -> None:
        part = base[rows]
        part += shifts[rows, None]
        np.clip(part, 0.0, 100.0, out=part)
        part *= 100
        part += 0.5
        part += HALF_CENT_SLACK
        cents[rows] = part  # positive: truncating is the floor

    step = max(1, -(-len(base) // (4 * WORKERS)))
    _each(workers, rounded, [slice(i, i + step) for i in range(0, len(base), step)])
    return cents


def _rank_intervals(contenders, weights, city_means, k, replicates, seed):
    rng = np.random.Generator(np.random.PCG64(seed))
    ordered = sorted(contenders, key=lambda c: c.key)
    prior = float(k)
    # Owners by replicates: a block of owners adds to whole rows.
    base = np.zeros((len(ordered), replicates), dtype=np.float64)
    with ThreadPoolExecutor(WORKERS) as workers:
        for name, weight in weights.items():
            city = city_means.get(name)
            if city is None or not weight:
                continue  # left out of the score: weight 0
            weight, city = float(weight), float(city)
            tallies = _component(ordered, name)
            base[tallies.empty] += weight * city  # no responses: the city mean, always
            # One distinct score: every replicate draws it n times.
            ns = tallies.single_ns.astype(np.float64)
            fixed = weight * (ns * tallies.single_scores + prior * city) / (ns + prior)
            base[tallies.single] += fixed[:, None]
            if tallies.pools is None:
                continue
            # The draws are made here, in order; the blocks are summed and added by the
            # workers meanwhile. A component's blocks hold different owners, and every
            # block is added before the next component starts, so each owner's score adds
            # up in the same order as one block after another would.
            pending: deque[Future] = deque()
            for block in resampled_sums.component_blocks(rng, tallies.pools, replicates):
                pending.append(workers.submit(_block_added, base, block, weight, city, prior))
                while len(pending) > 2 * WORKERS:
                    pending.popleft().result()
            for added in pending:
                added.result()
        shifts = np.array([float(c.shift) if c.shift else 0.0 for c in ordered], dtype=np.float64)
        cents = replicate_cents(base, shifts, workers)
        found = percentile_ranks(owner_ranks(cents, workers), workers).tolist()
    return {contender.key: tuple(found[column]) for column, contender in enumerate(ordered)}
