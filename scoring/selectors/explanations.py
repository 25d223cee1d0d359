"""Why this score: the plain-words explanation of one department's or official's score
that the public and staff pages share, and `breakdown_of` (a row's stored breakdown, an
official's worked out again from the run's stored pools)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.fields.json import KeyTransform
from django.urls import reverse
from django.utils.translation import gettext as _

from scoring import score_rows
from scoring.models import DepartmentScore, OfficialScore, RankingRun, RunTallies
from scoring.selectors.runs import (
    report_links_for,
)

# --- why this score ----------------------------------------------------------------------


def _num(value: float | Decimal | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _setting(value) -> str:
    """A rule setting as written in the rule set: 0.3, 5, 0.5 (no trailing zeros)."""
    return format(Decimal(str(value)).normalize(), "f")


@dataclass(frozen=True)
class ComponentExplanation:
    key: str
    label: str
    measure: str
    n: int
    mean: str
    city_mean: str
    k: str
    adjusted: str
    weight: str
    rule_weight: str
    scaled: bool
    contribution: str
    no_data: bool
    left_out: bool
    formula: str
    contribution_formula: str
    flag: str | None = None  # departments: "above", "below" or "within" the city


@dataclass(frozen=True)
class Receipt:
    number: str
    url: str | None


@dataclass
class Explanation:
    """Everything the "why this score" include shows, as numbers already formatted."""

    level: str  # "department" or "official"
    row: DepartmentScore | OfficialScore
    run: RankingRun
    components: list[ComponentExplanation]
    base: str
    base_formula: str
    praise_count: int
    praise_per: str
    praise_cap: str
    bonus: str
    bonus_capped: bool
    praise: list[Receipt]
    unkind_count: int
    unkind_per: str
    deduction: str
    unkind: list[Receipt]
    window: tuple | None
    before_clamp: str
    clamped_to: str | None
    final: str
    score: str
    rank_of: int = 0
    bureau_of: int = 0
    minimum: int = 0
    responses: int = 0
    mark_count: int = 0
    left_out: list[str] = field(default_factory=list)
    replicates: int | None = None  # bootstrap replicates behind the rank interval


def _component_labels(level: str) -> dict[str, tuple[str, str]]:
    if level == "department":
        return {
            "v": (_("Visitor reception (V)"), _("visitor survey responses")),
            "t": (_("Telephone manners (T)"), _("telephone survey calls")),
            "h": (_("Happy-call satisfaction (H)"), _("happy-call survey responses")),
        }
    return {
        "t": (_("Calls answered (T)"), _("calls answered")),
        "h": (_("Kindness in happy-calls (H)"), _("kindness answers in happy-calls")),
    }


def breakdown_of(row: DepartmentScore | OfficialScore) -> dict:
    """Every number behind a row's score (`ScoreRow.breakdown`): stored with a department's
    row; for an official's, built from the run's tallies (one key of them read) unless the
    row keeps its own (runs computed before official rows went lean)."""
    if row.breakdown or isinstance(row, DepartmentScore):
        return row.breakdown or {}
    pools = (row.run.city or {}).get("officials")
    owner = (
        RunTallies.objects.filter(run_id=row.run_id)
        .values_list(KeyTransform(row.employee_no, KeyTransform("officials", "data")), flat=True)
        .first()
    )
    if pools is None or owner is None:
        return {}
    return score_rows.official_breakdown(row.run.rules, pools, owner)


def explain(row: DepartmentScore | OfficialScore, *, user) -> Explanation:
    """The score of one row, step by step (SPEC section 5), for `_breakdown.html`.

    One query for the totals behind the ranks; the reports are linked for `user` only if
    they may open them."""
    run = row.run
    rules = run.rules
    level = "department" if isinstance(row, DepartmentScore) else "official"
    prefix = "" if level == "department" else "official_"
    breakdown = breakdown_of(row)
    k = _setting(rules["prior_k"])
    labels = _component_labels(level)

    components = []
    contributions = []
    for key, (label, measure) in labels.items():
        c = breakdown.get("components", {}).get(key)
        if c is None:
            continue
        rule_weight = _setting(rules[f"{prefix}weight_{key}"])
        weight = c["weight"] or 0
        adjusted = c["adjusted"]
        contribution = weight * adjusted if adjusted is not None else 0.0
        if c["left_out"]:
            formula = contribution_formula = ""
        elif c["no_data"]:
            formula = _num(c["city_mean"])
            contribution_formula = (
                f"{_setting(round(weight, 4))} × {_num(adjusted)} = {_num(contribution)}"
            )
        else:
            formula = "({n} × {mean} + {k} × {city}) ÷ ({n} + {k}) = {adj}".format(
                n=c["n"], mean=_num(c["mean"]), k=k, city=_num(c["city_mean"]), adj=_num(adjusted)
            )
            contribution_formula = (
                f"{_setting(round(weight, 4))} × {_num(adjusted)} = {_num(contribution)}"
            )
        if not c["left_out"]:
            contributions.append(_num(contribution))
        components.append(
            ComponentExplanation(
                key=key,
                label=label,
                measure=measure,
                n=c["n"],
                mean=_num(c["mean"]),
                city_mean=_num(c["city_mean"]),
                k=k,
                adjusted=_num(adjusted),
                weight=_setting(round(weight, 4)),
                rule_weight=rule_weight,
                scaled=abs(weight - float(rule_weight)) > 1e-9 and not c["left_out"],
                contribution=_num(contribution),
                no_data=c["no_data"],
                left_out=c["left_out"],
                formula=formula,
                contribution_formula=contribution_formula,
                flag=c.get("flag"),
            )
        )

    per = Decimal(str(rules[f"{prefix}praise_bonus"]))
    cap = Decimal(str(rules[f"{prefix}praise_cap"]))
    bonus = min(row.praise_count * per, cap)
    unkind_per = Decimal(str(rules[f"{prefix}unkind_deduction"]))
    deduction = row.unkind_count * unkind_per
    before = Decimal(str(row.base)) + bonus - deduction
    clamped_to = "0" if before < 0 else "100" if before > 100 else None
    links = report_links_for(user, row.department_id)

    def receipts(numbers: list[str]) -> list[Receipt]:
        return [
            Receipt(n, reverse("complaints:case", args=[n]) if links else None) for n in numbers
        ]

    period = run.period
    if level == "department":
        window = (
            (period.deduction_starts_on, period.deduction_ends_on)
            if period.has_deduction_window
            else None
        )
    else:
        window = (period.starts_on, period.ends_on)

    explanation = Explanation(
        level=level,
        row=row,
        run=run,
        components=components,
        base=_num(row.base),
        base_formula=" + ".join(contributions) + f" = {_num(row.base)}",
        praise_count=row.praise_count,
        praise_per=_setting(per),
        praise_cap=_setting(cap),
        bonus=_num(bonus),
        bonus_capped=row.praise_count * per > cap,
        praise=receipts(breakdown.get("praise", [])),
        unkind_count=row.unkind_count,
        unkind_per=_setting(unkind_per),
        deduction=_num(deduction),
        unkind=receipts(breakdown.get("unkind", [])),
        window=window,
        before_clamp=_num(before),
        clamped_to=clamped_to,
        final=_num(breakdown.get("final", float(row.score)), 4),
        score=_num(row.score),
        left_out=[c.label for c in components if c.left_out],
        replicates=rules.get("bootstrap_replicates"),
    )
    if level == "department":
        totals = DepartmentScore.objects.filter(run=run).aggregate(
            all=Count("pk"), bureau=Count("pk", filter=Q(bureau_id=row.bureau_id))
        )
        explanation.rank_of, explanation.bureau_of = totals["all"], totals["bureau"]
        explanation.mark_count = int(rules["award_count"])
    else:
        explanation.rank_of = OfficialScore.objects.filter(run=run, rank__isnull=False).count()
        explanation.minimum = int(rules["minimum_responses"])
        explanation.responses = row.t_n + row.h_n
        explanation.mark_count = int(rules["encourage_count"])
    return explanation
