"""Every write of the happy-call centre's call desk (SPEC section 4): building the daily
queue, taking a call, recording an attempt and entering the survey.

Changes to a call lock its row first and check its state under the lock, so two staff
acting on the same call at once are served one after the other and the second is told what
happened; a change the call's state does not allow raises CallError with a message for
people.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from kindness.models import ProgrammeSettings
from kindness.phones import phone_key
from kindness.roles import Role
from surveys import queue
from surveys.flags import happy_call_raise_reports
from surveys.models import (
    CallAttempt,
    CallCentreAgent,
    HappyCall,
    HappyCallAnswer,
    Petition,
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


# ---------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class QueueResult:
    queued: int = 0  # to be phoned
    unassigned: int = 0  # of those, nobody on duty to take them
    written: int = 0  # the petitioner asked for a written survey: never phoned
    refused: int = 0  # the petitioner's phone refused an earlier call: never phoned again

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def refused_phones() -> set[str]:
    """Phones (kindness.phones.phone_key, however they were typed) of petitioners who refused a call before: an attempt recorded as
    refused, or a call closed as refused (which includes those skipped for that reason)."""
    refused = Petition.objects.filter(
        Q(happy_call__attempts__outcome=Outcome.REFUSED) | Q(happy_call__status=Status.REFUSED)
    ).exclude(petitioner_phone="")
    return {phone_key(p) for p in refused.values_list("petitioner_phone", flat=True)} - {""}


def agents_on_duty() -> list[queue.Agent]:
    """Happy-call staff on duty, each with the number of queued calls they hold."""
    open_calls = (
        HappyCall.objects.filter(assigned_to=OuterRef("user_id"), status=Status.QUEUED)
        .order_by()
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agents = (
        CallCentreAgent.objects.filter(
            on_duty=True, user__is_active=True, user__groups__name=Role.HAPPY_CALL
        )
        .annotate(open_calls=Coalesce(Subquery(open_calls), 0))
        .values_list("user_id", "open_calls")
        .distinct()
    )
    return [queue.Agent(user_id=u, open_calls=n) for u, n in agents]


def _first_status(petition: Petition, refused: set[str]) -> str:
    """Queued to be phoned, unless the petitioner asked for a written survey or refused an
    earlier call: then the call is closed as such and never phoned."""
    if petition.contact == Petition.Contact.WRITTEN:
        return Status.WRITTEN
    if phone_key(petition.petitioner_phone) in refused:
        return Status.REFUSED
    return Status.QUEUED


@transaction.atomic
def call_queue_build(*, today: dt.date | None = None) -> QueueResult:
    """Queue the calls of the day (SPEC section 4): petitions completed in the last
    call_window_days days (today included) without a call yet, all of them or each
    department's share with its minimum (surveys.queue), assigned round-robin to the
    happy-call staff on duty. A petitioner who asked for a written survey gets a call
    closed as "written"; one whose phone refused before, a call closed as "refused"; neither
    is phoned.

    Safe to repeat: the draw is deterministic and counts the calls already made, and a
    petition has at most one call (unique), so a second run, even a concurrent one, adds
    nothing.
    """
    today = today or timezone.localdate()
    rules = ProgrammeSettings.load()
    since = today - dt.timedelta(days=max(rules.call_window_days, 1) - 1)
    window = Petition.objects.filter(completed_on__gte=since, completed_on__lte=today)

    # One pass over the window: each department's petitions without a call, and how many
    # of its petitions have one (they count towards its share).
    uncalled: dict[int, dict[str, Petition]] = defaultdict(dict)
    called: dict[int, int] = defaultdict(int)
    for petition in window.annotate(call_id=F("happy_call__id")):
        if petition.call_id is None:
            uncalled[petition.department_id][petition.petition_no] = petition
        else:
            called[petition.department_id] += 1
    petitions = [
        by_number[number]
        for department_id, by_number in uncalled.items()
        for number in queue.department_draw(
            window=by_number,
            already_called=called[department_id],
            share_percent=rules.call_share_percent,
            minimum=rules.call_department_minimum,
        )
    ]
    if not petitions:
        return QueueResult()
    petitions.sort(key=lambda p: (p.completed_on, p.petition_no))

    refused = refused_phones()
    statuses = {p.pk: _first_status(p, refused) for p in petitions}
    to_phone = [p for p in petitions if statuses[p.pk] == Status.QUEUED]
    callers = dict(
        zip(
            (p.pk for p in to_phone),
            queue.assign_round_robin(agents_on_duty(), len(to_phone)),
            strict=True,
        )
    )

    now = timezone.now()
    counts: dict[str, int] = defaultdict(int)
    for petition in petitions:
        status = statuses[petition.pk]
        _call, created = HappyCall.objects.get_or_create(
            petition=petition,
            defaults={
                "status": status,
                "assigned_to_id": callers.get(petition.pk),
                "queued_on": today,
                "closed_at": None if status == Status.QUEUED else now,
                "department_id": petition.department_id,
                "official_id": petition.official_id,
            },
        )
        if created:
            counts[status] += 1
            if status == Status.QUEUED and callers[petition.pk] is None:
                counts["unassigned"] += 1
    return QueueResult(
        queued=counts[Status.QUEUED],
        unassigned=counts["unassigned"],
        written=counts[Status.WRITTEN],
        refused=counts[Status.REFUSED],
    )


# ---------------------------------------------------------------------------- one call


def _locked(call: HappyCall) -> HappyCall:
    return HappyCall.objects.select_for_update().get(pk=call.pk)


def _require_open(call: HappyCall) -> None:
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


def _require_caller(call: HappyCall, by) -> None:
    if not may_act(call, by):
        raise NotYourCall(_("This call is assigned to another member of staff."))


def call_check(*, call: HappyCall, by) -> None:
    """The checks every change of a call makes under its lock, in the same order (closed
    first, so the second of two staff hears that the call was entered): for a view to
    answer before validating a form. Raises CallClosed or NotYourCall."""
    _require_open(call)
    _require_caller(call, by)


@transaction.atomic
def call_take(*, call: HappyCall, by) -> HappyCall:
    """Take an unassigned queued call. Raises CallError when it is closed or someone else
    took it first; taking one's own call again changes nothing."""
    call = _locked(call)
    _require_open(call)
    if call.assigned_to_id == by.pk:
        return call
    _require_caller(call, by)
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
    call = _locked(call)
    _require_open(call)
    _require_caller(call, by)
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
def happy_call_complete(
    *,
    call: HappyCall,
    by,
    answers: dict[str, int | None],
    voc: str = "",
    kind_case: bool = False,
    unkind_case: bool = False,
) -> HappyCall:
    """Enter the survey of an answered call: its answered attempt, one answer per item of
    the questionnaire in use (None for an explicit "no answer"; the answers keep the
    version), the response score (SPEC section 4), and the report of each raised flag in
    the report centre, all in one transaction.

    Raises SurveyIncomplete when an item has no answer, CallClosed when the call was
    already entered (two staff at once: the second waits for the first's lock, then gets
    this) or closed, NotYourCall for somebody else's call.
    """
    call = _locked(call)
    _require_open(call)
    _require_caller(call, by)
    questionnaire = call_questionnaire(call)
    _check_answers(questionnaire, answers)

    now = timezone.now()
    CallAttempt.objects.create(call=call, at=now, by=by, outcome=Outcome.ANSWERED)
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
    call.answered_on = timezone.localdate()
    call.answered_by = by
    call.status = Status.COMPLETED
    call.closed_at = now
    if call.assigned_to_id is None:
        call.assigned_to = by
    call.save()
    if kind_case or unkind_case:
        happy_call_raise_reports(call=call, by=by)
    return call
