"""One ranking run's computation, step by step as SPEC section 5 states it: score every
department and official from the period's aggregates, rank them, flag them against the
city and give them rank intervals (`scoring.score_rows` lays the results out as score rows
and stored JSON). Reads the owners (departments, officials) it scores; writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

from kindness.models import Department, Official
from scoring import bulk, funnel, intervals, rules
from scoring.tallying import Inputs, OwnersRead

DEPARTMENT_COMPONENTS = ("v", "t", "h")
OFFICIAL_COMPONENTS = ("t", "h")


@dataclass(frozen=True)
class ScoreRules:
    """The settings of one score, the department's or the individual's: its components'
    weights, the bonus per praise with its cap, and the deduction per unkindness report."""

    weights: dict[str, Fraction]
    praise_bonus: Fraction
    praise_cap: Fraction
    unkind_deduction: Fraction

    @classmethod
    def from_stored(cls, values: dict, prefix: str, components: tuple[str, ...]) -> ScoreRules:
        """The settings named `prefix` + name in `values` ("official_" for the individual's)."""
        f = rules.exact
        return cls(
            weights={name: f(values[f"{prefix}weight_{name}"]) for name in components},
            praise_bonus=f(values[f"{prefix}praise_bonus"]),
            praise_cap=f(values[f"{prefix}praise_cap"]),
            unkind_deduction=f(values[f"{prefix}unkind_deduction"]),
        )

    def scorer(self, city: dict[str, rules.Aggregate], k: Fraction) -> rules.Scorer:
        return rules.Scorer(
            city, self.weights, k, self.praise_bonus, self.praise_cap, self.unkind_deduction
        )


@dataclass(frozen=True)
class RunRules:
    """The run's stored rule settings (`RankingRun.rules`) as exact numbers."""

    department: ScoreRules
    official: ScoreRules
    prior_k: Fraction  # shrinks the department and the individual means alike
    minimum_responses: int
    award_count: int
    encourage_count: int
    replicates: int

    @classmethod
    def from_stored(cls, values: dict) -> RunRules:
        return cls(
            department=ScoreRules.from_stored(values, "", DEPARTMENT_COMPONENTS),
            official=ScoreRules.from_stored(values, "official_", OFFICIAL_COMPONENTS),
            prior_k=rules.exact(values["prior_k"]),
            minimum_responses=int(values["minimum_responses"]),
            award_count=int(values["award_count"]),
            encourage_count=int(values["encourage_count"]),
            replicates=int(values.get("bootstrap_replicates", 1000)),
        )

    def department_scorer(self, city: dict[str, rules.Aggregate]) -> rules.Scorer:
        return self.department.scorer(city, self.prior_k)

    def official_scorer(self, city: dict[str, rules.Aggregate]) -> rules.Scorer:
        return self.official.scorer(city, self.prior_k)


@dataclass(frozen=True)
class Owner:
    """A department or official as the run found it (names as they were)."""

    pk: int
    key: str  # department code or employee number
    name: str
    bureau_id: int | None
    bureau_name: str
    department_id: int | None = None  # officials only
    department_name: str = ""


@dataclass
class Scored:
    """One owner's score, the reports behind it, and its place in the ranking."""

    owner: Owner
    score: bulk.BulkScore
    praise: list[str]
    unkind: list[str]
    rank: int | None = None
    bureau_rank: int | None = None
    rank_low: int | None = None
    rank_high: int | None = None
    # Per component: the owner's distinct response scores with their counts.
    tallies: dict[str, dict[Fraction, int]] = field(default_factory=dict)
    # Departments, per component: clearly "above" or "below" the city, or "within".
    flags: dict[str, str | None] = field(default_factory=dict)

    @property
    def entry(self) -> rules.Entry:
        return rules.Entry(self.score.rounded, self.owner.name, self.owner.key)

    @property
    def responses(self) -> int:
        return self.score.responses


def left_out_notes(inputs: Inputs) -> list[str]:
    """What the run says about components the whole city has no responses for."""
    notes = []
    labels = {
        "v": _("visitor survey (V)"),
        "t": _("telephone survey (T)"),
        "h": _("happy-call survey (H)"),
    }
    for name in DEPARTMENT_COMPONENTS:
        if not inputs.department_city[name].n:
            notes.append(
                _(
                    "No %(component)s responses in the whole city this period: the component is left out of department scores and the other weights are scaled to sum to 1."
                )
                % {"component": labels[name]}
            )
    individual_labels = {"t": _("answered calls"), "h": _("kindness answers in happy-calls")}
    for name in OFFICIAL_COMPONENTS:
        if not inputs.official_city[name].n:
            notes.append(
                _(
                    "No %(measure)s in the whole city this period: left out of individual scores, the other weight scaled to 1."
                )
                % {"measure": individual_labels[name]}
            )
    return notes


def _with_data(read: OwnersRead) -> set[int]:
    ids: set[int] = set()
    for sums in read.sums.values():
        ids.update(sums.per_owner)
    for counted in (read.praise, read.unkind):
        ids.update(counted)
    return ids


def departments_to_score(inputs: Inputs) -> list[Owner]:
    """Every active department, and an inactive one that has data in the period."""
    with_data = _with_data(inputs.of("department"))
    # Every department is read and the inactive ones without data left out here: a list of
    # thousands of ids in the statement costs more than the rows it would spare.
    rows = Department.objects.order_by().values_list(
        "pk", "name", "code", "bureau_id", "bureau__name", "active"
    )
    return [
        Owner(pk, code, name, bureau_id, bureau_name)
        for pk, name, code, bureau_id, bureau_name, active in rows
        if active or pk in with_data
    ]


def officials_to_score(inputs: Inputs) -> list[Owner]:
    """Every active official, and an inactive one with responses or counted reports."""
    with_data = _with_data(inputs.of("official"))
    rows = Official.objects.order_by().values_list(
        "pk",
        "name",
        "employee_no",
        "department_id",
        "department__name",
        "department__bureau__name",
        "active",
    )
    return [
        Owner(pk, employee_no, name, None, bureau_name, department_id, department_name)
        for pk, name, employee_no, department_id, department_name, bureau_name, active in rows
        if active or pk in with_data
    ]


def _scored(
    read: OwnersRead, components: tuple[str, ...], scorer: rules.Scorer, owners: list[Owner]
) -> list[Scored]:
    score = bulk.BulkScorer(scorer, read.sums)
    tallies_of = {name: read.tallies[name] for name in components}
    scored = []
    for owner in owners:
        pk = owner.pk
        praise = read.praise.get(pk) or []
        unkind = read.unkind.get(pk) or []
        tallies = {name: per_owner.get(pk, {}) for name, per_owner in tallies_of.items()}
        scored.append(
            Scored(owner, score(pk, len(praise), len(unkind)), praise, unkind, tallies=tallies)
        )
    return scored


def departments_scored(inputs: Inputs, scorer: rules.Scorer, owners: list[Owner]) -> list[Scored]:
    """Every department's score, worked out in integers from the read's sums."""
    return _scored(inputs.of("department"), DEPARTMENT_COMPONENTS, scorer, owners)


def officials_scored(inputs: Inputs, scorer: rules.Scorer, owners: list[Owner]) -> list[Scored]:
    """Every official's score, worked out in integers from the read's sums."""
    return _scored(inputs.of("official"), OFFICIAL_COMPONENTS, scorer, owners)


def departments_ranked(scored: list[Scored]) -> list[Scored]:
    """Rank departments city-wide and within their bureau; returns them in listing order."""
    entries = [s.entry for s in scored]
    for index, city_rank in rules.rank(entries):
        scored[index].rank = city_rank
    bureau_ranks = rules.ranks_by_group(entries, [s.owner.bureau_id for s in scored])
    for s, bureau_rank in zip(scored, bureau_ranks, strict=True):
        s.bureau_rank = bureau_rank
    return [scored[i] for i in rules.listing_order(entries, [s.rank for s in scored])]


def officials_ranked(scored: list[Scored], minimum: int) -> list[Scored]:
    """Rank the officials with enough scored responses; returns all in listing order."""
    entries = [s.entry for s in scored]
    eligible = [rules.rank_eligible(s.responses, minimum) for s in scored]
    ranks = rules.ranks_of_eligible(entries, eligible)
    for s, rank in zip(scored, ranks, strict=True):
        s.rank = rank
    return [scored[i] for i in rules.listing_order(entries, ranks)]


# --- how sure a rank is -----------------------------------------------------------------


def city_pool(sums: bulk.Sums) -> funnel.Pool:
    """The city's pool of one component from the read's integer sums: the same exact mean
    and variance as `funnel.Pool.of` over every tally."""
    if not sums.n:
        return funnel.Pool(0, None, None)
    d = sums.denominator
    mean = Fraction(sums.total, d * sums.n)
    return funnel.Pool(sums.n, mean, Fraction(sums.squares, d * d * sums.n) - mean * mean)


def city_pools(inputs: Inputs) -> dict[str, funnel.Pool]:
    """Per department component, the whole city's pool (every department's responses)."""
    return {name: city_pool(inputs.department_sums[name]) for name in DEPARTMENT_COMPONENTS}


def departments_flagged(departments: list[Scored], pools: dict[str, funnel.Pool]) -> None:
    """Mark each department's components clearly above or below the city, or within."""
    for s in departments:
        s.flags = {c.name: funnel.flag(c.raw_mean, c.n, pools[c.name]) for c in s.score.components}


def intervals_assigned(
    scored: list[Scored], scorer: rules.Scorer, *, replicates: int, seed: int
) -> None:
    """Set rank_low and rank_high of every ranked owner in `scored` (SPEC section 5)."""
    contenders = [
        intervals.Contender(s.owner.key, s.tallies, s.score.bonus - s.score.deduction)
        for s in scored
        if s.rank is not None
    ]
    found = intervals.rank_intervals(
        contenders,
        weights=scorer.weights,
        city_means=scorer.city_means,
        k=scorer.k,
        replicates=replicates,
        seed=seed,
    )
    for s in scored:
        s.rank_low, s.rank_high = found.get(s.owner.key, (None, None))


# --- score rows --------------------------------------------------------------------------
