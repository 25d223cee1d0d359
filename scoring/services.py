"""Periods, ranking runs and publication.

Computing a run: the period's responses are aggregated in the database (one grouped query
per component: counts per department or official and per distinct score, so the sums stay
exact), the formulas of `scoring.rules` are applied to the aggregates, and every row is
written in the one transaction that marks the run completed.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Report
from kindness.models import Department, Official
from scoring import rules
from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun, RuleSet
from surveys.models import HappyCall, PhoneSurvey, VisitSurvey

log = logging.getLogger(__name__)

DEPARTMENT_COMPONENTS = ("v", "t", "h")
OFFICIAL_COMPONENTS = ("t", "h")


class ScoringError(Exception):
    """A request the scoring service refuses, with a message for the person who made it."""


# --- periods -----------------------------------------------------------------------------

PERIOD_CODE = re.compile(r"^(?P<year>\d{4})(?:-H(?P<half>[12]))?$")


def period_defaults(code: str) -> dict:
    """Kind, dates and deduction window of a standard code: `2026-H1`, `2026-H2`, `2026`."""
    match = PERIOD_CODE.match(code)
    if not match:
        raise ScoringError(
            _("“%(code)s” is not a standard period code (2026-H1, 2026-H2 or 2026); give the first and last day for a custom period.")
            % {"code": code}
        )
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ScoringError(_("The year %(year)s is out of range.") % {"year": year})
    jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if match["half"] == "1":
        return {"kind": Period.Kind.FIRST_HALF, "starts_on": jan1,
                "ends_on": datetime.date(year, 6, 30), "deduction": None}
    if match["half"] == "2":
        # The programme deducts unkindness in the second-half evaluation over the whole year.
        return {"kind": Period.Kind.SECOND_HALF, "starts_on": datetime.date(year, 7, 1),
                "ends_on": dec31, "deduction": (jan1, dec31)}
    return {"kind": Period.Kind.YEAR, "starts_on": jan1, "ends_on": dec31, "deduction": (jan1, dec31)}


def period_create(
    *,
    code: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    deduction_starts_on: datetime.date | None = None,
    deduction_ends_on: datetime.date | None = None,
    rule_set: RuleSet | None = None,
) -> Period:
    """Create a period: a standard code takes the dates of SPEC section 5 (dates given
    override them); any other code is a custom period and needs both dates."""
    code = (code or "").strip()
    if not code or len(code) > 20 or not re.fullmatch(r"[\w.-]+", code):
        raise ScoringError(_("A period code is 1-20 letters, digits, dots, dashes or underscores."))
    if Period.objects.filter(code=code).exists():
        raise ScoringError(_("The period %(code)s exists already.") % {"code": code})
    if PERIOD_CODE.match(code):
        defaults = period_defaults(code)
        kind = defaults["kind"]
        starts_on = starts_on or defaults["starts_on"]
        ends_on = ends_on or defaults["ends_on"]
        if deduction_starts_on is None and deduction_ends_on is None and defaults["deduction"]:
            deduction_starts_on, deduction_ends_on = defaults["deduction"]
    else:
        if not (starts_on and ends_on):
            raise ScoringError(
                _("“%(code)s” is not a standard period code (2026-H1, 2026-H2 or 2026); give the first and last day for a custom period.")
                % {"code": code}
            )
        kind = Period.Kind.CUSTOM
    if ends_on < starts_on:
        raise ScoringError(_("The last day comes before the first day."))
    if (deduction_starts_on is None) != (deduction_ends_on is None):
        raise ScoringError(_("Give both ends of the deduction window, or neither."))
    if deduction_starts_on and deduction_ends_on < deduction_starts_on:
        raise ScoringError(_("The deduction window ends before it starts."))
    rule_set = rule_set or RuleSet.current()
    rule_set_check(rule_set)
    return Period.objects.create(
        code=code, kind=kind, starts_on=starts_on, ends_on=ends_on, rule_set=rule_set,
        deduction_starts_on=deduction_starts_on, deduction_ends_on=deduction_ends_on,
    )


def period_get(code: str) -> Period:
    try:
        return Period.objects.select_related("rule_set").get(code=code)
    except Period.DoesNotExist:
        raise ScoringError(_("There is no period %(code)s.") % {"code": code}) from None


def rule_set_check(rule_set: RuleSet) -> None:
    """Refuse a rule set the formulas cannot use (weights not summing to 1, negatives)."""
    from django.core.exceptions import ValidationError

    try:
        rule_set.clean()
    except ValidationError as error:
        messages = [str(m) for msgs in error.message_dict.values() for m in msgs]
        raise ScoringError(
            _("Rule set v%(version)s cannot be used: %(reason)s")
            % {"version": rule_set.version, "reason": " ".join(messages)}
        ) from None


# --- runs --------------------------------------------------------------------------------


def run_request(
    *, period: Period, trigger: str, user=None, rerun_of: RankingRun | None = None,
    send: bool = True,
) -> RankingRun:
    """Create a queued run and send it to the worker once the transaction commits.

    Refused while another run of the period is queued or computing."""
    from scoring.tasks import compute_rankings

    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        # Checked on the locked row: the caller's copy may predate a change of rule set.
        rule_set_check(period.rule_set)
        busy = period.runs.filter(status__in=[RankingRun.Status.QUEUED, RankingRun.Status.RUNNING])
        if busy.exists():
            raise ScoringError(
                _("Run #%(number)s of %(code)s is still being computed; wait for it to finish.")
                % {"number": busy.first().number, "code": period.code}
            )
        run = _run_create(period, trigger=trigger, user=user, rerun_of=rerun_of)
        if send:
            transaction.on_commit(lambda: compute_rankings.delay(run.pk))
    return run


def _run_create(period: Period, *, trigger: str, user=None, rerun_of=None) -> RankingRun:
    number = (period.runs.aggregate(m=Max("number"))["m"] or 0) + 1
    rule_set = period.rule_set
    return RankingRun.objects.create(
        period=period, number=number, trigger=trigger,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        rule_set=rule_set, rules=rule_set.as_dict(), rerun_of=rerun_of,
    )


def _progress(run: RankingRun, percent: int, stage: str) -> None:
    """Record progress in its own autocommitted write, outside the run's transaction."""
    now = timezone.now()
    RankingRun.objects.filter(pk=run.pk, status=RankingRun.Status.RUNNING).update(
        progress=percent, stage=stage, heartbeat_at=now
    )
    run.progress, run.stage, run.heartbeat_at = percent, stage, now


def run_execute(run_id: int) -> RankingRun:
    """Compute a run. Safe to repeat: a run already finished, or computing with a recent
    sign of life, is left alone; a run found computing but silent belongs to an attempt
    whose worker died (its message came back after the broker's visibility timeout), so it
    is marked failed and a rerun is computed in its place."""
    with transaction.atomic():
        run = RankingRun.objects.select_for_update().get(pk=run_id)
        if run.status == RankingRun.Status.RUNNING:
            stale = timezone.now() - datetime.timedelta(seconds=settings.SCORING_STALE_AFTER_S)
            if run.heartbeat_at and run.heartbeat_at > stale:
                return run  # a duplicate message while a live worker computes it
            run_fail(run, _("The worker stopped while computing this run."))
            run = _run_create(run.period, trigger=RankingRun.Trigger.RERUN, rerun_of=run)
        elif run.status != RankingRun.Status.QUEUED:
            return run
        now = timezone.now()
        run.status = RankingRun.Status.RUNNING
        run.started_at = run.heartbeat_at = now
        run.stage = "reading"
        run.save(update_fields=["status", "started_at", "heartbeat_at", "stage"])
    try:
        _compute(run)
    except ScoringError as error:
        run_fail(run, str(error))
    except Exception:
        log.exception("ranking run %s failed", run.pk)
        run_fail(run, _("An unexpected error stopped the computation; it has been logged."))
        raise
    run.refresh_from_db()
    return run


def run_fail(run: RankingRun, reason: str) -> None:
    RankingRun.objects.filter(
        pk=run.pk, status__in=[RankingRun.Status.QUEUED, RankingRun.Status.RUNNING]
    ).update(status=RankingRun.Status.FAILED, error=reason, finished_at=timezone.now())
    run.status, run.error = RankingRun.Status.FAILED, reason


def runs_recover(*, stale_after: datetime.timedelta | None = None) -> list[RankingRun]:
    """Mark failed the runs whose worker died (no sign of life for longer than a task may
    run) and queue a rerun of each; resend queued runs whose message was lost."""
    stale_after = stale_after if stale_after is not None else datetime.timedelta(
        seconds=settings.SCORING_STALE_AFTER_S
    )
    cutoff = timezone.now() - stale_after
    reruns = []
    for run in RankingRun.objects.filter(
        status=RankingRun.Status.RUNNING, heartbeat_at__lte=cutoff
    ).select_related("period"):
        run_fail(run, _("The worker stopped while computing this run."))
        try:
            reruns.append(run_request(period=run.period, trigger=RankingRun.Trigger.RERUN, rerun_of=run))
        except ScoringError:
            continue
    from scoring.tasks import compute_rankings

    for run in RankingRun.objects.filter(status=RankingRun.Status.QUEUED, requested_at__lte=cutoff):
        compute_rankings.delay(run.pk)
    return reruns


# --- publication -------------------------------------------------------------------------


def run_publish(*, run: RankingRun, user) -> RankingRun:
    """Publish a computed run; the period's published run, if any, becomes superseded.

    Locks the period, so two managers publishing at once are served one after the other."""
    with transaction.atomic():
        Period.objects.select_for_update().get(pk=run.period_id)
        run = RankingRun.objects.select_related("period").get(pk=run.pk)
        Status = RankingRun.Status
        if run.status in (Status.QUEUED, Status.RUNNING):
            raise ScoringError(_("Run #%(number)s is still being computed.") % {"number": run.number})
        if run.status == Status.FAILED:
            raise ScoringError(_("Run #%(number)s failed; it cannot be published.") % {"number": run.number})
        if run.status == Status.PUBLISHED:
            raise ScoringError(_("Run #%(number)s is published already.") % {"number": run.number})
        if run.status == Status.SUPERSEDED:
            raise ScoringError(
                _("Run #%(number)s was published and has been superseded; publish a newer run instead.")
                % {"number": run.number}
            )
        current = run.period.runs.filter(status=Status.PUBLISHED).first()
        if current and current.number > run.number:
            raise ScoringError(
                _("Run #%(newer)s, newer than #%(number)s, is published already.")
                % {"newer": current.number, "number": run.number}
            )
        now = timezone.now()
        if current:
            current.status, current.superseded_at = Status.SUPERSEDED, now
            current.save(update_fields=["status", "superseded_at"])
        run.status, run.published_at = Status.PUBLISHED, now
        run.published_by = user if getattr(user, "is_authenticated", False) else None
        run.save(update_fields=["status", "published_at", "published_by"])
    return run


# --- computation -------------------------------------------------------------------------


@dataclass
class Inputs:
    """The period's aggregates: per component, per department or official id."""

    department: dict[str, dict[int, rules.Aggregate]] = field(default_factory=dict)
    department_city: dict[str, rules.Aggregate] = field(default_factory=dict)
    official: dict[str, dict[int, rules.Aggregate]] = field(default_factory=dict)
    official_city: dict[str, rules.Aggregate] = field(default_factory=dict)
    # Counted reports: (receipt number, id) lists per department / official.
    department_praise: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    department_unkind: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    official_praise: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    official_unkind: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def empty(self) -> bool:
        return not (
            any(a.n for a in self.department_city.values())
            or any(a.n for a in self.official_city.values())
            or self.department_praise or self.department_unkind
        )


def _grouped(queryset, key: str, value: str, to_score) -> tuple[dict[int, rules.Aggregate], rules.Aggregate]:
    """Sum and count per `key` in one grouped query (grouped by distinct score too, so the
    sums are exact), plus the city-wide total."""
    per: dict[int, rules.Aggregate] = defaultdict(rules.Aggregate)
    city = rules.Aggregate()
    rows = queryset.order_by().values_list(key, value).annotate(n=Count("pk"))
    for owner, raw, n in rows:
        part = rules.Aggregate(to_score(raw) * n, n)
        city = city + part
        if owner is not None:
            per[owner] = per[owner] + part
    return dict(per), city


def inputs_collect(period: Period) -> Inputs:
    start, end = period.starts_on, period.ends_on
    inputs = Inputs()
    score = rules.exact

    visits = VisitSurvey.objects.filter(
        surveyed_on__range=(start, end), response_score__isnull=False
    )
    calls = PhoneSurvey.objects.filter(called_on__range=(start, end))
    happy = HappyCall.objects.filter(answered_on__range=(start, end))
    inputs.department["v"], inputs.department_city["v"] = _grouped(
        visits, "department_id", "response_score", score
    )
    inputs.department["t"], inputs.department_city["t"] = _grouped(
        calls, "department_id", "score", score
    )
    inputs.department["h"], inputs.department_city["h"] = _grouped(
        happy.filter(response_score__isnull=False), "department_id", "response_score", score
    )
    inputs.official["t"], inputs.official_city["t"] = _grouped(
        calls.filter(answered=True), "answered_by_id", "score", score
    )
    inputs.official["h"], inputs.official_city["h"] = _grouped(
        happy.filter(kindness_answer__isnull=False), "official_id", "kindness_answer",
        lambda v: Fraction((v - 1) * 25),
    )

    counted = Report.objects.annotate(
        scored_department=Coalesce("decided_department_id", "department_id")
    ).order_by("receipt_no")
    period_praise = counted.counted_praise().decided_between(start, end)
    for receipt, department_id, official_id in period_praise.values_list(
        "receipt_no", "scored_department", "official_id"
    ):
        inputs.department_praise[department_id].append(receipt)
        if official_id:
            inputs.official_praise[official_id].append(receipt)
    if period.has_deduction_window:
        window = counted.substantiated().decided_between(
            period.deduction_starts_on, period.deduction_ends_on
        )
        for receipt, department_id in window.values_list("receipt_no", "scored_department"):
            inputs.department_unkind[department_id].append(receipt)
    # Individuals lose points for the period's unkindness, whatever the deduction window.
    for receipt, official_id in (
        counted.substantiated().decided_between(start, end).filter(official__isnull=False)
        .values_list("receipt_no", "official_id")
    ):
        inputs.official_unkind[official_id].append(receipt)
    return inputs


def fingerprint(period: Period) -> dict:
    """A cheap description of the inputs: per source table its row count, highest id and
    latest change. Equal fingerprints (and rules) mean a rerun would give the same rows."""
    tables = {
        "visit_surveys": (VisitSurvey, "imported_at"),
        "phone_surveys": (PhoneSurvey, "imported_at"),
        "happy_calls": (HappyCall, "updated_at"),
        "reports": (Report, "updated_at"),
        "officials": (Official, "updated_at"),
    }
    out: dict = {
        "period": [period.starts_on.isoformat(), period.ends_on.isoformat(),
                   period.deduction_starts_on.isoformat() if period.deduction_starts_on else None,
                   period.deduction_ends_on.isoformat() if period.deduction_ends_on else None],
    }
    for name, (model, changed) in tables.items():
        values = model.objects.order_by().aggregate(
            rows=Count("pk"), max_id=Max("pk"), changed=Max(changed)
        )
        if values["changed"]:
            values["changed"] = values["changed"].isoformat()
        out[name] = values
    # Departments and bureaus keep no change time, and a rename, a move to another bureau or
    # a deactivation changes the rows; they are few, so what the rows show of them is hashed.
    departments = list(
        Department.objects.order_by("pk").values_list(
            "pk", "code", "name", "active", "bureau_id", "bureau__name"
        )
    )
    out["departments"] = {
        "rows": len(departments),
        "max_id": departments[-1][0] if departments else None,
        "digest": hashlib.sha256(repr(departments).encode()).hexdigest(),
    }
    return out


def _fraction_to_json(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _components_json(result: rules.Score) -> dict:
    return {
        c.name: {
            "mean": _fraction_to_json(c.raw_mean),
            "n": c.n,
            "city_mean": _fraction_to_json(c.city_mean),
            "adjusted": _fraction_to_json(c.adjusted),
            "weight": _fraction_to_json(c.weight),
            "no_data": c.no_data,
            "left_out": c.left_out,
        }
        for c in result.components
    }


def _rounded(result: rules.Score, name: str):
    return rules.round_half_up(result.component(name).adjusted)


def _compute(run: RankingRun) -> None:
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    period = run.period
    r = run.rules
    f = rules.exact
    RankingRun.objects.filter(pk=run.pk).update(fingerprint=fingerprint(period))
    inputs = inputs_collect(period)
    timings["read"] = round(time.perf_counter() - clock, 3)
    if inputs.empty:
        raise ScoringError(
            _("Period %(code)s has no survey responses and no counted reports: there is nothing to rank.")
            % {"code": period.code}
        )
    _progress(run, 40, "computing")
    clock = time.perf_counter()

    notes = []
    labels = {"v": _("visitor survey (V)"), "t": _("telephone survey (T)"), "h": _("happy-call survey (H)")}
    for name in DEPARTMENT_COMPONENTS:
        if not inputs.department_city[name].n:
            notes.append(
                _("No %(component)s responses in the whole city this period: the component is left out of department scores and the other weights are scaled to sum to 1.")
                % {"component": labels[name]}
            )
    individual_labels = {"t": _("answered calls"), "h": _("kindness answers in happy-calls")}
    for name in OFFICIAL_COMPONENTS:
        if not inputs.official_city[name].n:
            notes.append(
                _("No %(measure)s in the whole city this period: left out of individual scores, the other weight scaled to 1.")
                % {"measure": individual_labels[name]}
            )

    # Departments: every active one, and an inactive one that has data in the period.
    department_weights = {"v": f(r["weight_v"]), "t": f(r["weight_t"]), "h": f(r["weight_h"])}
    with_data = set()
    for per in inputs.department.values():
        with_data.update(per)
    with_data.update(inputs.department_praise, inputs.department_unkind)
    departments = list(
        Department.objects.filter(models.Q(active=True) | models.Q(pk__in=with_data))
        .select_related("bureau")
    )
    department_rows = []
    try:
        for department in departments:
            praise = inputs.department_praise.get(department.pk, [])
            unkind = inputs.department_unkind.get(department.pk, [])
            result = rules.score(
                {name: inputs.department[name].get(department.pk, rules.Aggregate()) for name in DEPARTMENT_COMPONENTS},
                inputs.department_city, department_weights, f(r["prior_k"]),
                len(praise), f(r["praise_bonus"]), f(r["praise_cap"]),
                len(unkind), f(r["unkind_deduction"]),
            )
            department_rows.append((department, result, praise, unkind))
    except rules.NoData:
        raise ScoringError(
            _("Period %(code)s has no survey responses in the whole city: departments cannot be scored.")
            % {"code": period.code}
        ) from None

    # Officials: every active one, and an inactive one with responses or counted reports.
    official_weights = {"t": f(r["official_weight_t"]), "h": f(r["official_weight_h"])}
    with_data = set()
    for per in inputs.official.values():
        with_data.update(per)
    with_data.update(inputs.official_praise, inputs.official_unkind)
    officials = list(
        Official.objects.filter(models.Q(active=True) | models.Q(pk__in=with_data))
        .select_related("department__bureau")
    )
    official_rows = []
    has_individual_data = any(inputs.official_city[name].n for name in OFFICIAL_COMPONENTS)
    if has_individual_data:
        for official in officials:
            praise = inputs.official_praise.get(official.pk, [])
            unkind = inputs.official_unkind.get(official.pk, [])
            result = rules.score(
                {name: inputs.official[name].get(official.pk, rules.Aggregate()) for name in OFFICIAL_COMPONENTS},
                inputs.official_city, official_weights, f(r["prior_k"]),
                len(praise), f(r["official_praise_bonus"]), f(r["official_praise_cap"]),
                len(unkind), f(r["official_unkind_deduction"]),
            )
            official_rows.append((official, result, praise, unkind))
    else:
        notes.append(_("No answered calls and no kindness answers this period: individuals are not scored."))

    # Ranks: departments city-wide and within their bureau; officials with enough data.
    dept_entries = [(res.rounded, d.name, d.code) for d, res, _p, _u in department_rows]
    city_ranks = dict(rules.rank(dept_entries))
    order = [i for i, _rank in rules.rank(dept_entries)]
    bureau_ranks: dict[int, int] = {}
    by_bureau: dict[int, list[int]] = defaultdict(list)
    for i, (d, _res, _p, _u) in enumerate(department_rows):
        by_bureau[d.bureau_id].append(i)
    for indexes in by_bureau.values():
        for local, bureau_rank in rules.rank([dept_entries[i] for i in indexes]):
            bureau_ranks[indexes[local]] = bureau_rank

    minimum = int(r["minimum_responses"])
    ranked_idx = [
        i for i, (_o, res, _p, _u) in enumerate(official_rows)
        if sum(c.n for c in res.components) >= minimum
    ]
    official_entries = [(official_rows[i][1].rounded, official_rows[i][0].name, official_rows[i][0].employee_no) for i in ranked_idx]
    official_ranks = {ranked_idx[local]: rank for local, rank in rules.rank(official_entries)}
    official_order = [ranked_idx[local] for local, _rank in rules.rank(official_entries)]
    unranked = sorted(
        (i for i in range(len(official_rows)) if i not in official_ranks),
        key=lambda i: (official_rows[i][0].name, official_rows[i][0].employee_no),
    )
    official_order += unranked
    timings["compute"] = round(time.perf_counter() - clock, 3)

    _progress(run, 70, "writing")
    clock = time.perf_counter()
    award_count = int(r["award_count"])
    encourage_count = int(r["encourage_count"])
    department_objects = []
    for position, i in enumerate(order, start=1):
        d, res, praise, unkind = department_rows[i]
        department_objects.append(DepartmentScore(
            run=run, department=d, bureau=d.bureau, code=d.code, name=d.name,
            bureau_name=d.bureau.name, rank=city_ranks[i], bureau_rank=bureau_ranks[i],
            award=city_ranks[i] <= award_count, position=position,
            score=res.rounded, base=float(res.base),
            v=_rounded(res, "v"), t=_rounded(res, "t"), h=_rounded(res, "h"),
            v_n=res.component("v").n, t_n=res.component("t").n, h_n=res.component("h").n,
            bonus=rules.round_half_up(res.bonus), deduction=rules.round_half_up(res.deduction),
            praise_count=res.praise_count, unkind_count=res.unkind_count,
            breakdown={"components": _components_json(res), "final": float(res.final),
                       "praise": praise, "unkind": unkind},
        ))
    official_objects = []
    for position, i in enumerate(official_order, start=1):
        o, res, praise, unkind = official_rows[i]
        rank = official_ranks.get(i)
        official_objects.append(OfficialScore(
            run=run, official=o, employee_no=o.employee_no, name=o.name,
            department=o.department, department_name=o.department.name,
            bureau_name=o.department.bureau.name, rank=rank, insufficient=rank is None,
            encourage=rank is not None and rank <= encourage_count, position=position,
            score=res.rounded, base=float(res.base),
            t=_rounded(res, "t"), h=_rounded(res, "h"),
            t_n=res.component("t").n, h_n=res.component("h").n,
            bonus=rules.round_half_up(res.bonus), deduction=rules.round_half_up(res.deduction),
            praise_count=res.praise_count, unkind_count=res.unkind_count,
            breakdown={"components": _components_json(res), "final": float(res.final),
                       "praise": praise, "unkind": unkind},
        ))

    with transaction.atomic():
        locked = RankingRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RankingRun.Status.RUNNING:
            return  # marked failed meanwhile (its worker was presumed dead): write nothing
        DepartmentScore.objects.bulk_create(department_objects, batch_size=500)
        OfficialScore.objects.bulk_create(official_objects, batch_size=500)
        pause = settings.SCORING_WRITE_PAUSE_S
        if pause:
            time.sleep(pause)  # fault injection for the worker-loss test only
        timings["write"] = round(time.perf_counter() - clock, 3)
        locked.status = RankingRun.Status.COMPLETED
        locked.progress, locked.stage = 100, "done"
        locked.notes = [str(n) for n in notes]
        locked.timings = timings
        locked.finished_at = locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["status", "progress", "stage", "notes", "timings", "finished_at", "heartbeat_at"])


# --- reading -----------------------------------------------------------------------------


def run_latest_completed(period: Period) -> RankingRun | None:
    """The period's latest run that finished computing, published or not."""
    return (
        period.runs.filter(status__in=[RankingRun.Status.COMPLETED, RankingRun.Status.PUBLISHED, RankingRun.Status.SUPERSEDED])
        .order_by("-number")
        .first()
    )
