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


class ComponentFlags:
    """What "why this score" marks on a component, the same for `ComponentScore` and
    `scoring.bulk.BulkComponent`: no data (the owner has no responses, so the component
    takes the city mean) and left out (the whole city has none)."""

    __slots__ = ()
    n: int
    city_mean: Fraction | None

    @property
    def no_data(self) -> bool:
        return self.n == 0

    @property
    def left_out(self) -> bool:
        return self.city_mean is None


@dataclass(frozen=True)
class ComponentScore(ComponentFlags):
    """One component of a score, with everything that went into it."""

    name: str
    raw_mean: Fraction | None
    n: int
    city_mean: Fraction | None
    adjusted: Fraction | None  # None when the whole city has no data for it
    weight: Fraction

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
    """Scores departments (or officials) against one city, with the weights and the rule
    values fixed: what every owner of a run shares is worked out once, not once per owner.
    `Scorer(city, weights, ...)(aggregates, praise_count, unkind_count)` is one score."""

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
