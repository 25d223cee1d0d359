"""Fixtures shared by the modules of this folder."""

from __future__ import annotations

import pytest

from tests.factories import BureauFactory, DepartmentFactory


@pytest.fixture
def own(db):
    return DepartmentFactory(code="OWN", name="민원봉사과", bureau=BureauFactory(name="B1"))


@pytest.fixture
def other(db):
    return DepartmentFactory(code="OTHER", name="도로과", bureau=BureauFactory(name="B2"))
