"""Writes the demo's petitions and happy-calls (planned in demo/petition_plans.py), raises
the planned kindness and unkindness cases through the call desk's own service, and queues
the call window's petitions as the daily task does."""

from __future__ import annotations

import datetime

from demo.organisation import Organisation
from demo.petition_plans import DEMO_PETITIONER_PHONE, PetitionPlan
from demo.sampling import SEOUL
from surveys import rules


def write_petitions(
    plans: list[PetitionPlan], *, organisation: Organisation, caller, today: datetime.date
) -> dict[str, int]:
    from surveys.models import CallAttempt, HappyCall, HappyCallAnswer, Petition, Questionnaire

    if Petition.objects.filter(petitioner_phone__startswith=DEMO_PETITIONER_PHONE).exists():
        return {}
    departments = organisation.departments
    Petition.objects.bulk_create([_petition(p, organisation) for p in plans], batch_size=500)
    # Read back rather than rely on bulk_create setting primary keys on every backend.
    petition_ids = dict(
        Petition.objects.filter(petition_no__in=[p.petition_no for p in plans]).values_list(
            "petition_no", "pk"
        )
    )
    questionnaire = (
        Questionnaire.objects.filter(code="happy-call", active=True).order_by("-version").first()
    )
    items = list(questionnaire.items.order_by("order")) if questionnaire else []
    called = [p for p in plans if p.call is not None]
    HappyCall.objects.bulk_create(
        [
            _happy_call(
                p,
                petition_id=petition_ids[p.petition_no],
                department_id=departments[p.department_code].pk,
                questionnaire=questionnaire,
                items=items,
                caller=caller,
            )
            for p in called
        ],
        batch_size=500,
    )
    call_ids = dict(
        HappyCall.objects.filter(petition_id__in=petition_ids.values()).values_list(
            "petition_id", "pk"
        )
    )
    answers, attempts = [], []
    for p in called:
        call_id = call_ids[petition_ids[p.petition_no]]
        attempts += [
            CallAttempt(call_id=call_id, at=at, by=caller, outcome=outcome)
            for at, outcome in p.call.attempts
        ]
        if p.call.status == HappyCall.Status.COMPLETED:
            answers += [
                HappyCallAnswer(call_id=call_id, item=item, value=p.call.answers.get(item.key))
                for item in items
            ]
    CallAttempt.objects.bulk_create(attempts, batch_size=1000)
    HappyCallAnswer.objects.bulk_create(answers, batch_size=1000)

    cases = {call_ids[petition_ids[p.petition_no]]: p.call.case for p in called if p.call.case}
    statuses = [p.call.status for p in called]
    return {
        "petitions": len(plans),
        "happy_calls": statuses.count(HappyCall.Status.COMPLETED),
        "unreachable": statuses.count(HappyCall.Status.UNREACHABLE),
        "refused": statuses.count(HappyCall.Status.REFUSED),
        "written": statuses.count(HappyCall.Status.WRITTEN),
        "attempts": len(attempts),
        "reports": _raise_reports(cases, caller=caller),
        "queued": _build_queue(today),
    }


def _petition(plan: PetitionPlan, organisation: Organisation):
    """The petition as import_petitions writes its row, then how the petitioner asked to be
    surveyed (Petition.contact: a few demo petitioners asked for a written survey; the file
    format has no such column)."""
    from surveys.imports.petitions import PetitionRow, petition_new

    petition = petition_new(
        PetitionRow(
            petition_no=plan.petition_no,
            title=plan.title,
            department=organisation.departments[plan.department_code],
            official=plan.official,
            petitioner_name=plan.petitioner_name,
            petitioner_phone=plan.petitioner_phone,
            received_on=plan.received_on,
            completed_on=plan.completed_on,
            channel=plan.channel,
        )
    )
    petition.contact = plan.contact
    return petition


def _happy_call(
    plan: PetitionPlan,
    *,
    petition_id: int,
    department_id: int,
    questionnaire,
    items: list,
    caller,
):
    """The call of a petition, closed at its last attempt (or, when the queue closed it at
    once, on the morning it was queued)."""
    from surveys.models import HappyCall

    call = plan.call
    if call.attempts:
        closed_at = call.attempts[-1][0]
    else:
        closed_at = datetime.datetime.combine(call.queued_on, datetime.time(7, 0), tzinfo=SEOUL)
    row = HappyCall(
        petition_id=petition_id,
        status=call.status,
        assigned_to=caller if call.attempts else None,
        queued_on=call.queued_on,
        closed_at=closed_at,
        department_id=department_id,  # the survey counts for the petition's department
        official=plan.official,
    )
    if call.status == HappyCall.Status.COMPLETED:
        row.questionnaire = questionnaire
        row.answered_on = closed_at.date()  # a Seoul date: the attempts are in Seoul time
        row.answered_by = caller
        row.response_score = rules.response_score(call.answers.get(item.key) for item in items)
        row.kindness_answer = call.answers.get("kindness")
        row.voc = call.voc
        # The flags are raised (and their reports opened) by _raise_reports.
    return row


def _raise_reports(cases: dict[int, str], *, caller) -> int:
    """Raise the planned kindness and unkindness cases (call id -> "kind" or "unkind") as
    the call desk does: set the flag, then open the linked report through surveys.flags."""
    from complaints.models import ReportEvent
    from surveys.flags import happy_call_raise_reports
    from surveys.models import HappyCall

    raised = []
    for call in HappyCall.objects.filter(pk__in=cases).order_by("pk"):
        call.kind_case = cases[call.pk] == "kind"
        call.unkind_case = cases[call.pk] == "unkind"
        call.save(update_fields=["kind_case", "unkind_case", "updated_at"])
        raised += happy_call_raise_reports(call=call, by=caller)
    # report_submit stamps a report and its intake entry a moment apart; like the other demo
    # reports (demo/reports.py), these start their history exactly when they were filed.
    for report in raised:
        ReportEvent.objects.filter(report=report, action=ReportEvent.Action.RECEIVED).update(
            at=report.created_at
        )
    return len(raised)


def _build_queue(today: datetime.date) -> int:
    """Queue the call window's petitions for the demo call desk, as the daily task does."""
    from surveys.services import call_queue_build

    return call_queue_build(today=today).queued
