"""Reads of the organisation core shared by views and exports."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kindness.models import Department, ImportBatch, Official


def departments_for(user, *, search: str = "") -> QuerySet[Department]:
    """Departments the user may see, with their bureau and head counts."""
    qs = (
        Department.objects.visible_to(user)
        .select_related("bureau")
        .annotate(
            n_officials=Count("officials", filter=Q(officials__active=True)),
        )
        .order_by("bureau__name", "code")
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return qs


def officials_of(department: Department) -> QuerySet[Official]:
    return department.officials.select_related("team").order_by("-active", "team__name", "name")


def recent_imports(limit: int = 50, *, failed: bool = False) -> QuerySet[ImportBatch]:
    batches = ImportBatch.objects.select_related("uploaded_by").defer("content", "changes")
    if failed:
        batches = batches.filter(failed_imports_q())
    return batches[:limit]


FAILED_IMPORTS_DAYS = 30


def failed_imports_q() -> Q:
    """Imports of the last 30 days that failed or whose file was refused: the manager's
    work on the staff home until a corrected file is in."""
    since = timezone.now() - dt.timedelta(days=FAILED_IMPORTS_DAYS)
    return Q(
        status__in=[ImportBatch.Status.INVALID, ImportBatch.Status.FAILED], created_at__gte=since
    )
