"""Smoke test of bench/pages.py at the tiny size: the whole run (a city generated into a
database of its own, gunicorn, wrk against every target for a second) ends with no error
response and every POSTed report stored with its own receipt number. No timing asserts.

gunicorn needs a database it can share: a SQLite file here, or, when the suite runs on
PostgreSQL, a database of its own beside the test database (created and dropped here)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from bench.pages import TARGETS
from tests.conftest import require_service, using_postgresql

ROOT = Path(__file__).resolve().parents[2]


def _postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return (
        f"postgres://{credentials}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}"
    )


@pytest.fixture
def bench_database_url(tmp_path):
    if not using_postgresql():
        yield f"sqlite:///{tmp_path / 'pages.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    db = settings.DATABASES["default"]
    # The test database's name (test_...) with a suffix: clearly a test's, never a city's.
    base = db["NAME"] if db["NAME"].startswith("test_") else f"test_{db['NAME']}"
    name = f"{base}_pages"
    admin = {
        "dbname": "postgres",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _postgres_url(name)
    finally:
        with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _kill_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def test_pages_benchmark_runs_at_the_tiny_size_with_every_report_stored(
    bench_database_url, tmp_path
):
    require_service(shutil.which("wrk") is not None, "wrk is not installed (apt-get install wrk)")
    env = {**os.environ, "DATABASE_URL": bench_database_url}
    env.pop("CELERY_BROKER_URL", None)  # nothing here is for a worker
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    figures, pidfile = tmp_path / "pages.json", tmp_path / "gunicorn.pid"
    command = [
        sys.executable,
        "bench/pages.py",
        "--size", "tiny",
        "--duration", "1",
        "--warmup", "0",
        "--connections", "4",
        "--workers", "2",
        "--json", str(figures),
        "--pidfile", str(pidfile),
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=600)
    finally:
        # Whatever happened: the script (and its wrk) by its process group, which stops its
        # gunicorn too; then gunicorn's own group, should the script not have managed.
        if process.poll() is None:
            _kill_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _kill_group(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if pidfile.exists():
            _kill_group(int(pidfile.read_text()), signal.SIGKILL)

    assert process.returncode == 0, output
    summary = json.loads(figures.read_text())
    assert summary["ok"], output
    assert summary["errors"] == 0 and summary["problems"] == []
    assert set(summary["results"]) == {t.key for t in TARGETS}
    for key, result in summary["results"].items():
        assert result["requests"] > 0, key
        assert result["unexpected"] == 0, (key, result)
    for key in ("report", "insert"):
        check = summary["checks"][key]
        assert check["stored"] > 0
        assert check["redirected"] <= check["stored"] <= check["sent"], check
    report = summary["checks"]["report"]
    assert report["distinct"] == report["well_formed"] == report["stored"]
    assert {r["page"] for r in summary["ratios"]} == {
        "rankings",
        "home",
        "report",
        "praise",
        "search",
    }
    assert summary["queries"]["rows"] == 1
