"""Real Celery worker processes for the tests that need one.

`WorkerProcess.start(...)` runs `celery -A kindness worker` against the test database and
the broker of the test run, in a process group of its own, and returns once it is ready.
It can be stopped the polite way (`stop`) or killed with its whole process group
(`kill`), as a machine losing power would. Locally these tests skip when PostgreSQL or
Redis is missing; with REQUIRE_SERVICES=1 (CI) they fail instead (`require_worker_services`).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from kindness.celery import app
from tests.conftest import redis_url, require_service, using_postgresql

ROOT = Path(__file__).resolve().parents[1]

READY_WITHIN_S = 60


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


def require_worker_services() -> str:
    """Skip (locally) or fail (REQUIRE_SERVICES=1) unless PostgreSQL and Redis answer;
    return the broker URL the worker and this process share."""
    broker = redis_url()
    require_service(
        using_postgresql() and redis_answers(broker),
        "the real-worker test needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) "
        "pointing at running services",
    )
    assert app.conf.broker_url == broker, "the test process must send to the worker's broker"
    assert not app.conf.task_always_eager, "tasks must go through the broker in this test"
    return broker


def broker_clean(broker: str) -> None:
    """Empty the task queue, and forget the messages a killed worker had taken but not
    acknowledged: kombu would hand them out again an hour later (its visibility timeout),
    to whichever test's worker is then listening on this Redis database."""
    import redis

    app.control.purge()
    client = redis.Redis.from_url(broker, socket_connect_timeout=2)
    client.delete("unacked", "unacked_index")


class WorkerProcess:
    def __init__(self, process: subprocess.Popen, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @classmethod
    def start(
        cls, log_path: Path, *, broker: str, env: dict[str, str] | None = None
    ) -> WorkerProcess:
        """Start a worker (one process: the solo pool) and wait until it is ready."""
        celery = Path(sys.executable).parent / "celery"
        environ = {
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}
        }
        environ.update(
            DATABASE_URL=worker_database_url(),
            CELERY_BROKER_URL=broker,
            SECRET_KEY=secrets.token_urlsafe(50),
            DEBUG="0",
            DJANGO_SETTINGS_MODULE="kindness.settings",
        )
        environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        environ.update(env or {})
        name = f"test-worker-{os.getpid()}-{secrets.token_hex(3)}@%h"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
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
                env=environ,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # A process group of its own, so that `kill` takes every process it started.
                start_new_session=True,
            )
        worker = cls(process, log_path)
        try:
            worker.wait_for(lambda: " ready." in worker.log(), timeout=READY_WITHIN_S, what="ready")
        except BaseException:
            worker.kill()
            raise
        return worker

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for(self, condition: Callable[[], bool], *, timeout: float, what: str) -> None:
        """Poll `condition` until it holds; fail with the worker's log if the worker exits
        or `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while not condition():
            if not self.alive:
                pytest.fail(
                    f"the worker exited with {self.process.returncode} before {what}:\n{self.log()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"not {what} within {timeout:.0f} s; the worker's log:\n{self.log()}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown, no acknowledgement, no rollback
        sent by the worker (the database ends its transaction when the connection drops)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the group is gone already
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        """A warm shutdown; killed if it takes longer than `timeout` seconds."""
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()
