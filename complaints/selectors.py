"""Reads of the report centre that join or aggregate, shared by the staff pages: the inbox,
who may do what on a case, the follow-up list, the encouragement list and the published
cases. Writes are in services.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
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
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Encouragement, Report, ReportEvent, ReportQuerySet
from kindness.models import Department, Official, ProgrammeSettings
from kindness.privacy import Contact, contact_shown
from kindness.roles import scope_of

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


# ---------------------------------------------------------------------------- one case


def reporter_contact(report: Report, *, unmasked: bool, request=None) -> Contact:
    """The reporter's contact, masked unless `unmasked`; an unmasked view is written to the
    access log (kindness.privacy.contact_shown), which needs the `request`."""
    return contact_shown(
        request=request,
        obj=report,
        action="view_reporter",
        unmasked=unmasked,
        name=report.reporter_name,
        phone=report.reporter_phone,
        email=report.reporter_email,
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
    """Whether the case's state offers `action` (mirrors the checks of services.py, which
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
    if (pk := str(include_pk or "")).isascii() and pk.isdigit() and len(pk) <= 18:
        wanted |= Q(pk=int(include_pk))
    return Official.objects.filter(wanted).select_related("department").order_by("-active", "name")


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


# ---------------------------------------------------------------------------- encouragement


def encouragement_candidates(*, year: int, bureau_id: int | None = None) -> QuerySet[Official]:
    """Officials with at least the threshold of counted praise (verified or shared, matched
    to them, verified in `year`), in the bureau of their current department (all bureaus
    when `bureau_id` is None). Annotated with `praise_count` and `encouraged_on` (the date of
    that year's recorded encouragement, or None). One grouped query. SPEC section 3."""
    threshold = ProgrammeSettings.load().encouragement_threshold
    praise = Q(
        reports__kind=Kind.PRAISE,
        reports__status__in=Report.COUNTED_PRAISE,
        reports__decided_on__year=year,
    )
    encouraged = Encouragement.objects.filter(official=OuterRef("pk"), year=year).values("on")[:1]
    officials = Official.objects.all()
    if bureau_id is not None:
        officials = officials.filter(department__bureau_id=bureau_id)
    return (
        officials.annotate(
            praise_count=Count("reports", filter=praise),
            encouraged_on=Subquery(encouraged, output_field=DateField()),
        )
        .filter(praise_count__gte=max(threshold, 1))
        .select_related("department__bureau")
        .order_by("-praise_count", "name", "employee_no")
    )


def encouragement_list(*, user, year: int) -> QuerySet[Official]:
    """The encouragement list a user may see: city-wide roles the whole city, a bureau head
    their bureau, anyone else nothing."""
    scope = scope_of(user)
    if scope.city_wide:
        return encouragement_candidates(year=year)
    if scope.bureau_id is None:
        return Official.objects.none()
    return encouragement_candidates(year=year, bureau_id=scope.bureau_id)


# ---------------------------------------------------------------------------- published cases


def published_cases() -> QuerySet[Report]:
    """Substantiated unkindness as published internally for training: the anonymised
    summary, the department at the decision and the date; nothing that names anyone."""
    return (
        Report.objects.substantiated()
        .exclude(published_summary="")
        .select_related("decided_department")
        .only("pk", "published_summary", "decided_on", "decided_department__name")
        .order_by("-decided_on", "-pk")
    )


def shared_praise(search: str = "") -> ReportQuerySet:
    """The praise board, newest first, loading only what the board may show: never the
    resident's own text or their data. `search` matches the praise's words (a trigram index
    on PostgreSQL, migration 0004), the official's name or the department's name."""
    reports = (
        Report.objects.shared_praise()
        .select_related("official", "department", "decided_department")
        .only(
            "public_text",
            "board_name",
            "ended_at",
            "decided_on",
            "official__name",
            "department__name",
            "decided_department__name",
        )
        .order_by(F("ended_at").desc(nulls_last=True), "-pk")
    )
    if search:
        # Each condition on its own table, so that each can use its own index: the words
        # through the praise's trigram index, the names through small tables.
        # The words alone, without the kind and status (the outer query has them): with
        # them the planner walks the board's partial index and reads every shared text
        # (~7 ms at the 1M city), without them it asks the trigram index (~0.6 ms).
        words = Report.objects.filter(public_text__icontains=search)
        officials = Official.objects.filter(name__icontains=search).values("pk")
        departments = Department.objects.filter(name__icontains=search).values("pk")
        reports = reports.filter(
            Q(pk__in=words.values("pk"))
            | Q(official__in=officials)
            | Q(official__isnull=True, board_name__icontains=search)
            | Q(decided_department__in=departments)
            | Q(decided_department__isnull=True, department__in=departments)
        )
    return reports


def praise_board_stamp() -> tuple[int, tuple]:
    """(how many praise are shared, a stamp that changes whenever one is shared, unshared or
    edited): one query, answered from the partial index of migration 0009 alone. Every
    service that changes a shared praise saves its `updated_at`."""
    # Written out rather than built by the ORM: it runs on every view of the board, and
    # building the aggregate costs more CPU than the database takes to answer it.
    table = connection.ops.quote_name(Report._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(updated_at), MAX(id) FROM {table} "  # noqa: S608
            "WHERE kind = %s AND status = %s",
            [Report.Kind.PRAISE, Report.Status.SHARED],
        )
        count, latest, top = cursor.fetchone()
    return count, (latest, top)  # latest: as the database gives it (text on SQLite)
