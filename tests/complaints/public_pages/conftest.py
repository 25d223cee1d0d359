"""Fixtures shared by the modules of this folder."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import BureauFactory, DepartmentFactory


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department(db):
    return DepartmentFactory(name="민원봉사과", bureau=BureauFactory(name="시민소통국"))
