"""The call desk (SPEC section 4; issue 4, "Entering a call" and "Bad input"): attempts and
closing a call, entering the survey with its score, version and flags, two staff on the same
call, and the desk page: who may open it, masking of the petitioner with its access log,
bad input and conflicts."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone, translation
from django.utils.html import escape

from complaints.models import Report
from kindness.models import AccessLog, ProgrammeSettings
from kindness.roles import Role
from surveys import services
from surveys.models import (
    CallAttempt,
    CallCentreAgent,
    HappyCall,
    HappyCallAnswer,
    QuestionItem,
    Questionnaire,
)
from surveys.rules import response_score
from tests.conftest import REQUIRE_SERVICES, require_service, using_postgresql
from tests.surveys.test_queue import make_petition, survey_defaults  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("survey_defaults")]

Status = HappyCall.Status
Outcome = CallAttempt.Outcome
NAME, PHONE = "김민원", "010-2345-6789"
MASKED_NAME, MASKED_PHONE = "김*원", "010-****-6789"
ANSWERS = {"speed": 5, "clarity": 4, "kindness": 2, "result": None, "overall": 3}
FORM = {
    "item_speed": "5",
    "item_clarity": "4",
    "item_kindness": "2",
    "item_result": "0",
    "item_overall": "3",
}


@pytest.fixture
def caller(make_user):
    user = make_user(Role.HAPPY_CALL)
    CallCentreAgent.objects.create(user=user)
    return user


@pytest.fixture
def colleague(make_user):
    user = make_user(Role.HAPPY_CALL)
    CallCentreAgent.objects.create(user=user)
    return user


def queued_call(assigned_to=None, **petition) -> HappyCall:
    p = make_petition(petitioner_name=NAME, petitioner_phone=PHONE, **petition)
    return HappyCall.objects.create(
        petition=p,
        department=p.department,
        official=p.official,
        assigned_to=assigned_to,
        queued_on=timezone.localdate(),
    )


@pytest.fixture
def call(caller):
    return queued_call(caller)


def complete(call, by, answers=ANSWERS, **flags):
    return services.happy_call_complete(call=call, by=by, answers=dict(answers), voc="", **flags)


# ---------------------------------------------------------------------------- attempts


def test_failed_attempts_keep_the_call_queued_until_the_third_closes_it_unreachable(call, caller):
    services.call_attempt_record(call=call, by=caller, outcome=Outcome.NO_ANSWER)
    services.call_attempt_record(call=call, by=caller, outcome=Outcome.BUSY)
    call.refresh_from_db()
    assert call.status == Status.QUEUED
    assert call.closed_at is None

    services.call_attempt_record(call=call, by=caller, outcome=Outcome.NO_ANSWER)

    call.refresh_from_db()
    assert call.status == Status.UNREACHABLE
    assert call.closed_at is not None
    assert list(call.attempts.values_list("outcome", flat=True)) == [
        Outcome.NO_ANSWER,
        Outcome.BUSY,
        Outcome.NO_ANSWER,
    ]


def test_the_number_of_failed_attempts_is_a_setting(call, caller):
    rules = ProgrammeSettings.load()
    rules.call_max_attempts = 1
    rules.save()

    assert (
        services.call_attempt_record(call=call, by=caller, outcome=Outcome.BUSY).status
        == Status.UNREACHABLE
    )


def test_a_wrong_number_closes_the_call_unreachable_at_once(call, caller):
    call = services.call_attempt_record(call=call, by=caller, outcome=Outcome.WRONG_NUMBER)

    assert call.status == Status.UNREACHABLE
    assert call.attempts.get().outcome == Outcome.WRONG_NUMBER


def test_a_refusal_closes_the_call_as_refused(call, caller):
    call = services.call_attempt_record(call=call, by=caller, outcome=Outcome.REFUSED)

    assert call.status == Status.REFUSED
    assert call.closed_at is not None


def test_an_attempt_on_a_closed_call_is_refused_with_a_message(call, caller):
    services.call_attempt_record(call=call, by=caller, outcome=Outcome.REFUSED)

    with translation.override("en"), pytest.raises(services.CallClosed, match="closed"):
        services.call_attempt_record(call=call, by=caller, outcome=Outcome.NO_ANSWER)
    assert call.attempts.count() == 1


def test_only_the_assigned_caller_records_attempts(call, colleague):
    with pytest.raises(services.NotYourCall):
        services.call_attempt_record(call=call, by=colleague, outcome=Outcome.NO_ANSWER)
    assert not call.attempts.exists()


def test_an_unassigned_call_is_open_to_any_happy_call_staff_and_becomes_theirs(
    colleague, make_user
):
    call = queued_call()

    services.call_attempt_record(call=call, by=colleague, outcome=Outcome.NO_ANSWER)

    call.refresh_from_db()
    assert call.assigned_to == colleague
    with pytest.raises(services.NotYourCall):
        services.call_attempt_record(
            call=queued_call(), by=make_user(Role.REPORT_OFFICER), outcome=Outcome.BUSY
        )


def test_an_answered_attempt_is_only_recorded_with_its_survey(call, caller):
    with translation.override("en"), pytest.raises(services.CallError, match="survey"):
        services.call_attempt_record(call=call, by=caller, outcome=Outcome.ANSWERED)


def test_taking_an_unassigned_call_makes_it_yours_and_nobody_elses(caller, colleague):
    call = queued_call()

    services.call_take(call=call, by=caller)
    services.call_take(call=call, by=caller)  # again: nothing changes

    call.refresh_from_db()
    assert call.assigned_to == caller
    with pytest.raises(services.NotYourCall):
        services.call_take(call=call, by=colleague)


# ---------------------------------------------------------------------------- the survey


def test_completing_a_call_stores_answers_with_their_version_score_and_answered_attempt(
    call, caller
):
    call = complete(call, caller)

    call.refresh_from_db()
    v1 = Questionnaire.objects.get(code="happy-call", version=1)
    assert call.status == Status.COMPLETED
    assert call.questionnaire == v1
    assert call.answered_on == timezone.localdate()
    assert call.answered_by == caller
    assert call.response_score == response_score(ANSWERS.values()) == 62.5
    assert call.kindness_answer == 2
    stored = {a.item.key: a.value for a in call.answers.select_related("item")}
    assert stored == ANSWERS
    assert {a.item.questionnaire_id for a in call.answers.select_related("item")} == {v1.pk}
    assert list(call.attempts.values_list("outcome", "by")) == [(Outcome.ANSWERED, caller.pk)]


def test_answers_keep_the_version_of_the_questionnaire_in_use(call, caller):
    Questionnaire.objects.update(active=False)
    v2 = Questionnaire.objects.create(code="happy-call", version=2, title="v2")
    QuestionItem.objects.create(
        questionnaire=v2, key="kindness", order=1, label_ko="친절", label_en="Kindness"
    )
    QuestionItem.objects.create(
        questionnaire=v2, key="wait", order=2, label_ko="대기", label_en="Waiting", scale=3
    )

    complete(call, caller, {"kindness": 5, "wait": 3})

    call.refresh_from_db()
    assert call.questionnaire == v2
    assert set(call.answers.values_list("item__questionnaire__version", flat=True)) == {2}
    with pytest.raises(services.SurveyIncomplete):
        complete(queued_call(caller), caller, {"kindness": 5, "wait": 4})  # beyond the scale of 3


def test_a_call_answered_with_no_answer_everywhere_has_no_score(call, caller):
    call = complete(call, caller, dict.fromkeys(ANSWERS))

    assert call.status == Status.COMPLETED
    assert call.response_score is None
    assert call.answers.count() == 5


def test_an_item_left_without_answer_saves_nothing(call, caller):
    partial = {k: v for k, v in ANSWERS.items() if k != "clarity"}

    with pytest.raises(services.SurveyIncomplete) as raised:
        complete(call, caller, partial)

    assert set(raised.value.errors) == {"clarity"}
    call.refresh_from_db()
    assert call.status == Status.QUEUED
    assert not call.attempts.exists()
    assert not HappyCallAnswer.objects.exists()


def test_an_unkindness_flag_opens_a_linked_report_in_the_report_centre(call, caller):
    call = services.happy_call_complete(
        call=call, by=caller, answers=ANSWERS, voc="설명 없이 전화를 끊으셨어요.", unkind_case=True
    )

    call.refresh_from_db()
    report = call.unkind_report
    assert report is not None
    assert (report.kind, report.source, report.status) == (
        Report.Kind.UNKIND,
        Report.Source.HAPPY_CALL,
        Report.Status.RECEIVED,
    )
    assert report.department == call.department
    assert report.official == call.official
    assert call.kind_report is None


def test_a_kindness_flag_opens_a_praise_report(call, caller):
    call = complete(call, caller, kind_case=True)

    call.refresh_from_db()
    assert call.kind_report.kind == Report.Kind.PRAISE
    assert call.kind_report.source == Report.Source.HAPPY_CALL


def test_completing_a_call_twice_is_refused_with_a_message_and_no_double_entry(call, caller):
    complete(call, caller, unkind_case=True)

    with translation.override("en"), pytest.raises(services.CallClosed, match="already entered"):
        complete(call, caller, unkind_case=True)

    assert call.answers.count() == 5
    assert call.attempts.count() == 1
    assert Report.objects.count() == 1


def test_a_second_member_of_staff_on_the_same_unassigned_call_is_told_it_was_entered(
    caller, colleague
):
    call = queued_call()
    stale = HappyCall.objects.get(pk=call.pk)  # what the second page was showing

    complete(call, caller)

    with translation.override("en"), pytest.raises(services.CallClosed, match="already entered"):
        complete(stale, colleague)
    assert HappyCall.objects.get(pk=call.pk).answered_by == caller


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
# Skipped before the database is set up: a transactional test ends with a flush.
@pytest.mark.skipif(
    not (using_postgresql() or REQUIRE_SERVICES), reason="row locks need PostgreSQL (DATABASE_URL)"
)
def test_two_staff_completing_the_same_call_at_once_make_one_entry(caller, colleague):
    require_service(using_postgresql(), "row locks need PostgreSQL (DATABASE_URL)")
    call = queued_call()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def enter(user):
        barrier.wait()
        try:
            complete(HappyCall.objects.get(pk=call.pk), user, unkind_case=True)
            outcomes.append("saved")
        except services.CallClosed:
            outcomes.append("closed")
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(u,)) for u in (caller, colleague)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["closed", "saved"]
    assert HappyCallAnswer.objects.filter(call=call).count() == 5
    assert Report.objects.filter(source=Report.Source.HAPPY_CALL).count() == 1


# ---------------------------------------------------------------------------- the desk page


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
