"""Every write on one happy-call: taking it, recording an attempt, entering its survey.
Each locks the call's row first and checks its state under the lock (see the package's
docstring)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindness.models import ProgrammeSettings
from surveys.flags import happy_call_raise_reports
from surveys.links import records as link_records
from surveys.models import (
    CallAttempt,
    HappyCall,
    HappyCallAnswer,
    Questionnaire,
)
from surveys.rules import response_score

MAKE_CALLS = "surveys.make_calls"
QUESTIONNAIRE_CODE = "happy-call"
Outcome = CallAttempt.Outcome
Status = HappyCall.Status

# Outcomes that leave the call open for another try, until call_max_attempts of them.
FAILED = (Outcome.NO_ANSWER, Outcome.BUSY)


class CallError(Exception):
    """A change the call's state does not allow; the message is for people."""


class CallClosed(CallError):
    """The call is no longer queued (answered, unreachable, refused or written)."""


class NotYourCall(CallError):
    """The call is assigned to someone else, or the user does not work the queue."""


class SurveyIncomplete(CallError):
    """Some items of the questionnaire have neither an answer nor an explicit "no answer",
    or an answer outside the item's scale. `errors` maps the item key to the reason."""

    def __init__(self, message: str, errors: dict[str, str]):
        super().__init__(message)
        self.errors = errors


def call_locked(call: HappyCall) -> HappyCall:
    return HappyCall.objects.select_for_update().get(pk=call.pk)


def require_open(call: HappyCall, *, link_too: bool = False) -> None:
    """The call is still to be made (or, with `link_too`, has a survey link out: the
    petitioner may phone the centre and answer there)."""
    if link_too and call.status == Status.LINK:
        return
    if call.status == Status.COMPLETED:
        by = call.answered_by
        who = (by.get_full_name() or by.get_username()) if by else "-"
        raise CallClosed(
            _("This call was already entered by %(name)s. Nothing was saved twice.") % {"name": who}
        )
    if call.status != Status.QUEUED:
        raise CallClosed(
            _("This call is already closed (%(status)s).") % {"status": call.get_status_display()}
        )


def may_act(call: HappyCall, user) -> bool:
    """The assigned caller acts on a call; an unassigned call is open to all happy-call staff."""
    if not user.has_perm(MAKE_CALLS):
        return False
    return call.assigned_to_id is None or call.assigned_to_id == user.pk


def require_caller(call: HappyCall, by) -> None:
    if not may_act(call, by):
        raise NotYourCall(_("This call is assigned to another member of staff."))


def call_check(*, call: HappyCall, by) -> None:
    """The checks every change of a call makes under its lock, in the same order (closed
    first, so the second of two staff hears that the call was entered): for a view to
    answer before validating a form. Raises CallClosed or NotYourCall."""
    require_open(call, link_too=True)
    require_caller(call, by)


@transaction.atomic
def call_take(*, call: HappyCall, by) -> HappyCall:
    """Take an unassigned queued call. Raises CallError when it is closed or someone else
    took it first; taking one's own call again changes nothing."""
    call = call_locked(call)
    require_open(call)
    if call.assigned_to_id == by.pk:
        return call
    require_caller(call, by)
    call.assigned_to = by
    call.save(update_fields=["assigned_to", "updated_at"])
    return call


@transaction.atomic
def call_attempt_record(*, call: HappyCall, by, outcome: str) -> HappyCall:
    """Record an attempt that did not reach a survey: after call_max_attempts failed ones
    (no answer, busy) the call closes as unreachable; a wrong number closes it unreachable
    at once; a refusal closes it as refused (and the phone is skipped by later queues).

    An answered attempt is recorded by `happy_call_complete` with its survey. Raises
    CallClosed for a closed call and NotYourCall for somebody else's.
    """
    if outcome not in (*FAILED, Outcome.WRONG_NUMBER, Outcome.REFUSED):
        raise CallError(_("An answered call is recorded by saving its survey."))
    call = call_locked(call)
    require_open(call)
    require_caller(call, by)
    now = timezone.now()
    CallAttempt.objects.create(call=call, at=now, by=by, outcome=outcome)
    if outcome == Outcome.REFUSED:
        call.status = Status.REFUSED
    elif outcome == Outcome.WRONG_NUMBER:
        call.status = Status.UNREACHABLE
    else:
        failed = call.attempts.filter(outcome__in=FAILED).count()
        if failed >= ProgrammeSettings.load().call_max_attempts:
            call.status = Status.UNREACHABLE
    if call.status != Status.QUEUED:
        call.closed_at = now
    if call.assigned_to_id is None:
        call.assigned_to = by
    call.save(update_fields=["status", "closed_at", "assigned_to", "updated_at"])
    return call


def questionnaire_active() -> Questionnaire | None:
    """The happy-call questionnaire in use: the newest active version."""
    return (
        Questionnaire.objects.filter(code=QUESTIONNAIRE_CODE, active=True)
        .order_by("-version")
        .first()
    )


def call_questionnaire(call: HappyCall) -> Questionnaire:
    """The questionnaire a call is entered with: the one in use (a call entered already
    keeps its own). Raises CallError when none is in use."""
    questionnaire = call.questionnaire or questionnaire_active()
    if questionnaire is None:
        raise CallError(_("No happy-call questionnaire is in use. Ask the administrator."))
    return questionnaire


def _check_answers(questionnaire: Questionnaire, answers: dict[str, int | None]) -> None:
    items = {item.key: item for item in questionnaire.items.all()}
    errors: dict[str, str] = {}
    for key, item in items.items():
        if key not in answers:
            errors[key] = _("Choose an answer, or “no answer”.")
        elif answers[key] is not None and not 1 <= answers[key] <= item.scale:
            errors[key] = _("Choose a number from 1 to %(scale)d.") % {"scale": item.scale}
    for key in answers.keys() - items.keys():
        errors[key] = _("This question is not in the questionnaire.")
    if errors:
        raise SurveyIncomplete(_("Answer every question, or mark it “no answer”."), errors)


@transaction.atomic
def happy_call_complete(*, call: HappyCall, by, **survey) -> HappyCall:
    """Enter the survey of an answered call: its answered attempt, one answer per item of
    the questionnaire in use (None for an explicit "no answer"; the answers keep the
    version), the response score (SPEC section 4), and the report of each raised flag in
    the report centre, all in one transaction. A call with a survey link out can be entered
    too (the petitioner phoned the centre): its link closes. `survey`: survey_store's
    answers, voc and flags.

    Raises SurveyIncomplete when an item has no answer, CallClosed when the call was
    already entered (two staff at once: the second waits for the first's lock, then gets
    this) or closed, NotYourCall for somebody else's call.
    """
    call = call_locked(call)
    require_open(call, link_too=True)
    require_caller(call, by)
    CallAttempt.objects.create(call=call, at=timezone.now(), by=by, outcome=Outcome.ANSWERED)
    return survey_store(call=call, by=by, mode=HappyCall.Mode.PHONE, **survey)


def survey_store(
    *,
    call: HappyCall,
    by,
    mode: str,
    answers: dict[str, int | None],
    voc: str = "",
    kind_case: bool = False,
    unkind_case: bool = False,
    today: dt.date | None = None,
) -> HappyCall:
    """Store the survey of a locked, open call, however it was answered (at the desk or by
    link): the answers under the questionnaire in use, the score, the flags' reports; the
    call completes and any open survey link closes. Raises SurveyIncomplete."""
    questionnaire = call_questionnaire(call)
    _check_answers(questionnaire, answers)
    now = timezone.now()
    HappyCallAnswer.objects.bulk_create(
        HappyCallAnswer(call=call, item=item, value=answers[item.key])
        for item in questionnaire.items.all()
    )
    call.questionnaire = questionnaire
    call.response_score = response_score(answers.values())
    call.kindness_answer = answers.get("kindness")
    call.voc = voc.strip()
    call.kind_case = kind_case
    call.unkind_case = unkind_case
    call.answered_on = today or timezone.localdate()
    call.answered_by = by
    call.mode = mode
    call.status = Status.COMPLETED
    call.closed_at = now
    if call.assigned_to_id is None and by is not None:
        call.assigned_to = by
    call.save()
    if mode == HappyCall.Mode.PHONE:
        link_records.survey_link_close(call=call)
    if kind_case or unkind_case:
        happy_call_raise_reports(call=call, by=by)
    return call
