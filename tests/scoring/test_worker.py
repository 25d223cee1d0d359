"""Ranking runs computed by a real Celery worker (`celery -A kindness worker`) on
PostgreSQL, fed through Redis, and a worker killed in the middle of writing a run
(SPEC section 5: a run is never partially visible; a run whose worker died is marked
failed and a rerun completes it)."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from scoring import exports, services
from scoring.models import DepartmentScore, OfficialScore, RankingRun
from tests.worker import WorkerProcess, broker_clean, require_worker_services

DATA = Path(__file__).parents[1] / "data" / "city-2025"
PERIOD = "2025-H2"

# Generous for a slow CI machine, yet bounded: the sample city takes well under a second.
RUN_WITHIN_S = 120

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workers(transactional_db, tmp_path):
    """workers(**env) starts a worker with those extra environment variables. Every worker
    started is gone at the end of the test, whatever happened, and the queue is empty
    before and after, so messages of other tests cannot reach these workers."""
    broker = require_worker_services()
    broker_clean(broker)
    started: list[WorkerProcess] = []

    def start(**env: str) -> WorkerProcess:
        worker = WorkerProcess.start(
            tmp_path / f"worker-{len(started) + 1}.log", broker=broker, env=env
        )
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        broker_clean(broker)


def import_sample_city() -> None:
    """The sample city of tests/scoring/data, through the import commands."""
    for command, name in [
        ("import_roster", "roster"),
        ("import_petitions", "petitions"),
        ("import_visit_surveys", "visit_surveys"),
        ("import_phone_surveys", "phone_surveys"),
        ("import_happycalls", "happycalls"),
        ("import_reports", "reports"),
    ]:
        call_command(command, str(DATA / f"{name}.csv"), stdout=io.StringIO())


def score_rows(run: RankingRun) -> dict[str, list[dict]]:
    """Every stored field of the run's rows except their ids and the run itself."""

    def fields(model) -> list[str]:
        return [f.attname for f in model._meta.concrete_fields if f.name not in ("id", "run")]

    return {
        "departments": list(run.departments.order_by("position").values(*fields(DepartmentScore))),
        "officials": list(run.officials.order_by("position").values(*fields(OfficialScore))),
    }


def computed_in_process(period) -> RankingRun:
    run = services.run_request(period=period, trigger=RankingRun.Trigger.COMMAND, send=False)
    run = services.run_execute(run.pk)
    assert run.status == RankingRun.Status.COMPLETED, run.error
    return run


def wait_for_status(worker: WorkerProcess, run: RankingRun, status: str) -> None:
    def reached() -> bool:
        run.refresh_from_db()
        assert run.status != RankingRun.Status.FAILED, run.error
        return run.status == status

    worker.wait_for(reached, timeout=RUN_WITHIN_S, what=f"run {run} {status}")


def holds_write_lock(table: str) -> bool:
    """Whether another connection has inserted into `table` in a transaction still open."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.granted
              AND l.pid <> pg_backend_pid()
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """,
            [table],
        )
        return cursor.fetchone()[0] > 0


def test_a_run_computed_by_the_worker_equals_one_computed_in_process(workers):
    import_sample_city()
    period = services.period_create(code=PERIOD)
    worker = workers()

    # Autocommit: the message is sent as soon as the run is created.
    run = services.run_request(period=period, trigger=RankingRun.Trigger.MANAGER)
    wait_for_status(worker, run, RankingRun.Status.COMPLETED)

    assert "scoring.tasks.compute_rankings" in worker.log()
    assert "succeeded" in worker.log()
    assert run.progress == 100 and run.started_at <= run.finished_at
    rows = score_rows(run)
    assert len(rows["departments"]) == 26 and len(rows["officials"]) == 454
    assert score_rows(computed_in_process(period)) == rows
    # And it is the sample city's known ranking.
    # Every column the expected file has; the rank intervals' two columns come after them.
    expected = (DATA / f"expected-rankings-{PERIOD}.csv").read_text(encoding="utf-8-sig")
    expected_rows = list(csv.reader(io.StringIO(expected)))
    width = len(expected_rows[0])
    exported = list(csv.reader(io.StringIO(exports.to_csv(run))))
    assert [row[:width] for row in exported] == expected_rows
    assert exported[0][width:] == ["rank_low", "rank_high"]


def test_a_worker_killed_while_writing_leaves_no_rows_and_a_rerun_completes_the_run(workers):
    import_sample_city()
    period = services.period_create(code=PERIOD)
    # The worker sleeps inside the write transaction after inserting every row.
    slow = workers(SCORING_WRITE_PAUSE_S="30")
    dead = services.run_request(period=period, trigger=RankingRun.Trigger.MANAGER)

    def writing() -> bool:
        dead.refresh_from_db()
        return dead.stage == "writing" and holds_write_lock(OfficialScore._meta.db_table)

    # Progress is recorded outside the write transaction, so this process sees the stage;
    # the lock shows the official rows (inserted after the department rows) are in.
    slow.wait_for(writing, timeout=RUN_WITHIN_S, what="writing the rows of the run")
    slow.kill()

    dead.refresh_from_db()
    assert dead.status == RankingRun.Status.RUNNING
    assert not DepartmentScore.objects.filter(run=dead).exists()
    assert not OfficialScore.objects.filter(run=dead).exists()

    # What the recover_runs beat task does, without waiting for the run to go stale.
    # (Marking the run failed waits for the dead connection's lock on it to be released.)
    (rerun,) = services.runs_recover(stale_after=datetime.timedelta(0))
    dead.refresh_from_db()
    assert dead.status == RankingRun.Status.FAILED
    assert dead.error
    assert rerun.rerun_of == dead
    assert rerun.trigger == RankingRun.Trigger.RERUN
    assert rerun.number == dead.number + 1

    worker = workers()
    wait_for_status(worker, rerun, RankingRun.Status.COMPLETED)

    rows = score_rows(rerun)
    assert rows["departments"] and rows["officials"]
    assert score_rows(computed_in_process(period)) == rows
    # The rows the killed worker had inserted were rolled back with its transaction.
    assert not DepartmentScore.objects.filter(run=dead).exists()
    assert not OfficialScore.objects.filter(run=dead).exists()
    dead.refresh_from_db()
    assert dead.status == RankingRun.Status.FAILED
