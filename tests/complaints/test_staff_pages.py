"""Staff pages of the report centre: who may open what, every case action through the views,
masking of the reporter's data per role with its access log, attachments, follow-up,
encouragement and the published cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from complaints import selectors, services
from complaints.models import Encouragement, MeritRecord, Report, ReportEvent
from kindness.models import AccessLog, ProgrammeSettings
from kindness.roles import Role
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "홍길동", "010-1234-5678", "hong@example.com"
MASKED_NAME, MASKED_PHONE = "홍*동", "010-****-5678"
TEXT = "민원실 직원이 질문에 답하지 않고 언성을 높였습니다."
Status = Report.Status
# The final button of a decision's confirmation step (issue 15 item 1).
CONFIRMED = {"step": "confirmed"}


# ---------------------------------------------------------------------------- helpers


@pytest.fixture
def own(db):
    return DepartmentFactory(code="OWN", name="민원봉사과", bureau=BureauFactory(name="B1"))


@pytest.fixture
def other(db):
    return DepartmentFactory(code="OTHER", name="도로과", bureau=BureauFactory(name="B2"))


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


def refreshed(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def said(message: str, html: str) -> bool:
    """The service's message, in the page's language, shown as an alert."""
    return f"<p>{escape(gettext(message))}</p>" in html and 'class="errorlist" role="alert"' in html


def views_logged(report: Report) -> int:
    return AccessLog.objects.filter(
        action="view_reporter", object_type="complaints.report", object_id=str(report.pk)
    ).count()


# ---------------------------------------------------------------------------- who may open what


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


# ---------------------------------------------------------------------------- inbox


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


# ---------------------------------------------------------------------------- actions: praise


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
    assert (
        client.post(
            case_url(praise, "reject"), {"reason": "대상 확인 불가", **CONFIRMED}
        ).status_code
        == 302
    )
    assert (
        client.post(
            case_url(praise, "reject"), {"reason": "대상 확인 불가", **CONFIRMED}
        ).status_code
        == 302
    )
    assert refreshed(praise).status == Status.REJECTED
    assert praise.events.filter(action="rejected").count() == 1


# ---------------------------------------------------------------------------- actions: unkindness


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
    for _ in range(2):
        assert (
            client.post(
                case_url(report, "withdraw"), {"reason": "신고인 취하", **CONFIRMED}
            ).status_code
            == 302
        )
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
    for _ in range(2):
        assert client.post(case_url(report, "measure"), measure).status_code == 302
    assert refreshed(report).measure_text == measure["text"]
    assert report.events.filter(action="measure").count() == 1

    future = {**call, "called_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}
    response = client.post(case_url(report, "apology"), future)
    assert response.status_code == 400
    assert 'id="id_apology_called_on_error" role="alert"' in response.content.decode()

    for _ in range(2):
        assert client.post(case_url(report, "apology"), call).status_code == 302
    report = refreshed(report)
    assert report.status == Status.CLOSED and report.apology_caller == "민원봉사과장"
    assert report.events.filter(action="closed").count() == 1


def test_a_success_message_follows_the_redirect(role_client, own):
    report = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    response = client.post(case_url(report, "take"), follow=True)
    assert response.status_code == 200
    assert 'class="message message-success"' in response.content.decode()


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


# ---------------------------------------------------------------------------- attachments


@pytest.fixture
def with_attachment(settings, tmp_path, own):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(
        "사진.png", b"\x89PNG\r\n\x1a\n fake image", content_type="image/png"
    )
    report = file_report(own, attachments=[(upload, "image/png")])
    return report, report.attachments.get()


def test_attachments_are_served_as_downloads_to_those_who_may_open_the_case(
    role_client, with_attachment
):
    report, attachment = with_attachment
    client = role_client(Role.AUDITOR)
    html = client.get(case_url(report)).content.decode()
    url = f"{case_url(report)}attachments/{attachment.token}/"
    assert f'href="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_attachments_are_refused_to_everyone_else(client, make_user, with_attachment, other):
    report, attachment = with_attachment
    url = f"{case_url(report)}attachments/{attachment.token}/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    sign_in(client, make_user, Role.HAPPY_CALL)
    assert client.get(url).status_code == 403
    sign_in(client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=other))
    assert client.get(url).status_code == 404
    sign_in(client, make_user, Role.REPORT_OFFICER)
    assert client.get(f"{case_url(report)}attachments/not-a-token/").status_code == 404


def test_an_attachment_token_of_another_report_is_not_served(role_client, with_attachment, own):
    _report, attachment = with_attachment
    stranger = file_report(own)
    client = role_client(Role.REPORT_OFFICER)
    assert client.get(f"{case_url(stranger)}attachments/{attachment.token}/").status_code == 404


# ---------------------------------------------------------------------------- follow-up


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


# ---------------------------------------------------------------------------- encouragement


def praise_for(official, *, on: dt.date | None = None, status=Status.VERIFIED) -> Report:
    report = file_report(official.department, kind=Report.Kind.PRAISE, official=official)
    Report.objects.filter(pk=report.pk).update(
        status=status, decided_on=on or timezone.localdate(), decided_department=official.department
    )
    return report


def test_encouragement_needs_the_threshold_of_counted_praise_in_that_year(own):
    year = timezone.localdate().year
    once = OfficialFactory(department=own, name="한번")
    twice = OfficialFactory(department=own, name="두번")
    old = OfficialFactory(department=own, name="작년")
    praise_for(once)
    praise_for(twice)
    praise_for(twice, status=Status.SHARED)
    praise_for(old)
    praise_for(old, on=dt.date(year - 1, 12, 31))
    praise_for(once, status=Status.RECEIVED)
    listed = {o.name: o.praise_count for o in selectors.encouragement_candidates(year=year)}
    assert listed == {"두번": 2}
    assert {o.name for o in selectors.encouragement_candidates(year=year - 1)} == set()


def test_encouragement_candidates_are_one_grouped_query_filtered_by_bureau(
    own, other, django_assert_num_queries
):
    a = OfficialFactory(department=own)
    b = OfficialFactory(department=other)
    for official in (a, a, b, b):
        praise_for(official)
    ProgrammeSettings.load()
    year = timezone.localdate().year
    with django_assert_num_queries(2):  # the settings row, then the candidates
        assert [
            o.pk for o in selectors.encouragement_candidates(year=year, bureau_id=own.bureau_id)
        ] == [a.pk]


def test_the_threshold_is_a_setting(own):
    official = OfficialFactory(department=own)
    praise_for(official)
    ProgrammeSettings.objects.update_or_create(pk=1, defaults={"encouragement_threshold": 1})
    assert [o.pk for o in selectors.encouragement_candidates(year=timezone.localdate().year)] == [
        official.pk
    ]


def test_bureau_head_records_an_encouragement_once(role_client, own, other):
    official = OfficialFactory(department=own, name="칭찬왕")
    elsewhere = OfficialFactory(department=other, name="타국직원")
    for o in (official, official, elsewhere, elsewhere):
        praise_for(o)
    year = timezone.localdate().year
    client = role_client(Role.BUREAU_HEAD, official=OfficialFactory(department=own))
    html = client.get("/staff/encouragement/").content.decode()
    assert "칭찬왕" in html and "타국직원" not in html
    data = {"official": official.pk, "on": timezone.localdate().isoformat(), "note": "격려 면담"}
    for _ in range(2):
        response = client.post(f"/staff/encouragement/?year={year}", data)
        assert response.status_code == 302 and response["Location"].endswith(f"?year={year}")
    assert Encouragement.objects.filter(official=official, year=year).count() == 1
    html = client.get("/staff/encouragement/").content.decode()
    assert f'name="official" value="{official.pk}"' not in html  # recorded: no form any more


def test_encouragement_of_an_official_not_on_the_list_or_in_the_future_is_refused(
    role_client, own, other
):
    listed = OfficialFactory(department=own)
    elsewhere = OfficialFactory(department=other)
    for o in (listed, listed, elsewhere, elsewhere):
        praise_for(o)
    client = role_client(Role.BUREAU_HEAD, official=OfficialFactory(department=own))
    today = timezone.localdate()
    assert (
        client.post(
            "/staff/encouragement/", {"official": elsewhere.pk, "on": today.isoformat()}
        ).status_code
        == 404
    )
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    response = client.post(
        "/staff/encouragement/", {"official": listed.pk, "on": tomorrow, "note": "내일 격려"}
    )
    assert response.status_code == 400
    assert f'id="id_enc{listed.pk}_on_error" role="alert"' in response.content.decode()
    assert "내일 격려" in response.content.decode()
    assert not Encouragement.objects.exists()


def test_managers_see_the_whole_citys_encouragement_list_read_only(role_client, own, other):
    a, b = (
        OfficialFactory(department=own, name="가공무원"),
        OfficialFactory(department=other, name="나공무원"),
    )
    for o in (a, a, b, b):
        praise_for(o)
    client = role_client(Role.MANAGER)
    html = client.get("/staff/encouragement/").content.decode()
    assert "가공무원" in html and "나공무원" in html and 'name="official"' not in html
    assert (
        client.post(
            "/staff/encouragement/", {"official": a.pk, "on": timezone.localdate().isoformat()}
        ).status_code
        == 403
    )


def test_a_past_year_can_be_chosen(role_client, own):
    official = OfficialFactory(department=own, name="지난해칭찬")
    last_year = timezone.localdate().year - 1
    praise_for(official, on=dt.date(last_year, 5, 1))
    praise_for(official, on=dt.date(last_year, 6, 1))
    client = role_client(Role.AUDITOR)
    assert "지난해칭찬" not in client.get("/staff/encouragement/").content.decode()
    assert "지난해칭찬" in client.get("/staff/encouragement/", {"year": last_year}).content.decode()
    bad = client.get("/staff/encouragement/", {"year": "abc"})
    assert bad.status_code == 400
    assert "1900" in bad.content.decode()  # says which years are possible


# ---------------------------------------------------------------------------- published cases


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


# ---------------------------------------------------------------------------- staff home


@pytest.mark.parametrize(
    "role,links",
    [
        (Role.REPORT_OFFICER, ["/staff/reports/", "/staff/cases/"]),
        (Role.DEPARTMENT_HEAD, ["/staff/follow-up/"]),
        (Role.BUREAU_HEAD, ["/staff/encouragement/"]),
        (Role.MANAGER, ["/staff/reports/"]),
        (Role.AUDITOR, ["/staff/reports/"]),
    ],
)
def test_staff_home_links_each_role_to_its_report_pages(role, links, role_client):
    html = role_client(role).get("/staff/").content.decode()
    for link in links:
        assert f'href="{link}"' in html
