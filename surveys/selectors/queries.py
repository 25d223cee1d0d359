"""The dashboard's querysets: calls, attempts and dispositions in a period, grouped by a key
in SQL."""

from __future__ import annotations

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
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import get_language

from surveys.models import CallAttempt, HappyCall, HappyCallAnswer
from surveys.selectors.rows import (
    COMPLETE,
    NON_CONTACT,
    NOT_ELIGIBLE,
    REFUSAL,
    UNKNOWN,
    CallRow,
    DashboardFilter,
    Outcome,
    Status,
)


def staff_calls_q(staff, prefix: str = "") -> Q:
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
        calls = calls.filter(staff_calls_q(f.staff))
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


def grouped_calls(f: DashboardFilter, key) -> dict[object, CallRow]:
    """CallRows keyed by `key` (an expression over the calls annotated by
    `with_disposition`) holding the dispositions of the calls closed in the period; the
    attempts and the backlog are added by `grouped_attempts` and `grouped_backlog`."""
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


def grouped_attempts(f: DashboardFilter, key, rows: dict[object, CallRow]) -> None:
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


def grouped_backlog(f: DashboardFilter, key, rows: dict[object, CallRow]) -> None:
    backlog = queued_calls(f).annotate(group=key).values("group").annotate(n=Count("pk"))
    for b in backlog.order_by():
        rows.setdefault(b["group"], CallRow(key=b["group"])).backlog = b["n"]


def item_means_grouped(answers: QuerySet[HappyCallAnswer], *by: str) -> list[dict]:
    """The mean answer (`mean`) and the number of answers (`n`) per questionnaire item key,
    and per each field of `by`, in the questionnaire's order; `label` is the item's label
    in the active language."""
    grouped = (
        answers.values("item__key", *by)
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
        {**g, "label": (g["label_ko"] if korean else g["label_en"]) or g["item__key"]}
        for g in grouped
    ]
