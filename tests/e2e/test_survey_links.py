"""A survey answered by link in the browser (issue 18, "Done when"): the queue gives a
petitioner a link, the `file://` SMS backend writes the message, a resident opens its link
on a 360 px phone (axe on the page), answers, and the answer shows on the happy-call
dashboard as a web answer and in the next ranking run's H count; a second visit is
refused with the same page as any dead link."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from kindness.outbox import outbox_deliver
from kindness.roles import Role
from scoring.models import DepartmentScore, RankingRun
from surveys.links.services import survey_links_send
from surveys.models import CallCentreAgent, HappyCall
from surveys.services import call_queue_build
from tests.e2e.test_pages import check_page, log_in
from tests.factories import DepartmentFactory, UserFactory
from tests.surveys.test_queue import make_petition, set_rules, survey_defaults_ensure

pytestmark = pytest.mark.browser


@pytest.fixture
def sent_link(site, settings, tmp_path):
    """One petition whose link went out by SMS through the file backend; the message's path."""
    survey_defaults_ensure()
    settings.SMS_URL = f"file://{tmp_path}/sms"
    settings.SITE_URL = site
    set_rules(link_share_percent=100)
    department = DepartmentFactory(code="B01", name="민원봉사과")
    petition = make_petition(department, days_ago=2, phone="010-2345-6789")
    assert call_queue_build().links == 1
    assert survey_links_send()["sent"] == 1
    outbox_deliver()  # (tasks run in process: the commit already delivered it)
    (message,) = (tmp_path / "sms").iterdir()
    text = message.read_text(encoding="utf-8")
    assert text.startswith("To: 01023456789\n\n")
    return petition, re.search(r"(https?://\S+/s/[A-Za-z0-9_-]+/)", text).group(1)


def test_a_resident_answers_by_link_on_a_phone_and_the_answer_counts(page: Page, site, sent_link):
    petition, link = sent_link
    page.goto(link)
    expect(page.locator("#link-petition")).to_contain_text("민원봉사과")
    expect(page.locator("body")).not_to_contain_text(petition.petitioner_name)
    check_page(page)  # axe, and fits 360 px

    # Leaving a question out keeps the answers and says what is missing.
    page.locator("label[for='id_item_speed_0']").click()
    page.locator("#send-survey").click()
    expect(page.locator("#survey-errors")).to_be_visible()
    expect(page.locator("#id_item_speed_0")).to_be_checked()
    check_page(page)

    for key, choice in (("clarity", 1), ("kindness", 0), ("result", 2), ("overall", 1)):
        page.locator(f"label[for='id_item_{key}_{choice}']").click()
    page.locator("#id_voc").fill("친절하게 안내해 주셔서 감사합니다.")
    page.locator("#send-survey").click()
    expect(page.locator("#link-thanks")).to_be_visible()
    check_page(page)

    call = HappyCall.objects.get(petition=petition)
    assert (call.status, call.mode, call.kindness_answer) == ("completed", "web", 5)

    # The second visit: the same page as any dead link, with the centre's number, 404.
    response = page.goto(link)
    assert response.status == 404
    expect(page.locator("#link-not-live")).to_be_visible()
    check_page(page)

    # The happy-call dashboard shows it as a web answer.
    manager = UserFactory(username="manager2")
    manager.groups.add(Group.objects.get(name=Role.MANAGER))
    log_in(page, site, "manager2")
    page.goto(f"{site}/staff/calls/dashboard/")
    web = page.locator("#mode-web td")
    expect(web.nth(0)).to_have_text("1")  # links sent
    expect(web.nth(1)).to_have_text("1")  # answered
    expect(web.nth(2)).to_have_text("100.0%")

    # The next ranking run counts it in the department's H.
    year = str(timezone.localdate().year)
    call_command("create_period", year)
    call_command("compute_rankings", year, "--sync")
    run = RankingRun.objects.filter(period__code=year).latest("pk")
    row = DepartmentScore.objects.get(run=run, department=petition.department)
    assert row.h_n == 1


def test_a_caller_sends_a_link_instead_of_calling_with_one_key(
    page: Page, site, settings, tmp_path
):
    survey_defaults_ensure()
    settings.SMS_URL = f"file://{tmp_path}/sms"
    department = DepartmentFactory(code="B02", name="세무과")
    petition = make_petition(department, days_ago=1, phone="010-3456-7890")
    caller = UserFactory(username="caller2")
    caller.groups.add(Group.objects.get(name=Role.HAPPY_CALL))
    CallCentreAgent.objects.create(user=caller, on_duty=True)
    assert call_queue_build().queued == 1

    log_in(page, site, "caller2")
    page.goto(f"{site}/staff/calls/")
    expect(page.locator("#id_item_speed_0")).to_be_focused()
    page.keyboard.press("l")
    expect(page.locator("#desk-empty")).to_be_visible()
    check_page(page)
    call = HappyCall.objects.get(petition=petition)
    assert (call.status, call.link.reason, call.link.channel) == ("link", "desk", "sms")
