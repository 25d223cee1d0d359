"""Clearly above or below the city (SPEC section 5, "How sure a rank is"): per component, a
department whose raw mean lies outside `city_mean ± z·σ/√n` is marked; σ is the population
standard deviation (dividing by N) of the city's pool, the same responses as the city mean.

The marks are decided exactly: the mean lies outside the limits when (mean − city)²·n >
z²·σ², all in fractions, so a mean exactly on a limit is within whatever a float would have
made of it. The limit curves of the funnel plot are drawn in floating point.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

Z_95 = Fraction(196, 100)  # the 95 % limits of the funnel plot
Z_998 = Fraction(309, 100)  # the 99.8 % limits: "clearly" above or below

ABOVE, BELOW, WITHIN = "above", "below", "within"


@dataclass(frozen=True)
class Pool:
    """The city's responses to one component: how many, their mean and variance."""

    n: int
    mean: Fraction | None
    variance: Fraction | None  # population variance (dividing by N)

    @property
    def sd(self) -> float | None:
        return None if self.variance is None else math.sqrt(self.variance)

    @classmethod
    def of(cls, tallies: Iterable[Mapping[Fraction, int]]) -> Pool:
        """The pool of all the given tallies (each distinct score with its count)."""
        n, total, squares = 0, Fraction(0), Fraction(0)
        for tally in tallies:
            for score, count in tally.items():
                n += count
                total += count * score
                squares += count * score * score
        if not n:
            return cls(0, None, None)
        mean = total / n
        return cls(n, mean, squares / n - mean * mean)


def flag(mean: Fraction | None, n: int, pool: Pool, z: Fraction = Z_998) -> str | None:
    """ "above", "below" or "within" the city for a department's raw mean of n responses;
    None for n = 0 (no mark). σ = 0 is within; a mean exactly on a limit is within."""
    if not n or mean is None or pool.mean is None:
        return None
    if not pool.variance:
        return WITHIN
    difference = Fraction(mean) - pool.mean
    if difference * difference * n <= z * z * pool.variance:
        return WITHIN
    return ABOVE if difference > 0 else BELOW


def limits(pool: Pool, n: int, z: Fraction) -> tuple[float, float]:
    """The lower and upper limit `city_mean ± z·σ/√n` for a department of n responses."""
    half = float(z) * (pool.sd or 0.0) / math.sqrt(n)
    return float(pool.mean) - half, float(pool.mean) + half


def pool_json(pool: Pool) -> dict:
    """A pool as a run stores it (`RankingRun.city`): exact mean and variance as p/q."""
    if pool.mean is None:
        return {"n": 0, "mean": None, "variance": None}
    return {
        "n": pool.n,
        "mean": f"{pool.mean.numerator}/{pool.mean.denominator}",
        "variance": f"{pool.variance.numerator}/{pool.variance.denominator}",
    }


def pool_of_json(values: Mapping | None) -> Pool:
    if not values or values.get("mean") is None:
        return Pool(0, None, None)
    return Pool(int(values["n"]), Fraction(values["mean"]), Fraction(values["variance"]))
