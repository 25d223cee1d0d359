"""The managers' overview of the programme's year (SPEC section 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kindness.models import EmploymentType
from kindness.roles import Role
from programme import overview
from programme.models import (
    ConsultationRequest,
    ConsultationSlot,
    Expert,
    TrainingAttendance,
)
from tests.factories import DepartmentFactory, OfficialFactory, TrainingSessionFactory
from tests.programme.initiatives.helpers import EN, YEAR, make

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- overview


def test_overview_is_for_managers_and_auditors_not_it_admins(role_client, org):
    assert role_client(Role.ADMIN).get(f"/staff/programme/{YEAR}/").status_code == 403
    for role in (Role.MANAGER, Role.AUDITOR):
        client = role_client(role)
        response = client.get("/staff/programme/")
        assert response.status_code == 302 and response["Location"] == f"/staff/programme/{YEAR}/"
        assert client.get(f"/staff/programme/{YEAR}/").status_code == 200
        client.logout()
    head = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=org["own"]))
    assert head.get(f"/staff/programme/{YEAR}/").status_code == 403


def test_overview_of_a_year_out_of_range_is_not_found(role_client):
    assert role_client(Role.MANAGER).get("/staff/programme/1999/").status_code == 404


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


def test_overview_figures_match_data_built_by_hand(role_client):
    a = DepartmentFactory(code="A01", name="가과")
    b = DepartmentFactory(code="B01", name="나과")
    DepartmentFactory(code="D01", name="라과")  # active, without an initiative
    closed = DepartmentFactory(code="C01", name="폐지과", active=False)

    # Initiatives: A (this year, good), B (this year, not assessed), D none; the closed
    # department's and last year's do not count.
    make(a, assessment="good")
    make(b)
    make(closed, assessment="poor")
    make(a, year=YEAR - 1, assessment="excellent")

    # Training: seven active officials, three trained this year.
    this_year = TrainingSessionFactory(
        title="친절 마인드", starts_on=dt.date(YEAR, 1, 1), ends_on=dt.date(YEAR, 1, 2)
    )
    last_year = TrainingSessionFactory(
        title="지난해", starts_on=dt.date(YEAR - 1, 12, 31), ends_on=dt.date(YEAR, 1, 1)
    )

    def official(dept, kind, active=True):
        return OfficialFactory(department=dept, employment_type=kind, active=active)

    def attend(session, o, completed=True):
        TrainingAttendance.objects.create(
            session=session,
            official=o,
            department=o.department,
            employment_type=o.employment_type,
            completed=completed,
        )

    r1, r2 = official(a, EmploymentType.REGULAR), official(a, EmploymentType.REGULAR)
    f1, s1 = official(a, EmploymentType.FIXED_TERM), official(a, EmploymentType.SUPPORT)
    gone = official(a, EmploymentType.REGULAR, active=False)
    s2, r3 = official(b, EmploymentType.SUPPORT), official(b, EmploymentType.REGULAR)
    f2 = official(b, EmploymentType.FIXED_TERM)
    attend(this_year, r1)
    attend(this_year, f1)
    attend(this_year, gone)  # inactive: not counted
    attend(this_year, s2)
    attend(last_year, r3)  # another year
    attend(this_year, f2, completed=False)  # not completed
    attend(last_year, r1)  # twice trained counts once
    assert r2 and s1  # untrained, present in the denominators

    # Consultations received this year: 4, two from priority groups; one of last year.
    expert = Expert.objects.create(name="상담가", field="민원")
    slots = [
        ConsultationSlot.objects.create(
            expert=expert,
            starts_at=_at(dt.date(YEAR, 1, 5 + i)),
            ends_at=_at(dt.date(YEAR, 1, 5 + i)) + dt.timedelta(hours=1),
        )
        for i in range(2)
    ]

    def request(no, status, when, group="", slot=None):
        c = ConsultationRequest.objects.create(
            receipt_no=no,
            topic="상담",
            preferred_on=when,
            status=status,
            priority_group=group,
            slot=slot,
        )
        ConsultationRequest.objects.filter(pk=c.pk).update(created_at=_at(when))

    request("C-1", "requested", dt.date(YEAR, 1, 1), group="low_income")
    request("C-2", "confirmed", dt.date(YEAR, 1, 2), slot=slots[0])
    request("C-3", "done", dt.date(YEAR, 1, 3), slot=slots[1])
    request("C-4", "cancelled", dt.date(YEAR, 1, 4), group="elderly")
    request("C-5", "requested", dt.date(YEAR - 1, 12, 31), group="low_income")

    o = overview.programme_overview(year=YEAR)

    assert (o.initiatives.departments, o.initiatives.with_initiative, o.initiatives.assessed) == (
        3,
        2,
        1,
    )
    assert {v: n for v, _label, n in o.initiatives.by_grade} == {
        "excellent": 0,
        "good": 1,
        "fair": 0,
        "poor": 0,
    }
    assert [x.code for x in o.initiatives.missing] == ["D01"]

    assert (o.training.trained, o.training.total, o.training.percent) == (3, 7, 42.9)
    assert [(s.trained, s.total) for s in o.training_by_type] == [(1, 3), (1, 2), (1, 2)]
    assert {dep.code: (s.trained, s.total) for dep, s in o.training_by_department} == {
        "A01": (2, 4),
        "B01": (1, 3),
    }

    c = o.consultations
    assert (c.total, c.priority) == (4, 2)
    assert {v: n for v, _label, n in c.by_status} == {
        "requested": 1,
        "confirmed": 1,
        "done": 1,
        "cancelled": 1,
        "no_show": 0,
    }
    assert {v: n for v, _label, n in c.by_priority_group} == {
        "low_income": 1,
        "disabled": 0,
        "elderly": 1,
        "other": 0,
    }

    # The page shows the same figures.
    response = role_client(Role.MANAGER).get(f"/staff/programme/{YEAR}/", **EN)
    html = response.content.decode()
    shown = response.context["o"]
    assert [(s.trained, s.total) for s in shown.training_by_type] == [(1, 3), (1, 2), (1, 2)]
    assert [n for _v, _label, n in shown.initiatives.by_grade] == [0, 1, 0, 0]
    assert (shown.consultations.total, shown.consultations.priority) == (4, 2)
    assert "3 / 7" in html and "42.9%" in html and "라과" in html
