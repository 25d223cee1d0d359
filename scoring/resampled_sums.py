"""The exact distribution of one owner's resampled sum (for `scoring.intervals`).

A replicate needs only the sum of an owner's n draws, so that sum is drawn from its own
distribution rather than response by response. A tally's scores lie on a lattice
`low + unit × step` (unit: the greatest common divisor of their differences, exact), so the
sum is `n × low + unit × t` for a whole t, and the chances of every t are the n-fold
convolution of one draw's chances: the n-th power of its discrete Fourier transform,
transformed back. One uniform per owner and replicate then picks t by inverse transform.
This samples the bootstrap distribution exactly up to double-precision rounding (checked
against exact integer counts: a total variation under 1e-13); where 0..n × span is long, only
a window around the mean holding all but 2^-70 of the chance is computed (Bernstein's
inequality). An owner with one distinct score needs no draw. An owner whose lattice would
be long beside its number of distinct scores (fine fractions) is drawn as before, by one
multinomial over its distinct scores per replicate. Which way an owner is drawn, and in
which order, depends on its tally alone, so the same tallies and seed give the same
intervals everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

# A sum's window holds all but less than exp(-TAIL_EXPONENT / 2) < 2^-70 of its chance.
TAIL_EXPONENT = 100.0
# Windows this short are always drawn from the sum's distribution.
LATTICE_MINIMUM = 1 << 12
# Powers of a frequency's magnitude below e^NEGLIGIBLE_LOG (about 1e-30) count as 0.
NEGLIGIBLE_LOG = -69.0
# Steps of the walk forward from the guide before halving what is left.
WALK_STEPS = 4
# Values handled at once (owners × the longer of window and replicates, or replicates ×
# distinct scores for the multinomial): bounds the memory and keeps blocks in cache.
BLOCK_VALUES = 1 << 18


@dataclass
class Pools:
    """The tallies of one component with two or more distinct scores, one row per owner, in
    the contenders' order. Every score of a row is `low + unit × step` for whole steps from
    0 to `span` (unit: the greatest common divisor of the differences between the row's
    scores, as an exact fraction), so the sum of n draws is `n × low + unit × t` for a
    whole t from 0 to n × span. Steps and counts of all rows are kept flat, row after
    row."""

    columns: np.ndarray
    ns: np.ndarray
    lows: np.ndarray  # float
    units: np.ndarray  # float
    spans: np.ndarray
    sizes: np.ndarray  # distinct scores per row
    steps: np.ndarray  # flat
    counts: np.ndarray  # flat
    scores: np.ndarray  # flat, as floats (for the multinomial)

    @classmethod
    def of(cls, rows: list[tuple[int, list[tuple[int, int, int]]]]) -> Pools:
        """From (column, the tally's (numerator, denominator, count) by increasing score)
        rows."""
        columns, lows, units, spans, sizes, steps, counts, scores = ([] for _ in range(8))
        for column, triples in rows:
            common = math.lcm(*(q for _p, q, _n in triples))
            whole = [p * (common // q) for p, q, _n in triples]
            low = whole[0]
            divisor = math.gcd(*(w - low for w in whole))
            columns.append(column)
            lows.append(triples[0][0] / triples[0][1])
            units.append(divisor / common)
            spans.append((whole[-1] - low) // divisor)
            sizes.append(len(triples))
            steps.extend((w - low) // divisor for w in whole)
            counts.extend(n for _p, _q, n in triples)
            scores.extend(p / q for p, q, _n in triples)
        sizes_array = np.array(sizes, dtype=np.int64)
        counts_array = np.array(counts, dtype=np.int64)
        firsts = np.concatenate(([0], np.cumsum(sizes_array)[:-1]))
        return cls(
            np.array(columns, dtype=np.int64),
            np.add.reduceat(counts_array, firsts),
            np.array(lows),
            np.array(units),
            np.array(spans, dtype=np.int64),
            sizes_array,
            np.array(steps, dtype=np.int64),
            counts_array,
            np.array(scores),
        )

    @classmethod
    def of_whole(cls, columns, numerators, counts, sizes) -> Pools:
        """The same from whole-number scores, flat row after row (increasing in a row),
        with numpy: low, the gcd of the differences and the steps per row at once."""
        firsts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        row = np.repeat(np.arange(len(sizes)), sizes)
        lows = numerators[firsts]
        differences = numerators - lows[row]
        divisors = np.gcd.reduceat(differences, firsts)
        steps = differences // divisors[row]
        return cls(
            columns,
            np.add.reduceat(counts, firsts),
            lows.astype(np.float64),
            divisors.astype(np.float64),
            steps[firsts + sizes - 1],
            sizes,
            steps,
            counts,
            numerators.astype(np.float64),
        )

    @property
    def firsts(self) -> np.ndarray:
        return np.concatenate(([0], np.cumsum(self.sizes)[:-1]))

    def windows(self) -> tuple[np.ndarray, np.ndarray]:
        """Per row, (start, length) of the sums t (in steps) whose chances are computed:
        all of 0..n × span, or, where that is longer, a window around the mean holding all
        but less than 2^-70 of the chance (Bernstein's inequality for a sum of n draws
        within span of their mean: the chance of straying h or more is at most
        2·exp(-h² / (2·(n·variance + span·h/3))), here 2·exp(-TAIL_EXPONENT / 2)); the
        length a product of 2, 3 and 5 (quick for the transform)."""
        row = np.repeat(np.arange(len(self.ns)), self.sizes)
        chances = self.counts / self.ns[row]
        mean = np.add.reduceat(chances * self.steps, self.firsts)
        variance = np.add.reduceat(chances * (self.steps - mean[row]) ** 2, self.firsts)
        linear = TAIL_EXPONENT * self.spans / 6
        half = np.ceil(linear + np.sqrt(linear * linear + TAIL_EXPONENT * self.ns * variance))
        full = self.ns * self.spans + 1
        wanted = np.minimum(full, 2 * (half.astype(np.int64) + 1) + 1)
        lengths = smooth_at_least(wanted)
        centred = np.floor(self.ns * mean).astype(np.int64) - lengths // 2
        starts = np.where(lengths >= full, 0, np.clip(centred, 0, np.maximum(full - lengths, 0)))
        return starts, lengths

    def rows(self, which: np.ndarray) -> Pools:
        """The rows at the given positions (increasing), as their own pools."""
        chosen = np.zeros(len(self.ns), dtype=bool)
        chosen[which] = True
        keep = np.repeat(chosen, self.sizes)
        return Pools(
            self.columns[which],
            self.ns[which],
            self.lows[which],
            self.units[which],
            self.spans[which],
            self.sizes[which],
            self.steps[keep],
            self.counts[keep],
            self.scores[keep],
        )


def smooth_at_least(wanted: np.ndarray) -> np.ndarray:
    """Per value, the least number of the form 2^a·3^b·5^c at or above it (the lengths a
    Fourier transform is quick on)."""
    top = int(wanted.max()) if wanted.size else 1
    smooth, two = [], 1
    while two < 2 * top:
        three = two
        while three < 2 * top:
            five = three
            while five < 2 * top:
                smooth.append(five)
                five *= 5
            three *= 3
        two *= 2
    smooth.sort()
    return np.array(smooth, dtype=np.int64)[np.searchsorted(smooth, wanted)]


def sum_chances(pools: Pools, starts: np.ndarray, length: int) -> np.ndarray:
    """Per row, the chance of each sum start..start + length - 1 (in steps) of n draws: the
    n-th power of one draw's discrete Fourier transform, turned to the row's window (a
    shift by start) and transformed back. Sums outside the window, with less than 2^-70
    of the chance, fold into it; sums outside 0..n × span have chance 0.

    Far from 0 the n-th power of a frequency's magnitude is tiny (for a sum of many draws
    most frequencies): powers below 1e-30 are left at 0, which moves no chance by more
    than 1e-30."""
    rows = len(pools.ns)
    row = np.repeat(np.arange(rows), pools.sizes)
    one = np.zeros((rows, length))
    one[row, pools.steps] = pools.counts / pools.ns[row]
    spectrum = np.fft.rfft(one, axis=1)
    # |z|^n > e^NEGLIGIBLE_LOG where |z|² > e^(2·NEGLIGIBLE_LOG / n): no logarithm a
    # frequency.
    squared = spectrum.real**2
    squared += spectrum.imag**2
    ns = pools.ns.astype(np.float64)
    row, frequency = np.nonzero(squared > np.exp(2 * NEGLIGIBLE_LOG / ns)[:, None])
    kept, n = spectrum[row, frequency], ns[row]
    # z^n = e^(n·log|z| + i·n·arg z); reading the sums from start on multiplies frequency
    # f by e^(2πi·f·start/L) as well.
    turn = n * np.arctan2(kept.imag, kept.real)
    if starts.any():
        turn += (2 * np.pi / length) * ((frequency * starts[row]) % length)
    powered = np.zeros_like(spectrum)
    powered[row, frequency] = np.exp(0.5 * n * np.log(squared[row, frequency]) + 1j * turn)
    chances = np.fft.irfft(powered, length, axis=1)
    beyond = starts + length - 1 - pools.ns * pools.spans  # window places past n × span
    if (beyond > 0).any():
        chances[np.arange(length)[None, :] > (length - 1 - beyond)[:, None]] = 0.0
    np.clip(chances, 0.0, None, out=chances)  # rounding can leave -1e-17 where it is 0
    return chances


def inverse_transform(cumulative: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """Per row, for each uniform u the first position whose cumulative chance exceeds u
    (what numpy's searchsorted with side="right" finds, row by row), through a guide table:
    the positions whose cumulative chance lies below u's bucket (of 2^-j: u·2^j and its
    floor are exact) all lie before the answer, and a short walk forward finds it. The
    last cumulative chance of every row is 1 and every uniform is below 1."""
    rows, length = cumulative.shape
    # As many buckets as positions, or twice as many as uniforms a row if fewer: the walk
    # stays short where the chance is, and the guide costs no more than the uniforms.
    buckets = 1 << (min(length, 2 * uniforms.shape[1]) - 1).bit_length()
    # guide[row, b]: how many cumulative chances of the row lie below b / buckets.
    below = np.minimum((cumulative * buckets).astype(np.int64), buckets - 1) + 1
    below += (np.arange(rows, dtype=np.int64) * (buckets + 1))[:, None]
    counts = np.bincount(below.ravel(), minlength=rows * (buckets + 1))
    guide = np.cumsum(counts.reshape(rows, buckets + 1), axis=1)[:, :buckets]
    guide += (np.arange(rows, dtype=np.int64) * length)[:, None]
    bucket = (uniforms * buckets).astype(np.int64)
    bucket += (np.arange(rows, dtype=np.int64) * buckets)[:, None]
    positions = guide.ravel()[bucket.ravel()]
    flat, wanted = cumulative.ravel(), uniforms.ravel()
    walking = np.flatnonzero(flat[positions] <= wanted)
    for _step in range(WALK_STEPS):
        if not walking.size:
            break
        positions[walking] += 1
        walking = walking[flat[positions[walking]] <= wanted[walking]]
    if walking.size:
        # Still short of it (a tail crowded into one bucket): halve the rest of the row.
        low = positions[walking]  # its cumulative chance is at most u
        high = (walking // uniforms.shape[1] + 1) * length - 1  # the row's last: 1, above u
        while (high - low > 1).any():
            middle = (low + high) // 2
            below = flat[middle] <= wanted[walking]
            low = np.where(below, middle, low)
            high = np.where(below, high, middle)
        positions[walking] = high
    return positions.reshape(rows, -1) - (np.arange(rows, dtype=np.int64) * length)[:, None]


def lattice_sums(pools: Pools, starts, length, uniforms) -> np.ndarray:
    """The sum of n draws per row and replicate, in steps from the row's n × low, drawn
    from its distribution by inverse transform (one uniform per row and replicate, rows by
    replicates); returns rows by replicates."""
    cumulative = np.cumsum(sum_chances(pools, starts, length), axis=1)
    cumulative /= cumulative[:, -1:]
    steps = inverse_transform(cumulative, uniforms)
    steps += starts[:, None]
    return steps


def multinomial_draws(rng: np.random.Generator, pools: Pools, replicates: int):
    """One multinomial draw over the distinct scores per row and replicate: the counts
    (replicates by rows by distinct scores) and the scores (rows by distinct scores)."""
    rows, width = len(pools.ns), int(pools.sizes.max())
    row = np.repeat(np.arange(rows), pools.sizes)
    place = np.arange(len(pools.steps)) - np.repeat(pools.firsts, pools.sizes)
    scores = np.zeros((rows, width))
    chances = np.zeros((rows, width))
    scores[row, place] = pools.scores
    chances[row, place] = pools.counts / pools.ns[row]
    return rng.multinomial(pools.ns, chances, size=(replicates, rows)), scores


def multinomial_sums(draws: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The sums of `multinomial_draws`, rows by replicates."""
    return np.einsum("bkm,km->kb", draws.astype(np.float64), scores)


def blocks(count: int, size: int, limit: int) -> Iterator[np.ndarray]:
    """Positions 0..count - 1 in consecutive blocks of at most `limit` values, `size`
    values a row (at least one row a block)."""
    step = max(1, limit // max(1, size))
    for first in range(0, count, step):
        yield np.arange(first, min(count, first + step))


@dataclass
class Block:
    """Rows of one component whose random draws are made: `sums()` turns them into the
    rows' replicate sums (rows by replicates; in steps from n × low where `in_steps`, else
    as scores). It draws nothing, so blocks may be summed in any order, or at once."""

    rows: Pools
    in_steps: bool
    draws: tuple

    def sums(self) -> np.ndarray:
        if self.in_steps:
            return lattice_sums(self.rows, *self.draws)
        return multinomial_sums(*self.draws)


def component_blocks(rng, pools: Pools, replicates: int) -> Iterator[Block]:
    """Every row in blocks, with its draws made in this order: first the rows drawn from
    their sum's distribution, by window length (shortest first), then those drawn by
    multinomial (where the window would cost more than one binomial per distinct score
    beyond the first and replicate), each in the contenders' order, in blocks that keep
    memory flat. The order of the draws depends on the tallies alone."""
    starts, lengths = pools.windows()
    by_lattice = lengths <= np.maximum(LATTICE_MINIMUM, (pools.sizes - 1) * replicates)
    for length in sorted(set(lengths[by_lattice].tolist())):
        which = np.flatnonzero(by_lattice & (lengths == length))
        for block in blocks(len(which), max(length, replicates), BLOCK_VALUES):
            uniforms = rng.random((len(block), replicates))
            draws = (starts[which[block]], length, uniforms)
            yield Block(pools.rows(which[block]), True, draws)
    which = np.flatnonzero(~by_lattice)
    if which.size:
        rest = pools.rows(which)
        width = int(rest.sizes.max()) * replicates
        for block in blocks(len(which), width, BLOCK_VALUES):
            rows = rest.rows(block)
            yield Block(rows, False, multinomial_draws(rng, rows, replicates))


def component_sums(rng, pools: Pools, replicates: int) -> Iterator[tuple[Pools, object, bool]]:
    """(rows, their replicate sums, whether the sums are in steps) for every row, block by
    block in the order of `component_blocks`."""
    for block in component_blocks(rng, pools, replicates):
        yield block.rows, block.sums(), block.in_steps
