"""Reads of what decided cases lead to beyond the case pages: the officials due the bureau
head's encouragement, the unkindness cases published internally for training, and the
public praise board with its stamp."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery

from complaints.models import Encouragement, Report, ReportQuerySet
from kindness.models import Department, Official, ProgrammeSettings
from kindness.roles import scope_of

Kind = Report.Kind


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
