"""The case page: what it shows, the forms the state allows, and masking of the reporter's
data per role with its access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Report, ReportEvent
from kindness.models import AccessLog
from kindness.roles import Role
from tests.complaints.staff_pages.helpers import (
    EMAIL,
    MASKED_NAME,
    MASKED_PHONE,
    NAME,
    PHONE,
    TEXT,
    case_url,
    file_report,
    refreshed,
    sign_in,
    substantiated,
    views_logged,
)
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------- the case page


def test_case_shows_what_was_written_the_department_and_the_history_in_order(
    client, make_user, own
):
    officer = make_user(Role.REPORT_OFFICER, first_name="", last_name="")
    official = OfficialFactory(department=own, name="박친절", employee_no="E0001")
    report = file_report(own)
    services.report_match_official(report=report, official=official, by=officer)
    services.report_start_review(report=report, by=officer, note="검토 시작 메모")
    sign_in(client, make_user, Role.AUDITOR)
    html = client.get(case_url(report)).content.decode()
    for shown in (
        TEXT,
        "민원봉사과",
        "김공무",
        "박친절 (E0001)",
        "검토 시작 메모",
        officer.username,
    ):
        assert shown in html
    labels = [str(ReportEvent.Action(a).label) for a in ("received", "matched", "review_started")]
    positions = [html.index(label) for label in labels]
    assert positions == sorted(positions)


def test_script_in_the_report_text_is_shown_escaped(role_client, own):
    report = file_report(own, text="<script>alert(1)</script> 불친절했습니다.")
    html = role_client(Role.REPORT_OFFICER).get(case_url(report)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_case_offers_only_the_forms_the_state_allows(role_client, own):
    unkind = file_report(own)
    praise = file_report(own, kind=Report.Kind.PRAISE)
    client = role_client(Role.REPORT_OFFICER)
    html = client.get(case_url(unkind)).content.decode()
    for offered in ("take", "match", "start_review", "withdraw"):
        assert f'id="action-{offered}"' in html
    for hidden in (
        "substantiate",
        "not_substantiate",
        "reply",
        "verify",
        "share",
        "measure",
        "apology",
    ):
        assert f'id="action-{hidden}"' not in html
    html = client.get(case_url(praise)).content.decode()
    assert 'id="action-verify"' in html and 'id="action-reject"' in html
    assert 'id="action-substantiate"' not in html and 'id="action-share"' not in html


# ---------------------------------------------------------------------------- masking


def assert_masked(html: str) -> None:
    assert MASKED_NAME in html and MASKED_PHONE in html
    assert NAME not in html and PHONE not in html and EMAIL not in html


def test_the_handling_officer_sees_the_reporter_in_full_and_the_view_is_logged(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    services.report_take(report=report, by=client.user)
    html = client.get(case_url(report), REMOTE_ADDR="10.1.2.3").content.decode()
    assert NAME in html and PHONE in html and EMAIL in html
    entry = AccessLog.objects.get(action="view_reporter", object_id=str(report.pk))
    assert entry.user == client.user and entry.ip_address == "10.1.2.3"
    assert entry.object_type == "complaints.report"


@pytest.mark.parametrize(
    "role", [Role.REPORT_OFFICER, Role.AUDITOR, Role.MANAGER, Role.BUREAU_HEAD]
)
def test_everyone_else_sees_the_reporter_masked_and_nothing_is_logged(
    role, role_client, make_user, own
):
    report = file_report(own)
    services.report_take(report=report, by=make_user(Role.REPORT_OFFICER))
    client = role_client(role, official=OfficialFactory(department=own))
    response = client.get(case_url(report))
    assert response.status_code == 200
    assert_masked(response.content.decode())
    assert views_logged(report) == 0


def test_a_non_handling_officer_is_offered_to_take_the_case_and_then_sees_it_in_full(
    role_client, make_user, own
):
    report = file_report(own)
    services.report_take(report=report, by=make_user(Role.REPORT_OFFICER))
    client = role_client(Role.REPORT_OFFICER)
    html = client.get(case_url(report)).content.decode()
    assert 'id="action-take"' in html
    assert_masked(html)
    client.post(case_url(report, "take"), {"reason": "담당자 휴가로 인수"})
    html = client.get(case_url(report)).content.decode()
    assert PHONE in html and 'id="action-take"' not in html
    assert views_logged(report) == 1


def test_taking_over_another_officers_case_needs_a_reason_and_writes_it_to_the_history(
    role_client, make_user, own
):
    report = file_report(own)
    first = make_user(Role.REPORT_OFFICER, first_name="", last_name="", username="kim")
    services.report_take(report=report, by=first)
    client = role_client(Role.REPORT_OFFICER)

    refused = client.post(case_url(report, "take"), {"reason": "  "})

    assert refused.status_code == 400
    assert 'id="id_take_reason"' in refused.content.decode()
    assert refreshed(report).handler == first
    assert (
        client.post(case_url(report, "take"), {"reason": "담당자 휴가로 인수"}).status_code == 302
    )
    assert refreshed(report).handler == client.user
    taken = report.events.filter(action=ReportEvent.Action.TAKEN).order_by("pk")
    assert [(e.by, e.note) for e in taken] == [
        (first, ""),
        (client.user, "kim 님에게서 인수: 담당자 휴가로 인수"),
    ]
    assert "담당자 휴가로 인수" in client.get(case_url(report)).content.decode()


def test_the_service_refuses_a_takeover_without_a_reason_and_repeating_a_take_is_harmless(
    make_user, own
):
    report = file_report(own)
    first, second = make_user(Role.REPORT_OFFICER), make_user(Role.REPORT_OFFICER)
    services.report_take(report=report, by=first)
    services.report_take(report=report, by=first)
    with pytest.raises(services.TransitionError):
        services.report_take(report=report, by=second, reason="")
    assert refreshed(report).handler == first
    assert report.events.filter(action=ReportEvent.Action.TAKEN).count() == 1


def test_a_department_head_sees_the_phone_only_once_the_case_is_substantiated(
    client, make_user, own
):
    officer = make_user(Role.REPORT_OFFICER)
    report = file_report(own)
    sign_in(client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    assert_masked(client.get(case_url(report)).content.decode())
    services.report_start_review(report=report, by=officer)
    assert_masked(client.get(case_url(report)).content.decode())
    assert views_logged(report) == 0

    substantiated(report, officer)
    html = client.get(case_url(report)).content.decode()
    assert PHONE in html and NAME in html
    assert views_logged(report) == 1
    assert AccessLog.objects.get(action="view_reporter").user == client.user


def test_a_department_head_sees_the_phone_while_the_apology_call_is_due_and_not_after(
    client, make_user, own
):
    officer = make_user(Role.REPORT_OFFICER)
    report = substantiated(file_report(own), officer)
    head = sign_in(
        client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own)
    )
    services.report_record_measure(
        report=report, by=head.user, text="부서 친절 교육을 실시했습니다."
    )
    # Overdue still shows it: the call is still to be made.
    Report.objects.filter(pk=report.pk).update(
        apology_due_on=timezone.localdate() - dt.timedelta(days=5)
    )
    assert PHONE in client.get(case_url(report)).content.decode()

    services.report_record_apology(
        report=report,
        by=head.user,
        called_on=timezone.localdate(),
        caller="민원봉사과장",
        outcome="사과드렸습니다.",
    )

    assert_masked(client.get(case_url(report)).content.decode())
    assert views_logged(report) == 1


def test_a_department_head_of_another_case_sees_it_masked(client, make_user, own, other):
    officer = make_user(Role.REPORT_OFFICER)
    # Named their department, but decided for the official's department elsewhere.
    official = OfficialFactory(department=other)
    report = file_report(own, official=official)
    substantiated(report, officer)
    sign_in(client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    assert client.get(case_url(report)).status_code == 404
    received = file_report(own)
    assert_masked(client.get(case_url(received)).content.decode())
    assert AccessLog.objects.count() == 0


def test_the_case_page_logs_nothing_once_personal_data_is_erased(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    services.report_take(report=report, by=client.user)
    Report.objects.filter(pk=report.pk).update(
        reporter_name="",
        reporter_phone="",
        reporter_email="",
        personal_data_erased_at=timezone.now(),
    )
    assert client.get(case_url(report)).status_code == 200
    assert views_logged(report) == 0
