"""The desk page: who may open it, masking of the petitioner with its access log, bad input
and conflicts."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from complaints.models import Report
from kindness.models import AccessLog
from kindness.roles import Role
from surveys import services
from surveys.models import CallAttempt, HappyCall, HappyCallAnswer, Questionnaire
from tests.surveys.desk.helpers import (
    ANSWERS,
    FORM,
    MASKED_NAME,
    MASKED_PHONE,
    NAME,
    PHONE,
    Outcome,
    Status,
    complete,
    queued_call,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("survey_defaults")]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        (Role.HAPPY_CALL, 200),
        (Role.REPORT_OFFICER, 403),
        (Role.DEPARTMENT_HEAD, 403),
        (Role.BUREAU_HEAD, 403),
        (Role.MANAGER, 403),
        (Role.AUDITOR, 403),
        (Role.ADMIN, 403),
    ],
)
def test_only_happy_call_staff_open_the_call_desk(role_client, role, status):
    call = queued_call()
    client = role_client(role)

    for url in ("/staff/calls/", f"/staff/calls/{call.pk}/"):
        response = client.get(url)
        assert response.status_code == status, url
        if role is None:
            assert response["Location"].startswith("/accounts/login/")
    for url in (
        f"/staff/calls/{call.pk}/",
        f"/staff/calls/{call.pk}/attempts/",
        f"/staff/calls/{call.pk}/take/",
    ):
        assert client.post(url, {"outcome": "busy"}).status_code in (
            {200, 302, 400} if status == 200 else {status}
        )
    if status != 200:
        assert HappyCall.objects.get(pk=call.pk).status == Status.QUEUED
        assert not CallAttempt.objects.exists()


def test_the_staff_home_links_the_call_desk_for_happy_call_staff(client, caller):
    client.force_login(caller)

    assert 'href="/staff/calls/"' in client.get("/staff/").content.decode()


def test_the_desk_opens_the_callers_next_call_with_the_petitioner_unmasked_and_logged(
    client, call, caller
):
    client.force_login(caller)

    page = client.get("/staff/calls/").content.decode()
    client.get(f"/staff/calls/{call.pk}/")

    assert call.petition.petition_no in page
    assert call.petition.title in page
    assert NAME in page and PHONE in page
    assert f'action="/staff/calls/{call.pk}/"' in page
    logs = AccessLog.objects.filter(action="view_petitioner", user=caller)
    assert logs.count() == 2
    assert {(e.object_type, e.object_id) for e in logs} == {
        ("surveys.petition", str(call.petition_id))
    }


def test_other_staff_see_the_petitioner_masked_and_nothing_is_logged(client, call, colleague):
    client.force_login(colleague)

    page = client.get(f"/staff/calls/{call.pk}/").content.decode()

    assert MASKED_NAME in page and MASKED_PHONE in page
    assert NAME not in page and PHONE not in page
    assert 'id="survey-form"' not in page
    assert not AccessLog.objects.exists()


def test_an_unassigned_call_is_masked_until_taken(client, colleague):
    call = queued_call()
    client.force_login(colleague)

    assert PHONE not in client.get(f"/staff/calls/{call.pk}/").content.decode()
    response = client.post(f"/staff/calls/{call.pk}/take/")

    assert response.status_code == 302
    assert PHONE in client.get(response["Location"]).content.decode()


def test_the_desk_lists_the_callers_queue_and_todays_count(client, call, caller):
    other = queued_call(caller)
    done = queued_call(caller)
    complete(done, caller)
    client.force_login(caller)

    page = client.get("/staff/calls/").content.decode()

    assert call.petition.petition_no in page and other.petition.petition_no in page
    assert page.count(f'href="/staff/calls/{done.pk}/"') == 0
    assert page.count(f'href="/staff/calls/{other.pk}/"') == 1
    assert "1" in page.split('class="desk-stats"')[1].split("</p>")[0]


def test_with_no_call_left_the_desk_says_so(client, caller):
    client.force_login(caller)

    response = client.get("/staff/calls/")

    assert response.status_code == 200
    assert 'id="desk-empty"' in response.content.decode()


def test_saving_the_survey_completes_the_call_and_opens_the_next(client, call, caller):
    following = queued_call(caller)
    client.force_login(caller)

    response = client.post(
        f"/staff/calls/{call.pk}/",
        FORM | {"voc": "빨리 처리해 주셔서 고맙습니다.", "unkind_case": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/staff/calls/"
    call.refresh_from_db()
    assert call.status == Status.COMPLETED
    assert {a.item.key: a.value for a in call.answers.select_related("item")} == ANSWERS
    assert call.unkind_report.source == Report.Source.HAPPY_CALL
    assert f'action="/staff/calls/{following.pk}/"' in client.get("/staff/calls/").content.decode()


def test_an_item_left_without_answer_gives_400_beside_the_item_and_keeps_the_rest(
    client, call, caller
):
    client.force_login(caller)
    posted = {k: v for k, v in FORM.items() if k != "item_clarity"} | {
        "voc": "설명이 부족했어요",
        "kind_case": "on",
    }

    response = client.post(f"/staff/calls/{call.pk}/", posted)

    assert response.status_code == 400
    page = response.content.decode()
    error_at = page.index('id="id_item_clarity_error"')
    assert page.index("id_item_clarity_0") < error_at < page.index("id_item_kindness_0")
    assert (
        'value="5" id="id_item_speed_0" checked' in page
        or "checked" in page.split("id_item_speed_0")[1][:40]
    )
    assert "설명이 부족했어요" in page
    assert 'name="kind_case" id="id_kind_case" checked' in page
    call.refresh_from_db()
    assert call.status == Status.QUEUED
    assert not HappyCallAnswer.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"item_speed": "6"},
        {"item_speed": "abc"},
        {"item_speed": ""},
        {"voc": "가" * 5000},
    ],
)
def test_bad_survey_input_gives_400_and_saves_nothing(client, call, caller, bad):
    client.force_login(caller)

    response = client.post(f"/staff/calls/{call.pk}/", FORM | bad)

    assert response.status_code == 400
    assert HappyCall.objects.get(pk=call.pk).status == Status.QUEUED


def test_a_call_completed_meanwhile_by_someone_else_gives_409_with_a_message(
    client, caller, colleague
):
    call = queued_call()
    client.force_login(colleague)
    complete(call, caller)

    response = client.post(f"/staff/calls/{call.pk}/", FORM, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert escape("already entered") in response.content.decode()
    assert HappyCallAnswer.objects.filter(call=call).count() == 5


def test_saving_somebody_elses_call_is_forbidden(client, call, colleague):
    client.force_login(colleague)

    assert client.post(f"/staff/calls/{call.pk}/", FORM).status_code == 403
    assert HappyCall.objects.get(pk=call.pk).status == Status.QUEUED


def test_an_attempt_button_without_javascript_records_and_reloads_the_call(client, call, caller):
    client.force_login(caller)

    response = client.post(f"/staff/calls/{call.pk}/attempts/", {"outcome": "no_answer"})

    assert response.status_code == 302
    assert response["Location"] == f"/staff/calls/{call.pk}/"
    assert call.attempts.get().outcome == Outcome.NO_ANSWER


def test_an_attempt_button_with_htmx_returns_the_attempts_fragment(client, call, caller):
    client.force_login(caller)

    response = client.post(
        f"/staff/calls/{call.pk}/attempts/", {"outcome": "busy"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "attempt-list" in fragment
    assert "hx-swap-oob" not in fragment  # the call stays open
    assert call.attempts.get().outcome == Outcome.BUSY


def test_an_attempt_that_closes_the_call_removes_its_form_with_htmx(client, call, caller):
    client.force_login(caller)

    response = client.post(
        f"/staff/calls/{call.pk}/attempts/",
        {"outcome": "wrong_number"},
        headers={"HX-Request": "true"},
    )

    fragment = response.content.decode()
    assert 'id="survey" hx-swap-oob="true"' in fragment
    assert 'id="attempt-form" hx-swap-oob="true"' in fragment
    assert 'id="next-call"' in fragment
    assert HappyCall.objects.get(pk=call.pk).status == Status.UNREACHABLE


def test_an_attempt_on_a_closed_call_gives_409_or_reloads_under_htmx(client, call, caller):
    services.call_attempt_record(call=call, by=caller, outcome=Outcome.REFUSED)
    client.force_login(caller)

    plain = client.post(
        f"/staff/calls/{call.pk}/attempts/", {"outcome": "busy"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    htmx = client.post(
        f"/staff/calls/{call.pk}/attempts/", {"outcome": "busy"}, headers={"HX-Request": "true"}
    )

    assert plain.status_code == 409
    assert "closed" in plain.content.decode()
    assert htmx.status_code == 409
    assert htmx["HX-Refresh"] == "true"
    assert call.attempts.count() == 1


@pytest.mark.parametrize("outcome", ["", "answered", "hung_up"])
def test_a_bad_attempt_outcome_gives_400(client, call, caller, outcome):
    client.force_login(caller)

    assert client.post(f"/staff/calls/{call.pk}/attempts/", {"outcome": outcome}).status_code == 400
    assert not call.attempts.exists()


def test_an_unknown_call_is_404(client, caller):
    client.force_login(caller)

    assert client.get("/staff/calls/999999/").status_code == 404
    assert client.post("/staff/calls/999999/attempts/", {"outcome": "busy"}).status_code == 404


def test_with_no_questionnaire_in_use_the_desk_says_so_and_saves_nothing(client, call, caller):
    Questionnaire.objects.update(active=False)
    client.force_login(caller)

    page = client.get("/staff/calls/").content.decode()
    response = client.post(f"/staff/calls/{call.pk}/", FORM)

    assert 'id="survey-form"' not in page
    assert response.status_code == 409
    assert HappyCall.objects.get(pk=call.pk).status == Status.QUEUED


def test_a_closed_call_shows_its_petitioner_masked_even_to_its_caller(client, call, caller):
    complete(call, caller)
    client.force_login(caller)

    page = client.get(f"/staff/calls/{call.pk}/").content.decode()

    assert MASKED_PHONE in page and PHONE not in page
    assert not AccessLog.objects.exists()
