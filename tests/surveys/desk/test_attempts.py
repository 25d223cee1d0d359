"""Call attempts and closing a call."""

from __future__ import annotations

import pytest
from django.utils import translation

from kindness.models import ProgrammeSettings
from kindness.roles import Role
from surveys import services
from tests.surveys.desk.helpers import Outcome, Status, queued_call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("survey_defaults")]


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
