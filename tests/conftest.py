"""Shared fixtures. Tests that need PostgreSQL, Redis, a Celery worker or Chromium call
`require_service(...)`: locally they skip with the reason; with REQUIRE_SERVICES=1 (CI)
a missing service is a failure, never a skip."""

from __future__ import annotations

import io
import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from kindness.roles import Role
from tests.factories import OfficialFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(available: bool, reason: str) -> None:
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def using_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def redis_url() -> str:
    return os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _korean_by_default():
    """Each test starts in the site's default language, whatever the last one activated."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city of `seed_demo` (seed 2026), seeded once for the module that asks for it,
    in a transaction rolled back after it; each test runs inside and is rolled back on its
    own. Gives the command's output (in English). Function-scoped fixtures do not reach
    here, so the cheap hasher and in-process tasks are set up again."""
    from kindness.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=hashers),
            translation.override("en"),
            transaction.atomic(),
        ):
            out = io.StringIO()
            call_command("seed_demo", seed=2026, force=True, stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture
def make_user(db):
    """make_user(Role.MANAGER, official=...) -> a user holding that role."""

    def make(*roles: str, official=None, **kwargs):
        user = UserFactory(**kwargs)
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
            if role == Role.ADMIN:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        if official is not None:
            official.user = user
            official.save(update_fields=["user"])
        return user

    return make


@pytest.fixture
def role_client(client, make_user):
    """role_client(Role.MANAGER) -> a test client signed in with that role (a department or
    bureau head is linked to an official, so that they have a scope)."""

    def login(role: str | None, official=None):
        if role is None:
            return client
        if role in (Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD) and official is None:
            official = OfficialFactory()
        user = make_user(role, official=official)
        client.force_login(user)
        client.user = user
        return client

    return login


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in process in every test except those marked `services`, even when
    CELERY_BROKER_URL is set for the whole run (CI): only the real-worker tests have a
    worker to consume what is sent to the broker."""
    if request.node.get_closest_marker("services"):
        yield
        return
    from kindness.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before


def kept_count(prefix: str) -> int:
    """How many fragments of `prefix` (a kindness.fragments.FragmentCache) this process keeps:
    read from the local-memory cache behind them, which has no public way to list keys."""
    from django.core.cache import caches

    return sum(1 for key in caches["fragments"]._cache if f":{prefix}:" in key)
