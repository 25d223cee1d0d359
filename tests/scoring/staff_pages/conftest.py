"""Fixtures shared by the modules of this folder."""

from __future__ import annotations

import pytest

from scoring import services
from scoring.models import Period, RankingRun
from tests.scoring.staff_pages.helpers import computed, import_city


@pytest.fixture
def city(db, tmp_path) -> Period:
    import_city(tmp_path)
    return services.period_create(code="2025-H1")


@pytest.fixture
def run(city) -> RankingRun:
    return computed(city)
