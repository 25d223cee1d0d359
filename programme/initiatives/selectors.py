"""One department, one kindness initiative (SPEC section 6), the reads the pages share,
with the permission names and the years the pages accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from kindness.models import Department
from programme.models import Initiative, InitiativeNote

ASSESS = "programme.assess_initiative"
VIEW = "programme.view_initiative"
CHANGE = "programme.change_initiative"
ADD = "programme.add_initiative"

# Years the pages accept: the programme's records start here, and a department may plan
# next year's initiative before the year begins.
FIRST_YEAR = 2000


def year_range() -> range:
    """Years a page may show: FIRST_YEAR up to next year."""
    return range(FIRST_YEAR, timezone.localdate().year + 2)


# ---------------------------------------------------------------------------- selectors


@dataclass(frozen=True)
class YearRow:
    department: Department
    initiative: Initiative | None


@dataclass(frozen=True)
class YearView:
    year: int
    rows: list[YearRow]  # departments with an initiative
    missing: list[Department]  # active departments without one

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.missing)


def initiatives_of_year(*, departments: QuerySet[Department], year: int) -> YearView:
    """The departments given with their initiative of `year`, and the active ones that have
    none yet. An inactive department appears only with an initiative."""
    departments = list(departments.select_related("bureau"))
    by_department = {
        i.department_id: i
        for i in Initiative.objects.filter(
            year=year, department__in=[d.pk for d in departments]
        ).select_related("assessed_by")
    }
    order = sorted(departments, key=lambda d: (d.bureau.name, d.code))
    rows = [YearRow(d, by_department[d.pk]) for d in order if d.pk in by_department]
    missing = [d for d in order if d.pk not in by_department and d.active]
    return YearView(year=year, rows=rows, missing=missing)


def initiative_history(initiative: Initiative) -> list[InitiativeNote]:
    """Progress updates and comments in the order they were written."""
    return list(initiative.notes.select_related("by").order_by("at", "pk"))
