"""Fixtures shared by the modules of this folder."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from programme.consultations import services
from programme.models import Expert
from tests.programme.consultations.helpers import at


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def expert(db):
    return Expert.objects.create(name="김세무", field="세무")


@pytest.fixture
def slot(expert):
    return services.slot_create(expert=expert, starts_at=at(2), ends_at=at(2, 15), place="상담실")
