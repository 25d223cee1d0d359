"""Reads of the organisation core shared by views and exports."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

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


def recent_imports(limit: int = 50) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("uploaded_by").defer("content")[:limit]
