"""The staff inbox of reports: masking, filters, overdue marks and paging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Report
from kindness.roles import Role
from tests.complaints.staff_pages.helpers import (
    MASKED_NAME,
    MASKED_PHONE,
    NAME,
    PHONE,
    case_url,
    file_report,
    substantiated,
    views_logged,
)
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def test_inbox_masks_reporters_in_the_list_even_for_the_handling_officer(role_client, own):
    client = role_client(Role.REPORT_OFFICER)
    report = file_report(own)
    services.report_take(report=report, by=client.user)
    html = client.get("/staff/reports/").content.decode()
    assert report.receipt_no in html
    assert MASKED_NAME in html and MASKED_PHONE in html
    assert NAME not in html and PHONE not in html
    assert views_logged(report) == 0


def test_inbox_filters_by_kind_status_department_overdue_and_receipt_number(
    role_client, make_user, own, other
):
    officer = make_user(Role.REPORT_OFFICER)
    praise = file_report(own, kind=Report.Kind.PRAISE)
    unkind_other = file_report(other)
    late = substantiated(file_report(own), officer)
    Report.objects.filter(pk=late.pk).update(
        measure_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client = role_client(Role.REPORT_OFFICER)

    def listed(query):
        response = client.get("/staff/reports/", query)
        assert response.status_code == 200, query
        html = response.content.decode()
        # Rows link their case; a "possible duplicate of" mark names another without a link.
        return {r.receipt_no for r in (praise, unkind_other, late) if case_url(r) in html}

    assert listed({}) == {praise.receipt_no, unkind_other.receipt_no, late.receipt_no}
    assert listed({"kind": "praise"}) == {praise.receipt_no}
    assert listed({"status": "substantiated"}) == {late.receipt_no}
    assert listed({"department": other.pk}) == {unkind_other.receipt_no}
    assert listed({"overdue": "on"}) == {late.receipt_no}
    assert listed({"q": unkind_other.receipt_no[-6:]}) == {unkind_other.receipt_no}


def test_overdue_is_marked_for_an_apology_call_past_due(role_client, make_user, own):
    officer = make_user(Role.REPORT_OFFICER)
    report = substantiated(file_report(own), officer)
    services.report_record_measure(report=report, by=officer, text="재발 방지 교육을 했습니다.")
    Report.objects.filter(pk=report.pk).update(
        apology_due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    client = role_client(Role.MANAGER)
    html = client.get("/staff/reports/", {"overdue": "on"}).content.decode()
    assert report.receipt_no in html and 'class="overdue"' in html


def test_department_head_inbox_holds_only_their_department(role_client, own, other):
    mine, theirs = file_report(own), file_report(other)
    client = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    html = client.get("/staff/reports/").content.decode()
    assert mine.receipt_no in html and theirs.receipt_no not in html


def test_a_bad_inbox_filter_gives_a_field_error_and_never_a_500(role_client, own):
    file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    response = client.get(
        "/staff/reports/", {"status": "<script>", "department": "abc", "page": "x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_status_error" role="alert"' in html
    assert "<script>" not in html


def test_inbox_is_paginated_and_keeps_the_filters_across_pages(role_client, own):
    for _ in range(26):
        file_report(own, kind=Report.Kind.PRAISE)
    client = role_client(Role.REPORT_OFFICER)
    first = client.get("/staff/reports/", {"kind": "praise"}).content.decode()
    assert 'href="?kind=praise&amp;page=2"' in first
    second = client.get("/staff/reports/", {"kind": "praise", "page": 2})
    assert second.status_code == 200
    assert second.content.decode().count("/staff/reports/R-") == 1
