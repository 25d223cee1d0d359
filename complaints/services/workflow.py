"""What every transition of a case shares (SPEC section 3), and the transitions of both
kinds of report: taking a case, matching its official, starting the review.

Transitions lock the report row, check the state, write the change, its history entry and
its notifications (outbox) in one transaction. Repeating a transition that has already
happened changes nothing; a transition the state does not allow raises TransitionError
with a message for the person who asked.

The steps they share (locked, require, decide, event, merit_record, require_reason,
end_for_reason) are used by praise.py and unkindness.py as `workflow.<step>`; callers
outside this package use the transitions only."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints.models import MeritRecord, Report, ReportEvent
from complaints.services.notify import _notify
from kindness.models import Official

Status = Report.Status
Action = ReportEvent.Action


class TransitionError(Exception):
    """A change the case's state does not allow; the message is for people."""


def locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def event(report: Report, *, action: str, by, before: str = "", note: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        by=by,
        from_status=before,
        to_status=report.status if before else "",
        note=note,
    )


# SPEC section 3 as data: per transition (named by its history action), the kind of report
# it is for (None: both), the states it starts from, and the message when the case does not
# qualify (translated when raised).
_NEEDS: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    Action.REVIEW_STARTED: (
        None,
        (Status.RECEIVED,),
        gettext_noop("Only a received report can be put under review."),
    ),
    Action.VERIFIED: (
        Report.Kind.PRAISE,
        (Status.RECEIVED, Status.UNDER_REVIEW),
        gettext_noop("Only praise that is received or under review can be verified."),
    ),
    Action.SHARED: (
        Report.Kind.PRAISE,
        (Status.VERIFIED, Status.SHARED),
        gettext_noop("Only verified praise can be shared on the praise board."),
    ),
    Action.REJECTED: (
        Report.Kind.PRAISE,
        (Status.RECEIVED, Status.UNDER_REVIEW),
        gettext_noop("Only praise that is received or under review can be rejected."),
    ),
    Action.REPLY: (
        Report.Kind.UNKIND,
        (Status.UNDER_REVIEW,),
        gettext_noop(
            "The official's account is recorded while an unkindness report is under review."
        ),
    ),
    Action.SUBSTANTIATED: (
        Report.Kind.UNKIND,
        (Status.UNDER_REVIEW,),
        gettext_noop("Only an unkindness report under review can be substantiated."),
    ),
    Action.NOT_SUBSTANTIATED: (
        Report.Kind.UNKIND,
        (Status.UNDER_REVIEW,),
        gettext_noop("Only an unkindness report under review can be decided."),
    ),
    Action.WITHDRAWN: (
        Report.Kind.UNKIND,
        (Status.RECEIVED, Status.UNDER_REVIEW),
        gettext_noop("Only an undecided unkindness report can be withdrawn."),
    ),
}


def require(report: Report, action: str) -> None:
    """Raise TransitionError unless the report's kind and state allow `action` (_NEEDS)."""
    kind, allowed, message = _NEEDS[action]
    if kind is not None and report.kind != kind:
        raise TransitionError(_(message))
    if report.status not in allowed:
        raise TransitionError(_(message))


def decide(report: Report, *, status: str) -> None:
    now = timezone.now()
    report.status = status
    report.decided_at = now
    report.decided_on = timezone.localdate(now)
    # SPEC sections 2 and 3: the department at the decision is stored on the report and
    # never moves when the official transfers later.
    report.decided_department = report.official.department if report.official else report.department


@transaction.atomic
def report_take(*, report: Report, by, reason: str = "") -> Report:
    """Make `by` the handling officer (the one who sees the reporter's contact data). Every
    change of officer is in the history; taking over another officer's case needs a reason
    (SPEC section 3). Safe to repeat: the handler taking their own case changes nothing.
    Raises TransitionError for a takeover without a reason."""
    report = locked(report)
    if report.handler_id == by.pk:
        return report
    previous = report.handler
    note = ""
    if previous is not None:
        if not reason.strip():
            raise TransitionError(_("Give the reason for taking over another officer's case."))
        note = _("Taken over from %(name)s: %(reason)s") % {
            "name": previous.get_full_name() or previous.get_username(),
            "reason": reason.strip(),
        }
    report.handler = by
    report.save(update_fields=["handler", "updated_at"])
    event(report, action=Action.TAKEN, by=by, note=note)
    return report


@transaction.atomic
def report_match_official(*, report: Report, official: Official, by) -> Report:
    """Link the report to an Official. Allowed until the case is decided."""
    report = locked(report)
    if report.official_id == official.pk:
        return report
    if report.status not in (Status.RECEIVED, Status.UNDER_REVIEW):
        raise TransitionError(_("The official can no longer be changed: the case is decided."))
    report.official = official
    report.save(update_fields=["official", "updated_at"])
    event(report, action=Action.MATCHED, by=by, note=f"{official.name} ({official.employee_no})")
    return report


@transaction.atomic
def report_start_review(*, report: Report, by, note: str = "") -> Report:
    """received → under review. For unkindness the official concerned is told now and may
    give their account before any decision (right of reply)."""
    report = locked(report)
    if report.status == Status.UNDER_REVIEW:
        return report
    require(report, Action.REVIEW_STARTED)
    before = report.status
    report.status = Status.UNDER_REVIEW
    report.handler = report.handler or by
    report.save(update_fields=["status", "handler", "updated_at"])
    event(report, action=Action.REVIEW_STARTED, by=by, before=before, note=note)
    if report.kind == Report.Kind.UNKIND and report.official and report.official.user:
        _notify(
            report,
            "official_told",
            [report.official.user],
            _("A report about you is under review (%(no)s)") % {"no": report.receipt_no},
            _(
                "An unkindness report concerning you is under review. You may give your "
                "account to the report centre before any decision is taken."
            ),
        )
        event(report, action=Action.OFFICIAL_TOLD, by=by)
    return report


def require_reason(reason: str) -> None:
    if not reason.strip():
        raise TransitionError(_("Give the reason for this decision."))


# What the resident is told when a case ends for a stated reason, per history action.
_OUTCOMES = {
    Action.REJECTED: gettext_noop("Your praise could not be verified."),
    Action.NOT_SUBSTANTIATED: gettext_noop("After review, the report could not be substantiated."),
    Action.WITHDRAWN: gettext_noop("The report was withdrawn."),
}


def end_for_reason(report: Report, *, by, reason: str, action: str, decided: bool = True) -> Report:
    """End a case for a stated reason (reject, not substantiate, withdraw) in the state of
    the same name as `action`: lock, let a repeat change nothing, check kind and state
    (_NEEDS), require the reason, date the end and tell the resident its _OUTCOMES. A
    decision (`decided`) also fixes the department it counts for; a withdrawal decides
    nothing."""
    to = Status(action)
    report = locked(report)
    if report.status == to:
        return report
    require(report, action)
    require_reason(reason)
    before = report.status
    if decided:
        decide(report, status=to)
    else:
        report.status = to
        report.decided_at = timezone.now()
        report.decided_on = timezone.localdate(report.decided_at)
    report.ended_at = report.decided_at
    report.public_outcome = _(_OUTCOMES[action])
    report.save()
    event(report, action=action, by=by, before=before, note=reason)
    return report


def merit_record(report: Report, kind: str) -> None:
    """The matched official's merit record of a decided report (an incentive for verified
    praise, a penalty for substantiated unkindness), in the department at the decision.
    Safe to repeat; a report without an official gets none."""
    if report.official:
        MeritRecord.objects.get_or_create(
            report=report,
            defaults={
                "kind": kind,
                "official": report.official,
                "department": report.decided_department,
                "on": report.decided_on,
            },
        )
