"""A report officer's failed decision on a staff screen (issue 15 item 1, at 1366 px, in
Korean): the error summary is at the top of the page and has the focus, its link leads to
the field, and the decision's confirmation step is reached and confirmed by keyboard alone.
Every page visited is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from complaints.models import MeritRecord, Report
from tests.e2e.test_pages import check_page, log_in

pytestmark = pytest.mark.browser

STAFF_SCREEN = {"width": 1366, "height": 768}
SUMMARY = "전화 문의에 언성을 높이고 통화를 끊은 사례입니다."


def test_a_failed_substantiation_takes_focus_to_the_summary_and_is_confirmed_by_keyboard(
    page: Page, site, case
):
    page.set_viewport_size(STAFF_SCREEN)
    log_in(page, site, "officer1")
    page.goto(f"{site}/staff/reports/{case.receipt_no}/")
    check_page(page)

    # The decision waits behind the official's account: open it and send it half filled.
    decision = page.locator("details#more-substantiate")
    decision.locator("summary").click()
    page.locator("#id_substantiate_reason").fill("통화 녹취로 사실이 확인되었습니다.")
    with page.expect_navigation():
        page.locator("#action-substantiate button[type=submit]").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    assert box is not None and box["y"] + box["height"] <= STAFF_SCREEN["height"]
    expect(decision).to_have_attribute("open", "")  # the failing form stays open
    check_page(page)

    # Keyboard only from here: the summary's link leads into the field.
    page.keyboard.press("Tab")
    expect(summary.locator('a[href="#id_substantiate_summary"]')).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_substantiate_summary")).to_be_focused()
    page.keyboard.type(SUMMARY)
    page.keyboard.press("Tab")
    expect(page.locator("#action-substantiate button[type=submit]")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The confirmation step says what will happen; nothing is stored yet.
    step = page.locator("#confirm-step")
    expect(step).to_be_focused()
    expect(step).to_contain_text("이무뚝")
    expect(step).to_contain_text(SUMMARY)
    check_page(page)
    assert Report.objects.get(pk=case.pk).status == Report.Status.UNDER_REVIEW
    assert not MeritRecord.objects.filter(report=case).exists()

    page.keyboard.press("Tab")
    expect(page.locator("#confirm-button")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{site}/staff/reports/{case.receipt_no}/"
    expect(page.locator(".messages .message-success")).to_have_count(1)
    check_page(page)
    report = Report.objects.get(pk=case.pk)
    assert report.status == Report.Status.SUBSTANTIATED and report.published_summary == SUMMARY
    assert MeritRecord.objects.filter(report=case, kind=MeritRecord.Kind.PENALTY).count() == 1
