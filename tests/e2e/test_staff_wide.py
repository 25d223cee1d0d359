"""Staff pages on a 1366 px screen (issue 15 items 6 and 9): the import form names a file of
another kind; wide tables keep codes, dates and names on one line, pin their first column
and scroll by keyboard. axe-core runs on every page visited."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from kindness.models import ImportBatch
from kindness.roles import Role
from tests.e2e.test_pages import ROSTER, assert_accessible, ko, log_in
from tests.factories import DepartmentFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def wide(page: Page) -> Page:
    page.set_viewport_size(WIDE)
    return page


def test_a_roster_uploaded_as_another_kind_is_named_a_roster_and_nothing_is_stored(
    wide: Page, site, manager
):
    page = wide
    log_in(page, site, manager.username)
    page.goto(f"{site}/staff/imports/")
    kind = page.get_by_label(ko("What the file holds"))
    expect(kind).to_have_value("")  # nothing preselected

    kind.select_option("petitions")
    page.get_by_label(ko("File"), exact=True).set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER}]
    )
    page.get_by_role("button", name=ko("Check the file")).click()

    expect(kind).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_contain_text(
        ko("Roster (organisation and officials)")
    )
    assert_accessible(page)
    assert not ImportBatch.objects.exists()

    kind.select_option("roster")
    page.get_by_label(ko("File"), exact=True).set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER}]
    )
    page.get_by_role("button", name=ko("Check the file")).click()
    page.wait_for_url(re.compile(rf"{re.escape(site)}/staff/imports/\d+/$"))
    changes = page.get_by_role("region", name=ko("Rows the import will create or change"))
    expect(changes.locator("tbody tr")).to_have_count(
        3 + 1 + 2 + 2
    )  # officials, bureau, departments, teams
    assert_accessible(page)


@pytest.fixture
def officer(transactional_db):
    user = UserFactory(username="officer1")
    user.groups.add(Group.objects.get(name=Role.REPORT_OFFICER))
    return user


def assert_scroll_areas_are_named_keyboard_regions(page: Page) -> None:
    wraps = page.locator(".table-wrap")
    assert wraps.count() > 0
    for i in range(wraps.count()):
        wrap = wraps.nth(i)
        expect(wrap).to_have_attribute("tabindex", "0")
        expect(wrap).to_have_attribute("role", "region")
        label = page.locator(f"#{wrap.get_attribute('aria-labelledby')}")
        assert label.inner_text().strip()


def test_the_report_inbox_keeps_receipt_numbers_dates_and_names_on_one_line(
    wide: Page, site, officer
):
    page = wide
    department = DepartmentFactory(name="시민소통담당관실민원봉사과")
    ReportFactory.create_batch(3, department=department, reporter_name="남궁민수")
    log_in(page, site, officer.username)
    page.goto(f"{site}/staff/reports/")

    for selector in ["td.code", "td.date", "td.name"]:
        cell = page.locator(selector).first
        height = cell.evaluate(
            "c => c.getBoundingClientRect().height / parseFloat(getComputedStyle(c).lineHeight)"
        )
        assert height < 2.5, f"{selector} wraps onto {height:.1f} lines"  # padding included
        assert cell.evaluate("c => getComputedStyle(c).whiteSpace") == "nowrap"
    assert_scroll_areas_are_named_keyboard_regions(page)
    assert_accessible(page)


def test_the_dashboard_tables_scroll_by_keyboard_with_the_first_column_pinned(
    wide: Page, site, manager
):
    page = wide
    for n in range(3):
        DepartmentFactory(code=f"D{n:03d}", name=f"시민소통담당관실{n}")
    log_in(page, site, manager.username)
    page.goto(f"{site}/staff/calls/dashboard/")
    assert_scroll_areas_are_named_keyboard_regions(page)
    region = page.get_by_role(
        "region", name=ko("Happy-calls and the telephone (mystery-call) survey per department")
    )
    # At 1366 px the department table is not cut off: it fits its box.
    assert region.evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    assert_accessible(page)

    # On a narrower screen it scrolls by keyboard, and the department column stays.
    page.set_viewport_size({"width": 480, "height": 900})
    assert region.evaluate("w => w.scrollWidth > w.clientWidth")
    first_cell = region.locator("thead tr").nth(1).locator("th").first
    x_before = first_cell.bounding_box()["x"]
    region.focus()
    expect(region).to_be_focused()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    # Arrow keys may scroll smoothly: wait for the scroll rather than read it at once.
    page.wait_for_function(
        "() => document.querySelector('[aria-labelledby=surveys-dashboard-caption-2]')"
        ".scrollLeft > 0",
        timeout=5000,
    )
    page.wait_for_timeout(300)  # let a smooth scroll settle before measuring the column
    assert abs(first_cell.bounding_box()["x"] - x_before) < 1
