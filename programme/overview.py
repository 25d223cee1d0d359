"""The managers' overview of the programme's year (SPEC section 6): initiatives, training
coverage and consultations, one page at `/staff/programme/<year>/`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kindness.models import Department, EmploymentType, Official
from programme.models import ConsultationRequest, Initiative
from programme.training import selectors as training

# --- the managers' overview --------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    label: str
    trained: int
    total: int

    @property
    def percent(self) -> float | None:
        return training.trained_percent(self.trained, self.total)


@dataclass(frozen=True)
class InitiativeFigures:
    departments: int  # active departments
    with_initiative: int  # active departments with one
    assessed: int
    by_grade: list[tuple[str, str, int]]  # (value, label, count), every grade
    missing: list[Department]


@dataclass(frozen=True)
class ConsultationFigures:
    total: int
    by_status: list[tuple[str, str, int]]  # (value, label, count), every status
    priority: int
    by_priority_group: list[tuple[str, str, int]]  # every group but "none"


@dataclass(frozen=True)
class Overview:
    year: int
    initiatives: InitiativeFigures
    training: Share
    training_by_type: list[Share]
    training_by_department: list[tuple[Department, Share]] = field(default_factory=list)
    consultations: ConsultationFigures | None = None


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of `year` and of the next, in the city's time zone."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _initiative_figures(year: int) -> InitiativeFigures:
    active = Department.objects.active()
    of_year = Initiative.objects.filter(year=year, department__active=True)
    grades = dict(of_year.exclude(assessment="").values_list("assessment").annotate(n=Count("pk")))
    missing = list(active.exclude(initiatives__year=year).select_related("bureau").order_by("code"))
    return InitiativeFigures(
        departments=active.count(),
        with_initiative=of_year.count(),
        assessed=sum(grades.values()),
        by_grade=[(v, str(label), grades.get(v, 0)) for v, label in Initiative.Assessment.choices],
        missing=missing,
    )


def _training_figures(year: int) -> tuple[Share, list[Share], list[tuple[Department, Share]]]:
    """Coverage of the officials active now: the share `trained` in `year`. Officials are
    counted under their present employment type and department, so each share's numerator is a subset of its
    denominator (an official who moved counts where they work now)."""
    trained = training.trained(year=year)
    officials = Official.objects.active()
    overall = officials.aggregate(total=Count("pk"), trained=Count("pk", filter=trained))
    by_type = {
        row["employment_type"]: row
        for row in officials.values("employment_type").annotate(
            total=Count("pk"), n=Count("pk", filter=trained)
        )
    }
    types = [
        Share(str(label), by_type.get(v, {}).get("n", 0), by_type.get(v, {}).get("total", 0))
        for v, label in EmploymentType.choices
    ]
    by_department = {
        row["department_id"]: row
        for row in officials.values("department_id").annotate(
            total=Count("pk"), n=Count("pk", filter=trained)
        )
    }
    departments = [
        (d, Share(d.name, by_department[d.pk]["n"], by_department[d.pk]["total"]))
        for d in Department.objects.filter(pk__in=by_department)
        .select_related("bureau")
        .order_by("bureau__name", "code")
    ]
    return Share(_("All officials"), overall["trained"], overall["total"]), types, departments


def _consultation_figures(year: int) -> ConsultationFigures:
    """Requests received in `year` (Seoul time), by their status now."""
    start, end = _year_bounds(year)
    requests = ConsultationRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    statuses = dict(requests.values_list("status").annotate(n=Count("pk")))
    groups = dict(
        requests.exclude(priority_group="").values_list("priority_group").annotate(n=Count("pk"))
    )
    return ConsultationFigures(
        total=sum(statuses.values()),
        by_status=[
            (v, str(label), statuses.get(v, 0)) for v, label in ConsultationRequest.Status.choices
        ],
        priority=sum(groups.values()),
        by_priority_group=[
            (v, str(label), groups.get(v, 0))
            for v, label in ConsultationRequest.PriorityGroup.choices
            if v
        ],
    )


def programme_overview(*, year: int) -> Overview:
    """The managers' figures for `year`: initiatives, training coverage, consultations."""
    overall, by_type, by_department = _training_figures(year)
    return Overview(
        year=year,
        initiatives=_initiative_figures(year),
        training=overall,
        training_by_type=by_type,
        training_by_department=by_department,
        consultations=_consultation_figures(year),
    )
