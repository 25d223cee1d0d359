"""Reads of the happy-call centre's dashboard (SPEC section 4): calls made and reached, the
final dispositions of calls in AAPOR terms and the rates of surveys.rules over them, the
backlog, satisfaction per item, and the telephone survey's 333 compliance and cover rate.

Everything is counted in SQL with grouped queries; Python only merges the few grouped rows
and applies the pure formulas of surveys.rules to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as SQLCase
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindness.models import Department
from kindness.roles import Role
from surveys import rules
from surveys.models import CallAttempt, HappyCall, HappyCallAnswer, PhoneSurvey

User = get_user_model()
Status = HappyCall.Status
Outcome = CallAttempt.Outcome

# AAPOR disposition codes of a happy-call (SPEC section 4, "AAPOR standard definitions").
COMPLETE, REFUSAL, NON_CONTACT, NOT_ELIGIBLE, UNKNOWN = "I", "R", "NC", "NE", "UH"

# Backlog age buckets: (label, least age in days); a call falls in the last bucket it reaches.
BACKLOG_BUCKETS: tuple[tuple[str, int], ...] = (
    (_("0–2 days"), 0),
    (_("3–6 days"), 3),
    (_("7–13 days"), 7),
    (_("14 days or more"), 14),
)


@dataclass(frozen=True)
class DashboardFilter:
    """What the dashboard counts: a period (inclusive, Seoul dates), optionally one
    department and one happy-call staff member."""

    start: dt.date
    end: dt.date
    department: Department | None = None
    staff: object | None = None  # a User


# ---------------------------------------------------------------------------- rows


@dataclass
class CallRow:
    """Happy-call figures of one group (a day, a staff member, a department or a week)."""

    key: object
    label: str = ""
    attempts: int = 0
    reached: int = 0
    complete: int = 0
    refusal: int = 0
    non_contact: int = 0
    not_eligible: int = 0
    unknown: int = 0
    scored: int = 0
    score_total: float = 0.0
    backlog: int = 0

    @property
    def dispositions(self) -> rules.Dispositions:
        return rules.Dispositions(
            complete=self.complete,
            refusal=self.refusal,
            non_contact=self.non_contact,
            unknown=self.unknown,
            not_eligible=self.not_eligible,
        )

    @property
    def counted(self) -> int:
        """Calls with a disposition (closed, or queued after an attempt)."""
        return self.complete + self.refusal + self.non_contact + self.not_eligible + self.unknown

    @property
    def response_rate(self) -> float | None:
        return rules.response_rate(self.dispositions)

    @property
    def contact_rate(self) -> float | None:
        return rules.contact_rate(self.dispositions)

    @property
    def refusal_rate(self) -> float | None:
        return rules.refusal_rate(self.dispositions)

    @property
    def mean_score(self) -> float | None:
        return self.score_total / self.scored if self.scored else None

    def add(self, other: CallRow) -> None:
        for f in fields(self):
            if f.name not in ("key", "label"):
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class PhoneRow:
    """Telephone (mystery-call) survey figures of one department."""

    calls: int = 0
    answered: int = 0
    compliant: int = 0
    absent: int = 0
    covered: int = 0

    @property
    def compliance_333(self) -> float | None:
        """Share of answered calls meeting all three of the 333 rules (SPEC section 4)."""
        return self.compliant / self.answered if self.answered else None

    @property
    def cover_rate(self) -> float | None:
        """Covered / calls to absent officials; a call to an absent official is one answered
        by a colleague (covered) or not answered at all."""
        return self.covered / self.absent if self.absent else None

    def add(self, other: PhoneRow) -> None:
        for name in ("calls", "answered", "compliant", "absent", "covered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class DepartmentRow:
    department: Department
    calls: CallRow
    phone: PhoneRow


@dataclass
class ItemMean:
    key: str
    label: str
    mean: float
    n: int


@dataclass
class BacklogBucket:
    label: str
    count: int


@dataclass
class Dashboard:
    filter: DashboardFilter
    total: CallRow
    phone_total: PhoneRow
    by_day: list[CallRow]
    by_staff: list[CallRow]
    by_department: list[DepartmentRow]
    by_week: list[CallRow]
    backlog: list[BacklogBucket]
    oldest_queued_on: dt.date | None
    items: list[ItemMean] = field(default_factory=list)


# ---------------------------------------------------------------------------- querysets


def _staff_calls_q(staff, prefix: str = "") -> Q:
    """Calls a staff member worked: assigned to them, entered by them, or attempted by them."""
    return (
        Q(**{f"{prefix}assigned_to": staff})
        | Q(**{f"{prefix}answered_by": staff})
        | Q(**{f"{prefix}pk__in": CallAttempt.objects.filter(by=staff).values("call_id")})
    )


def _calls(f: DashboardFilter) -> QuerySet[HappyCall]:
    calls = HappyCall.objects.all()
    if f.department is not None:
        calls = calls.filter(department=f.department)
    if f.staff is not None:
        calls = calls.filter(_staff_calls_q(f.staff))
    return calls


def attempts_in_period(f: DashboardFilter) -> QuerySet[CallAttempt]:
    """Call attempts made in the period (by their Seoul date); the staff filter keeps the
    attempts that staff member made."""
    attempts = CallAttempt.objects.filter(at__date__gte=f.start, at__date__lte=f.end)
    if f.department is not None:
        attempts = attempts.filter(call__department=f.department)
    if f.staff is not None:
        attempts = attempts.filter(by=f.staff)
    return attempts


def with_disposition(calls: QuerySet[HappyCall]) -> QuerySet[HappyCall]:
    """Annotate each call's final AAPOR `disposition`, the `day` it counts on and the
    `caller` it counts for.

    completed -> I; refused -> R; unreachable -> NE when a wrong number was dialled (the
    number is not the petitioner's), else NC (never reached: no answer, busy); still queued
    after at least one attempt -> UH; written survey, or queued and never tried -> none.
    The day is that of closing (imported calls without a closing time: the day answered);
    a queued call's is that of its last attempt. The caller is whoever made the last
    attempt, else whoever entered the answers, else the assignee."""
    attempts = CallAttempt.objects.filter(call=OuterRef("pk"))
    last = attempts.order_by("-at", "-pk")
    calls = calls.annotate(
        last_attempt_at=Subquery(last.values("at")[:1]),
        last_attempt_by=Subquery(last.values("by")[:1]),
        wrong_number=Exists(attempts.filter(outcome=Outcome.WRONG_NUMBER)),
    )
    return calls.annotate(
        disposition=SQLCase(
            When(status=Status.COMPLETED, then=Value(COMPLETE)),
            When(status=Status.REFUSED, then=Value(REFUSAL)),
            When(status=Status.UNREACHABLE, wrong_number=True, then=Value(NOT_ELIGIBLE)),
            When(status=Status.UNREACHABLE, then=Value(NON_CONTACT)),
            When(status=Status.QUEUED, last_attempt_at__isnull=False, then=Value(UNKNOWN)),
            default=Value(None),
            output_field=CharField(),
        ),
        day=SQLCase(
            When(status=Status.QUEUED, then=TruncDate("last_attempt_at")),
            default=Coalesce(
                TruncDate("closed_at"), F("answered_on"), TruncDate("last_attempt_at")
            ),
            output_field=DateField(),
        ),
        caller=Coalesce(
            "last_attempt_by", "answered_by", "assigned_to", output_field=IntegerField()
        ),
    )


def dispositions_in_period(f: DashboardFilter) -> QuerySet[HappyCall]:
    """Phone calls only: answers by survey link are left out of the AAPOR rates (SPEC
    section 4, "Survey by link"); the dashboard compares the modes on its own."""
    return (
        with_disposition(_calls(f))
        .exclude(mode=HappyCall.Mode.WEB)
        .filter(disposition__isnull=False, day__gte=f.start, day__lte=f.end)
    )


def _grouped_calls(f: DashboardFilter, key) -> dict[object, CallRow]:
    """CallRows keyed by `key` (an expression over the calls annotated by
    `with_disposition`) holding the dispositions of the calls closed in the period; the
    attempts and the backlog are added by `_grouped_attempts` and `_grouped_backlog`."""
    rows: dict[object, CallRow] = {}
    dispositions = (
        dispositions_in_period(f)
        .annotate(group=key)
        .values("group")
        .annotate(
            complete=Count("pk", filter=Q(disposition=COMPLETE)),
            refusal=Count("pk", filter=Q(disposition=REFUSAL)),
            non_contact=Count("pk", filter=Q(disposition=NON_CONTACT)),
            not_eligible=Count("pk", filter=Q(disposition=NOT_ELIGIBLE)),
            unknown=Count("pk", filter=Q(disposition=UNKNOWN)),
            # Mean response score of completed calls; one without a score (no item
            # answered) counts nowhere (SPEC section 4).
            scored=Count("response_score", filter=Q(disposition=COMPLETE)),
            score_total=Sum("response_score", filter=Q(disposition=COMPLETE)),
        )
        .order_by()
    )
    for d in dispositions:
        row = rows.setdefault(d["group"], CallRow(key=d["group"]))
        for name in ("complete", "refusal", "non_contact", "not_eligible", "unknown", "scored"):
            setattr(row, name, d[name])
        row.score_total = d["score_total"] or 0.0
    return rows


def _grouped_attempts(f: DashboardFilter, key, rows: dict[object, CallRow]) -> None:
    attempts = (
        attempts_in_period(f)
        .annotate(group=key)
        .values("group")
        .annotate(made=Count("pk"), reached=Count("pk", filter=Q(outcome=Outcome.ANSWERED)))
        .order_by()
    )
    for a in attempts:
        row = rows.setdefault(a["group"], CallRow(key=a["group"]))
        row.attempts, row.reached = a["made"], a["reached"]


def queued_calls(f: DashboardFilter) -> QuerySet[HappyCall]:
    """The backlog: calls still to be made, whatever the period (it is today's queue)."""
    return _calls(f).filter(status=Status.QUEUED)


def _grouped_backlog(f: DashboardFilter, key, rows: dict[object, CallRow]) -> None:
    backlog = queued_calls(f).annotate(group=key).values("group").annotate(n=Count("pk"))
    for b in backlog.order_by():
        rows.setdefault(b["group"], CallRow(key=b["group"])).backlog = b["n"]


# ---------------------------------------------------------------------------- the tables


def calls_by_day(f: DashboardFilter) -> list[CallRow]:
    """Per Seoul day: attempts made that day, and calls whose final disposition fell on it."""
    rows = _grouped_calls(f, F("day"))
    _grouped_attempts(f, TruncDate("at"), rows)
    return [rows[day] for day in sorted(rows)]


def calls_by_week(f: DashboardFilter) -> list[CallRow]:
    """Per ISO week (keyed by its Monday) of the disposition day: the response rate and the
    mean response score of the calls completed that week."""
    rows = _grouped_calls(f, TruncWeek("day", output_field=DateField()))
    _grouped_attempts(f, TruncWeek(TruncDate("at"), output_field=DateField()), rows)
    for monday, row in rows.items():
        year, week, _day = monday.isocalendar()
        row.label = f"{year}-W{week:02d}"
    return [rows[monday] for monday in sorted(rows)]


def _user_label(user) -> str:
    return user.get_full_name() or user.get_username()


def calls_by_staff(f: DashboardFilter) -> list[CallRow]:
    """Per staff member: the attempts they made, the calls whose last attempt was theirs
    (or, without attempts, that they entered or were assigned), and their queued calls."""
    rows = _grouped_calls(f, F("caller"))
    _grouped_attempts(f, F("by"), rows)
    _grouped_backlog(f, F("assigned_to"), rows)
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
    calls = _grouped_calls(f, F("department"))
    _grouped_attempts(f, F("call__department"), calls)
    _grouped_backlog(f, F("department"), calls)
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
        answers = answers.filter(_staff_calls_q(f.staff, prefix="call__"))
    grouped = (
        answers.values("item__key")
        .annotate(
            mean=Avg("value"),
            n=Count("pk"),
            first=Min("item__order"),
            label_ko=Max("item__label_ko"),
            label_en=Max("item__label_en"),
        )
        .order_by("first", "item__key")
    )
    korean = (get_language() or "").startswith("ko")
    return [
        ItemMean(
            key=g["item__key"],
            label=(g["label_ko"] if korean else g["label_en"]) or g["item__key"],
            mean=g["mean"],
            n=g["n"],
        )
        for g in grouped
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
