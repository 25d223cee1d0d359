"""The scoring formulas for many owners at once, in integers (the run's fast path).

`Sums` holds one component's responses over one common denominator (as `scoring.inputs`
reads them); `BulkScorer` works every owner's score out of those integers with the same
steps and the same exact results as `scoring.rules.Scorer`, whose settings it takes.
Pure numbers, no database.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from scoring.rules import (
    Aggregate,
    ComponentFlags,
    Scorer,
    capped_bonus,
    deduction,
    round_half_up,
    round_ratio_half_up,
)


@dataclass(frozen=True)
class Sums:
    """One component's responses as integers over one common denominator: per owner the
    sum of its scores (`total / denominator`, exact) and their count; the same for the whole
    city (owners and responses of no owner), with the sum of the squared scores
    (`squares / denominator²`) for the city's spread."""

    denominator: int = 1
    per_owner: Mapping[Hashable, tuple[int, int]] = field(default_factory=dict)
    total: int = 0
    n: int = 0
    squares: int = 0

    def aggregate(self, owner: Hashable) -> Aggregate | None:
        found = self.per_owner.get(owner)
        return Aggregate(Fraction(found[0], self.denominator), found[1]) if found else None

    def aggregates(self) -> dict[Hashable, Aggregate]:
        return {owner: self.aggregate(owner) for owner in self.per_owner}

    @property
    def city(self) -> Aggregate:
        return Aggregate(Fraction(self.total, self.denominator), self.n)


class _FromRatio:
    """A read-only attribute worked out from an integer ratio field, (numerator,
    denominator), by `convert(numerator, denominator)`; a ratio of None reads as None.
    (`operator.truediv` of two ints is correctly rounded: the float of the exact ratio.)"""

    def __init__(self, field: str, convert: Callable[[int, int], object]) -> None:
        self.field, self.convert = field, convert

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        ratio = getattr(instance, self.field)
        return None if ratio is None else self.convert(*ratio)


class _BulkComponentFields(NamedTuple):
    name: str
    n: int
    total: int
    denominator: int
    adjusted_ratio: tuple[int, int] | None
    weight: Fraction
    city_mean: Fraction | None


class BulkComponent(_BulkComponentFields, ComponentFlags):
    """One component of one owner's score as `BulkScorer` works it out: the owner's sum
    (over the component's common denominator) and count, and the adjusted value as an
    integer ratio (None when the whole city has no data for it). A named tuple (a typed
    NamedTuple cannot take a mixin, hence the fields apart)."""

    __slots__ = ()

    @property
    def raw_mean(self) -> Fraction | None:
        return Fraction(self.total, self.denominator * self.n) if self.n else None

    @property
    def mean_float(self) -> float | None:
        # int / int is correctly rounded: the same float as float(raw_mean).
        return self.total / (self.denominator * self.n) if self.n else None

    adjusted = _FromRatio("adjusted_ratio", Fraction)
    adjusted_float = _FromRatio("adjusted_ratio", operator.truediv)
    adjusted_rounded = _FromRatio("adjusted_ratio", round_ratio_half_up)


class BulkScore(NamedTuple):
    """One owner's score from `BulkScorer`: base and final as integer ratios (not in lowest
    terms), the final rounded half-up to cents, and the bonus and deduction (shared by
    every owner with the same counts)."""

    components: tuple[BulkComponent, ...]
    base_ratio: tuple[int, int]
    praise_count: int
    unkind_count: int
    bonus: Fraction
    deduction: Fraction
    bonus_rounded: Decimal
    deduction_rounded: Decimal
    final_ratio: tuple[int, int]
    rounded: Decimal
    responses: int  # the components' n added up

    base = _FromRatio("base_ratio", Fraction)
    base_float = _FromRatio("base_ratio", operator.truediv)
    final = _FromRatio("final_ratio", Fraction)
    final_float = _FromRatio("final_ratio", operator.truediv)

    def component(self, name: str) -> BulkComponent:
        return next(c for c in self.components if c.name == name)


NONE = (0, 0)  # an owner without responses to a component: sum 0 of 0 responses


class BulkScorer:
    """`Scorer` for many owners at once, in integers: the same steps and the same exact
    results, without a fraction per owner.

    Each component's sums share one denominator D (`Sums`). With k = kp/kq and the city
    mean m = mp/mq, an owner's adjusted value `(s/D + k·m) / (n + k)` is the integer ratio
    `(s·kq·mq + kp·mp·D) / (D·mq·(n·kq + kp))`; the weighted base, the bonus and deduction
    and the clamp to 0-100 are worked on numerators and denominators, and the final score
    is rounded half-up by comparing integers. Ratios are not reduced: only the floats
    (correctly rounded divisions, as `float(Fraction)`) and the rounded cents leave."""

    def __init__(self, scorer: Scorer, sums: Mapping[str, Sums]) -> None:
        self.scorer = scorer
        kp, kq = scorer.k.numerator, scorer.k.denominator
        self.parts = []
        for name in scorer.names:
            component = sums.get(name) or Sums()
            weight, city = scorer.weights[name], scorer.city_means[name]
            d = component.denominator
            if city is None:
                shrink_terms = None
            else:
                mp, mq = city.numerator, city.denominator
                shrink_terms = (kq * mq, kp * mp * d, d * mq, mp, mq)
            wp, wq = weight.numerator, weight.denominator
            self.parts.append((name, component.per_owner, d, weight, city, shrink_terms, wp, wq))
        self.kp, self.kq = kp, kq
        self._shifts: dict[tuple[int, int], tuple] = {}

    def _shift(self, praise_count: int, unkind_count: int) -> tuple:
        found = self._shifts.get((praise_count, unkind_count))
        if found is None:
            scorer = self.scorer
            bonus = capped_bonus(praise_count, scorer.praise_bonus, scorer.praise_cap)
            taken = deduction(unkind_count, scorer.unkind_deduction)
            shift = bonus - taken
            found = (
                bonus,
                taken,
                round_half_up(bonus),
                round_half_up(taken),
                shift.numerator,
                shift.denominator,
            )
            self._shifts[praise_count, unkind_count] = found
        return found

    def __call__(self, owner: Hashable, praise_count: int, unkind_count: int) -> BulkScore:
        kp, kq = self.kp, self.kq
        components = []
        base_p, base_q = 0, 1
        responses = 0
        for name, per_owner, d, weight, city, shrink_terms, wp, wq in self.parts:
            total, n = per_owner.get(owner, NONE)
            responses += n
            if shrink_terms is None:
                adjusted = None
            else:
                kq_mq, kp_mp_d, d_mq, mp, mq = shrink_terms
                if n:
                    a, b = total * kq_mq + kp_mp_d, d_mq * (n * kq + kp)
                else:
                    a, b = mp, mq  # no responses: the city mean
                adjusted = (a, b)
                if wp:
                    b_wq = b * wq
                    base_p, base_q = base_p * b_wq + wp * a * base_q, base_q * b_wq
            components.append(BulkComponent(name, n, total, d, adjusted, weight, city))
        bonus, taken, bonus_rounded, taken_rounded, sp, sq = self._shift(praise_count, unkind_count)
        final_p, final_q = base_p * sq + sp * base_q, base_q * sq
        if final_p < 0:
            final_p, final_q = 0, 1
        elif final_p > 100 * final_q:
            final_p, final_q = 100, 1
        return BulkScore(
            components=tuple(components),
            base_ratio=(base_p, base_q),
            praise_count=praise_count,
            unkind_count=unkind_count,
            bonus=bonus,
            deduction=taken,
            bonus_rounded=bonus_rounded,
            deduction_rounded=taken_rounded,
            final_ratio=(final_p, final_q),
            rounded=round_ratio_half_up(final_p, final_q),
            responses=responses,
        )
