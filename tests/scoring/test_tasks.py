"""The nightly recomputation and the recovery of runs whose worker died (SPEC section 5).
Tasks run in process here (no broker); a run requested by a task is sent once the
request commits, so the tests run the on-commit callbacks."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kindness.models import Department
from scoring.models import RankingRun, RuleSet
from scoring.services import period_create, run_request
from scoring.tasks import compute_rankings, recompute_open_periods, recover_runs
from tests.scoring.test_services import build_city
from tests.scoring.test_small_city import visit

Status = RankingRun.Status


@pytest.fixture
def periods(db):
    """2025-H1 open, with data; 2025-H2 closed; next year's first half not begun."""
    open_ = build_city()
    closed = period_create(code="2025-H2")
    closed.closed = True
    closed.save()
    future = period_create(code=f"{timezone.localdate().year + 1}-H1")
    return open_, closed, future


def nightly(capture) -> int:
    with capture(execute=True):
        queued = recompute_open_periods.delay().get()
    return queued


def test_nightly_run_computes_open_periods_that_have_begun(
    periods, django_capture_on_commit_callbacks
):
    open_, closed, future = periods
    assert nightly(django_capture_on_commit_callbacks) == 1
    run = RankingRun.objects.get()
    assert run.period == open_
    assert (run.trigger, run.status) == (RankingRun.Trigger.NIGHTLY, Status.COMPLETED)
    assert run.departments.count() == 2
    assert not closed.runs.exists() and not future.runs.exists()


def test_nightly_run_skips_a_period_whose_inputs_and_rules_are_unchanged(
    periods, django_capture_on_commit_callbacks
):
    nightly(django_capture_on_commit_callbacks)
    assert nightly(django_capture_on_commit_callbacks) == 0
    assert RankingRun.objects.count() == 1


def test_nightly_run_recomputes_when_the_data_changed(periods, django_capture_on_commit_callbacks):
    open_ = periods[0]
    nightly(django_capture_on_commit_callbacks)
    before = open_.runs.get().departments.get(code="D1").score
    visit(Department.objects.get(code="D1"), datetime.date(2025, 3, 9), 1)
    assert nightly(django_capture_on_commit_callbacks) == 1
    latest = open_.runs.get(number=2)
    assert latest.status == Status.COMPLETED
    assert latest.departments.get(code="D1").score < before


def test_nightly_run_recomputes_when_a_department_is_renamed(
    periods, django_capture_on_commit_callbacks
):
    open_ = periods[0]
    nightly(django_capture_on_commit_callbacks)
    Department.objects.filter(code="D1").update(name="행정과")
    assert nightly(django_capture_on_commit_callbacks) == 1
    assert open_.runs.get(number=2).departments.get(code="D1").name == "행정과"
    assert open_.runs.get(number=1).departments.get(code="D1").name == "총무과"


def test_nightly_run_recomputes_when_the_period_has_a_new_rule_set(
    periods, django_capture_on_commit_callbacks
):
    open_ = periods[0]
    nightly(django_capture_on_commit_callbacks)
    open_.rule_set = RuleSet.objects.create(version=2, name="v2", praise_bonus=Decimal("1"))
    open_.save()
    assert nightly(django_capture_on_commit_callbacks) == 1
    assert open_.runs.get(number=2).rules["version"] == 2


def test_nightly_run_recomputes_a_period_whose_only_run_failed(
    periods, django_capture_on_commit_callbacks
):
    open_ = periods[0]
    RankingRun.objects.create(
        period=open_, number=1, trigger="command", rule_set=open_.rule_set, status=Status.FAILED
    )
    assert nightly(django_capture_on_commit_callbacks) == 1
    assert open_.runs.get(number=2).status == Status.COMPLETED


def test_nightly_run_leaves_a_period_being_computed_alone(
    periods, django_capture_on_commit_callbacks
):
    open_ = periods[0]
    run_request(period=open_, trigger=RankingRun.Trigger.MANAGER, send=False)
    assert nightly(django_capture_on_commit_callbacks) == 0
    assert open_.runs.count() == 1


def test_compute_task_returns_the_status_and_is_safe_to_repeat(periods):
    run = run_request(period=periods[0], trigger=RankingRun.Trigger.MANAGER, send=False)
    assert compute_rankings.delay(run.pk).get() == Status.COMPLETED
    assert compute_rankings.delay(run.pk).get() == Status.COMPLETED
    assert RankingRun.objects.count() == 1
    assert run.departments.count() == 2


def test_recover_runs_fails_a_stale_run_and_computes_a_rerun(
    periods, django_capture_on_commit_callbacks, settings
):
    settings.SCORING_STALE_AFTER_S = 600
    open_ = periods[0]
    stale = run_request(period=open_, trigger=RankingRun.Trigger.NIGHTLY, send=False)
    long_ago = timezone.now() - datetime.timedelta(seconds=601)
    RankingRun.objects.filter(pk=stale.pk).update(
        status=Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_runs.delay().get() == 1
    stale.refresh_from_db()
    assert stale.status == Status.FAILED and stale.error
    rerun = open_.runs.get(number=2)
    assert (rerun.rerun_of, rerun.trigger, rerun.status) == (
        stale,
        RankingRun.Trigger.RERUN,
        Status.COMPLETED,
    )
    assert rerun.departments.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_runs.delay().get() == 0  # nothing left to recover


def test_recover_runs_leaves_a_run_with_a_recent_heartbeat(periods, settings):
    settings.SCORING_STALE_AFTER_S = 600
    run = run_request(period=periods[0], trigger=RankingRun.Trigger.NIGHTLY, send=False)
    recent = timezone.now() - datetime.timedelta(seconds=60)
    RankingRun.objects.filter(pk=run.pk).update(
        status=Status.RUNNING, started_at=recent, heartbeat_at=recent
    )
    assert recover_runs.delay().get() == 0
    run.refresh_from_db()
    assert run.status == Status.RUNNING
