"""Computing a run: the period's responses are aggregated in the database
(`scoring.inputs`: one grouped pass per survey table, counts per department or official
and per distinct score, so the sums stay exact), the formulas of `scoring.rules` are
applied to the aggregates (`scoring.compute`), and every row is written in the one
transaction that marks the run completed; progress is recorded on the way."""

from __future__ import annotations

import time
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring import compute, funnel, intervals, rules, score_rows
from scoring.inputs import fingerprint_of, inputs_collect
from scoring.models import (
    DepartmentScore,
    OfficialScore,
    RankingRun,
    RunTallies,
)
from scoring.rows import rows_insert
from scoring.services.errors import ScoringError


def run_progress(run: RankingRun, percent: int, stage: str) -> None:
    """Record progress in its own autocommitted write, outside the run's transaction."""
    now = timezone.now()
    RankingRun.objects.filter(pk=run.pk, status=RankingRun.Status.RUNNING).update(
        progress=percent, stage=stage, heartbeat_at=now
    )
    run.progress, run.stage, run.heartbeat_at = percent, stage, now


def run_compute(run: RankingRun) -> None:
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
    run_progress(run, 40, "computing")
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
    replicates = settings_used.replicates
    with intervals.collection_paused():  # the seed's JSON, too, makes many small objects
        seed = intervals.seed_of(period.code, run.rules["version"], tallies)
        groups = [(departments, department_scorer)]
        groups += [(officials, official_scorer)] if officials else []
        intervals.rank_intervals_at_once(
            [
                partial(
                    compute.intervals_assigned, scored, scorer, replicates=replicates, seed=seed
                )
                for scored, scorer in groups
            ]
        )
    timings["intervals"] = round(time.perf_counter() - clock, 3)

    run_progress(run, 70, "writing")
    clock = time.perf_counter()
    department_values = score_rows.department_values(run.pk, departments, settings_used.award_count)
    official_values = score_rows.official_values(run.pk, officials, settings_used.encourage_count)
    with transaction.atomic():
        locked = RankingRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RankingRun.Status.RUNNING:
            return  # marked failed meanwhile (its worker was presumed dead): write nothing
        rows_insert(DepartmentScore, department_values)
        rows_insert(OfficialScore, official_values)
        RunTallies.objects.create(run=locked, data=tallies, seed=str(seed), replicates=replicates)
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
