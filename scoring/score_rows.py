"""How a ranking run's results are stored: the score rows of departments and officials
(`department_values`, `official_values`) with their "why this score" breakdown JSON, the
stored tallies of the rank intervals (`tallies_json`), and the officials' pools from which
an official's breakdown is worked out again when it is read (`official_pools`,
`official_breakdown`). Pure layout of numbers `scoring.compute` has worked out.
"""

from __future__ import annotations

from fractions import Fraction

from scoring import bulk, compute, funnel, intervals, rules
from scoring.tallying import Inputs


def tallies_json(
    inputs: Inputs, departments: list[compute.Scored], officials: list[compute.Scored]
) -> dict:
    """What the run read, compactly, keyed by department code and employee number: per
    component each distinct score ("p/q") with its count, and the receipt numbers of the
    counted reports. Responses of no owner (a kindness answer on a petition no official
    handled) are kept under "unowned": with them the tallies hold every city pool."""

    def owner_json(s: compute.Scored) -> dict:
        values = {name: intervals.tally_json(t) for name, t in s.tallies.items() if t}
        if s.praise:
            values["praise"] = list(s.praise)
        if s.unkind:
            values["unkind"] = list(s.unkind)
        return values

    unowned = {
        "departments": {
            name: intervals.tally_json(inputs.department_tallies[name][None])
            for name in compute.DEPARTMENT_COMPONENTS
            if inputs.department_tallies[name].get(None)
        },
        "officials": {
            name: intervals.tally_json(inputs.official_tallies[name][None])
            for name in compute.OFFICIAL_COMPONENTS
            if inputs.official_tallies[name].get(None)
        },
    }
    return {
        "departments": {s.owner.key: owner_json(s) for s in departments},
        "officials": {s.owner.key: owner_json(s) for s in officials},
        "unowned": {group: pools for group, pools in unowned.items() if pools},
    }


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def breakdown_json(score: rules.Score | bulk.BulkScore, praise, unkind, flags) -> dict:
    """Every number behind a score, in full precision, and the reports counted: what
    "why this score" shows (SPEC section 5)."""
    return {
        "components": {
            c.name: {
                "mean": _float(c.raw_mean),
                "n": c.n,
                "city_mean": _float(c.city_mean),
                "adjusted": _float(c.adjusted),
                "weight": _float(c.weight),
                "no_data": c.no_data,
                "left_out": c.left_out,
                **({"flag": flags.get(c.name)} if flags else {}),
            }
            for c in score.components
        },
        "final": float(score.final),
        "praise": list(praise),
        "unkind": list(unkind),
    }


def _score_values(s: compute.Scored, *, run_id: int, position: int, breakdown: bool) -> dict:
    """The columns a department's and an official's score row share: the run, the place in
    its listing, the names as they were and the score. An official's row leaves its
    breakdown out: it is built from the run's tallies when a page asks (`official_breakdown`)."""
    result = s.score
    values = {
        "run_id": run_id,
        "position": position,
        "name": s.owner.name,
        "bureau_name": s.owner.bureau_name,
        "rank": s.rank,
        "rank_low": s.rank_low,
        "rank_high": s.rank_high,
        "score": result.rounded,
        "base": result.base_float,
        "bonus": result.bonus_rounded,
        "deduction": result.deduction_rounded,
        "praise_count": result.praise_count,
        "unkind_count": result.unkind_count,
    }
    if breakdown:
        values["breakdown"] = breakdown_json(result, s.praise, s.unkind, s.flags)
    for component in result.components:
        values[component.name] = component.adjusted_rounded
        values[f"{component.name}_n"] = component.n
    return values


def official_pools(inputs: Inputs) -> dict[str, dict]:
    """Per official component, the city's pool as a run stores it (`RankingRun.city`
    under "officials"): what an official's breakdown is built from, with the tallies."""
    return {
        name: funnel.pool_json(compute.city_pool(inputs.official_sums[name]))
        for name in compute.OFFICIAL_COMPONENTS
    }


def official_breakdown(stored_rules: dict, pools: dict, owner: dict) -> dict:
    """An official's breakdown, built from the run's stored rules, the officials' city
    pools and the official's own tallies and receipts (`RunTallies.data["officials"]`):
    the same exact steps as the run, so the same numbers it would have stored."""
    city = {}
    for name in compute.OFFICIAL_COMPONENTS:
        pool = funnel.pool_of_json(pools.get(name))
        city[name] = rules.Aggregate(pool.mean * pool.n, pool.n) if pool.n else rules.Aggregate()
    scorer = compute.RunRules.from_stored(stored_rules).official_scorer(city)
    own = {}
    for name in compute.OFFICIAL_COMPONENTS:
        tally = intervals.tally_of(owner.get(name, []))
        if tally:
            own[name] = rules.Aggregate(
                sum((score * n for score, n in tally.items()), Fraction(0)), sum(tally.values())
            )
    praise, unkind = owner.get("praise", []), owner.get("unkind", [])
    return breakdown_json(scorer(own, len(praise), len(unkind)), praise, unkind, {})


def department_values(run_id: int, listed: list[compute.Scored], award_count: int) -> list[dict]:
    return [
        {
            "department_id": s.owner.pk,
            "bureau_id": s.owner.bureau_id,
            "code": s.owner.key,
            "bureau_rank": s.bureau_rank,
            "award": s.rank <= award_count,
            **_score_values(s, run_id=run_id, position=position, breakdown=True),
        }
        for position, s in enumerate(listed, start=1)
    ]


def official_values(run_id: int, listed: list[compute.Scored], encourage_count: int) -> list[dict]:
    return [
        {
            "official_id": s.owner.pk,
            "employee_no": s.owner.key,
            "department_id": s.owner.department_id,
            "department_name": s.owner.department_name,
            "insufficient": s.rank is None,
            "encourage": s.rank is not None and s.rank <= encourage_count,
            **_score_values(s, run_id=run_id, position=position, breakdown=False),
        }
        for position, s in enumerate(listed, start=1)
    ]
