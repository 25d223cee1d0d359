"""Reads of one case for the staff case page: the reporter's contact (masked or not), who
may do what on it, its history, and the officials offered when matching it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from complaints.models import Report, ReportEvent
from complaints.selectors.inbox import FOLLOW_UP, HANDLE
from kindness.models import Official
from kindness.params import pk_parse
from kindness.privacy import Contact, record_contact
from kindness.roles import scope_of

Status = Report.Status
Kind = Report.Kind


def reporter_contact(report: Report, *, unmasked: bool, request=None) -> Contact:
    """The reporter's contact, masked unless `unmasked`; an unmasked view is written to the
    access log (kindness.privacy.contact_shown), which needs the `request`."""
    fields = ("reporter_name", "reporter_phone", "reporter_email")
    return record_contact(
        report, fields, action="view_reporter", unmasked=unmasked, request=request
    )


# Actions of a case, in the order the case page shows them. The first group is the report
# officer's (complaints.handle_report), the second the department head's follow-up.
OFFICER_ACTIONS = (
    "take",
    "match",
    "start_review",
    "reply",
    "verify",
    "share",
    "reject",
    "substantiate",
    "not_substantiate",
    "withdraw",
)
HEAD_ACTIONS = ("measure", "apology")

_UNDECIDED = (Status.RECEIVED, Status.UNDER_REVIEW)


def _state_allows(report: Report, action: str) -> bool:
    """Whether the case's state offers `action` (mirrors the checks of complaints.services, which
    stay the authority: a form shown here can still be refused there)."""
    praise, unkind = report.kind == Kind.PRAISE, report.kind == Kind.UNKIND
    status = report.status
    return {
        "take": True,
        "match": status in _UNDECIDED,
        "start_review": status == Status.RECEIVED,
        "reply": unkind and status == Status.UNDER_REVIEW,
        "verify": praise and status in _UNDECIDED,
        "share": praise and status in (Status.VERIFIED, Status.SHARED),
        "reject": praise and status in _UNDECIDED,
        "substantiate": unkind and status == Status.UNDER_REVIEW,
        "not_substantiate": unkind and status == Status.UNDER_REVIEW,
        "withdraw": unkind and status in _UNDECIDED,
        "measure": status == Status.SUBSTANTIATED and not report.measure_recorded_at,
        "apology": status == Status.SUBSTANTIATED and bool(report.measure_recorded_at),
    }[action]


@dataclass(frozen=True)
class CaseAccess:
    """What one staff member may do on one case they are allowed to open."""

    can_handle: bool
    can_follow_up: bool
    is_handler: bool
    unmasked: bool
    actions: tuple[str, ...]

    def may(self, action: str) -> bool:
        """Permission (not state) for an action: officers' actions need the officer's right,
        follow-up actions the head of the department the case was decided for."""
        return self.can_follow_up if action in HEAD_ACTIONS else self.can_handle


def case_access(*, user, report: Report) -> CaseAccess:
    """SPEC section 8: the reporter's data is shown unmasked only to the role acting on the
    case: the officer handling it, and the head of the department it was decided for while
    the apology call is due, from substantiation until the call is recorded (overdue
    included; recording the call closes the case)."""
    can_handle = user.has_perm(HANDLE)
    department_id = scope_of(user).department_id
    can_follow_up = (
        user.has_perm(FOLLOW_UP)
        and department_id is not None
        and report.decided_department_id == department_id
    )
    is_handler = report.handler_id is not None and report.handler_id == user.pk
    apology_due = report.status == Status.SUBSTANTIATED and report.apology_called_on is None
    unmasked = (can_handle and is_handler) or (can_follow_up and apology_due)
    actions = []
    if can_handle:
        actions += [
            a
            for a in OFFICER_ACTIONS
            if _state_allows(report, a) and (a != "take" or not is_handler)
        ]
    if can_follow_up:
        actions += [a for a in HEAD_ACTIONS if _state_allows(report, a)]
    return CaseAccess(can_handle, can_follow_up, is_handler, unmasked, tuple(actions))


def case_history(report: Report) -> list[ReportEvent]:
    """The append-only history in the order it happened, with the label of the status it
    led to when the action's own label does not already say it."""
    events = list(report.events.select_related("by").order_by("at", "pk"))
    for event in events:
        moved = event.to_status in Status.values and event.to_status != event.action
        event.to_label = Status(event.to_status).label if moved else ""
    return events


def officials_for_match(
    *, report: Report, search: str = "", include_pk: str | int | None = None
) -> QuerySet[Official]:
    """The officials offered when matching a report: those of the department the resident
    named, plus up to 20 found city-wide by employee number or name, plus the one chosen."""
    wanted = Q(department_id=report.department_id)
    search = search.strip()
    if search:
        found = Official.objects.filter(
            Q(employee_no__iexact=search) | Q(name__icontains=search)
        ).values_list("pk", flat=True)[:20]
        wanted |= Q(pk__in=list(found))
    if (pk := pk_parse(include_pk)) is not None:
        wanted |= Q(pk=pk)
    return Official.objects.filter(wanted).select_related("department").order_by("-active", "name")
