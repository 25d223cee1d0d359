"""Shared fixtures. Tests that need PostgreSQL, Redis, a Celery worker or Chromium call
`require_service(...)`: locally they skip with the reason; with REQUIRE_SERVICES=1 (CI)
a missing service is a failure, never a skip."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
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
def _korean_by_default():
    """Each test starts in the site's default language, whatever the last one activated."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


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
