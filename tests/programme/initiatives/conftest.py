"""Fixtures shared by the modules of this folder."""

from __future__ import annotations

import pytest

from kindness.roles import Role
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory


@pytest.fixture
def org():
    """OWN and SIBLING share bureau B1; OTHER is in B2."""
    b1, b2 = BureauFactory(name="B1국"), BureauFactory(name="B2국")
    return {
        "own": DepartmentFactory(code="OWN", name="우리과", bureau=b1),
        "sibling": DepartmentFactory(code="SIB", name="이웃과", bureau=b1),
        "other": DepartmentFactory(code="OTH", name="남의과", bureau=b2),
    }


@pytest.fixture
def head(role_client, org):
    """A client signed in as the department head of OWN."""
    return role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=org["own"]))
