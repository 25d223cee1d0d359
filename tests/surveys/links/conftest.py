"""Fixtures shared by the modules of this folder."""

from __future__ import annotations

import pytest

from tests.surveys.test_queue import survey_defaults_ensure


@pytest.fixture
def questionnaire(db):
    survey_defaults_ensure()


@pytest.fixture
def sms_dir(settings, tmp_path):
    settings.SMS_URL = f"file://{tmp_path}/sms"
    settings.SITE_URL = "https://kindness.example.go.kr"
    return tmp_path / "sms"
