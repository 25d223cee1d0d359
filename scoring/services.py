"""Periods, ranking runs and publication.

Computing a run: the period's responses are aggregated in the database (`scoring.inputs`:
one grouped pass per survey table, counts per department or official and per distinct
score, so the sums stay exact), the formulas of `scoring.rules` are applied to the aggregates, and every row is
written in the one transaction that marks the run completed.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections import defaultdict
from fractions import Fraction

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kindness.models import Department, Official
from scoring import rules
from scoring.inputs import Inputs, fingerprint, fingerprint_of, inputs_collect  # noqa: F401
from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun, RuleSet
from scoring.rows import rows_insert

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
            _(
                "“%(code)s” is not a standard period code (2026-H1, 2026-H2 or 2026); give the first and last day for a custom period."
            )
            % {"code": code}
        )
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ScoringError(_("The year %(year)s is out of range.") % {"year": year})
    jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if match["half"] == "1":
        return {
            "kind": Period.Kind.FIRST_HALF,
            "starts_on": jan1,
            "ends_on": datetime.date(year, 6, 30),
            "deduction": None,
        }
    if match["half"] == "2":
        # The programme deducts unkindness in the second-half evaluation over the whole year.
        return {
            "kind": Period.Kind.SECOND_HALF,
            "starts_on": datetime.date(year, 7, 1),
            "ends_on": dec31,
            "deduction": (jan1, dec31),
        }
    return {
        "kind": Period.Kind.YEAR,
        "starts_on": jan1,
        "ends_on": dec31,
        "deduction": (jan1, dec31),
    }


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
                _(
                    "“%(code)s” is not a standard period code (2026-H1, 2026-H2 or 2026); give the first and last day for a custom period."
                )
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
        code=code,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        rule_set=rule_set,
        deduction_starts_on=deduction_starts_on,
        deduction_ends_on=deduction_ends_on,
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
    *,
    period: Period,
    trigger: str,
    user=None,
    rerun_of: RankingRun | None = None,
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
        period=period,
        number=number,
        trigger=trigger,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        rule_set=rule_set,
        rules=rule_set.as_dict(),
        rerun_of=rerun_of,
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
    stale_after = (
        stale_after
        if stale_after is not None
        else datetime.timedelta(seconds=settings.SCORING_STALE_AFTER_S)
    )
    cutoff = timezone.now() - stale_after
    reruns = []
    for run in RankingRun.objects.filter(
        status=RankingRun.Status.RUNNING, heartbeat_at__lte=cutoff
    ).select_related("period"):
        run_fail(run, _("The worker stopped while computing this run."))
        try:
            reruns.append(
                run_request(period=run.period, trigger=RankingRun.Trigger.RERUN, rerun_of=run)
            )
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
            raise ScoringError(
                _("Run #%(number)s is still being computed.") % {"number": run.number}
            )
        if run.status == Status.FAILED:
            raise ScoringError(
                _("Run #%(number)s failed; it cannot be published.") % {"number": run.number}
            )
        if run.status == Status.PUBLISHED:
            raise ScoringError(_("Run #%(number)s is published already.") % {"number": run.number})
        if run.status == Status.SUPERSEDED:
            raise ScoringError(
                _(
                    "Run #%(number)s was published and has been superseded; publish a newer run instead."
                )
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


def _compute(run: RankingRun) -> None:
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    period = run.period
    r = run.rules
    f = rules.exact
    inputs = inputs_collect(period)
    inputs_read = fingerprint_of(period, inputs)
    timings["read"] = round(time.perf_counter() - clock, 3)
    if inputs.empty:
        raise ScoringError(
            _(
                "Period %(code)s has no survey responses and no counted reports: there is nothing to rank."
            )
            % {"code": period.code}
        )
    _progress(run, 40, "computing")
    clock = time.perf_counter()

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

    # Departments: every active one, and an inactive one that has data in the period.
    with_data = set()
    for per in inputs.department.values():
        with_data.update(per)
    with_data.update(inputs.department_praise, inputs.department_unkind)
    departments = list(
        Department.objects.filter(models.Q(active=True) | models.Q(pk__in=with_data)).values_list(
            "pk", "name", "code", "bureau_id", "bureau__name", named=True
        )
    )
    department_rows = []
    try:
        scorer = rules.Scorer(
            inputs.department_city,
            {"v": f(r["weight_v"]), "t": f(r["weight_t"]), "h": f(r["weight_h"])},
            r["prior_k"],
            r["praise_bonus"],
            r["praise_cap"],
            r["unkind_deduction"],
        )
    except rules.NoData:
        raise ScoringError(
            _(
                "Period %(code)s has no survey responses in the whole city: departments cannot be scored."
            )
            % {"code": period.code}
        ) from None
    for department in departments:
        praise = inputs.department_praise.get(department.pk, [])
        unkind = inputs.department_unkind.get(department.pk, [])
        result = scorer(
            {name: inputs.department[name].get(department.pk) for name in DEPARTMENT_COMPONENTS},
            len(praise),
            len(unkind),
        )
        department_rows.append((department, result, praise, unkind))

    # Officials: every active one, and an inactive one with responses or counted reports.
    with_data = set()
    for per in inputs.official.values():
        with_data.update(per)
    with_data.update(inputs.official_praise, inputs.official_unkind)
    officials = list(
        Official.objects.filter(models.Q(active=True) | models.Q(pk__in=with_data)).values_list(
            "pk",
            "name",
            "employee_no",
            "department_id",
            "department__name",
            "department__bureau__name",
            named=True,
        )
    )
    official_rows = []
    if any(inputs.official_city[name].n for name in OFFICIAL_COMPONENTS):
        scorer = rules.Scorer(
            inputs.official_city,
            {"t": f(r["official_weight_t"]), "h": f(r["official_weight_h"])},
            r["prior_k"],
            r["official_praise_bonus"],
            r["official_praise_cap"],
            r["official_unkind_deduction"],
        )
        for official in officials:
            praise = inputs.official_praise.get(official.pk, [])
            unkind = inputs.official_unkind.get(official.pk, [])
            result = scorer(
                {name: inputs.official[name].get(official.pk) for name in OFFICIAL_COMPONENTS},
                len(praise),
                len(unkind),
            )
            official_rows.append((official, result, praise, unkind))
    else:
        notes.append(
            _("No answered calls and no kindness answers this period: individuals are not scored.")
        )

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
        i
        for i, (_o, res, _p, _u) in enumerate(official_rows)
        if sum(c.n for c in res.components) >= minimum
    ]
    official_entries = [
        (official_rows[i][1].rounded, official_rows[i][0].name, official_rows[i][0].employee_no)
        for i in ranked_idx
    ]
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
    department_values = []
    for position, i in enumerate(order, start=1):
        d, res, praise, unkind = department_rows[i]
        department_values.append(
            {
                "run_id": run.pk,
                "department_id": d.pk,
                "bureau_id": d.bureau_id,
                "code": d.code,
                "name": d.name,
                "bureau_name": d.bureau__name,
                "rank": city_ranks[i],
                "bureau_rank": bureau_ranks[i],
                "award": city_ranks[i] <= award_count,
                "position": position,
                **_score_values(res, DEPARTMENT_COMPONENTS, praise, unkind),
            }
        )
    official_values = []
    for position, i in enumerate(official_order, start=1):
        o, res, praise, unkind = official_rows[i]
        rank = official_ranks.get(i)
        official_values.append(
            {
                "run_id": run.pk,
                "official_id": o.pk,
                "employee_no": o.employee_no,
                "name": o.name,
                "department_id": o.department_id,
                "department_name": o.department__name,
                "bureau_name": o.department__bureau__name,
                "rank": rank,
                "insufficient": rank is None,
                "encourage": rank is not None and rank <= encourage_count,
                "position": position,
                **_score_values(res, OFFICIAL_COMPONENTS, praise, unkind),
            }
        )

    with transaction.atomic():
        locked = RankingRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RankingRun.Status.RUNNING:
            return  # marked failed meanwhile (its worker was presumed dead): write nothing
        rows_insert(DepartmentScore, department_values)
        rows_insert(OfficialScore, official_values)
        pause = settings.SCORING_WRITE_PAUSE_S
        if pause:
            time.sleep(pause)  # fault injection for the worker-loss test only
        timings["write"] = round(time.perf_counter() - clock, 3)
        locked.status = RankingRun.Status.COMPLETED
        locked.progress, locked.stage = 100, "done"
        locked.notes = [str(n) for n in notes]
        locked.fingerprint = inputs_read
        locked.timings = timings
        locked.finished_at = locked.heartbeat_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "progress",
                "stage",
                "notes",
                "fingerprint",
                "timings",
                "finished_at",
                "heartbeat_at",
            ]
        )


def _score_values(result: rules.Score, names, praise: list[str], unkind: list[str]) -> dict:
    """The columns a department's and an official's score row share."""
    values = {
        "score": result.rounded,
        "base": float(result.base),
        "bonus": rules.round_half_up(result.bonus),
        "deduction": rules.round_half_up(result.deduction),
        "praise_count": result.praise_count,
        "unkind_count": result.unkind_count,
        "breakdown": {
            "components": _components_json(result),
            "final": float(result.final),
            "praise": praise,
            "unkind": unkind,
        },
    }
    for component in result.components:
        values[component.name] = rules.round_half_up(component.adjusted)
        values[f"{component.name}_n"] = component.n
    return values


# --- reading -----------------------------------------------------------------------------


def run_latest_completed(period: Period) -> RankingRun | None:
    """The period's latest run that finished computing, published or not."""
    return (
        period.runs.filter(
            status__in=[
                RankingRun.Status.COMPLETED,
                RankingRun.Status.PUBLISHED,
                RankingRun.Status.SUPERSEDED,
            ]
        )
        .order_by("-number")
        .first()
    )
