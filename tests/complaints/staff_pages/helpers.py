"""Helpers shared by the tests of the report centre's staff pages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from complaints import services
from complaints.models import Report
from kindness.models import AccessLog

NAME, PHONE, EMAIL = "홍길동", "010-1234-5678", "hong@example.com"
MASKED_NAME, MASKED_PHONE = "홍*동", "010-****-5678"
TEXT = "민원실 직원이 질문에 답하지 않고 언성을 높였습니다."
Status = Report.Status
# The final button of a decision's confirmation step (issue 15 item 1).
CONFIRMED = {"step": "confirmed"}


def file_report(
    department, *, kind=Report.Kind.UNKIND, text=TEXT, attachments=(), official=None
) -> Report:
    return services.report_submit(
        kind=kind,
        department=department,
        official_name="김공무",
        incident_on=timezone.localdate(),
        channel=Report.Channel.VISIT,
        text=text,
        reporter_name=NAME,
        reporter_phone=PHONE,
        reporter_email=EMAIL,
        attachments=attachments,
        official=official,
    ).report


def substantiated(report: Report, by) -> Report:
    services.report_start_review(report=report, by=by)
    return services.report_substantiate(
        report=report, by=by, reason="사실 확인됨", summary="민원인에게 언성을 높인 사례입니다."
    )


def sign_in(client, make_user, role, official=None):
    user = make_user(role, official=official)
    client.force_login(user)
    client.user = user
    return client


def case_url(report: Report, action: str = "") -> str:
    return f"/staff/reports/{report.receipt_no}/" + (f"{action}/" if action else "")


def posted_twice(client, report: Report, action: str, data: dict) -> None:
    """Sends a case action twice, as a double click would; each send is taken (302), and the
    caller checks that the second changed nothing."""
    for _ in range(2):
        assert client.post(case_url(report, action), data).status_code == 302


def refreshed(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def said(message: str, html: str) -> bool:
    """The service's message, in the page's language, shown as an alert."""
    return f"<p>{escape(gettext(message))}</p>" in html and 'class="errorlist" role="alert"' in html


def views_logged(report: Report) -> int:
    return AccessLog.objects.filter(
        action="view_reporter", object_type="complaints.report", object_id=str(report.pk)
    ).count()


def praise_for(official, *, on: dt.date | None = None, status=Status.VERIFIED) -> Report:
    report = file_report(official.department, kind=Report.Kind.PRAISE, official=official)
    Report.objects.filter(pk=report.pk).update(
        status=status, decided_on=on or timezone.localdate(), decided_department=official.department
    )
    return report
