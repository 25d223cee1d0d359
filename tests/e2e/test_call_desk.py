"""The call desk in the browser (issue 4, "Done when"): on a phone-sized screen a happy-call
staff member enters three queued calls with the keyboard alone (number keys, Tab, Space,
Enter and Ctrl+Enter), one of them raising an unkindness flag; the report it raised is in
the report centre, where a report officer finds it. The desk is checked with axe-core and
must fit a 360 px screen.

Elements are found by id (the desk's own ids and Django's auto ids) so that the story does
not hang on wording, which may or may not be translated yet."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from complaints.models import Report
from kindness.roles import Role
from surveys.models import CallCentreAgent, HappyCall
from surveys.services import call_queue_build
from tests.e2e.test_pages import check_page, log_in
from tests.factories import DepartmentFactory, UserFactory
from tests.surveys.test_queue import make_petition, survey_defaults_ensure

pytestmark = pytest.mark.browser

UNKIND_VOC = "담당자가 설명 없이 전화를 끊었습니다. 다시 전화해도 받지 않았어요."


@pytest.fixture
def queue(site):
    """Three petitions queued for caller1 (on duty), and a report officer."""
    survey_defaults_ensure()
    department = DepartmentFactory(code="B01", name="민원봉사과")
    petitions = [make_petition(department, days_ago=3 - i) for i in range(3)]
    caller = UserFactory(username="caller1")
    caller.groups.add(Group.objects.get(name=Role.HAPPY_CALL))
    CallCentreAgent.objects.create(user=caller, on_duty=True)
    officer = UserFactory(username="officer1")
    officer.groups.add(Group.objects.get(name=Role.REPORT_OFFICER))
    assert call_queue_build().queued == 3
    return petitions


def enter_call(
    page: Page, digits: str, *, voc: str = "", unkind: bool = False, after_save: bool = False
) -> None:
    """Answer the five questions with number keys, type the voice of the customer, and save:
    with the unkindness flag Tab, Tab, Space and Enter on it; without, Ctrl+Enter. After a
    save the page opens on the call's card, where the first number key answers question 1."""
    if after_save:
        expect(page.locator("#call-card")).to_be_focused()
        page.keyboard.press(digits[0])
        digits = digits[1:]
    expect(page.locator("#id_item_clarity_0" if after_save else "#id_item_speed_0")).to_be_focused()
    for digit in digits:
        page.keyboard.press(digit)
    expect(page.locator("#id_voc")).to_be_focused()
    if voc:
        page.keyboard.type(voc)
    if unkind:
        page.keyboard.press("Tab")
        expect(page.locator("#id_kind_case")).to_be_focused()
        page.keyboard.press("Tab")
        expect(page.locator("#id_unkind_case")).to_be_focused()
        page.keyboard.press("Space")
        expect(page.locator("#id_unkind_case")).to_be_checked()
        page.keyboard.press("Enter")
    else:
        page.keyboard.press("Control+Enter")


def test_a_caller_enters_three_calls_by_keyboard_and_the_flag_reaches_the_report_centre(
    page: Page, site, queue
):
    log_in(page, site, "caller1")
    page.goto(f"{site}/staff/calls/")
    check_page(page)

    answers = ["54325", "00000", "21010"]
    for n, digits in enumerate(answers):
        number = page.locator("#call-heading").inner_text()
        started = time.monotonic()
        if n == 0:
            # Tab order: from the first question back to the attempt buttons is Shift+Tab.
            page.keyboard.press("Shift+Tab")
            expect(page.locator("#attempt-refused")).to_be_focused()
            page.keyboard.press("Tab")
        enter_call(page, digits, voc=UNKIND_VOC if n == 2 else "", unkind=n == 2, after_save=n > 0)
        # The confirmation names the call just saved, on the next call's card.
        expect(page.locator("#desk-saved")).to_contain_text(number.split()[-1])
        if n < 2:
            expect(page.locator("#call-heading")).not_to_have_text(number)
        else:
            expect(page.locator("#desk-empty")).to_be_visible()
            expect(page.locator("#desk-saved")).to_be_focused()
        assert time.monotonic() - started < 30, "a call took 30 s or more to enter"

    calls = HappyCall.objects.select_related("petition").order_by("petition__completed_on")
    assert [c.status for c in calls] == [HappyCall.Status.COMPLETED] * 3
    stored = ["".join(str(a.value or 0) for a in c.answers.order_by("item__order")) for c in calls]
    assert stored == answers
    assert [c.response_score for c in calls] == [70.0, None, pytest.approx(25 / 3)]
    flagged = calls[2]
    report = Report.objects.get(source=Report.Source.HAPPY_CALL)
    assert flagged.unkind_report == report
    assert report.kind == Report.Kind.UNKIND
    assert report.text == UNKIND_VOC
    assert not calls[0].unkind_report and not calls[1].unkind_report
    expect(page.locator("#desk-saved")).to_contain_text(report.receipt_no)

    # The report officer finds it in the report centre's inbox.
    page.context.clear_cookies()
    log_in(page, site, "officer1")
    page.goto(f"{site}/staff/reports/")
    expect(page.locator("main")).to_contain_text(report.receipt_no)


def test_the_attempt_buttons_update_the_list_in_place_and_close_the_call(page: Page, site, queue):
    log_in(page, site, "caller1")
    page.goto(f"{site}/staff/calls/")
    first = page.locator("#call-heading").inner_text()

    page.locator("#attempt-busy").click()
    expect(page.locator("#attempts .attempt-list li")).to_have_count(1)
    expect(page.locator("#next-call")).to_be_focused()
    page.locator("#attempt-wrong_number").click()

    expect(page.locator("#call-closed")).to_be_visible()
    expect(page.locator("#survey-form")).to_have_count(0)
    expect(page.locator("#attempt-form button")).to_have_count(0)
    check_page(page)
    page.keyboard.press("Enter")  # on "open the next call"
    expect(page.locator("#call-heading")).not_to_have_text(first)
    closed = HappyCall.objects.get(petition__petition_no=first.split()[-1])
    assert closed.status == HappyCall.Status.UNREACHABLE
    assert list(closed.attempts.values_list("outcome", flat=True)) == ["busy", "wrong_number"]


def test_at_1366_px_the_card_stays_beside_the_questionnaire_and_takes_focus_after_a_save(
    page: Page, site, queue
):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, site, "caller1")
    page.goto(f"{site}/staff/calls/")
    first = page.locator("#call-heading").inner_text()
    card, survey = page.locator("#call-card"), page.locator("#survey")
    assert card.bounding_box()["x"] + card.bounding_box()["width"] <= survey.bounding_box()["x"]

    for digit in "5432":
        page.keyboard.press(digit)
    expect(page.locator("#id_item_overall_0")).to_be_focused()  # lower down the page
    page.evaluate("document.getElementById('save-call').scrollIntoView({block: 'end'})")
    assert page.evaluate("window.scrollY") > 100  # the questionnaire is taller than the screen
    box = card.bounding_box()
    assert box["y"] >= 0 and box["y"] + 40 <= 768, "the card scrolled out of view"
    expect(page.locator("#petitioner-phone")).to_be_in_viewport()

    page.keyboard.press("3")
    page.keyboard.press("Control+Enter")

    expect(page.locator("#call-heading")).not_to_have_text(first)
    expect(card).to_be_focused()
    expect(page.locator("#desk-saved")).to_be_in_viewport()
    expect(page.locator("#desk-saved")).to_contain_text(first.split()[-1])
    expect(page.locator("#petitioner-name")).to_be_in_viewport()
    check_page(page)
