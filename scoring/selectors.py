"""Reads of the rankings: which run a visitor may see, its rows by bureau, the trend across
periods, who may see individual rows (SPEC section 5, "Computing and publishing"), and the
plain-words explanation of one score that the public and staff pages share."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.urls import reverse
from django.utils.translation import gettext as _

from kindness.models import Department
from kindness.roles import Role, has_role, scope_of
from scoring import score_rows
from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun, RunTallies

Status = RankingRun.Status
# A published ranking stays public after a newer one supersedes it: both are its history.
PUBLIC_STATUSES = (Status.PUBLISHED, Status.SUPERSEDED)
COMPUTED_STATUSES = (Status.COMPLETED, Status.PUBLISHED, Status.SUPERSEDED)
# Periods whose scores are compared in one trend: halves with halves, years with years.
TREND_FAMILIES = (
    {Period.Kind.FIRST_HALF, Period.Kind.SECOND_HALF},
    {Period.Kind.YEAR},
    {Period.Kind.CUSTOM},
)
RUN_NUMBER = re.compile(r"[0-9]{1,9}")


class NotFound(Exception):
    """What the visitor asked for is not there, or not for them to see; says which."""

    def __init__(self, message: str, *, title: str | None = None, period: Period | None = None):
        super().__init__(message)
        self.message = message
        self.title = title
        self.period = period


# --- who may see what --------------------------------------------------------------------


def may_see_unpublished(user) -> bool:
    """Runs that were never published are for the evaluation office and inspection only."""
    return has_role(user, Role.MANAGER, Role.AUDITOR)


def may_see_all_officials(user) -> bool:
    return has_role(user, Role.MANAGER, Role.AUDITOR)


def may_see_officials(user) -> bool:
    """Individual rankings: managers and auditors all, heads their own people (SPEC
    section 5). Admin (IT), happy-call staff and report officers: none."""
    return has_role(user, Role.MANAGER, Role.AUDITOR, Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD)


def _own_department_ids(user) -> frozenset[int]:
    scope = scope_of(user)
    if not scope.city_wide:
        return scope.department_ids
    # A head who also holds a city-wide role that grants no individual rows (happy-call
    # staff, report officer, admin) still sees only their own people here.
    official = getattr(user, "official", None)
    if official is None:
        return frozenset()
    ids = set()
    if has_role(user, Role.DEPARTMENT_HEAD):
        ids.add(official.department_id)
    if has_role(user, Role.BUREAU_HEAD):
        bureau_id = Department.objects.filter(pk=official.department_id).values("bureau_id")
        ids.update(Department.objects.filter(bureau_id__in=bureau_id).values_list("pk", flat=True))
    return frozenset(ids)


def official_rows_visible_to(user, run: RankingRun) -> QuerySet[OfficialScore] | None:
    """The individual rows of `run` this user may see, in listing order; None when the user
    may not see individual rankings at all (the caller answers 403, or login)."""
    if not getattr(user, "is_authenticated", False) or not may_see_officials(user):
        return None
    rows = OfficialScore.objects.filter(run=run).order_by("position")
    if may_see_all_officials(user):
        return rows
    return rows.filter(department_id__in=_own_department_ids(user))


def report_links_for(user, department_id: int) -> bool:
    """Whether receipt numbers behind a score link to the staff case page: only for staff
    who may open reports, and heads only for their own department's."""
    if not user.has_perm("complaints.view_report"):
        return False
    scope = scope_of(user)
    return scope.city_wide or department_id in scope.department_ids


# --- periods and runs --------------------------------------------------------------------


def runs_awaiting_review() -> QuerySet[RankingRun]:
    """Computed runs not yet published (nor superseded): what a manager reviews. The staff
    home counts them and links to the period list filtered to them (issue 15 item 3)."""
    return RankingRun.objects.filter(status=Status.COMPLETED)


def open_periods() -> QuerySet[Period]:
    """Periods still recomputed every night."""
    return Period.objects.filter(closed=False)


def published_periods() -> list[Period]:
    """Periods with a published run, oldest first (one published run per period at most)."""
    return list(
        Period.objects.filter(runs__status=Status.PUBLISHED).order_by(
            "starts_on", "ends_on", "code"
        )
    )


def latest_published_period() -> Period | None:
    """The period `/rankings/` shows: the one ending last (then starting last) that has a
    published run."""
    return (
        Period.objects.filter(runs__status=Status.PUBLISHED)
        .select_related("rule_set")
        .order_by("-ends_on", "-starts_on", "code")
        .first()
    )


def period_for(code: str) -> Period:
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise NotFound(
            _("There is no evaluation period “%(code)s”.") % {"code": code[:40]},
            title=_("Period not found"),
        )
    return period


def run_for(*, period: Period, user, number: str | None) -> RankingRun:
    """The run to show: the period's published run, or with `?run=N` run N if this user may
    see it (published and superseded runs: everyone; computed, unpublished: managers and
    auditors). Raises NotFound with the reason."""
    runs = RankingRun.objects.filter(period=period).select_related("period")
    if number is None:
        run = runs.filter(status=Status.PUBLISHED).first()
        if run is None:
            raise NotFound(
                _("The rankings of period %(code)s have not been published yet.")
                % {"code": period.code},
                title=_("Not published yet"),
                period=period,
            )
        return run
    if not RUN_NUMBER.fullmatch(number):
        raise NotFound(
            _("“%(run)s” is not a run number: run numbers are whole numbers such as 1, 2 or 3.")
            % {"run": number[:20]},
            title=_("Run not found"),
            period=period,
        )
    statuses = COMPUTED_STATUSES if may_see_unpublished(user) else PUBLIC_STATUSES
    run = runs.filter(number=int(number), status__in=statuses).first()
    if run is None:
        raise NotFound(
            _("Period %(code)s has no run #%(number)s to show.")
            % {"code": period.code, "number": int(number)},
            title=_("Run not found"),
            period=period,
        )
    return run


def publication_stamp() -> tuple:
    """Every public run (published or superseded) with its status and times: it changes
    with every publication. A public rankings page depends on nothing else beside its own
    run, whose rows and period never change once published. (A plain list of the few public
    runs: cheaper to ask for than an aggregate of them.)"""
    return tuple(
        RankingRun.objects.filter(status__in=PUBLIC_STATUSES)
        .order_by("pk")
        .values_list("pk", "status", "published_at", "superseded_at")
    )


def publication_history(period: Period) -> list[RankingRun]:
    """The period's published and superseded runs, newest first."""
    return list(period.runs.filter(status__in=PUBLIC_STATUSES).order_by("-number"))


# --- department rows ---------------------------------------------------------------------


def department_rows(run: RankingRun) -> list[DepartmentScore]:
    return list(DepartmentScore.objects.filter(run=run).defer("breakdown").order_by("position"))


@dataclass(frozen=True)
class BureauTable:
    name: str
    rows: list[DepartmentScore]


def by_bureau(rows: list[DepartmentScore]) -> list[BureauTable]:
    """The rows per bureau, each in bureau-rank order; bureaus by name (code point order)."""
    groups: dict[int, list[DepartmentScore]] = defaultdict(list)
    for row in rows:
        groups[row.bureau_id].append(row)
    tables = [
        BureauTable(
            name=members[0].bureau_name,
            rows=sorted(members, key=lambda r: (r.bureau_rank or 0, r.position)),
        )
        for members in groups.values()
    ]
    return sorted(tables, key=lambda t: t.name)


def department_row(run: RankingRun, code: str) -> DepartmentScore:
    row = DepartmentScore.objects.filter(run=run, code=code).select_related("run__period").first()
    if row is None:
        raise NotFound(
            _("No department with the code “%(code)s” is ranked in %(period)s.")
            % {"code": code[:40], "period": run.period.code},
            title=_("Department not found"),
            period=run.period,
        )
    return row


def official_row(rows: QuerySet[OfficialScore], employee_no: str, run: RankingRun) -> OfficialScore:
    """One individual row among those the user may see; another department's official is
    "not found", so that a head cannot probe who is ranked elsewhere."""
    row = rows.filter(employee_no=employee_no).select_related("run__period").first()
    if row is None:
        raise NotFound(
            _(
                "No official with the employee number “%(number)s” is among the rankings of %(period)s you may see."
            )
            % {"number": employee_no[:40], "period": run.period.code},
            title=_("Official not found"),
            period=run.period,
        )
    return row


# --- trend -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendLine:
    code: str
    name: str
    scores: list[Decimal | None]


@dataclass(frozen=True)
class Trend:
    periods: list[str]
    lines: list[TrendLine]


def trend(period: Period, *, order: list[str] = ()) -> Trend:
    """Each department's published score per period of the same family as `period`
    (halves, years or custom), periods by date, in one query. Lines follow `order`
    (department codes, e.g. the listing order of the run shown), others after by name."""
    family = next(f for f in TREND_FAMILIES if period.kind in f)
    values = (
        DepartmentScore.objects.filter(run__status=Status.PUBLISHED, run__period__kind__in=family)
        .order_by("run__period__starts_on", "run__period__ends_on", "run__period__code", "position")
        .values_list("department_id", "code", "name", "score", "run__period__code")
    )
    periods: list[str] = []
    scores: dict[int, dict[str, Decimal]] = defaultdict(dict)
    names: dict[int, tuple[str, str]] = {}
    for department_id, code, name, score, period_code in values:
        if not periods or periods[-1] != period_code:
            periods.append(period_code)
        scores[department_id][period_code] = score
        names[department_id] = (code, name)  # the latest period's code and name win
    position = {code: i for i, code in enumerate(order)}
    lines = [
        TrendLine(code=code, name=name, scores=[scores[pk].get(p) for p in periods])
        for pk, (code, name) in names.items()
    ]
    lines.sort(key=lambda line: (position.get(line.code, len(position)), line.name, line.code))
    return Trend(periods=periods, lines=lines)


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
