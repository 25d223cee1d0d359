"""Entering the survey with its score, version and flags, and two staff on the same call."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone, translation

from complaints.models import Report
from surveys import services
from surveys.models import HappyCall, HappyCallAnswer, QuestionItem, Questionnaire
from surveys.rules import response_score
from tests.conftest import REQUIRE_SERVICES, require_service, using_postgresql
from tests.surveys.desk.helpers import ANSWERS, Outcome, Status, complete, queued_call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("survey_defaults")]


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
