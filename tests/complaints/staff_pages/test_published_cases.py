"""The published cases page."""

from __future__ import annotations

import pytest

from complaints import services
from kindness.roles import Role
from tests.complaints.staff_pages.helpers import NAME, PHONE, file_report
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def test_published_cases_show_the_summary_but_no_names(role_client, make_user, own):
    official = OfficialFactory(department=own, name="문제공무원")
    report = file_report(own, official=official)
    services.report_start_review(report=report, by=make_user(Role.REPORT_OFFICER))
    services.report_substantiate(
        report=report,
        by=make_user(Role.REPORT_OFFICER),
        reason="확인",
        summary="창구에서 반말을 사용한 사례입니다.",
    )
    undecided = file_report(own, text="아직 결정되지 않은 신고 내용입니다.")
    client = role_client(Role.HAPPY_CALL)
    response = client.get("/staff/cases/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "창구에서 반말을 사용한 사례입니다." in html and "민원봉사과" in html
    for name in (NAME, "문제공무원", "김공무", PHONE, report.receipt_no, undecided.text):
        assert name not in html


def test_published_cases_need_a_role(client, make_user):
    client.force_login(make_user())
    assert client.get("/staff/cases/").status_code == 403
