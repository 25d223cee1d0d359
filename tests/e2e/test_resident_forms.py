"""Residents' forms in the browser at 360 px (issue 15 item 14): after a failed submit of the
report form, the tracking form or the consultation form, focus is on the error summary; the
report's done page keeps the receipt number on reload and never shows the secret again.
Every page visited is checked with axe-core and must fit the screen."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from complaints.models import Report
from tests.e2e.test_pages import check_page
from tests.factories import BureauFactory, DepartmentFactory

pytestmark = pytest.mark.browser

SUMMARY = "[data-error-summary]"


@pytest.fixture
def department(site):
    return DepartmentFactory(code="B01", name="민원봉사과", bureau=BureauFactory(name="시민소통국"))


def fill_report(page: Page, site: str, department) -> None:
    page.goto(f"{site}/reports/new/?kind=praise")
    page.locator("#id_department").select_option(str(department.pk))
    page.locator("#id_incident_on").fill(timezone.localdate().isoformat())
    page.locator('input[name="channel"][value="visit"]').check()
    page.locator("#id_text").fill("서류 발급을 끝까지 친절하게 도와주셨습니다.")
    page.locator("#id_reporter_name").fill("홍길동")
    page.locator("#id_consent").check()


def test_a_failed_report_submit_moves_focus_to_the_error_summary(page: Page, site, department):
    assert page.viewport_size == {"width": 360, "height": 740}
    fill_report(page, site, department)
    page.locator("#id_text").fill("짧음")  # under 10 characters
    page.locator("#id_consent").uncheck()
    page.locator("form.report-form button[type=submit]").click()

    summary = page.locator(SUMMARY)
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_text"]')).to_be_visible()
    expect(summary.locator('a[href="#id_consent"]')).to_be_visible()
    check_page(page)
    # Its links lead to the fields.
    summary.locator('a[href="#id_text"]').click()
    expect(page.locator("#id_text")).to_be_focused()
    assert Report.objects.count() == 0


def test_a_failed_tracking_submit_moves_focus_to_the_error_summary(page: Page, site, db):
    page.goto(f"{site}/reports/track/")
    page.locator("#id_receipt_no").fill("R-20x5-1")
    page.locator("#id_secret").fill("ABCDEFGHJK")
    page.locator("main form button[type=submit]").click()

    summary = page.locator(SUMMARY)
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_receipt_no"]')).to_be_visible()
    check_page(page)

    # A well-formed number with a wrong secret: the "no report matches" summary, focused.
    page.locator("#id_receipt_no").fill(f"R-{timezone.localdate().year}-000001")
    page.locator("#id_secret").fill("ABCDEFGHJK")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(SUMMARY)).to_be_focused()
    expect(page.locator(SUMMARY).locator("a")).to_have_count(0)
    check_page(page)


def test_a_failed_consultation_request_moves_focus_to_the_error_summary(page: Page, site, db):
    page.goto(f"{site}/consultations/new/")
    page.locator("form.consultation-form button[type=submit]").click()

    summary = page.locator(SUMMARY)
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#id_topic"]')).to_be_visible()
    check_page(page)


def test_no_focus_is_moved_on_a_form_shown_for_the_first_time(page: Page, site, department):
    page.goto(f"{site}/reports/new/")
    expect(page.locator(SUMMARY)).to_have_count(0)
    assert page.evaluate("document.activeElement === document.body")


def test_reloading_the_done_page_keeps_the_receipt_number_and_never_the_secret(
    page: Page, site, department
):
    fill_report(page, site, department)
    page.locator("form.report-form button[type=submit]").click()
    page.wait_for_url(f"{site}/reports/new/done/")
    receipt_no = page.locator("#receipt-no").inner_text().strip()
    secret = page.locator("#tracking-secret").inner_text().strip()
    assert receipt_no == Report.objects.get().receipt_no
    assert len(secret) == 10
    check_page(page)

    page.reload()

    expect(page.locator("#receipt-no")).to_have_text(receipt_no)
    expect(page.locator("#tracking-secret")).to_have_count(0)
    expect(page.locator("#secret-shown-once")).to_be_visible()
    assert secret not in page.content()
    check_page(page)
    # The number still leads to tracking, where the secret written down shows the report.
    page.locator(f'a[href*="receipt_no={receipt_no}"]').click()
    expect(page.locator("#id_receipt_no")).to_have_value(receipt_no)
    page.locator("#id_secret").fill(secret.lower())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#result-title")).to_contain_text(receipt_no)
    check_page(page)
