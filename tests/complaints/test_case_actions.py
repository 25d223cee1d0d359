"""The case page as staff use it every day (issue 15 items 1, 5 and 10): a failed action
shows an error summary at the top with links to its fields and keeps its form open; the
decisions with consequences are confirmed on a second step that says what will happen and
stores nothing before the final button; one next step per state, the rest folded away and
withdrawal styled as destructive; the department head's privacy note and the prefilled
apology call. The same summary on the other staff forms of the report centre and the core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from complaints import case_actions, services
from complaints.forms import staff as staff_forms
from complaints.models import MeritRecord, Report, ReportEvent
from kindness.models import ProgrammeSettings
from kindness.roles import Role
from tests.complaints.staff_pages.helpers import (
    PHONE,
    case_url,
    file_report,
    praise_for,
    refreshed,
    sign_in,
    substantiated,
)
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory

pytestmark = pytest.mark.django_db

Status = Report.Status
SUMMARY = "민원인의 질문에 답하지 않고 언성을 높인 사례입니다."


@pytest.fixture
def own(db):
    return DepartmentFactory(code="OWN", name="민원봉사과", bureau=BureauFactory(name="B1"))


@pytest.fixture
def official(own):
    return OfficialFactory(department=own, name="이무뚝", employee_no="E1234")


def under_review(report: Report, by) -> Report:
    return services.report_start_review(report=report, by=by)


def top_of_page(html: str) -> str:
    """What comes before the case's facts (or the page's first heading)."""
    return html[: html.index("<h1")]


def next_step_section(html: str) -> str:
    start = html.index('class="next-step"')
    return html[start : html.index("</div>", html.index("</form>", start))]


def offered_next(html: str) -> list[str]:
    if 'class="next-step"' not in html:
        return []
    return re.findall(r'id="action-([a-z_]+)"', next_step_section(html))


# ---------------------------------------------------------------------------- error summary


def test_a_failed_substantiation_shows_a_summary_at_the_top_linking_to_its_fields(
    role_client, own, official
):
    client = role_client(Role.REPORT_OFFICER)
    report = under_review(file_report(own, official=official), client.user)
    response = client.post(case_url(report, "substantiate"), {"reason": "", "summary": "짧음"})
    assert response.status_code == 400
    html = response.content.decode()
    top = top_of_page(html)
    assert 'id="error-summary"' in top and "data-autofocus" in top
    legend = gettext(str(staff_forms.SubstantiateForm.legend))
    assert escape(legend) in top
    reason = gettext(str(staff_forms.SubstantiateForm.base_fields["reason"].label))
    summary = gettext(str(staff_forms.SubstantiateForm.base_fields["summary"].label))
    assert f'<a href="#id_substantiate_reason">{escape(reason)}: ' in top
    assert f'<a href="#id_substantiate_summary">{escape(summary)}: ' in top
    assert "js/form-focus.js" in html
    # The failing form is open where it stands, with what was typed.
    assert re.search(r'<details class="other-action" id="more-substantiate" open>', html)
    assert "\n짧음</textarea>" in html
    assert refreshed(report).status == Status.UNDER_REVIEW


def test_a_refused_decision_links_its_message_to_the_failing_form(role_client, own):
    client = role_client(Role.REPORT_OFFICER)
    report = file_report(own)
    services.report_withdraw(report=report, by=client.user, reason="신고인 취하")
    data = {"reason": "다시 결정", "summary": SUMMARY, "step": "confirmed"}
    response = client.post(case_url(report, "substantiate"), data)
    assert response.status_code == 409
    top = top_of_page(response.content.decode())
    message = gettext("Only an unkindness report under review can be substantiated.")
    assert f'<li><a href="#action-substantiate">{escape(message)}</a></li>' in top


def test_a_page_without_errors_has_no_summary_and_does_not_move_focus(role_client, own):
    html = role_client(Role.REPORT_OFFICER).get(case_url(file_report(own))).content.decode()
    assert 'id="error-summary"' not in html and "data-autofocus" not in html


def test_a_failed_encouragement_shows_the_summary_at_the_top(role_client, own):
    listed = OfficialFactory(department=own, name="칭찬왕")
    for _ in range(2):
        praise_for(listed)
    client = role_client(Role.BUREAU_HEAD, official=OfficialFactory(department=own))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post("/staff/encouragement/", {"official": listed.pk, "on": tomorrow})
    assert response.status_code == 400
    top = top_of_page(response.content.decode())
    assert 'id="error-summary"' in top
    assert f'<a href="#id_enc{listed.pk}_on">' in top
    assert escape(gettext("The date cannot be in the future.")) in top


def test_a_bad_inbox_filter_is_summarised_at_the_top(role_client):
    response = role_client(Role.REPORT_OFFICER).get("/staff/reports/", {"kind": "nonsense"})
    assert response.status_code == 400
    top = top_of_page(response.content.decode())
    assert '<a href="#id_kind">' in top


def test_a_failed_upload_on_the_imports_page_is_summarised_at_the_top(role_client):
    client = role_client(Role.MANAGER)
    response = client.post(
        "/staff/imports/", {"kind": "roster", "file": SimpleUploadedFile("x.exe", b"MZ\x00")}
    )
    assert response.status_code == 400
    top = top_of_page(response.content.decode())
    assert 'id="error-summary"' in top and '<a href="#id_file">' in top


# ---------------------------------------------------------------------------- confirmation


def test_substantiating_asks_for_confirmation_with_its_consequences_and_stores_nothing(
    role_client, own, official
):
    client = role_client(Role.REPORT_OFFICER)
    report = under_review(file_report(own, official=official), client.user)
    events = report.events.count()
    decision = {"reason": "녹취로 확인\n두 번째 줄", "summary": SUMMARY}

    response = client.post(case_url(report, "substantiate"), decision)
    assert response.status_code == 200
    html = response.content.decode()
    due = timezone.localdate() + dt.timedelta(days=ProgrammeSettings.load().measure_deadline_days)
    for consequence in case_actions.consequences(report, "substantiate"):
        assert escape(consequence) in html
    assert "이무뚝" in html and "E1234" in html and due.isoformat() in html
    assert 'id="confirm-step"' in html and "data-autofocus" in html
    # What was typed travels to the final button.
    assert 'name="step" value="confirmed"' in html
    assert f'name="summary" value="{SUMMARY}"' in html
    report = refreshed(report)
    assert report.status == Status.UNDER_REVIEW and not report.published_summary
    assert report.events.count() == events
    assert not MeritRecord.objects.filter(report=report).exists()

    response = client.post(case_url(report, "substantiate"), {**decision, "step": "confirmed"})
    assert response.status_code == 302
    report = refreshed(report)
    assert report.status == Status.SUBSTANTIATED and report.published_summary == SUMMARY
    assert MeritRecord.objects.filter(report=report, kind=MeritRecord.Kind.PENALTY).count() == 1


def test_going_back_from_the_confirmation_keeps_what_was_typed_and_stores_nothing(role_client, own):
    client = role_client(Role.REPORT_OFFICER)
    report = under_review(file_report(own), client.user)
    data = {"reason": "다시 볼 사유", "summary": SUMMARY, "step": "edit"}
    response = client.post(case_url(report, "substantiate"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' not in html
    form = html[html.index('id="action-substantiate"') - 200 :]
    assert "data-autofocus" in form[: form.index("</form>")]
    assert "\n다시 볼 사유</textarea>" in html and f"\n{SUMMARY}</textarea>" in html
    assert refreshed(report).status == Status.UNDER_REVIEW


def test_withdrawing_asks_for_confirmation_styled_as_destructive(role_client, own):
    client = role_client(Role.REPORT_OFFICER)
    report = file_report(own)
    response = client.post(case_url(report, "withdraw"), {"reason": "신고인 취하"})
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(gettext("A withdrawn report cannot be reopened.")) in html
    assert 'id="confirm-button" class="button-danger"' in html
    assert refreshed(report).status == Status.RECEIVED
    assert not report.events.filter(action=ReportEvent.Action.WITHDRAWN).exists()


def test_rejecting_praise_asks_for_confirmation_and_says_it_never_reaches_the_board(
    role_client, own, official
):
    client = role_client(Role.REPORT_OFFICER)
    praise = file_report(own, kind=Report.Kind.PRAISE, official=official)
    response = client.post(case_url(praise, "reject"), {"reason": "근거 부족"})
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(gettext("It is never shown on the praise board.")) in html
    assert "이무뚝" in html
    assert refreshed(praise).status == Status.RECEIVED


def test_a_confirmation_for_a_decision_the_case_no_longer_offers_is_refused(role_client, own):
    client = role_client(Role.REPORT_OFFICER)
    report = file_report(own)
    services.report_withdraw(report=report, by=client.user, reason="신고인 취하")
    response = client.post(case_url(report, "withdraw"), {"reason": "다시 취하"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="confirm-step"' not in html
    message = gettext("The case has moved on: this decision is no longer offered.")
    assert escape(message) in top_of_page(html)
    assert report.events.filter(action=ReportEvent.Action.WITHDRAWN).count() == 1


def test_the_other_actions_need_no_confirmation(role_client, own):
    client = role_client(Role.REPORT_OFFICER)
    report = file_report(own)
    assert client.post(case_url(report, "start_review"), {"note": ""}).status_code == 302
    assert refreshed(report).status == Status.UNDER_REVIEW


# ---------------------------------------------------------------------------- hierarchy


def test_the_next_step_follows_the_state_of_an_unkindness_case(
    role_client, make_user, own, official
):
    client = role_client(Role.REPORT_OFFICER)
    report = file_report(own)

    def shown() -> list[str]:
        return offered_next(client.get(case_url(report)).content.decode())

    assert shown() == ["take"]
    services.report_take(report=report, by=client.user)
    assert shown() == ["match"]
    services.report_match_official(report=report, official=official, by=client.user)
    assert shown() == ["start_review"]
    services.report_start_review(report=report, by=client.user)
    assert shown() == ["reply"]
    services.report_record_reply(report=report, by=client.user, text="당시 바빴습니다.")
    # The decision: both outcomes, neither put forward over the other.
    assert shown() == ["substantiate", "not_substantiate"]
    substantiated(report, client.user)
    assert shown() == []

    head = sign_in(
        client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own)
    )
    assert offered_next(head.get(case_url(report)).content.decode()) == ["measure"]
    services.report_record_measure(report=report, by=head.user, text="부서 친절 교육을 했습니다.")
    assert offered_next(head.get(case_url(report)).content.decode()) == ["apology"]


def test_the_next_step_follows_the_state_of_praise(role_client, own, official):
    client = role_client(Role.REPORT_OFFICER)
    praise = file_report(own, kind=Report.Kind.PRAISE, official=official)
    services.report_take(report=praise, by=client.user)
    assert offered_next(client.get(case_url(praise)).content.decode()) == ["verify"]
    services.report_verify(report=praise, by=client.user)
    assert offered_next(client.get(case_url(praise)).content.decode()) == ["share"]
    services.report_share(report=praise, by=client.user, public_text="친절한 안내 감사합니다.")
    html = client.get(case_url(praise)).content.decode()
    assert offered_next(html) == [] and 'id="more-share"' in html


def test_the_other_actions_are_folded_away_with_withdrawal_last_and_destructive(role_client, own):
    client = role_client(Role.REPORT_OFFICER)
    report = file_report(own)
    services.report_take(report=report, by=client.user)
    html = client.get(case_url(report)).content.decode()
    assert offered_next(html) == ["match"]
    others = re.findall(r'<details class="other-action([^"]*)" id="more-([a-z_]+)"', html)
    assert others == [("", "start_review"), (" destructive", "withdraw")]
    withdraw = html[html.index('id="more-withdraw"') :]
    assert 'class="button-danger-secondary"' in withdraw[: withdraw.index("</details>")]
    assert 'id="more-start_review" open' not in html


def test_someone_elses_case_offers_taking_it_over_as_a_secondary_action(
    role_client, make_user, own
):
    report = file_report(own)
    services.report_take(report=report, by=make_user(Role.REPORT_OFFICER))
    html = role_client(Role.REPORT_OFFICER).get(case_url(report)).content.decode()
    assert offered_next(html) == ["match"] and 'id="more-take"' in html


# ---------------------------------------------------------------------------- follow-up


def test_the_department_heads_privacy_note_says_why_they_see_the_reporter(client, make_user, own):
    report = substantiated(file_report(own), make_user(Role.REPORT_OFFICER))
    head = sign_in(
        client, make_user, Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own)
    )
    handler_note = gettext(
        "Shown to you because you act on this case. This view is written to the access log."
    )
    html = head.get(case_url(report)).content.decode()
    assert PHONE in html and escape(handler_note) not in html
    assert (
        escape(
            gettext(
                "Shown to you as head of the department this case was decided for: once the "
                "measure is recorded, you phone the reporter to apologise. This view is written "
                "to the access log."
            )
        )
        in html
    )
    services.report_record_measure(report=report, by=head.user, text="부서 친절 교육을 했습니다.")
    html = head.get(case_url(report)).content.decode()
    due = refreshed(report).apology_due_on.isoformat()
    note = gettext(
        "Shown to you as head of the department this case was decided for: the apology call "
        "to the reporter is due by %(due)s. This view is written to the access log."
    ) % {"due": due}
    assert escape(note) in html and escape(handler_note) not in html


def test_the_apology_call_form_is_prefilled_with_today_and_the_signed_in_head(
    client, make_user, own
):
    report = substantiated(file_report(own), make_user(Role.REPORT_OFFICER))
    head = sign_in(
        client,
        make_user,
        Role.DEPARTMENT_HEAD,
        official=OfficialFactory(department=own, name="박과장"),
    )
    services.report_record_measure(report=report, by=head.user, text="부서 친절 교육을 했습니다.")
    html = head.get(case_url(report)).content.decode()
    today = timezone.localdate().isoformat()
    assert re.search(rf'<input type="date" name="called_on" value="{today}"', html)
    assert re.search(r'<input type="text" name="caller" value="박과장"', html)


def test_a_bad_training_session_is_summarised_at_the_top_with_links(role_client):
    client = role_client(Role.MANAGER)
    response = client.post(
        reverse("training:session-create"),
        {"kind": "workshop", "title": "", "starts_on": "2026-05-11"},
    )
    assert response.status_code == 400
    top = top_of_page(response.content.decode())
    assert 'id="error-summary"' in top and "data-autofocus" in top
    assert '<a href="#id_title">' in top and '<a href="#id_ends_on">' in top
