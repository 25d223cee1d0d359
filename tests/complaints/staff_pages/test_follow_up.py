"""The department head's follow-up page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Report
from kindness.roles import Role
from tests.complaints.staff_pages.helpers import file_report, refreshed, sign_in, substantiated
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def test_follow_up_lists_the_substantiated_case_with_its_due_date_and_closed_cases_below(
    client, make_user, own
):
    officer = make_user(Role.REPORT_OFFICER)
    waiting = substantiated(file_report(own), officer)
    done = substantiated(file_report(own), officer)
    services.report_record_measure(report=done, by=officer, text="재발 방지 교육을 했습니다.")
    services.report_record_apology(
        report=done, by=officer, called_on=timezone.localdate(), caller="과장", outcome="사과함"
    )
    sign_in(client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    response = client.get("/staff/follow-up/")
    assert response.status_code == 200
    html = response.content.decode()
    assert waiting.receipt_no in html
    assert refreshed(waiting).measure_due_on.isoformat() in html
    assert html.index(waiting.receipt_no) < html.index(done.receipt_no)
    assert 'class="overdue"' not in html
    Report.objects.filter(pk=waiting.pk).update(
        measure_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert 'class="overdue"' in client.get("/staff/follow-up/").content.decode()


def test_follow_up_shows_nothing_of_other_departments_and_is_refused_to_officers(
    client, make_user, own, other
):
    officer = make_user(Role.REPORT_OFFICER)
    theirs = substantiated(file_report(other), officer)
    sign_in(client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    assert theirs.receipt_no not in client.get("/staff/follow-up/").content.decode()
    sign_in(client, make_user, Role.REPORT_OFFICER)
    assert client.get("/staff/follow-up/").status_code == 403
