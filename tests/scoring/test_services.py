"""Periods, runs and publication (SPEC section 5, "Computing and publishing")."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone, translation

from kindness.models import Bureau, Department, Official
from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun, RuleSet
from scoring.services import (
    ScoringError,
    fingerprint,
    period_create,
    run_execute,
    run_latest_completed,
    run_publish,
    run_request,
    runs_recover,
)
from tests.conftest import require_service, using_postgresql
from tests.scoring.test_small_city import call, happy, report, visit

Status = RankingRun.Status


def build_city():
    """Two departments with a few responses in 2025-H1, and the period."""
    bureau = Bureau.objects.create(name="가국")
    d1 = Department.objects.create(code="D1", name="총무과", bureau=bureau)
    d2 = Department.objects.create(code="D2", name="세무과", bureau=bureau)
    o1 = Official.objects.create(
        employee_no="E01", name="김가", department=d1, employment_type="regular"
    )
    o2 = Official.objects.create(
        employee_no="E02", name="이나", department=d2, employment_type="regular"
    )
    visit(d1, datetime.date(2025, 2, 1), 5)
    visit(d2, datetime.date(2025, 2, 2), 3)
    for on, score in ((datetime.date(2025, 3, 1), 80), (datetime.date(2025, 3, 2), 60)):
        call(o1, on, score, answered_by=o1)
        call(o2, on, score - 10, answered_by=o2)
    call(o2, datetime.date(2025, 3, 3))
    happy(o1, datetime.date(2025, 4, 1), 4, 5)
    happy(o2, datetime.date(2025, 4, 2), 3, 2)
    report(901, "praise", "verified", d1, datetime.date(2025, 5, 1), o1)
    return period_create(code="2025-H1")


@pytest.fixture
def period(db) -> Period:
    return build_city()


def compute(period, trigger=RankingRun.Trigger.COMMAND) -> RankingRun:
    run = run_request(period=period, trigger=trigger, send=False)
    return run_execute(run.pk)


def rows_of(run):
    """Every stored field of every row, without ids and run."""

    def plain(row):
        return model_to_dict(row, exclude=["id", "run"])

    return (
        [plain(r) for r in DepartmentScore.objects.filter(run=run).order_by("position")],
        [plain(r) for r in OfficialScore.objects.filter(run=run).order_by("position")],
    )


def statuses(period):
    return dict(period.runs.values_list("number", "status"))


# --- periods -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_half_period_runs_january_to_june_without_a_deduction_window():
    p = period_create(code="2026-H1")
    assert (p.kind, p.starts_on, p.ends_on) == (
        Period.Kind.FIRST_HALF,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 6, 30),
    )
    assert (p.deduction_starts_on, p.deduction_ends_on) == (None, None)
    assert not p.has_deduction_window
    assert p.rule_set == RuleSet.objects.get(version=1)


@pytest.mark.django_db
def test_second_half_period_deducts_over_the_whole_year():
    p = period_create(code="2026-H2")
    assert (p.kind, p.starts_on, p.ends_on) == (
        Period.Kind.SECOND_HALF,
        datetime.date(2026, 7, 1),
        datetime.date(2026, 12, 31),
    )
    assert (p.deduction_starts_on, p.deduction_ends_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )


@pytest.mark.django_db
def test_year_period_deducts_over_that_year():
    p = period_create(code="2026")
    assert (p.kind, p.starts_on, p.ends_on) == (
        Period.Kind.YEAR,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert (p.deduction_starts_on, p.deduction_ends_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )


@pytest.mark.django_db
def test_custom_period_needs_its_dates():
    with translation.override("en"), pytest.raises(ScoringError, match="first and last day"):
        period_create(code="2026-Q1")
    with pytest.raises(ScoringError):
        period_create(code="2026-Q1", starts_on=datetime.date(2026, 1, 1))
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_custom_period_has_no_deduction_window_unless_given():
    plain = period_create(
        code="2026-Q1", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 3, 31)
    )
    assert (plain.kind, plain.starts_on, plain.ends_on) == (
        Period.Kind.CUSTOM,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    assert not plain.has_deduction_window
    windowed = period_create(
        code="2026-Q2",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30),
        deduction_starts_on=datetime.date(2026, 1, 1),
        deduction_ends_on=datetime.date(2026, 6, 30),
    )
    assert (windowed.deduction_starts_on, windowed.deduction_ends_on) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 6, 30),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": ""}, "1-20 letters"),
        ({"code": "2026 H1"}, "1-20 letters"),
        ({"code": "x" * 21}, "1-20 letters"),
        ({"code": "1999"}, "out of range"),
        (
            {
                "code": "Q",
                "starts_on": datetime.date(2026, 3, 1),
                "ends_on": datetime.date(2026, 2, 1),
            },
            "comes before",
        ),
        ({"code": "2026-H1", "ends_on": datetime.date(2025, 12, 31)}, "comes before"),
        (
            {
                "code": "Q",
                "starts_on": datetime.date(2026, 1, 1),
                "ends_on": datetime.date(2026, 2, 1),
                "deduction_starts_on": datetime.date(2026, 1, 1),
            },
            "or neither",
        ),
        (
            {
                "code": "Q",
                "starts_on": datetime.date(2026, 1, 1),
                "ends_on": datetime.date(2026, 2, 1),
                "deduction_starts_on": datetime.date(2026, 2, 1),
                "deduction_ends_on": datetime.date(2026, 1, 1),
            },
            "ends before it starts",
        ),
    ],
)
def test_bad_period_is_refused_with_a_clear_message(kwargs, message):
    with translation.override("en"), pytest.raises(ScoringError, match=message):
        period_create(**kwargs)
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_period_code_is_unique():
    period_create(code="2026-H1")
    with translation.override("en"), pytest.raises(ScoringError, match="exists already"):
        period_create(code="2026-H1")
    assert Period.objects.count() == 1


# --- rule sets ---------------------------------------------------------------------------


def bad_rule_set():
    # objects.create skips clean(): a rule set an admin could not save, but a script could.
    return RuleSet.objects.create(version=2, name="bad", weight_v=Decimal("0.5"))


@pytest.mark.django_db
def test_period_with_weights_not_summing_to_one_is_refused():
    rule_set = bad_rule_set()
    with (
        translation.override("en"),
        pytest.raises(ScoringError, match=r"must sum to 1 \(they sum to 1.2\)"),
    ):
        period_create(code="2026-H1", rule_set=rule_set)
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_run_with_weights_not_summing_to_one_is_refused(period):
    period.rule_set = bad_rule_set()
    period.save()
    with translation.override("en"), pytest.raises(ScoringError, match="v2 cannot be used"):
        run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    assert not RankingRun.objects.exists()


@pytest.mark.django_db
def test_a_run_checks_the_rule_set_the_period_has_now_not_the_callers_copy(period):
    stale = Period.objects.select_related("rule_set").get(pk=period.pk)  # holds v1
    Period.objects.filter(pk=period.pk).update(rule_set=bad_rule_set())
    with pytest.raises(ScoringError):
        run_request(period=stale, trigger=RankingRun.Trigger.NIGHTLY, send=False)
    assert not RankingRun.objects.exists()


@pytest.mark.django_db
def test_individual_weights_not_summing_to_one_are_refused(period):
    period.rule_set = RuleSet.objects.create(
        version=2, name="bad", official_weight_h=Decimal("0.3")
    )
    period.save()
    with translation.override("en"), pytest.raises(ScoringError, match="individual weights"):
        run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    assert not RankingRun.objects.exists()


@pytest.mark.django_db
def test_a_new_rule_set_leaves_a_published_run_as_it_was(period):
    first = compute(period)
    run_publish(run=first, user=None)
    before_rows, before_rules = rows_of(first), dict(first.rules)
    assert before_rules["weight_v"] == "0.3"
    period.rule_set = RuleSet.objects.create(
        version=2,
        name="new",
        weight_v=Decimal("0.1"),
        weight_t=Decimal("0.6"),
        weight_h=Decimal("0.3"),
    )
    period.save()
    second = compute(period)
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED
    assert first.rule_set.version == 1 and first.rules == before_rules
    assert rows_of(first) == before_rows
    assert second.rules["version"] == 2 and second.rules["weight_v"] == "0.1"
    assert rows_of(second)[0] != before_rows[0]


# --- computing ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_writes_a_row_per_department_and_official(period):
    run = compute(period)
    assert run.status == Status.COMPLETED
    assert (run.progress, run.stage) == (100, "done")
    assert run.started_at and run.finished_at and run.finished_at >= run.started_at
    assert run.rules["version"] == 1
    assert run.fingerprint == fingerprint(period)
    assert run.departments.count() == 2 and run.officials.count() == 2


@pytest.mark.django_db
def test_a_period_with_no_data_fails_with_a_clear_error_and_no_rows(period):
    empty = period_create(code="2024-H1")
    with translation.override("en"):
        run = compute(empty)
    assert run.status == Status.FAILED
    assert "no survey responses and no counted reports" in run.error
    assert run.finished_at is not None
    assert not run.departments.exists() and not run.officials.exists()


@pytest.mark.django_db
def test_a_period_with_reports_but_no_responses_fails_with_a_clear_error(period):
    only_reports = period_create(code="2025-H2")
    report(902, "praise", "verified", Department.objects.get(code="D1"), datetime.date(2025, 8, 1))
    with translation.override("en"):
        run = compute(only_reports)
    assert run.status == Status.FAILED
    assert "departments cannot be scored" in run.error
    assert not run.departments.exists()


@pytest.mark.django_db
def test_running_twice_on_unchanged_data_gives_identical_rows(period):
    first, second = compute(period), compute(period)
    assert (first.number, second.number) == (1, 2)
    assert rows_of(first) == rows_of(second)
    assert first.fingerprint == second.fingerprint
    assert rows_of(first)[0]  # not two empty lists


@pytest.mark.django_db
def test_executing_a_finished_run_again_changes_nothing(period):
    run = compute(period)
    rows = rows_of(run)
    again = run_execute(run.pk)
    assert again.pk == run.pk and again.status == Status.COMPLETED
    assert rows_of(run) == rows
    assert RankingRun.objects.count() == 1


@pytest.mark.django_db
def test_a_run_is_refused_while_another_is_queued_or_computing(period):
    queued = run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    with translation.override("en"), pytest.raises(ScoringError, match="still being computed"):
        run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    RankingRun.objects.filter(pk=queued.pk).update(status=Status.RUNNING)
    with pytest.raises(ScoringError):
        run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    assert RankingRun.objects.count() == 1


@pytest.mark.django_db
def test_a_requested_run_is_computed_once_the_request_commits(
    period, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = run_request(period=period, trigger=RankingRun.Trigger.MANAGER)
        run.refresh_from_db()
        assert run.status == Status.QUEUED  # nothing sent before the commit
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == Status.COMPLETED and run.departments.count() == 2


@pytest.mark.django_db
def test_a_duplicate_message_leaves_a_run_a_live_worker_computes_alone(period):
    live = run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    RankingRun.objects.filter(pk=live.pk).update(
        status=Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    assert run_execute(live.pk).pk == live.pk
    live.refresh_from_db()
    assert live.status == Status.RUNNING and not live.departments.exists()
    assert period.runs.count() == 1


@pytest.mark.django_db
def test_a_run_found_computing_belongs_to_a_dead_worker_and_is_rerun(period):
    # The broker redelivers the message of a worker that died mid-run (acks_late).
    dead = run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    RankingRun.objects.filter(pk=dead.pk).update(
        status=Status.RUNNING, started_at=an_hour_ago, heartbeat_at=an_hour_ago
    )
    with translation.override("en"):
        rerun = run_execute(dead.pk)
    dead.refresh_from_db()
    assert dead.status == Status.FAILED and "worker stopped" in dead.error
    assert not dead.departments.exists()
    assert rerun.pk != dead.pk and rerun.rerun_of == dead
    assert (rerun.number, rerun.trigger, rerun.status) == (
        2,
        RankingRun.Trigger.RERUN,
        Status.COMPLETED,
    )
    assert rerun.departments.count() == 2


@pytest.mark.django_db
def test_recovery_fails_stale_runs_and_reruns_them(period, django_capture_on_commit_callbacks):
    stale = run_request(period=period, trigger=RankingRun.Trigger.NIGHTLY, send=False)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    RankingRun.objects.filter(pk=stale.pk).update(
        status=Status.RUNNING, started_at=an_hour_ago, heartbeat_at=an_hour_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        reruns = runs_recover(stale_after=datetime.timedelta(minutes=15))
    stale.refresh_from_db()
    assert stale.status == Status.FAILED
    assert len(reruns) == 1
    rerun = RankingRun.objects.get(rerun_of=stale)
    assert (rerun.trigger, rerun.status) == (RankingRun.Trigger.RERUN, Status.COMPLETED)
    assert rows_of(rerun)[0]


@pytest.mark.django_db
def test_recovery_leaves_a_live_run_alone_and_resends_a_lost_message(period):
    live = run_request(period=period, trigger=RankingRun.Trigger.NIGHTLY, send=False)
    RankingRun.objects.filter(pk=live.pk).update(status=Status.RUNNING, heartbeat_at=timezone.now())
    other = period_create(code="2025")
    lost = run_request(period=other, trigger=RankingRun.Trigger.NIGHTLY, send=False)
    RankingRun.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert runs_recover(stale_after=datetime.timedelta(minutes=15)) == []
    live.refresh_from_db()
    lost.refresh_from_db()
    assert live.status == Status.RUNNING
    assert lost.status == Status.COMPLETED  # sent again and computed (tasks run in process)


@pytest.mark.django_db
def test_a_run_marked_failed_while_computing_writes_nothing(period, monkeypatch):
    """The worker presumed dead finishes after all: its rows must not appear."""
    run = run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    from scoring.services import computing, runs

    real_progress = computing.run_progress

    def progress_then_presumed_dead(target, percent, stage):
        real_progress(target, percent, stage)
        if stage == "writing":
            runs.run_fail(target, "presumed dead")

    monkeypatch.setattr(computing, "run_progress", progress_then_presumed_dead)
    result = run_execute(run.pk)
    assert result.status == Status.FAILED
    assert not result.departments.exists() and not result.officials.exists()


# --- fingerprint -------------------------------------------------------------------------


@pytest.mark.django_db
def test_fingerprint_is_read_with_the_inputs_and_stable(period, django_assert_max_num_queries):
    # One statement per survey table (aggregates and fingerprint together), one for the
    # counted reports, three for the small tables.
    with django_assert_max_num_queries(7):
        first = fingerprint(period)
    assert fingerprint(period) == first
    assert first["visit_surveys"]["rows"] == 2 and first["phone_surveys"]["rows"] == 5


@pytest.mark.django_db
def test_fingerprint_changes_when_a_survey_row_is_added(period):
    before = fingerprint(period)
    visit(Department.objects.get(code="D1"), datetime.date(2025, 2, 3), 4)
    after = fingerprint(period)
    assert after != before
    assert after["visit_surveys"]["rows"] == before["visit_surveys"]["rows"] + 1


@pytest.mark.django_db
def test_fingerprint_ignores_survey_rows_outside_the_period(period):
    # A response the period does not read cannot change its scores: no rerun for it.
    before = fingerprint(period)
    visit(Department.objects.get(code="D1"), datetime.date(2024, 12, 31), 4)
    visit(Department.objects.get(code="D1"), datetime.date(2025, 7, 1), 2)
    assert fingerprint(period) == before


@pytest.mark.django_db
def test_fingerprint_changes_when_a_department_is_renamed_or_moves_bureau(period):
    # Departments keep no change time; their names and bureaus are in the rows all the same.
    before = fingerprint(period)
    d1 = Department.objects.get(code="D1")
    d1.name = "행정과"
    d1.save()
    renamed = fingerprint(period)
    assert renamed != before
    d1.bureau = Bureau.objects.create(name="나국")
    d1.save()
    assert fingerprint(period) != renamed
    Bureau.objects.filter(name="나국").update(name="다국")
    assert fingerprint(period) != renamed


@pytest.mark.django_db
def test_fingerprint_changes_when_a_report_is_decided(period):
    before = fingerprint(period)
    r = report(903, "unkind", "under_review", Department.objects.get(code="D1"))
    middle = fingerprint(period)
    r.status, r.decided_on = "substantiated", datetime.date(2025, 5, 2)
    r.save()
    assert before != middle != fingerprint(period)


# --- publication -------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_a_computed_run(period, make_user):
    manager = make_user()
    run = compute(period)
    published = run_publish(run=run, user=manager)
    run.refresh_from_db()
    assert run.status == Status.PUBLISHED == published.status
    assert run.published_by == manager and run.published_at is not None
    assert period.published_run() == run


@pytest.mark.django_db
def test_publishing_a_newer_run_supersedes_the_previous_and_keeps_both(period):
    first = compute(period)
    run_publish(run=first, user=None)
    second = compute(period)
    run_publish(run=second, user=None)
    first.refresh_from_db()
    assert statuses(period) == {1: Status.SUPERSEDED, 2: Status.PUBLISHED}
    assert first.superseded_at is not None and first.published_at is not None
    assert first.departments.count() == second.departments.count() == 2
    assert run_latest_completed(period) == second


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING, Status.FAILED])
def test_an_unfinished_or_failed_run_cannot_be_published(period, status):
    run = run_request(period=period, trigger=RankingRun.Trigger.MANAGER, send=False)
    RankingRun.objects.filter(pk=run.pk).update(status=status)
    with pytest.raises(ScoringError):
        run_publish(run=run, user=None)
    assert statuses(period) == {1: status}


@pytest.mark.django_db
def test_publishing_again_a_published_or_superseded_run_is_refused(period):
    first = compute(period)
    run_publish(run=first, user=None)
    with translation.override("en"), pytest.raises(ScoringError, match="published already"):
        run_publish(run=first, user=None)
    second = compute(period)
    run_publish(run=second, user=None)
    with translation.override("en"), pytest.raises(ScoringError, match="superseded"):
        run_publish(run=first, user=None)
    assert statuses(period) == {1: Status.SUPERSEDED, 2: Status.PUBLISHED}


@pytest.mark.django_db
def test_an_older_run_cannot_be_published_after_a_newer_one(period):
    older, newer = compute(period), compute(period)
    run_publish(run=newer, user=None)
    with translation.override("en"), pytest.raises(ScoringError, match="#2, newer than #1"):
        run_publish(run=older, user=None)
    assert statuses(period) == {1: Status.COMPLETED, 2: Status.PUBLISHED}


def _publish_at_once(runs):
    """Each run published by its own thread (own database connection), all released at
    the same moment. Returns the outcome per thread: "ok" or the ScoringError."""
    barrier = threading.Barrier(len(runs))
    outcomes: list = [None] * len(runs)

    def publish(i, run):
        try:
            barrier.wait()
            run_publish(run=run, user=None)
            outcomes[i] = "ok"
        except ScoringError as error:
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(i, run)) for i, run in enumerate(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_managers_publishing_the_same_run_at_once_one_wins():
    require_service(using_postgresql(), "concurrent publication needs PostgreSQL row locks")
    period = build_city()
    run = compute(period)
    outcomes = _publish_at_once([run, run])
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    assert isinstance(next(o for o in outcomes if o != "ok"), ScoringError)
    assert statuses(period) == {1: Status.PUBLISHED}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_managers_publishing_different_runs_at_once_leave_one_published():
    require_service(using_postgresql(), "concurrent publication needs PostgreSQL row locks")
    period = build_city()
    older, newer = compute(period), compute(period)
    outcomes = _publish_at_once([older, newer])
    assert outcomes[1] == "ok"  # the newer run is published whoever goes first
    assert period.runs.filter(status=Status.PUBLISHED).count() == 1
    assert statuses(period)[2] == Status.PUBLISHED
    # The older run was published first and superseded, or refused and left computed.
    if outcomes[0] == "ok":
        assert statuses(period)[1] == Status.SUPERSEDED
    else:
        assert isinstance(outcomes[0], ScoringError)
        assert statuses(period)[1] == Status.COMPLETED
