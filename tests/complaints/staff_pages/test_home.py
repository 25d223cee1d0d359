"""The staff home's links to the report pages."""

from __future__ import annotations

import pytest

from kindness.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role,links",
    [
        (Role.REPORT_OFFICER, ["/staff/reports/", "/staff/cases/"]),
        (Role.DEPARTMENT_HEAD, ["/staff/follow-up/"]),
        (Role.BUREAU_HEAD, ["/staff/encouragement/"]),
        (Role.MANAGER, ["/staff/reports/"]),
        (Role.AUDITOR, ["/staff/reports/"]),
    ],
)
def test_staff_home_links_each_role_to_its_report_pages(role, links, role_client):
    html = role_client(role).get("/staff/").content.decode()
    for link in links:
        assert f'href="{link}"' in html
