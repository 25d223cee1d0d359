"""Reads of the report centre's lists of cases: the deadlines of the follow-up (due next,
overdue), the inbox's views and their counts, and a department's follow-up list."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Report, ReportEvent
from kindness.models import Department

Status = Report.Status
Kind = Report.Kind

HANDLE = "complaints.handle_report"
FOLLOW_UP = "complaints.follow_up_report"


# ---------------------------------------------------------------------------- deadlines


def overdue_q(today: dt.date) -> Q:
    """A substantiated case whose measure, or (once the measure is in) apology call, is past
    its due date (SPEC section 3: 7 and 3 days by default)."""
    awaiting_measure = Q(measure_recorded_at__isnull=True, measure_due_on__lt=today)
    awaiting_apology = Q(
        measure_recorded_at__isnull=False, apology_called_on__isnull=True, apology_due_on__lt=today
    )
    return Q(status=Status.SUBSTANTIATED) & (awaiting_measure | awaiting_apology)


def with_deadlines(reports: QuerySet[Report], today: dt.date | None = None) -> QuerySet[Report]:
    """Annotate `next_due_on` (the follow-up step due next) and `is_overdue`."""
    today = today or timezone.localdate()
    return reports.annotate(
        next_due_on=Case(
            When(
                status=Status.SUBSTANTIATED,
                measure_recorded_at__isnull=True,
                then=F("measure_due_on"),
            ),
            When(status=Status.SUBSTANTIATED, then=F("apology_due_on")),
            default=None,
            output_field=DateField(),
        ),
        is_overdue=Case(
            When(overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# ---------------------------------------------------------------------------- inbox


# The views of the inbox, each with its count above the list (issue 15 item 4).
INBOX_VIEWS = [
    ("open", _("Open")),
    ("new", _("New")),
    ("mine", _("Mine")),
    ("action", _("Needs action")),
    ("awaiting_reply", _("Awaiting the official's account")),
    ("overdue", _("Overdue")),
    ("decided", _("Decided in the last 30 days")),
    ("all", _("All")),
]
DECIDED_RECENTLY_DAYS = 30


def inbox_view_q(view: str, *, user, today: dt.date) -> Q:
    """The condition of one inbox view for `user`. "Needs action" is the user's own next
    step: triage and review for a report officer, the measure and the apology call for a
    department head."""
    if view == "open":
        return ~Q(status__in=Report.ENDED)
    if view == "new":
        return Q(status=Status.RECEIVED)
    if view == "mine":
        return Q(handler_id=user.pk) & ~Q(status__in=Report.ENDED)
    if view == "action":
        wanted = Q(pk__in=[])
        if user.has_perm(HANDLE):
            wanted |= Q(status__in=[Status.RECEIVED, Status.UNDER_REVIEW])
        if user.has_perm(FOLLOW_UP):
            wanted |= Q(status=Status.SUBSTANTIATED) & (
                Q(measure_recorded_at__isnull=True) | Q(apology_called_on__isnull=True)
            )
        return wanted
    if view == "awaiting_reply":
        # Told of an unkindness report under review, and no account recorded yet.
        replied = ReportEvent.objects.filter(report=OuterRef("pk"), action=ReportEvent.Action.REPLY)
        return Q(kind=Kind.UNKIND, status=Status.UNDER_REVIEW) & ~Q(Exists(replied))
    if view == "overdue":
        return overdue_q(today)
    if view == "decided":
        return Q(decided_on__gte=today - dt.timedelta(days=DECIDED_RECENTLY_DAYS))
    return Q()


def inbox_counts(*, user) -> dict[str, int]:
    """How many reports each inbox view holds for `user`, in one query."""
    today = timezone.localdate()
    counts = Report.objects.visible_to(user).aggregate(
        **{
            view: Count("pk", filter=inbox_view_q(view, user=user, today=today))
            if view != "all"
            else Count("pk")
            for view, _label in INBOX_VIEWS
        }
    )
    return {view: counts[view] or 0 for view, _label in INBOX_VIEWS}


def inbox_reports(
    *,
    user,
    show: str = "all",
    kind: str = "",
    status: str = "",
    source: str = "",
    department: Department | None = None,
    overdue: bool = False,
    q: str = "",
) -> QuerySet[Report]:
    """The reports a staff member may open, newest first, filtered as asked."""
    today = timezone.localdate()
    reports = Report.objects.visible_to(user).select_related(
        "department", "decided_department", "official", "handler", "duplicate_of"
    )
    reports = reports.filter(inbox_view_q(show or "all", user=user, today=today))
    if kind:
        reports = reports.filter(kind=kind)
    if status:
        reports = reports.filter(status=status)
    if source:
        reports = reports.filter(source=source)
    if department is not None:
        reports = reports.filter(Q(department=department) | Q(decided_department=department))
    if overdue:
        reports = reports.filter(overdue_q(today))
    if q:
        reports = reports.filter(receipt_no__icontains=q.strip())
    return with_deadlines(reports, today).order_by("-created_at", "-pk")


# ---------------------------------------------------------------------------- follow-up


def follow_up_cases(*, department_id: int | None) -> tuple[QuerySet[Report], QuerySet[Report]]:
    """A department's substantiated cases still awaiting the measure or the apology call
    (earliest due first), and its closed cases (latest first)."""
    if department_id is None:
        none = Report.objects.none()
        return with_deadlines(none), none
    mine = Report.objects.filter(decided_department_id=department_id).select_related("official")
    awaiting = with_deadlines(mine.filter(status=Status.SUBSTANTIATED)).order_by(
        F("next_due_on").asc(nulls_last=True), "pk"
    )
    closed = mine.filter(status=Status.CLOSED).order_by("-ended_at", "-pk")[:50]
    return awaiting, closed
