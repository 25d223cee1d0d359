"""One meaning of "trained" for every figure (issue 13): at least one *completed* attendance
of a session starting in the year. An attendance left incomplete counts nowhere."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from kindness.models import Official
from kindness.roles import Role
from programme.models import TrainingAttendance
from programme.overview import programme_overview
from programme.training import selectors, services
from tests.factories import DepartmentFactory, OfficialFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def department():
    """Three officials of one department: one completed a session of YEAR, one attended
    without completing it, one attended nothing (and one completed only last year)."""
    department = DepartmentFactory(code="TRN")
    for no in ("C-1", "I-1", "N-1", "L-1"):
        OfficialFactory(department=department, employee_no=no)

    def session(year):
        return TrainingSessionFactory(title=f"{year} 친절교육", starts_on=datetime.date(year, 3, 2))

    this_year = session(YEAR)
    services.training_attendance_add(session=this_year, employee_nos=["C-1", "I-1"], by=None)
    TrainingAttendance.objects.filter(official__employee_no="I-1").update(completed=False)
    services.training_attendance_add(session=session(YEAR - 1), employee_nos=["L-1"], by=None)
    return department


def test_trained_means_a_completed_attendance_in_the_year(department):
    trained = Official.objects.filter(selectors.trained(year=YEAR))
    assert set(trained.values_list("employee_no", flat=True)) == {"C-1"}


def test_every_training_figure_counts_the_same_officials_as_trained(department):
    total = selectors.training_coverage(year=YEAR, department_ids=[department.pk])[-1]
    assert (total.trained, total.officials) == (1, 4)
    row = selectors.department_coverage(year=YEAR).get(pk=department.pk)
    assert (row.n_trained, row.n_officials, row.n_untrained) == (1, 4, 3)
    overview = programme_overview(year=YEAR)
    assert (overview.training.trained, overview.training.total) == (1, 4)
    (shown,) = [share for dep, share in overview.training_by_department if dep == department]
    assert (shown.trained, shown.total) == (1, 4)
    record = selectors.department_record(department, year=YEAR)
    assert [r.official.employee_no for r in record if r.trained] == ["C-1"]


def test_the_department_page_lists_an_incomplete_attendance_among_the_untrained(
    role_client, department
):
    response = role_client(Role.MANAGER).get(
        reverse("training:department-record", args=["TRN"]), {"year": YEAR}
    )
    untrained = {r.official.employee_no for r in response.context["untrained"]}
    assert untrained == {"I-1", "N-1", "L-1"}
