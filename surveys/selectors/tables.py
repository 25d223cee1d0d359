"""The dashboard's tables, each from a few grouped queries, and the dashboard as a whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Case as SQLCase
from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncWeek

from kindness.models import Department
from kindness.roles import Role
from surveys.models import CallAttempt, HappyCall, HappyCallAnswer, PhoneSurvey
from surveys.selectors.queries import (
    grouped_attempts,
    grouped_backlog,
    grouped_calls,
    item_means_grouped,
    queued_calls,
    staff_calls_q,
)
from surveys.selectors.rows import (
    BACKLOG_BUCKETS,
    BacklogBucket,
    CallRow,
    Dashboard,
    DashboardFilter,
    DepartmentRow,
    ItemMean,
    PhoneRow,
    Status,
)

User = get_user_model()


def calls_by_day(f: DashboardFilter) -> list[CallRow]:
    """Per Seoul day: attempts made that day, and calls whose final disposition fell on it."""
    rows = grouped_calls(f, F("day"))
    grouped_attempts(f, TruncDate("at"), rows)
    return [rows[day] for day in sorted(rows)]


def calls_by_week(f: DashboardFilter) -> list[CallRow]:
    """Per ISO week (keyed by its Monday) of the disposition day: the response rate and the
    mean response score of the calls completed that week."""
    rows = grouped_calls(f, TruncWeek("day", output_field=DateField()))
    grouped_attempts(f, TruncWeek(TruncDate("at"), output_field=DateField()), rows)
    for monday, row in rows.items():
        year, week, _day = monday.isocalendar()
        row.label = f"{year}-W{week:02d}"
    return [rows[monday] for monday in sorted(rows)]


def _user_label(user) -> str:
    return user.get_full_name() or user.get_username()


def calls_by_staff(f: DashboardFilter) -> list[CallRow]:
    """Per staff member: the attempts they made, the calls whose last attempt was theirs
    (or, without attempts, that they entered or were assigned), and their queued calls."""
    rows = grouped_calls(f, F("caller"))
    grouped_attempts(f, F("by"), rows)
    grouped_backlog(f, F("assigned_to"), rows)
    rows.pop(None, None)  # calls nobody was ever given
    users = User.objects.in_bulk(list(rows))
    for pk, row in rows.items():
        row.label = _user_label(users[pk]) if pk in users else str(pk)
    return sorted(rows.values(), key=lambda r: r.label)


def phone_by_department(f: DashboardFilter) -> dict[int, PhoneRow]:
    """Telephone (mystery-call) survey calls of the period per department of the official
    called. The staff filter does not apply: these calls are made by an outside agency."""
    calls = PhoneSurvey.objects.filter(called_on__gte=f.start, called_on__lte=f.end)
    if f.department is not None:
        calls = calls.filter(department=f.department)
    grouped = (
        calls.values("department")
        # Annotation names differ from the fields (answered, covered) they count.
        .annotate(
            n_calls=Count("pk"),
            n_answered=Count("pk", filter=Q(answered=True)),
            n_compliant=Count("pk", filter=Q(answered=True, compliant_333=True)),
            n_absent=Count("pk", filter=Q(covered=True) | Q(answered=False)),
            n_covered=Count("pk", filter=Q(covered=True)),
        )
        .order_by()
    )
    return {
        g["department"]: PhoneRow(
            calls=g["n_calls"],
            answered=g["n_answered"],
            compliant=g["n_compliant"],
            absent=g["n_absent"],
            covered=g["n_covered"],
        )
        for g in grouped
    }


def department_table(f: DashboardFilter) -> list[DepartmentRow]:
    """One row per department with any happy-call or telephone-survey figure, by code: the
    table of the page and of its CSV export."""
    calls = grouped_calls(f, F("department"))
    grouped_attempts(f, F("call__department"), calls)
    grouped_backlog(f, F("department"), calls)
    phone = phone_by_department(f)
    departments = Department.objects.in_bulk(set(calls) | set(phone))
    return [
        DepartmentRow(
            department=department,
            calls=calls.get(pk) or CallRow(key=pk),
            phone=phone.get(pk) or PhoneRow(),
        )
        for pk, department in sorted(departments.items(), key=lambda kv: kv[1].code)
    ]


def backlog_by_age(
    f: DashboardFilter, today: dt.date
) -> tuple[list[BacklogBucket], dt.date | None]:
    """Queued calls by age in days since queued (the petition's completion date when the
    queue date is missing), and the oldest such date."""
    since = Coalesce("queued_on", "petition__completed_on")
    whens = [
        When(**{"since__gt": today - dt.timedelta(days=least)}, then=Value(index - 1))
        for index, (_label, least) in enumerate(BACKLOG_BUCKETS)
        if index > 0
    ]
    grouped = (
        queued_calls(f)
        .annotate(since=since)
        .annotate(
            bucket=SQLCase(
                *whens, default=Value(len(BACKLOG_BUCKETS) - 1), output_field=IntegerField()
            )
        )
        .values("bucket")
        .annotate(n=Count("pk"), oldest=Min("since"))
        .order_by()
    )
    counts = {g["bucket"]: g for g in grouped}
    buckets = [
        BacklogBucket(label=str(label), count=counts[i]["n"] if i in counts else 0)
        for i, (label, _least) in enumerate(BACKLOG_BUCKETS)
    ]
    oldest = min((g["oldest"] for g in counts.values() if g["oldest"]), default=None)
    return buckets, oldest


def item_means(f: DashboardFilter) -> list[ItemMean]:
    """Mean answer (1-5) per questionnaire item key over the answered items of calls
    completed in the period; "no answer" counts nowhere."""
    answers = HappyCallAnswer.objects.filter(
        value__isnull=False,
        call__status=Status.COMPLETED,
        call__answered_on__gte=f.start,
        call__answered_on__lte=f.end,
    )
    if f.department is not None:
        answers = answers.filter(call__department=f.department)
    if f.staff is not None:
        answers = answers.filter(staff_calls_q(f.staff, prefix="call__"))
    return [
        ItemMean(key=g["item__key"], label=g["label"], mean=g["mean"], n=g["n"])
        for g in item_means_grouped(answers)
    ]


def staff_choices() -> QuerySet:
    """Users the staff filter offers: happy-call staff, and anyone who made an attempt or
    was assigned a call."""
    return (
        User.objects.filter(
            Q(groups__name=Role.HAPPY_CALL)
            | Q(pk__in=CallAttempt.objects.values("by"))
            | Q(pk__in=HappyCall.objects.filter(assigned_to__isnull=False).values("assigned_to"))
        )
        .distinct()
        .order_by("username")
    )


def _sum_calls(rows: Iterable[CallRow]) -> CallRow:
    total = CallRow(key=None)
    for row in rows:
        total.add(row)
    return total


def dashboard(f: DashboardFilter, *, today: dt.date) -> Dashboard:
    """Every figure of the dashboard page. Each call and attempt belongs to exactly one
    department, so the totals are the sums of the department rows."""
    by_department = department_table(f)
    phone_total = PhoneRow()
    for row in by_department:
        phone_total.add(row.phone)
    backlog, oldest = backlog_by_age(f, today)
    return Dashboard(
        filter=f,
        total=_sum_calls(r.calls for r in by_department),
        phone_total=phone_total,
        by_day=calls_by_day(f),
        by_staff=calls_by_staff(f),
        by_department=by_department,
        by_week=calls_by_week(f),
        backlog=backlog,
        oldest_queued_on=oldest,
        items=item_means(f),
    )
