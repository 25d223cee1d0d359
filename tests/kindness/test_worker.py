"""A real Celery worker process (`celery -A kindness worker`) on the test database, fed
through Redis: a confirmed import is applied by the worker, not by the test process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from kindness.celery import app
from kindness.models import ImportBatch, Official
from kindness.services import import_batch_confirm, import_batch_create
from tests.conftest import redis_url, require_service, using_postgresql

ROOT = Path(__file__).resolve().parents[2]

ROSTER = (
    "employee_no,name,bureau,department_code,department,team,position,employment_type,phone,active\n"
    "W00001,김일꾼,작업지원국,W01,작업지원과,작업1팀,주무관,regular,052-000-0001,Y\n"
    "W00002,이일꾼,작업지원국,W01,작업지원과,작업2팀,팀장,support,052-000-0002,Y\n"
).encode()


def redis_answers(url: str) -> bool:
    if not url.startswith(("redis://", "rediss://")):
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def worker_database_url() -> str:
    """A postgres:// URL for the database the tests are using (the test database)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{quote(s['NAME'], safe='')}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start `celery -A kindness worker` against the test database and the broker; yield
    it once it is ready; always stop it afterwards."""
    broker = redis_url()
    require_service(
        using_postgresql() and redis_answers(broker),
        "the real-worker test needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) "
        "pointing at running services",
    )
    assert app.conf.broker_url == broker, "the test process must send to the worker's broker"
    assert not app.conf.task_always_eager, "tasks must go through the broker in this test"
    app.control.purge()

    celery = Path(sys.executable).parent / "celery"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(
        DATABASE_URL=worker_database_url(),
        CELERY_BROKER_URL=broker,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="kindness.settings",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log_path = tmp_path / "worker.log"
    name = f"test-worker-{os.getpid()}@%h"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(celery),
                "-A",
                "kindness",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-l",
                "info",
                "-n",
                name,
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    proc.log_path = log_path
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text(errors="replace"):
            if proc.poll() is not None:
                pytest.fail(f"the worker exited with {proc.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the worker was not ready within 60 s:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


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
        if celery_worker_process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(
                "the worker did not apply the batch:\n"
                + celery_worker_process.log_path.read_text(errors="replace")
            )
        time.sleep(0.25)
        batch.refresh_from_db()

    assert batch.status == ImportBatch.Status.APPLIED, batch.errors
    assert batch.summary["created"] == 2
    officials = Official.objects.filter(employee_no__in=["W00001", "W00002"])
    assert sorted(officials.values_list("name", flat=True)) == ["김일꾼", "이일꾼"]
    assert {o.department.code for o in officials} == {"W01"}
    log = celery_worker_process.log_path.read_text(errors="replace")
    assert "kindness.tasks.apply_import" in log and "succeeded" in log
