"""The scoring formulas of SPEC section 5, as pure functions of numbers.

Nothing here touches the database. Services aggregate the period's responses in SQL and
hand the counts and sums to these functions. Arithmetic is exact (fractions), so a score
that lands on a half cent rounds up as the specification says, whatever the platform's
floating point would have made of it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

HUNDREDTH = Decimal("0.01")


def exact(value) -> Fraction:
    """A number as an exact fraction. Floats are read by their shortest decimal form, so a
    stored 0.3 is three tenths and a stored 83.33333333333333 (250/3) comes back as 250/3."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        fraction = Fraction(repr(value))
        if fraction.denominator > 10**6:
            # A repeating decimal cut off by the float (or a small fraction a float
            # operation missed by an ulp or two) stands for that small fraction. Any other
            # float (76.42499999999) keeps its own digits: pulling it to a nearby small
            # fraction (76.425) would change how it rounds.
            small = fraction.limit_denominator(10**6)
            if abs(float(small) - value) <= 4 * math.ulp(value):
                fraction = small
        return fraction
    return Fraction(str(value)) if isinstance(value, Decimal) else Fraction(value)


def round_half_up(value: Fraction | int | None, places: int = 2) -> Decimal | None:
    """Round half away from zero at `places` decimals (76.425 → 76.43)."""
    if value is None:
        return None
    value = exact(value)
    return round_ratio_half_up(value.numerator, value.denominator, places)


def round_ratio_half_up(numerator: int, denominator: int, places: int = 2) -> Decimal:
    """`numerator / denominator` (denominator > 0, the two need not be in lowest terms)
    rounded half away from zero at `places` decimals, exactly: integers compared, no float."""
    whole, rest = divmod(abs(numerator) * 10**places, denominator)
    if 2 * rest >= denominator:
        whole += 1
    result = Decimal(whole).scaleb(-places)
    return -result if numerator < 0 else result


def mean(total: Fraction, n: int) -> Fraction | None:
    """The mean of n responses whose scores sum to total; None when there are none."""
    return exact(total) / n if n else None


def shrink(raw_mean: Fraction | None, n: int, city_mean: Fraction, k: Fraction) -> Fraction:
    """`(n·mean + k·city_mean) / (n + k)`: pulls a small sample toward the city mean.

    With no responses the result is the city mean itself."""
    if not n:
        return city_mean
    return (n * raw_mean + k * city_mean) / (n + k)


def scaled_weights(weights: Mapping[str, Fraction], present: Iterable[str]) -> dict[str, Fraction]:
    """The weights of the components the city has data for, scaled to sum to 1.

    A component nobody in the city has a response for is left out (weight 0). Raises
    NoData when no component has any data."""
    present = set(present)
    kept = {name: exact(w) for name, w in weights.items() if name in present}
    total = sum(kept.values(), Fraction(0))
    if not kept or total == 0:
        raise NoData
    return {name: (kept[name] / total if name in kept else Fraction(0)) for name in weights}


class NoData(Exception):
    """No component has a single response in the whole city."""


def capped_bonus(count: int, per_item: Fraction, cap: Fraction) -> Fraction:
    """`per_item` for each counted praise, at most `cap`."""
    return min(count * exact(per_item), exact(cap))


def deduction(count: int, per_item: Fraction) -> Fraction:
    """`per_item` for each counted unkindness report (no cap)."""
    return count * exact(per_item)


def clamp(value: Fraction, low: int = 0, high: int = 100) -> Fraction:
    return max(Fraction(low), min(Fraction(high), value))


@dataclass(frozen=True)
class Aggregate:
    """The responses of one component for one department or official: their sum and count."""

    total: Fraction = Fraction(0)
    n: int = 0

    @property
    def mean(self) -> Fraction | None:
        return mean(self.total, self.n)

    def __add__(self, other: Aggregate) -> Aggregate:
        return Aggregate(self.total + other.total, self.n + other.n)


@dataclass(frozen=True)
class ComponentScore:
    """One component of a score, with everything that went into it."""

    name: str
    raw_mean: Fraction | None
    n: int
    city_mean: Fraction | None
    adjusted: Fraction | None  # None when the whole city has no data for it
    weight: Fraction

    @property
    def no_data(self) -> bool:
        return self.n == 0

    @property
    def left_out(self) -> bool:
        return self.city_mean is None

    @property
    def contribution(self) -> Fraction:
        return self.weight * self.adjusted if self.adjusted is not None else Fraction(0)


@dataclass(frozen=True)
class Score:
    """A department's or official's score: components, bonus, deduction and the result."""

    components: tuple[ComponentScore, ...]
    base: Fraction
    praise_count: int
    bonus: Fraction
    unkind_count: int
    deduction: Fraction
    final: Fraction
    rounded: Decimal = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rounded", round_half_up(self.final))

    def component(self, name: str) -> ComponentScore:
        return next(c for c in self.components if c.name == name)


class Scorer:
    """`score` with the city, the weights and the rule values fixed: what every department
    (or official) of a run shares is worked out once, not once per owner."""

    def __init__(
        self,
        city: Mapping[str, Aggregate],
        weights: Mapping[str, Fraction],
        k: Fraction,
        praise_bonus: Fraction,
        praise_cap: Fraction,
        unkind_deduction: Fraction,
    ) -> None:
        self.names = list(weights)
        self.weights = scaled_weights(weights, [name for name in weights if city[name].n])
        self.city_means = {name: city[name].mean for name in weights}
        self.k = exact(k)
        self.praise_bonus, self.praise_cap = exact(praise_bonus), exact(praise_cap)
        self.unkind_deduction = exact(unkind_deduction)

    def __call__(
        self, aggregates: Mapping[str, Aggregate], praise_count: int, unkind_count: int
    ) -> Score:
        """Shrink each component toward the city mean, weigh, add the bonus, take the
        deduction and clamp to 0-100 (SPEC section 5; the same steps for departments and
        officials)."""
        components = []
        for name in self.names:
            own = aggregates.get(name) or Aggregate()
            own_mean, city_mean = own.mean, self.city_means[name]
            adjusted = shrink(own_mean, own.n, city_mean, self.k) if city_mean is not None else None
            components.append(
                ComponentScore(name, own_mean, own.n, city_mean, adjusted, self.weights[name])
            )
        base = sum((c.contribution for c in components), Fraction(0))
        bonus = capped_bonus(praise_count, self.praise_bonus, self.praise_cap)
        taken = deduction(unkind_count, self.unkind_deduction)
        return Score(
            components=tuple(components),
            base=base,
            praise_count=praise_count,
            bonus=bonus,
            unkind_count=unkind_count,
            deduction=taken,
            final=clamp(base + bonus - taken),
        )


def score(
    aggregates: Mapping[str, Aggregate],
    city: Mapping[str, Aggregate],
    weights: Mapping[str, Fraction],
    k: Fraction,
    praise_count: int,
    praise_bonus: Fraction,
    praise_cap: Fraction,
    unkind_count: int,
    unkind_deduction: Fraction,
) -> Score:
    """One score (see `Scorer`, which scores many against the same city)."""
    return Scorer(city, weights, k, praise_bonus, praise_cap, unkind_deduction)(
        aggregates, praise_count, unkind_count
    )


# --- many owners at once, in integers ----------------------------------------------------


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


class BulkComponent(NamedTuple):
    """One component of one owner's score as `BulkScorer` works it out: the owner's sum
    (over the component's common denominator) and count, and the adjusted value as an
    integer ratio (None when the whole city has no data for it)."""

    name: str
    n: int
    total: int
    denominator: int
    adjusted_ratio: tuple[int, int] | None
    weight: Fraction
    city_mean: Fraction | None

    @property
    def raw_mean(self) -> Fraction | None:
        return Fraction(self.total, self.denominator * self.n) if self.n else None

    @property
    def mean_float(self) -> float | None:
        # int / int is correctly rounded: the same float as float(raw_mean).
        return self.total / (self.denominator * self.n) if self.n else None

    @property
    def adjusted(self) -> Fraction | None:
        return None if self.adjusted_ratio is None else Fraction(*self.adjusted_ratio)

    @property
    def adjusted_float(self) -> float | None:
        if self.adjusted_ratio is None:
            return None
        numerator, denominator = self.adjusted_ratio
        return numerator / denominator

    @property
    def adjusted_rounded(self) -> Decimal | None:
        if self.adjusted_ratio is None:
            return None
        return round_ratio_half_up(*self.adjusted_ratio)

    @property
    def no_data(self) -> bool:
        return self.n == 0

    @property
    def left_out(self) -> bool:
        return self.city_mean is None


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

    @property
    def base(self) -> Fraction:
        return Fraction(*self.base_ratio)

    @property
    def base_float(self) -> float:
        return self.base_ratio[0] / self.base_ratio[1]

    @property
    def final(self) -> Fraction:
        return Fraction(*self.final_ratio)

    @property
    def final_float(self) -> float:
        return self.final_ratio[0] / self.final_ratio[1]

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


def rank(entries: Sequence[tuple[Decimal, str, str]]) -> list[tuple[int, int]]:
    """Competition ranking ("1, 2, 2, 4") of (rounded score, name, code) entries.

    Returns (index into entries, rank) in listing order: highest score first, ties listed by
    name and then code, compared by Unicode code point."""
    order = sorted(
        range(len(entries)), key=lambda i: (-entries[i][0], entries[i][1], entries[i][2])
    )
    ranked: list[tuple[int, int]] = []
    previous = None
    current = 0
    for position, index in enumerate(order, start=1):
        value = entries[index][0]
        if value != previous:
            current = position
            previous = value
        ranked.append((index, current))
    return ranked


class Entry(NamedTuple):
    """Something ranked: its rounded final score and what orders ties for listing."""

    score: Decimal
    name: str
    code: str


def ranks_by_group(entries: Sequence[Entry], groups: Sequence[Hashable]) -> list[int]:
    """Each entry's rank among the entries of its own group (departments within their
    bureau), by the same competition ranking as `rank`."""
    members: dict[Hashable, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    ranks = [0] * len(entries)
    for indexes in members.values():
        for local, group_rank in rank([entries[i] for i in indexes]):
            ranks[indexes[local]] = group_rank
    return ranks


def rank_eligible(responses: int, minimum: int) -> bool:
    """An official with fewer scored responses (answered calls plus happy-calls with a
    kindness answer) than the rule set's minimum keeps a score but gets no rank."""
    return responses >= minimum


def ranks_of_eligible(entries: Sequence[Entry], eligible: Sequence[bool]) -> list[int | None]:
    """Competition ranks among the eligible entries only; None for the others."""
    indexes = [i for i, ok in enumerate(eligible) if ok]
    ranks: list[int | None] = [None] * len(entries)
    for local, value in rank([entries[i] for i in indexes]):
        ranks[indexes[local]] = value
    return ranks


def listing_order(entries: Sequence[Entry], ranks: Sequence[int | None]) -> list[int]:
    """Indexes in listing order: ranked entries by rank (ties by name, then code), then the
    unranked by name and code."""
    return sorted(
        range(len(entries)),
        key=lambda i: (
            ranks[i] is None,
            ranks[i] or 0,
            entries[i].name,
            entries[i].code,
        ),
    )
