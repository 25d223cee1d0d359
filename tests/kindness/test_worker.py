"""A real Celery worker process (`celery -A kindness worker`) on the test database, fed
through Redis: a confirmed import is applied by the worker, not by the test process."""

from __future__ import annotations

import time

import pytest

from kindness.models import ImportBatch, Official
from kindness.services import import_batch_confirm, import_batch_create
from tests.worker import WorkerProcess, broker_clean, require_worker_services

ROSTER = (
    "employee_no,name,bureau,department_code,department,team,position,employment_type,phone,active\n"
    "W00001,김일꾼,작업지원국,W01,작업지원과,작업1팀,주무관,regular,052-000-0001,Y\n"
    "W00002,이일꾼,작업지원국,W01,작업지원과,작업2팀,팀장,support,052-000-0002,Y\n"
).encode()


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start `celery -A kindness worker` against the test database and the broker; yield
    it once it is ready; always stop it afterwards."""
    broker = require_worker_services()
    broker_clean(broker)
    worker = WorkerProcess.start(tmp_path / "worker.log", broker=broker)
    try:
        yield worker
    finally:
        worker.stop()
        broker_clean(broker)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_applies_a_confirmed_import(celery_worker_process, make_user):
    manager = make_user()
    batch = import_batch_create(kind="roster", filename="roster.csv", content=ROSTER, by=manager)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors

    import_batch_confirm(batch=batch)
    # Committed and sent: the test process itself does not apply it.
    batch.refresh_from_db()
    assert batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.APPLIED)

    deadline = time.monotonic() + 60
    while batch.status == ImportBatch.Status.QUEUED:
        if not celery_worker_process.alive or time.monotonic() > deadline:
            pytest.fail("the worker did not apply the batch:\n" + celery_worker_process.log())
        time.sleep(0.25)
        batch.refresh_from_db()

    assert batch.status == ImportBatch.Status.APPLIED, batch.errors
    assert batch.summary["created"] == 2
    officials = Official.objects.filter(employee_no__in=["W00001", "W00002"])
    assert sorted(officials.values_list("name", flat=True)) == ["김일꾼", "이일꾼"]
    assert {o.department.code for o in officials} == {"W01"}
    log = celery_worker_process.log()
    assert "kindness.tasks.apply_import" in log and "succeeded" in log
