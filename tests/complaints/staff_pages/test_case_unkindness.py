"""Unkindness case actions through the views: take, match, review, reply, decide, withdraw,
measure and apology call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import MeritRecord
from kindness.roles import Role
from tests.complaints.staff_pages.helpers import (
    CONFIRMED,
    Status,
    case_url,
    file_report,
    posted_twice,
    refreshed,
    said,
    sign_in,
    substantiated,
)
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def test_officer_takes_matches_reviews_records_the_reply_and_substantiates(role_client, own, other):
    colleague = OfficialFactory(department=other, name="이담당", employee_no="E7777")
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)

    assert client.post(case_url(report, "take")).status_code == 302
    assert refreshed(report).handler == client.user

    # The select holds the named department's officials; the search finds anyone in the city.
    assert "이담당" not in client.get(case_url(report)).content.decode()
    found = client.get(case_url(report), {"official_q": "E7777"}).content.decode()
    assert f'<option value="{colleague.pk}">' in found
    # A search the text rules refuse is told beside the search box, the case page still shown.
    refused = client.get(case_url(report), {"official_q": "E77\x00"})
    assert refused.status_code == 400 and 'id="official_q_error"' in refused.content.decode()
    assert client.post(case_url(report, "match"), {"official": colleague.pk}).status_code == 302
    assert client.post(case_url(report, "match"), {"official": colleague.pk}).status_code == 302
    assert refreshed(report).official == colleague
    assert report.events.filter(action="matched").count() == 1

    assert client.post(case_url(report, "start_review"), {"note": ""}).status_code == 302
    assert client.post(case_url(report, "start_review"), {"note": ""}).status_code == 302
    assert refreshed(report).status == Status.UNDER_REVIEW

    account = "당시 민원이 몰려 응대가 짧았습니다."
    assert client.post(case_url(report, "reply"), {"text": account}).status_code == 302
    assert client.post(case_url(report, "reply"), {"text": account}).status_code == 302
    assert report.events.filter(action="reply", note=account).count() == 1

    decision = {
        "reason": "녹취로 확인",
        "summary": "민원인의 질문에 답하지 않은 사례입니다.",
        **CONFIRMED,
    }
    assert client.post(case_url(report, "substantiate"), decision).status_code == 302
    assert client.post(case_url(report, "substantiate"), decision).status_code == 302
    report = refreshed(report)
    assert report.status == Status.SUBSTANTIATED and report.decided_department == other
    assert report.events.filter(action="substantiated").count() == 1
    assert MeritRecord.objects.filter(report=report, kind=MeritRecord.Kind.PENALTY).count() == 1


def test_substantiating_without_a_summary_is_a_field_error_and_keeps_the_reason(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    client.post(case_url(report, "start_review"))
    response = client.post(
        case_url(report, "substantiate"), {"reason": "입력한 결정 사유", "summary": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_substantiate_summary_error" role="alert"' in html
    assert "입력한 결정 사유" in html
    assert refreshed(report).status == Status.UNDER_REVIEW


def test_a_second_decision_on_a_decided_case_shows_the_message_with_409(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    client.post(case_url(report, "start_review"))
    client.post(case_url(report, "not_substantiate"), {"reason": "근거 없음"})
    assert refreshed(report).status == Status.NOT_SUBSTANTIATED
    decision = {
        "reason": "다시 입력한 사유",
        "summary": "재결정을 시도하는 요약입니다.",
        **CONFIRMED,
    }
    response = client.post(case_url(report, "substantiate"), decision)
    assert response.status_code == 409
    html = response.content.decode()
    assert "다시 입력한 사유" in html and "재결정을 시도하는 요약입니다." in html
    assert said("Only an unkindness report under review can be substantiated.", html)
    assert refreshed(report).status == Status.NOT_SUBSTANTIATED
    assert (
        client.post(case_url(report, "not_substantiate"), {"reason": "근거 없음"}).status_code
        == 302
    )


def test_matching_after_the_decision_is_refused_with_409(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    client.post(case_url(report, "withdraw"), {"reason": "신고인 취하", **CONFIRMED})
    assert refreshed(report).status == Status.WITHDRAWN
    official = OfficialFactory(department=own)
    response = client.post(case_url(report, "match"), {"official": official.pk})
    assert response.status_code == 409
    assert refreshed(report).official is None


def test_officer_records_a_withdrawal_once(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    posted_twice(client, report, "withdraw", {"reason": "신고인 취하", **CONFIRMED})
    assert refreshed(report).status == Status.WITHDRAWN
    assert report.events.filter(action="withdrawn").count() == 1


def test_department_head_records_the_measure_then_the_apology_call_and_the_case_closes(
    client, make_user, own
):
    report = substantiated(file_report(own), make_user(Role.REPORT_OFFICER))
    sign_in(client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    call = {
        "called_on": timezone.localdate().isoformat(),
        "caller": "민원봉사과장",
        "outcome": "사과드렸고 수용하셨습니다.",
    }

    response = client.post(case_url(report, "apology"), call)
    assert response.status_code == 409  # the measure comes first
    assert "민원봉사과장" in response.content.decode()
    assert said(
        "Record the recurrence-prevention measure before the apology call.",
        response.content.decode(),
    )

    measure = {"text": "부서 친절 교육을 실시했습니다."}
    posted_twice(client, report, "measure", measure)
    assert refreshed(report).measure_text == measure["text"]
    assert report.events.filter(action="measure").count() == 1

    future = {**call, "called_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}
    response = client.post(case_url(report, "apology"), future)
    assert response.status_code == 400
    assert 'id="id_apology_called_on_error" role="alert"' in response.content.decode()

    posted_twice(client, report, "apology", call)
    report = refreshed(report)
    assert report.status == Status.CLOSED and report.apology_caller == "민원봉사과장"
    assert report.events.filter(action="closed").count() == 1


def test_a_success_message_follows_the_redirect(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    response = client.post(case_url(report, "take"), follow=True)
    assert response.status_code == 200
    assert 'class="message message-success"' in response.content.decode()
