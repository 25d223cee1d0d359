"""Fixtures shared by the modules of this folder."""

from __future__ import annotations

import pytest

from kindness.roles import Role
from surveys.models import CallCentreAgent
from tests.surveys.desk.helpers import queued_call
from tests.surveys.test_queue import survey_defaults  # noqa: F401 (a fixture)


@pytest.fixture
def caller(make_user):
    user = make_user(Role.HAPPY_CALL)
    CallCentreAgent.objects.create(user=user)
    return user


@pytest.fixture
def colleague(make_user):
    user = make_user(Role.HAPPY_CALL)
    CallCentreAgent.objects.create(user=user)
    return user


@pytest.fixture
def call(caller):
    return queued_call(caller)
