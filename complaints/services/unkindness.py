"""The transitions of an unkindness report after its review starts (SPEC section 3): the
official's account, the decision (substantiated, not substantiated, withdrawn) and the
department head's follow-up (the recurrence-prevention measure, the apology call)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import MeritRecord, Report, ReportEvent
from complaints.services import workflow
from complaints.services.notify import _notify, department_heads_of
from complaints.services.workflow import TransitionError
from kindness.models import ProgrammeSettings

Status = Report.Status
Action = ReportEvent.Action


@transaction.atomic
def report_record_reply(*, report: Report, by, text: str) -> Report:
    """Record the official's own account on an unkindness case under review."""
    report = workflow.locked(report)
    text = text.strip()
    if not text:
        raise TransitionError(_("Write the official's account."))
    workflow.require(report, Action.REPLY)
    if report.events.filter(action=Action.REPLY, note=text).exists():
        return report
    workflow.event(report, action=Action.REPLY, by=by, note=text)
    return report


@transaction.atomic
def report_substantiate(*, report: Report, by, reason: str, summary: str) -> Report:
    """Unkindness under review → substantiated: the official (if matched) gets a penalty
    record, the case is published internally as an anonymised summary, and the department
    head must record a recurrence-prevention measure by the deadline."""
    report = workflow.locked(report)
    if report.status in (Status.SUBSTANTIATED, Status.CLOSED):
        return report
    workflow.require(report, Action.SUBSTANTIATED)
    workflow.require_reason(reason)
    if len(summary.strip()) < 10:
        raise TransitionError(
            _("Write an anonymised summary of the case (at least 10 characters).")
        )
    before = report.status
    workflow.decide(report, status=Status.SUBSTANTIATED)
    rules = ProgrammeSettings.load()
    report.measure_due_on = report.decided_on + dt.timedelta(days=rules.measure_deadline_days)
    report.published_summary = summary.strip()
    report.public_outcome = _(
        "Your report was substantiated. The department head will take measures against "
        "recurrence and phone you to apologise."
    )
    report.save()
    workflow.merit_record(report, MeritRecord.Kind.PENALTY)
    workflow.event(report, action=Action.SUBSTANTIATED, by=by, before=before, note=reason)
    _notify(
        report,
        "substantiated",
        department_heads_of(report.decided_department),
        _("Unkindness substantiated in your department (%(no)s)") % {"no": report.receipt_no},
        _(
            "Record a recurrence-prevention measure by %(due)s, then phone the reporter to apologise."
        )
        % {"due": report.measure_due_on.isoformat()},
    )
    return report


@transaction.atomic
def report_not_substantiate(*, report: Report, by, reason: str) -> Report:
    """Unkindness under review → not substantiated, for a stated reason."""
    return workflow.end_for_reason(report, by=by, reason=reason, action=Action.NOT_SUBSTANTIATED)


@transaction.atomic
def report_withdraw(*, report: Report, by, reason: str) -> Report:
    """The reporter withdrew the unkindness report (recorded by staff)."""
    return workflow.end_for_reason(
        report, by=by, reason=reason, action=Action.WITHDRAWN, decided=False
    )


@transaction.atomic
def report_record_measure(*, report: Report, by, text: str) -> Report:
    """The department head's recurrence-prevention measure; the apology call is then due."""
    report = workflow.locked(report)
    text = text.strip()
    if report.measure_recorded_at and report.measure_text == text:
        return report
    if report.status != Status.SUBSTANTIATED or report.measure_recorded_at:
        raise TransitionError(_("A measure is recorded once, on a substantiated case."))
    if len(text) < 10:
        raise TransitionError(_("Describe the measure (at least 10 characters)."))
    rules = ProgrammeSettings.load()
    today = timezone.localdate()
    report.measure_text = text
    report.measure_recorded_at = timezone.now()
    report.measure_by = by
    report.apology_due_on = today + dt.timedelta(days=rules.apology_deadline_days)
    report.save()
    workflow.event(report, action=Action.MEASURE, by=by)
    return report


@transaction.atomic
def report_record_apology(
    *, report: Report, by, called_on: dt.date, caller: str, outcome: str
) -> Report:
    """The apology call to the reporter; with the measure recorded, this closes the case."""
    report = workflow.locked(report)
    if report.status == Status.CLOSED:
        return report
    if report.status != Status.SUBSTANTIATED or not report.measure_recorded_at:
        raise TransitionError(
            _("Record the recurrence-prevention measure before the apology call.")
        )
    if called_on > timezone.localdate():
        raise TransitionError(_("The call date cannot be in the future."))
    if not caller.strip() or not outcome.strip():
        raise TransitionError(_("Give who called and the outcome of the call."))
    before = report.status
    report.apology_called_on = called_on
    report.apology_caller = caller.strip()
    report.apology_outcome = outcome.strip()
    report.apology_recorded_by = by
    report.status = Status.CLOSED
    report.ended_at = timezone.now()
    report.public_outcome = _(
        "Your report was substantiated; measures against recurrence were taken and the "
        "department apologised to you. The case is closed."
    )
    report.save()
    workflow.event(report, action=Action.APOLOGY, by=by)
    workflow.event(report, action=Action.CLOSED, by=by, before=before)
    return report
