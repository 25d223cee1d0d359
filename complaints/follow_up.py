"""The daily follow-up of substantiated unkindness (SPEC section 3): the department head
records a recurrence-prevention measure, then the apology call, each by a deadline.

The day before a deadline the department heads get a reminder; every day a deadline has
passed, the case escalates to the department heads and the managers and the escalation is
written into the case history. Each message's outbox key carries the date it is about, so
a second run on the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Report, ReportEvent
from complaints.services import department_heads_of, users_with_role
from kindness.outbox import outbox_add
from kindness.roles import Role

Status = Report.Status

# Still waiting for the measure, or for the apology call after it.
AWAITING_MEASURE = Q(status=Status.SUBSTANTIATED, measure_recorded_at__isnull=True)
AWAITING_APOLOGY = Q(
    status=Status.SUBSTANTIATED, measure_recorded_at__isnull=False, apology_called_on__isnull=True
)


@dataclass(frozen=True)
class FollowUpResult:
    reminded: int  # reports whose department heads were reminded of tomorrow's deadline
    escalated: int  # overdue reports escalated today

    @property
    def total(self) -> int:
        return self.reminded + self.escalated


def report_follow_up_overdue(*, today: dt.date | None = None) -> FollowUpResult:
    """Remind of tomorrow's deadlines and escalate passed ones. Safe to repeat: the
    escalation of a day happens once (`last_escalated_on`), messages once (outbox keys)."""
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    due_tomorrow = Report.objects.filter(
        (AWAITING_MEASURE & Q(measure_due_on=tomorrow))
        | (AWAITING_APOLOGY & Q(apology_due_on=tomorrow))
    )
    overdue = Report.objects.filter(
        (AWAITING_MEASURE & Q(measure_due_on__lt=today))
        | (AWAITING_APOLOGY & Q(apology_due_on__lt=today))
    ).filter(Q(last_escalated_on__isnull=True) | Q(last_escalated_on__lt=today))
    reminded = sum(
        report_remind_deadline(report=report, today=today)
        for report in due_tomorrow.select_related("decided_department", "department")
    )
    escalated = sum(
        report_escalate_overdue(report=report, today=today)
        for report in overdue.select_related("decided_department", "department")
    )
    return FollowUpResult(reminded=reminded, escalated=escalated)


def _deadline(report: Report) -> tuple[str, dt.date]:
    """What the department head owes next and by when."""
    if report.measure_recorded_at is None:
        return "measure", report.measure_due_on
    return "apology", report.apology_due_on


def _what(step: str) -> str:
    if step == "measure":
        return _("the recurrence-prevention measure")
    return _("the apology call to the reporter")


def _send(report: Report, users, *, key: str, subject: str, body: str) -> int:
    """Write one message per user with an address; the number written now (0 if all were
    already written by an earlier run)."""
    link = f"/staff/reports/{report.receipt_no}/"
    written = 0
    for user in users:
        if not user.email:
            continue
        message = outbox_add(
            key=f"report:{report.pk}:{key}:{user.pk}",
            to=user.email,
            subject=subject,
            body=f"{body}\n\n{link}",
            related=f"report:{report.pk}",
        )
        written += message is not None
    return written


@transaction.atomic
def report_remind_deadline(*, report: Report, today: dt.date) -> bool:
    """Tell the department heads that a deadline falls tomorrow. Once per deadline."""
    step, due = _deadline(report)
    written = _send(
        report,
        department_heads_of(report.scored_department),
        key=f"reminder:{step}:{due.isoformat()}",
        subject=_("Due tomorrow: %(what)s for %(no)s")
        % {"what": _what(step), "no": report.receipt_no},
        body=_("Record %(what)s for case %(no)s by %(due)s.")
        % {"what": _what(step), "no": report.receipt_no, "due": due.isoformat()},
    )
    return written > 0


@transaction.atomic
def report_escalate_overdue(*, report: Report, today: dt.date) -> bool:
    """Escalate an overdue case to its department heads and the managers, and note it in
    the history. Once per day; returns whether this call did it."""
    # A conditional UPDATE decides who escalates today: of two runs at once, only the one
    # whose UPDATE changed the row writes the history entry and the messages.
    won = (
        Report.objects.filter(pk=report.pk, status=Status.SUBSTANTIATED)
        .exclude(last_escalated_on=today)
        .update(last_escalated_on=today)
    )
    if not won:
        return False
    step, due = _deadline(report)
    overdue_days = (today - due).days
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.ESCALATED,
        note=_("Deadline for %(what)s passed on %(due)s (%(days)s day(s) overdue).")
        % {"what": _what(step), "due": due.isoformat(), "days": overdue_days},
    )
    department = report.scored_department
    recipients = {u.pk: u for u in department_heads_of(department)}
    recipients.update({u.pk: u for u in users_with_role(Role.MANAGER)})
    _send(
        report,
        recipients.values(),
        key=f"overdue:{today.isoformat()}",
        subject=_("Overdue: %(what)s for %(no)s") % {"what": _what(step), "no": report.receipt_no},
        body=_(
            "Case %(no)s of %(department)s is %(days)s day(s) overdue: the deadline for "
            "%(what)s was %(due)s."
        )
        % {
            "no": report.receipt_no,
            "department": department.name,
            "days": overdue_days,
            "what": _what(step),
            "due": due.isoformat(),
        },
    )
    return True
