"""Settings come from the environment: production refuses to start without SECRET_KEY and is
clean under `check --deploy`; DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and
Redis with no code change. Each variant runs in a fresh interpreter, since settings are
read once at start-up."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.utils import DatabaseError
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent

# The variables the tests' own environment sets (pyproject.toml, pytest-env), and every
# variable the project reads (.env.example): a subprocess starts from none of them, so
# that each test states exactly the environment it is about.
_PYTEST_ENV = {
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "DEBUG",
    "ALLOWED_HOSTS",
    "RATELIMIT_ENABLE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMAIL_URL",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
}
_PROJECT_ENV = set(
    re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
)


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _PYTEST_ENV | _PROJECT_ENV}
    env["DJANGO_SETTINGS_MODULE"] = "kindness.settings"
    env.update(overrides)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def production_env(**overrides: str) -> dict[str, str]:
    return clean_env(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kindness.example.go.kr",
        **overrides,
    )


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from kindness.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "app_eager": app.conf.task_always_eager, "broker": app.conf.broker_url,
}))
"""


def settings_in_subprocess(env: dict[str, str]) -> dict:
    proc = run_python(PRINT_SETTINGS, env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_secret_key():
    proc = manage("check", env=clean_env(DEBUG="0"))

    assert proc.returncode != 0
    assert "SECRET_KEY" in proc.stderr


def test_development_starts_without_secret_key():
    proc = manage("check", env=clean_env(DEBUG="1"))

    assert proc.returncode == 0, proc.stderr


def test_check_deploy_is_clean_with_production_variables():
    proc = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_check_deploy_warns_when_https_is_turned_off():
    # The clean result above comes from the defaults, not from a check that cannot fail.
    proc = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0"),
    )

    assert proc.returncode != 0
    assert "security.W008" in proc.stderr + proc.stdout


def test_without_database_url_the_database_is_a_sqlite_file_beside_the_code():
    found = settings_in_subprocess(production_env())

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(ROOT / "db.sqlite3")


def test_database_url_switches_to_postgresql():
    found = settings_in_subprocess(
        production_env(DATABASE_URL="postgres://kindness:pw@db.example.go.kr:5432/kindness")
    )

    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "kindness"
    assert found["host"] == "db.example.go.kr"


def test_without_broker_tasks_run_in_process():
    found = settings_in_subprocess(production_env())

    assert found["eager"] is True
    assert found["app_eager"] is True


def test_celery_broker_url_switches_eager_mode_off():
    found = settings_in_subprocess(production_env(CELERY_BROKER_URL="redis://127.0.0.1:6379/3"))

    assert found["eager"] is False
    assert found["app_eager"] is False
    assert found["broker"] == "redis://127.0.0.1:6379/3"


def test_time_zone_is_seoul_and_korean_is_the_default_language():
    assert settings.TIME_ZONE == "Asia/Seoul"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "ko"
    assert [code for code, _name in settings.LANGUAGES] == ["ko", "en"]


@pytest.mark.django_db
def test_a_visitor_without_a_language_preference_gets_korean(client):
    translation.deactivate_all()

    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ko"
    assert '<html lang="ko">' in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("kindness.views.public.connection", Unreachable())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_healthz_is_served_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
