"""The life of a ranking run: requesting one (queued for the worker), executing it
(safe to repeat; a run whose worker died is failed and rerun), failing it, recovering
dead runs, the period's latest computed run, and a run found by its number."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import (
    Period,
    RankingRun,
)
from scoring.services.computing import run_compute
from scoring.services.errors import ScoringError
from scoring.services.periods import rule_set_check

log = logging.getLogger(__name__)
# Run numbers beyond this are not runs (and would overflow the database's integer).
MAX_RUN_NUMBER = 2**31 - 1


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
        run_compute(run)
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


def run_get(*, period: Period, number: int) -> RankingRun:
    """Run `number` of the period. Raises ScoringError, saying which, when there is none."""
    run = period.runs.filter(number=number).first() if 0 < number <= MAX_RUN_NUMBER else None
    if run is None:
        raise ScoringError(
            _("Period %(code)s has no run #%(number)s.") % {"code": period.code, "number": number}
        )
    return run
