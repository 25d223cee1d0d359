"""Who may open which staff page of the report centre, and who may act on a case."""

from __future__ import annotations

import pytest

from kindness.roles import Role
from tests.complaints.staff_pages.helpers import (
    TEXT,
    Status,
    case_url,
    file_report,
    refreshed,
    sign_in,
    substantiated,
)
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_staff_report_page(client, own):
    report = file_report(own)
    urls = [
        "/staff/reports/",
        case_url(report),
        "/staff/follow-up/",
        "/staff/encouragement/",
        "/staff/cases/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    response = client.post(case_url(report, "take"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert refreshed(report).handler is None


def test_happy_call_staff_are_refused_the_inbox_and_cases(role_client, own):
    report = file_report(own)
    client = role_client(Role.HAPPY_CALL)
    assert client.get("/staff/reports/").status_code == 403
    assert client.get(case_url(report)).status_code == 403
    assert client.get("/staff/cases/").status_code == 200


def test_head_of_another_department_gets_404_on_a_case_its_actions_and_attachments(
    role_client, own, other
):
    report = file_report(own)
    client = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=other))
    assert client.get(case_url(report)).status_code == 404
    assert (
        client.post(case_url(report, "measure"), {"text": "재발 방지 교육을 했습니다."}).status_code
        == 404
    )
    assert client.get(case_url(report) + "attachments/whatever/").status_code == 404
    assert client.get("/staff/reports/R-2099-999999/").status_code == 404


def test_auditor_reads_the_case_without_forms_and_every_action_post_is_forbidden(role_client, own):
    report = file_report(own)
    client = role_client(Role.AUDITOR)
    response = client.get(case_url(report))
    assert response.status_code == 200
    html = response.content.decode()
    assert TEXT in html
    assert "/take/" not in html and 'case-action"' not in html
    for action, data in [("take", {}), ("start_review", {}), ("withdraw", {"reason": "취하"})]:
        assert client.post(case_url(report, action), data).status_code == 403
    assert refreshed(report).status == Status.RECEIVED
    assert refreshed(report).handler is None


def test_manager_sees_the_inbox_read_only_and_cannot_act(role_client, own):
    report = file_report(own)
    client = role_client(Role.MANAGER)
    response = client.get("/staff/reports/")
    assert response.status_code == 200
    assert report.receipt_no in response.content.decode()
    assert client.post(case_url(report, "start_review")).status_code == 403


def test_an_unknown_action_is_404_and_a_get_on_an_action_changes_nothing(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    assert client.post(case_url(report, "delete")).status_code == 404
    assert client.get(case_url(report, "take")).status_code == 405
    assert refreshed(report).handler is None


def test_officer_cannot_record_follow_up_and_head_cannot_decide(client, make_user, own):
    officer = make_user(Role.REPORT_OFFICER)
    report = substantiated(file_report(own), officer)
    sign_in(client, make_user, Role.REPORT_OFFICER)
    assert (
        client.post(case_url(report, "measure"), {"text": "재발 방지 교육을 했습니다."}).status_code
        == 403
    )
    sign_in(client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    assert client.post(case_url(report, "not_substantiate"), {"reason": "x"}).status_code == 403
    assert refreshed(report).status == Status.SUBSTANTIATED and not refreshed(report).measure_text


def test_department_head_cannot_follow_up_a_case_not_yet_decided_for_their_department(
    role_client, own
):
    report = file_report(own)  # named their department, not decided yet
    client = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    assert client.get(case_url(report)).status_code == 200
    assert (
        client.post(case_url(report, "measure"), {"text": "재발 방지 교육을 했습니다."}).status_code
        == 403
    )
