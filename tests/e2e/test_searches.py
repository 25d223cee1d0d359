"""The staff's search boxes in a browser, at 360 and 1366 px: a search the text rules refuse
(a control character pasted in) is told beside its box, in Korean, and the page passes
axe-core; a good search finds. The case page's official finder, the departments list and
a training session's officials search."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from programme.models import TrainingSession
from tests.e2e.test_pages import check_page, ko, log_in
from tests.factories import DepartmentFactory, OfficialFactory, TrainingSessionFactory

pytestmark = pytest.mark.browser

WIDTHS = (360, 1366)
REFUSED = "%00"  # NUL, as a pasted control character arrives in the address
NO_NUL = "Null characters are not allowed."  # Django's own message, translated


def refused_then_found(
    page: Page, url: str, param: str, box: str, *, found: str, typed: str
) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(f"{url}?{param}={REFUSED}")
        assert response.status == 400
        error = page.locator(f"#{box}_error")
        expect(error).to_contain_text(ko(NO_NUL))
        expect(page.locator(f"#{box}")).to_have_attribute("aria-invalid", "true")
        check_page(page)
    page.locator(f"#{box}").fill(typed)
    page.locator(f"#{box}").press("Enter")
    expect(page.locator(f"#{box}_error")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(found)


def test_the_case_pages_official_finder_tells_a_refused_search(page: Page, site, case):
    colleague = OfficialFactory(name="박다정", employee_no="B00077", department=DepartmentFactory())
    log_in(page, site, "officer1")
    url = f"{site}/staff/reports/{case.receipt_no}/"
    refused_then_found(page, url, "official_q", "official_q", found=colleague.name, typed="B00077")


def test_the_departments_search_tells_a_refused_search(page: Page, site, manager):
    DepartmentFactory(code="T01", name="세무과")
    log_in(page, site, "manager1")
    refused_then_found(page, f"{site}/staff/departments/", "q", "id_q", found="T01", typed="세무")


def test_a_sessions_officials_search_tells_a_refused_search(page: Page, site, manager):
    session = TrainingSessionFactory(
        kind=TrainingSession.Kind.MIND,
        starts_on=datetime.date(2026, 5, 11),
        ends_on=datetime.date(2026, 5, 11),
    )
    official = OfficialFactory(name="최친절")
    log_in(page, site, "manager1")
    url = f"{site}/staff/training/{session.pk}/"
    refused_then_found(page, url, "q", "find-q", found=official.employee_no, typed="최친절")


def test_fields_with_errors_of_different_lengths_stay_in_line(page: Page, site, manager):
    """Filter fields sit at the bottom of their row; errors of different lengths under them
    must not push their neighbours out of line (the session's search, both refused)."""
    session = TrainingSessionFactory(
        kind=TrainingSession.Kind.MIND,
        starts_on=datetime.date(2026, 5, 11),
        ends_on=datetime.date(2026, 5, 11),
    )
    log_in(page, site, "manager1")
    # Two columns, narrow enough for the department's error to take two lines.
    page.set_viewport_size({"width": 800, "height": 800})
    page.goto(f"{site}/staff/training/{session.pk}/?department=NOPE&q={REFUSED}")
    department, search = page.locator("#find-department"), page.locator("#find-q")
    expect(page.locator("#find-department_error")).to_be_visible()
    assert department.bounding_box()["x"] < search.bounding_box()["x"]  # side by side
    assert abs(department.bounding_box()["y"] - search.bounding_box()["y"]) < 1
