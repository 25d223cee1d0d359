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

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring import compute, funnel, intervals, rules, score_rows
from scoring.inputs import fingerprint, fingerprint_of, inputs_collect  # noqa: F401
from scoring.models import (
    DepartmentScore,
    OfficialScore,
    Period,
    RankingRun,
    RuleSet,
    RunTallies,
)
from scoring.package import package_store
from scoring.rows import rows_insert

log = logging.getLogger(__name__)


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
    """Publish a computed run and build its publication package; the period's published
    run, if any, becomes superseded (and keeps its own package).

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
        # Built once, here, from the stored tallies; served byte for byte ever after.
        package_store(run)
    return run


# --- computation -------------------------------------------------------------------------


def _compute(run: RankingRun) -> None:
    """Read the period, score and rank every department and official (SPEC section 5),
    and write all rows in the one transaction that marks the run completed."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    period = run.period
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
    settings_used = compute.RunRules.from_stored(run.rules)
    notes = compute.left_out_notes(inputs)

    try:
        department_scorer = settings_used.department_scorer(inputs.department_city)
    except rules.NoData:
        raise ScoringError(
            _(
                "Period %(code)s has no survey responses in the whole city: departments cannot be scored."
            )
            % {"code": period.code}
        ) from None
    departments = compute.departments_scored(
        inputs, department_scorer, compute.departments_to_score(inputs)
    )
    departments = compute.departments_ranked(departments)
    pools = compute.city_pools(inputs)
    compute.departments_flagged(departments, pools)

    officials: list[compute.Scored] = []
    if any(inputs.official_city[name].n for name in compute.OFFICIAL_COMPONENTS):
        official_scorer = settings_used.official_scorer(inputs.official_city)
        officials = compute.officials_scored(
            inputs, official_scorer, compute.officials_to_score(inputs)
        )
        officials = compute.officials_ranked(officials, settings_used.minimum_responses)
    else:
        notes.append(
            _("No answered calls and no kindness answers this period: individuals are not scored.")
        )
    timings["compute"] = round(time.perf_counter() - clock, 3)

    # The tallies the run stores (part of the job: breakdowns and the package read them).
    clock = time.perf_counter()
    tallies = score_rows.tallies_json(inputs, departments, officials)
    timings["tallies"] = round(time.perf_counter() - clock, 3)

    # How sure each rank is: bootstrap from the tallies, timed on its own.
    clock = time.perf_counter()
    seed = intervals.seed_of(period.code, run.rules["version"], tallies)
    compute.intervals_assigned(
        departments, department_scorer, replicates=settings_used.replicates, seed=seed
    )
    if officials:
        compute.intervals_assigned(
            officials, official_scorer, replicates=settings_used.replicates, seed=seed
        )
    timings["intervals"] = round(time.perf_counter() - clock, 3)

    _progress(run, 70, "writing")
    clock = time.perf_counter()
    department_values = score_rows.department_values(run.pk, departments, settings_used.award_count)
    official_values = score_rows.official_values(run.pk, officials, settings_used.encourage_count)
    with transaction.atomic():
        locked = RankingRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RankingRun.Status.RUNNING:
            return  # marked failed meanwhile (its worker was presumed dead): write nothing
        rows_insert(DepartmentScore, department_values)
        rows_insert(OfficialScore, official_values)
        RunTallies.objects.create(
            run=locked, data=tallies, seed=str(seed), replicates=settings_used.replicates
        )
        pause = settings.SCORING_WRITE_PAUSE_S
        if pause:
            time.sleep(pause)  # fault injection for the worker-loss test only
        timings["write"] = round(time.perf_counter() - clock, 3)
        locked.status = RankingRun.Status.COMPLETED
        locked.progress, locked.stage = 100, "done"
        locked.notes = [str(n) for n in notes]
        locked.fingerprint = inputs_read
        locked.timings = timings
        locked.city = {name: funnel.pool_json(pool) for name, pool in pools.items()}
        if officials:
            locked.city["officials"] = score_rows.official_pools(inputs)
        locked.finished_at = locked.heartbeat_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "progress",
                "stage",
                "notes",
                "fingerprint",
                "timings",
                "city",
                "finished_at",
                "heartbeat_at",
            ]
        )


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
