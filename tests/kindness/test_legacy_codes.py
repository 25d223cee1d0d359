"""Department codes stored before the code rule of SPEC section 7 (e.g. `X/1`, `A B`) still
work on every page that names them, and a system check lists them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindness.models import Department
from kindness.roles import Role
from tests.scoring.public_pages.conftest import city  # noqa: F401
from tests.scoring.public_pages.helpers import compute, publish

LEGACY_CODES = ["X/1", "A B", "가/나", "x?y#z%20"]


@pytest.fixture(params=LEGACY_CODES)
def legacy(request, city):  # noqa: F811
    Department.objects.filter(pk=city.own.pk).update(code=request.param)
    city.own.refresh_from_db()
    city.h1 = publish(compute("2025-H1"))
    return city


def test_public_rankings_pages_work_with_a_legacy_department_code(client, legacy):
    for url in ("/rankings/", "/rankings/2025-H1/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "가정과" in response.content.decode()
    link = reverse("rankings:department", args=["2025-H1", legacy.own.code])
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["row"].department.code == legacy.own.code


def test_staff_pages_work_with_a_legacy_department_code(role_client, legacy):
    client = role_client(Role.MANAGER)
    for url in (
        "/staff/departments/",
        reverse("department-detail", args=[legacy.own.code]),
        "/staff/training/departments/",
        reverse("training:department-record", args=[legacy.own.code]),
        "/staff/rankings/2025-H1/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("employee_no", ["A/1", "A 1"])
def test_pages_work_with_a_legacy_employee_number(role_client, city, employee_no):  # noqa: F811
    from kindness.models import Official

    Official.objects.filter(pk=city.a1.pk).update(employee_no=employee_no)
    publish(compute("2025-H1"))
    client = role_client(Role.MANAGER)
    for url in (
        "/rankings/2025-H1/officials/",
        reverse("rankings:official", args=["2025-H1", employee_no]),
        reverse("training:official-record", args=[employee_no]),
        reverse("training:department-record", args=["OWN"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "김하나" in response.content.decode(), url
