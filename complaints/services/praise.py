"""The transitions of praise (verify, share on the praise board, reject) and the bureau
head's encouragement of much-praised officials (SPEC section 3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Encouragement, MeritRecord, Report, ReportEvent
from complaints.services import workflow
from complaints.services.workflow import TransitionError
from kindness.models import Official

Status = Report.Status
Action = ReportEvent.Action


@transaction.atomic
def report_verify(*, report: Report, by, note: str = "") -> Report:
    """Praise: received or under review → verified. The official, if matched, gets an
    incentive record; the praise counts for scores from the verification date."""
    report = workflow.locked(report)
    if report.kind == Report.Kind.PRAISE and report.status in (Status.VERIFIED, Status.SHARED):
        return report
    workflow.require(report, Action.VERIFIED)
    before = report.status
    workflow.decide(report, status=Status.VERIFIED)
    report.ended_at = report.decided_at
    report.handler = report.handler or by
    report.public_outcome = report.public_outcome or _(
        "Your praise was verified and passed on to the official. Thank you."
    )
    report.save()
    workflow.merit_record(report, MeritRecord.Kind.INCENTIVE)
    workflow.event(report, action=Action.VERIFIED, by=by, before=before, note=note)
    return report


@transaction.atomic
def report_share(*, report: Report, by, public_text: str, board_name: str = "") -> Report:
    """Verified praise → shared on the public praise board with staff-approved text. The
    card names the matched official; without one, `board_name` (a name staff approved),
    else the department alone (SPEC section 3). Safe to repeat."""
    report = workflow.locked(report)
    public_text = public_text.strip()
    board_name = board_name.strip()
    if (
        report.status == Status.SHARED
        and report.public_text == public_text
        and report.board_name == board_name
    ):
        return report
    workflow.require(report, Action.SHARED)
    if len(public_text) < 10:
        raise TransitionError(
            _("Write the text to show on the praise board (at least 10 characters).")
        )
    before = report.status
    report.status = Status.SHARED
    report.public_text = public_text
    report.board_name = board_name
    report.ended_at = timezone.now()
    report.save(update_fields=["status", "public_text", "board_name", "ended_at", "updated_at"])
    note = _("Name approved for the praise board: %(name)s") % {"name": board_name}
    workflow.event(
        report, action=Action.SHARED, by=by, before=before, note=note if board_name else ""
    )
    return report


@transaction.atomic
def report_reject(*, report: Report, by, reason: str) -> Report:
    """Praise received or under review → rejected, for a stated reason."""
    return workflow.end_for_reason(report, by=by, reason=reason, action=Action.REJECTED)


@transaction.atomic
def encouragement_record(
    *, official: Official, year: int, on: dt.date, note: str, by
) -> Encouragement:
    """Record that the bureau head encouraged the official in `year`. Safe to repeat."""
    if on > timezone.localdate():
        raise TransitionError(_("The date cannot be in the future."))
    encouragement, _created = Encouragement.objects.get_or_create(
        official=official,
        year=year,
        defaults={"on": on, "note": note.strip(), "recorded_by": by},
    )
    return encouragement
