"""The report centre in the browser, end to end (issue 3, "Done when"): on a phone-sized
screen a resident praises one official and reports another for unkindness; a report officer
carries the unkindness case to its decision and the department head to closed; the praise,
verified and shared with edited text, appears on the public praise board, never with the
reporter's name. Every page visited is checked with axe-core and must fit a 360 px screen.

Elements are found by id (Django's auto ids, the case page's `#action-<name>` forms) so that
the story does not hang on wording; texts the page shows are compared with what Django renders
in Korean (`shown`), so they hold whether or not a string is translated yet."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from complaints import case_actions
from complaints.forms import staff as staff_forms
from complaints.models import Report
from kindness.roles import Role
from tests.e2e.test_pages import check_page, log_in
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory, UserFactory

pytestmark = pytest.mark.browser

Status = Report.Status

PRAISER = "김민원"
PRAISE_TEXT = "어머니와 함께 방문했는데 복잡한 서류를 처음부터 끝까지 차근차근 도와주셨습니다."
PUBLIC_TEXT = "복잡한 서류 작성을 처음부터 끝까지 차근차근 도와주셨습니다. 감사합니다."
REPORTER, PHONE = "홍길동", "010-1234-5678"
UNKIND_TEXT = "전화로 문의했더니 설명 없이 언성을 높이고 통화를 일방적으로 끊었습니다."


def shown(text) -> str:
    """What the page shows for an English source string: its Korean once translated."""
    with translation.override("ko"):
        return gettext(str(text))


def status_label(status: str) -> str:
    with translation.override("ko"):
        return str(Status(status).label)


@pytest.fixture
def city(site):
    """Two departments (so the choice matters), the officials of the one concerned, a
    report officer and that department's head (linked to an official of it)."""
    bureau = BureauFactory(name="시민소통국")
    department = DepartmentFactory(code="B01", name="민원봉사과", bureau=bureau)
    roads = DepartmentFactory(code="C01", name="도로과", bureau=BureauFactory(name="건설국"))
    kind = OfficialFactory(employee_no="B00001", name="김친절", department=department)
    rude = OfficialFactory(employee_no="B00002", name="이무뚝", department=department)
    head_official = OfficialFactory(
        employee_no="B00009", name="박과장", position="과장", department=department
    )
    officer = UserFactory(username="officer1")
    officer.groups.add(Group.objects.get(name=Role.REPORT_OFFICER))
    head = UserFactory(username="head1")
    head.groups.add(Group.objects.get(name=Role.DEPARTMENT_HEAD))
    head_official.user = head
    head_official.save(update_fields=["user"])
    return {"department": department, "other": roads, "kind": kind, "rude": rude}


# ---------------------------------------------------------------------------- steps


def file_report(
    page: Page,
    site: str,
    department,
    other,
    *,
    kind: str,
    official: str,
    channel: str,
    text: str,
    name: str,
    phone: str = "",
) -> tuple[str, str]:
    """A resident fills in and sends the form; returns the receipt number and the secret."""
    page.goto(f"{site}/reports/new/?kind={kind}")
    expect(page.locator(f'input[name="kind"][value="{kind}"]')).to_be_checked()
    check_page(page)

    # The search box (shown by the page's script) narrows the department list.
    departments = page.locator("#id_department")
    expect(departments.locator(f'option[value="{other.pk}"]')).to_have_count(1)
    page.locator("#department-filter").fill(department.name[:2])
    expect(departments.locator(f'option[value="{other.pk}"]')).to_have_count(0)
    departments.select_option(str(department.pk))
    page.locator("#id_official_name").press_sequentially(official)
    page.locator("#id_incident_on").fill((timezone.localdate() - dt.timedelta(days=3)).isoformat())
    page.locator(f'input[name="channel"][value="{channel}"]').check()
    page.locator("#id_text").fill(text)
    page.locator("#id_reporter_name").fill(name)
    if phone:
        page.locator("#id_reporter_phone").fill(phone)
    page.locator("#id_consent").check()
    expect(page.locator("#id_website")).to_have_value("")
    page.locator("form.report-form button[type=submit]").click()

    page.wait_for_url(f"{site}/reports/new/done/")
    receipt_no = page.locator("#receipt-no").inner_text().strip()
    secret = page.locator("#tracking-secret").inner_text().strip()
    assert re.fullmatch(rf"R-{timezone.localdate().year}-\d{{6}}", receipt_no), receipt_no
    assert secret
    check_page(page)
    return receipt_no, secret


def track(page: Page, site: str, receipt_no: str, secret: str) -> None:
    page.goto(f"{site}/reports/track/?receipt_no={receipt_no}")
    expect(page.locator("#id_receipt_no")).to_have_value(receipt_no)
    page.locator("#id_secret").fill(secret)
    page.locator("form.narrow button[type=submit]").click()
    expect(page.locator("#result-title")).to_contain_text(receipt_no)


def tracked_status(page: Page):
    return page.locator("section.card dl.facts dd").first


def case_status(page: Page):
    return page.locator("main dl.facts").first.locator("dd").first


def act(page: Page, action: str, **fields: str) -> None:
    """Fill in the case page's form of `action` (field ids carry the action's name), opening
    it when it is folded among the other actions, send it, confirm it on the second step
    when it is a decision with consequences, and see the service's confirmation."""
    form = page.locator(f"#action-{action}")
    folded = page.locator(f"details#more-{action}")
    if folded.count() and not folded.evaluate("e => e.open"):
        folded.locator("summary").click()
    for name, value in fields.items():
        field = form.locator(f"#id_{action}_{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if action in case_actions.CONFIRMED:
        expect(page.locator("#confirm-step")).to_be_focused()
        with page.expect_navigation():
            page.locator("#confirm-button").click()
    expect(page.locator("main [role=alert]")).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text(shown(staff_forms.ACTION_FORMS[action].done))


def log_out(page: Page, site: str) -> None:
    with page.expect_navigation():
        page.locator(".logout-form button[type=submit]").click()
    assert page.url == f"{site}/"
    expect(page.locator(".logout-form")).to_have_count(0)


# ---------------------------------------------------------------------------- the story


def test_residents_report_and_staff_carry_the_cases_to_their_end(page: Page, site, city):
    department, kind_official, rude_official = city["department"], city["kind"], city["rude"]
    assert page.viewport_size == {"width": 360, "height": 740}

    # 1. A resident praises an official.
    praise_no, _praise_secret = file_report(
        page,
        site,
        department,
        city["other"],
        kind="praise",
        official=kind_official.name,
        channel="visit",
        text=PRAISE_TEXT,
        name=PRAISER,
    )
    praise = Report.objects.get(receipt_no=praise_no)
    assert (praise.kind, praise.status, praise.reporter_phone) == ("praise", Status.RECEIVED, "")

    # 2. Another resident reports unkindness, then tracks the report.
    unkind_no, unkind_secret = file_report(
        page,
        site,
        department,
        city["other"],
        kind="unkind",
        official=rude_official.name,
        channel="phone",
        text=UNKIND_TEXT,
        name=REPORTER,
        phone="010 1234 5678",
    )
    assert Report.objects.get(receipt_no=unkind_no).reporter_phone == PHONE
    track(page, site, unkind_no, unkind_secret)
    expect(tracked_status(page)).to_have_text(status_label(Status.RECEIVED))
    check_page(page)

    # 3. The report officer takes the unkindness case and decides it.
    log_in(page, site, "officer1")
    page.goto(f"{site}/staff/reports/")
    check_page(page)
    page.locator(f'main a[href="/staff/reports/{unkind_no}/"]').click()
    page.wait_for_url(f"{site}/staff/reports/{unkind_no}/")
    reporter = page.locator('section[aria-labelledby="reporter-heading"]')
    expect(reporter).to_contain_text("010-****-5678")
    expect(reporter).not_to_contain_text(PHONE)
    check_page(page)

    act(page, "take")
    expect(reporter).to_contain_text(PHONE)
    expect(reporter).to_contain_text(REPORTER)
    act(page, "match", official=str(rude_official.pk))
    act(page, "start_review", note="담당자에게 경위를 물었습니다.")
    expect(case_status(page)).to_have_text(status_label(Status.UNDER_REVIEW))
    act(page, "reply", text="바쁜 시간이라 응대가 짧았습니다. 죄송합니다.")
    act(
        page,
        "substantiate",
        reason="통화 녹취로 사실이 확인되었습니다.",
        summary="전화 문의에 언성을 높이고 통화를 끊은 사례입니다.",
    )
    expect(case_status(page)).to_have_text(status_label(Status.SUBSTANTIATED))
    expect(page.locator("#action-measure")).to_have_count(0)  # the head's, not the officer's
    check_page(page)
    report = Report.objects.get(receipt_no=unkind_no)
    assert report.decided_department == department

    # 4. The department head records the measure and the apology call: the case closes.
    log_out(page, site)
    log_in(page, site, "head1")
    page.goto(f"{site}/staff/follow-up/")
    case_link = page.locator(f'main a[href="/staff/reports/{unkind_no}/"]')
    expect(case_link).to_have_count(1)
    check_page(page)
    case_link.click()
    page.wait_for_url(f"{site}/staff/reports/{unkind_no}/")
    expect(reporter).to_contain_text(PHONE)  # to phone the reporter
    check_page(page)

    act(page, "measure", text="부서 전 직원이 전화 응대 교육을 받도록 했습니다.")
    act(
        page,
        "apology",
        called_on=timezone.localdate().isoformat(),
        caller="박과장",
        outcome="사과를 받아들이셨습니다.",
    )
    expect(case_status(page)).to_have_text(status_label(Status.CLOSED))
    expect(page.locator("#action-apology")).to_have_count(0)
    check_page(page)
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.apology_caller == "박과장"

    # The resident sees the outcome.
    log_out(page, site)
    track(page, site, unkind_no, unkind_secret)
    expect(tracked_status(page)).to_have_text(status_label(Status.CLOSED))
    expect(page.locator("section.card")).to_contain_text(report.public_outcome)
    check_page(page)

    # 5. The officer verifies the praise and shares it with edited text.
    log_in(page, site, "officer1")
    page.goto(f"{site}/staff/reports/{praise_no}/")
    act(page, "match", official=str(kind_official.pk))
    act(page, "verify")
    expect(case_status(page)).to_have_text(status_label(Status.VERIFIED))
    expect(page.locator("#id_share_public_text")).to_have_value(PRAISE_TEXT)
    act(page, "share", public_text=PUBLIC_TEXT)
    expect(case_status(page)).to_have_text(status_label(Status.SHARED))
    check_page(page)

    # The praise board shows the approved words and the official, never the reporter.
    log_out(page, site)
    page.goto(f"{site}/praise/")
    board = page.locator("ol.praise-list > li")
    expect(board).to_have_count(1)
    expect(board.get_by_role("heading", level=2)).to_contain_text(kind_official.name)
    expect(board.get_by_role("heading", level=2)).to_contain_text(department.name)
    expect(board.locator("blockquote")).to_have_text(PUBLIC_TEXT)
    main = page.locator("main")
    expect(main).not_to_contain_text(PRAISER)
    expect(main).not_to_contain_text(PRAISE_TEXT)
    check_page(page)
