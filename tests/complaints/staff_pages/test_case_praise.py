"""Praise case actions through the views: verify, share, reject."""

from __future__ import annotations

import pytest

from complaints import services
from complaints.models import MeritRecord, Report
from kindness.roles import Role
from tests.complaints.staff_pages.helpers import (
    CONFIRMED,
    Status,
    case_url,
    file_report,
    posted_twice,
    refreshed,
    said,
)
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def test_officer_verifies_and_shares_praise_and_repeating_is_harmless(role_client, own):
    official = OfficialFactory(department=own)
    praise = file_report(
        own, kind=Report.Kind.PRAISE, text="친절하게 안내해 주셔서 감사합니다.", official=official
    )
    client = role_client(Role.REPORT_OFFICER)
    for _ in range(2):
        response = client.post(case_url(praise, "verify"), {"note": ""})
        assert response.status_code == 302 and response["Location"] == case_url(praise)
    assert refreshed(praise).status == Status.VERIFIED
    assert MeritRecord.objects.filter(report=praise, kind=MeritRecord.Kind.INCENTIVE).count() == 1
    assert praise.events.filter(action="verified").count() == 1

    page = client.get(case_url(praise)).content.decode()
    assert 'id="action-share"' in page and "친절하게 안내해 주셔서 감사합니다." in page  # prefilled
    edited = "민원 안내가 매우 친절했습니다."
    assert client.post(case_url(praise, "share"), {"public_text": edited}).status_code == 302
    assert client.post(case_url(praise, "share"), {"public_text": edited}).status_code == 302
    assert refreshed(praise).status == Status.SHARED and refreshed(praise).public_text == edited
    assert praise.events.filter(action="shared").count() == 1


def test_officer_approves_the_name_an_unmatched_praise_card_shows(role_client, own):
    report = file_report(own, kind=Report.Kind.PRAISE)
    client = role_client(Role.REPORT_OFFICER)
    services.report_verify(report=report, by=client.user)
    assert 'name="board_name"' in client.get(case_url(report)).content.decode()

    shared = {"public_text": "안내를 친절하게 해 주셨습니다.", "board_name": "김공무"}
    assert client.post(case_url(report, "share"), shared).status_code == 302

    assert refreshed(report).board_name == "김공무"
    assert report.events.get(action="shared").note == "칭찬 게시판에 보일 이름 승인: 김공무"
    matched = file_report(own, kind=Report.Kind.PRAISE, official=OfficialFactory(department=own))
    services.report_verify(report=matched, by=client.user)
    assert 'name="board_name"' not in client.get(case_url(matched)).content.decode()


def test_rejecting_verified_praise_shows_the_message_with_409_and_keeps_the_typed_reason(
    role_client, own
):
    praise = file_report(own, kind=Report.Kind.PRAISE)
    client = role_client(Role.REPORT_OFFICER)
    client.post(case_url(praise, "verify"))
    response = client.post(
        case_url(praise, "reject"), {"reason": "근거 부족 사유 입력", **CONFIRMED}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "근거 부족 사유 입력" in html
    assert said("Only praise that is received or under review can be rejected.", html)
    assert refreshed(praise).status == Status.VERIFIED


def test_sharing_with_too_short_a_text_is_a_field_error_with_400(role_client, own):
    praise = file_report(own, kind=Report.Kind.PRAISE)
    client = role_client(Role.REPORT_OFFICER)
    client.post(case_url(praise, "verify"))
    response = client.post(case_url(praise, "share"), {"public_text": "짧음"})
    assert response.status_code == 400
    assert 'id="id_share_public_text_error" role="alert"' in response.content.decode()
    assert refreshed(praise).status == Status.VERIFIED


def test_officer_rejects_praise_with_a_reason(role_client, own):
    praise = file_report(own, kind=Report.Kind.PRAISE)
    client = role_client(Role.REPORT_OFFICER)
    posted_twice(client, praise, "reject", {"reason": "대상 확인 불가", **CONFIRMED})
    assert refreshed(praise).status == Status.REJECTED
    assert praise.events.filter(action="rejected").count() == 1
