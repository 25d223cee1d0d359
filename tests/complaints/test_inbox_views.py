"""The report inbox's views (issue 15 item 4): open cases by default, mine / new / needs
action / awaiting the official's account / overdue / decided, each with its count, and the
source of every report as a column and a filter."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from complaints.models import Report
from kindness.roles import Role
from tests.factories import DepartmentFactory, OfficialFactory, ReportFactory

Status = Report.Status

pytestmark = pytest.mark.django_db


def receipts(response) -> set[str]:
    assert response.status_code == 200
    return {r.receipt_no for r in response.context["page"]}


def counts(html: str) -> dict[str, int]:
    found = re.findall(
        r'<a href="\?show=([a-z_]+)"[^>]*>[^<]*<span class="count">(\d+)</span>', html
    )
    return {view: int(n) for view, n in found}


@pytest.fixture
def cases(db):
    today = timezone.localdate()
    return {
        "new": ReportFactory(status=Status.RECEIVED, source=Report.Source.WEB),
        "review": ReportFactory(status=Status.UNDER_REVIEW, source=Report.Source.OPEN311),
        "late": ReportFactory(
            status=Status.SUBSTANTIATED,
            source=Report.Source.HAPPY_CALL,
            measure_due_on=today - dt.timedelta(days=1),
            decided_on=today - dt.timedelta(days=40),
        ),
        "closed": ReportFactory(
            status=Status.CLOSED, source=Report.Source.IMPORT, decided_on=today
        ),
    }


def test_inbox_lists_open_cases_by_default_and_every_case_on_asking(role_client, cases):
    client = role_client(Role.REPORT_OFFICER)
    nos = {k: r.receipt_no for k, r in cases.items()}
    assert receipts(client.get("/staff/reports/")) == {nos["new"], nos["review"], nos["late"]}
    assert receipts(client.get("/staff/reports/?show=all")) == set(nos.values())
    # A chosen status is looked for among all cases, closed ones included.
    assert receipts(client.get("/staff/reports/?status=closed")) == {nos["closed"]}


def test_inbox_views_select_their_cases_and_count_them(role_client, cases):
    client = role_client(Role.REPORT_OFFICER)
    Report.objects.filter(pk=cases["review"].pk).update(handler=client.user)
    nos = {k: r.receipt_no for k, r in cases.items()}
    expected = {
        "open": {nos["new"], nos["review"], nos["late"]},
        "new": {nos["new"]},
        "mine": {nos["review"]},
        "action": {nos["new"], nos["review"]},
        "awaiting_reply": {nos["review"]},
        "overdue": {nos["late"]},
        "decided": {nos["closed"]},
        "all": set(nos.values()),
    }
    html = client.get("/staff/reports/").content.decode()
    assert counts(html) == {view: len(wanted) for view, wanted in expected.items()}
    assert 'href="?show=open" aria-current="page"' in html
    for view, wanted in expected.items():
        assert receipts(client.get(f"/staff/reports/?show={view}")) == wanted, view


def test_needs_action_for_a_department_head_is_their_follow_up(role_client):
    own = DepartmentFactory()
    client = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    ReportFactory(status=Status.RECEIVED, department=own)
    todo = ReportFactory(status=Status.SUBSTANTIATED, department=own, decided_department=own)
    ReportFactory(status=Status.SUBSTANTIATED, department=DepartmentFactory())
    assert receipts(client.get("/staff/reports/?show=action")) == {todo.receipt_no}


def test_inbox_shows_and_filters_the_source(role_client, cases):
    client = role_client(Role.AUDITOR)
    response = client.get("/staff/reports/?show=all&source=open311")
    assert receipts(response) == {cases["review"].receipt_no}
    html = client.get("/staff/reports/?show=all").content.decode()
    assert "Open311 API" in html or '<th scope="col">출처</th>' in html
    for report in cases.values():
        assert str(report.get_source_display()) in html


def test_an_unknown_view_or_source_gives_a_field_error_not_a_500(role_client, cases):
    client = role_client(Role.REPORT_OFFICER)
    response = client.get("/staff/reports/", {"show": "<b>x</b>", "source": "fax"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_show_error" role="alert"' in html and 'id="id_source_error"' in html
    assert "<b>x</b>" not in html
