"""Background work of scoring. Tasks take ids and call one service; all are safe to repeat."""

from celery import shared_task
from django.utils import timezone

from scoring.models import Period, RankingRun
from scoring.services import (
    ScoringError,
    fingerprint,
    run_execute,
    run_latest_completed,
    run_request,
    runs_recover,
)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def compute_rankings(run_id: int) -> str:
    """Compute one ranking run (see `scoring.services.run_execute`)."""
    return run_execute(run_id).status


@shared_task
def recompute_open_periods() -> int:
    """Nightly: a provisional run for every open period that has begun, unless its latest
    run was computed from the same inputs with the same rules."""
    today = timezone.localdate()
    queued = 0
    for period in Period.objects.filter(closed=False, starts_on__lte=today).select_related(
        "rule_set"
    ):
        latest = run_latest_completed(period)
        if (
            latest
            and latest.fingerprint == fingerprint(period)
            and latest.rule_set_id == period.rule_set_id
        ):
            continue
        try:
            run_request(period=period, trigger=RankingRun.Trigger.NIGHTLY)
        except ScoringError:
            continue  # a run is being computed already, or the rule set is unusable
        queued += 1
    return queued


@shared_task
def recover_runs() -> int:
    """Mark failed the runs whose worker died and rerun them; resend lost messages."""
    return len(runs_recover())
