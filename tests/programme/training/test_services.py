"""Training services (SPEC section 6): session rules, attendance and the handout of cases."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from complaints.models import Report
from kindness.models import EmploymentType, OfficialAssignment
from programme.models import HandoutCase, TrainingAttendance, TrainingSession
from programme.training import selectors, services
from tests.factories import DepartmentFactory, OfficialFactory, ReportFactory
from tests.programme.training.helpers import DAY, Kind, flagged_call, make_session, published_report

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- session rules


def test_a_workshop_of_one_or_two_days_names_its_department():
    department = DepartmentFactory()
    one = make_session(Kind.WORKSHOP, days=1, department=department)
    two = make_session(Kind.WORKSHOP, days=2, department=department)
    assert (one.department, two.department) == (department, department)


def test_a_workshop_longer_than_two_days_is_refused():
    with translation.override("en"), pytest.raises(services.TrainingError, match="one or two days"):
        make_session(Kind.WORKSHOP, days=3, department=DepartmentFactory())
    assert not TrainingSession.objects.exists()


def test_a_workshop_without_its_department_is_refused():
    with pytest.raises(services.TrainingError):
        make_session(Kind.WORKSHOP)


def test_a_session_ending_before_it_starts_is_refused():
    with (
        translation.override("en"),
        pytest.raises(services.TrainingError, match="before the first day"),
    ):
        services.training_session_create(
            kind=Kind.MIND,
            title="x",
            starts_on=DAY,
            ends_on=DAY - datetime.timedelta(days=1),
            by=None,
        )


def test_other_kinds_may_last_longer_and_keep_no_department():
    session = make_session(Kind.NON_REGULAR, days=5, department=DepartmentFactory())
    assert session.ends_on - session.starts_on == datetime.timedelta(days=4)
    assert session.department is None


def test_a_case_based_session_with_a_handout_keeps_its_kind():
    session = make_session(Kind.CASE_BASED)
    services.handout_case_add(session=session, report=published_report())
    with pytest.raises(services.TrainingError):
        services.training_session_update(
            session=session, kind=Kind.MIND, title="x", starts_on=DAY, ends_on=DAY
        )
    session.refresh_from_db()
    assert session.kind == Kind.CASE_BASED


# ---------------------------------------------------------------------------------- attendance


def test_attendance_keeps_the_department_and_employment_type_of_the_day():
    old, new = DepartmentFactory(), DepartmentFactory()
    official = OfficialFactory(department=new, employment_type=EmploymentType.SUPPORT)
    OfficialAssignment.objects.create(
        official=official,
        department=old,
        started_on=None,
        ended_on=DAY + datetime.timedelta(days=10),
    )
    OfficialAssignment.objects.create(
        official=official, department=new, started_on=DAY + datetime.timedelta(days=10)
    )
    session = make_session()

    result = services.training_attendance_add(
        session=session, employee_nos=[official.employee_no], by=None
    )

    assert result.added == [official]
    attendance = TrainingAttendance.objects.get()
    assert (attendance.department, attendance.employment_type) == (old, EmploymentType.SUPPORT)


def test_an_inactive_official_is_refused_by_name_and_nothing_is_written():
    active = OfficialFactory()
    inactive = OfficialFactory(name="퇴직자", active=False)
    session = make_session()
    with translation.override("en"), pytest.raises(services.TrainingError) as error:
        services.training_attendance_add(
            session=session, employee_nos=[active.employee_no, inactive.employee_no], by=None
        )
    assert f"퇴직자 ({inactive.employee_no})" in str(error.value)
    assert "inactive" in str(error.value)
    assert not TrainingAttendance.objects.exists()


def test_an_unknown_employee_number_is_refused_and_nothing_is_written():
    session = make_session()
    with pytest.raises(services.TrainingError, match="NOPE"):
        services.training_attendance_add(
            session=session, employee_nos=[OfficialFactory().employee_no, "nope"], by=None
        )
    assert not TrainingAttendance.objects.exists()


def test_adding_an_attendance_twice_changes_nothing():
    official = OfficialFactory()
    session = make_session()
    services.training_attendance_add(session=session, employee_nos=[official.employee_no], by=None)
    again = services.training_attendance_add(
        session=session, employee_nos=[official.employee_no.lower()], by=None
    )
    assert (again.added, again.already) == ([], [official])
    assert TrainingAttendance.objects.count() == 1


def test_removing_an_attendance_is_safe_to_repeat():
    official = OfficialFactory()
    session = make_session()
    services.training_attendance_add(session=session, employee_nos=[official.employee_no], by=None)
    assert services.training_attendance_remove(session=session, official=official)
    assert not services.training_attendance_remove(session=session, official=official)
    assert not TrainingAttendance.objects.exists()


def test_employee_numbers_are_read_from_lines_commas_and_spaces():
    assert services.employee_numbers_parse("e001, E002\nE003 e001;E004") == [
        "E001",
        "E002",
        "E003",
        "E004",
    ]


# ------------------------------------------------------------------------------------ handout


def test_only_published_cases_and_flagged_voices_go_into_a_handout():
    session = make_session(Kind.CASE_BASED)
    unpublished = ReportFactory(status=Report.Status.SUBSTANTIATED, published_summary="")
    with pytest.raises(services.TrainingError):
        services.handout_case_add(session=session, report=unpublished)
    with pytest.raises(services.TrainingError):
        services.handout_case_add(session=session, happy_call=flagged_call(kind=False))
    case, created = services.handout_case_add(session=session, happy_call=flagged_call())
    assert created and case.order == 1


def test_a_handout_belongs_to_a_case_based_session_only():
    with pytest.raises(services.TrainingError):
        services.handout_case_add(session=make_session(Kind.MIND), report=published_report())
    assert not HandoutCase.objects.exists()


def test_adding_a_case_twice_keeps_one_and_cases_can_be_reordered():
    session = make_session(Kind.CASE_BASED)
    report, call = published_report(), flagged_call()
    first, _ = services.handout_case_add(session=session, report=report)
    second, _ = services.handout_case_add(session=session, happy_call=call, note="토론")
    _, created = services.handout_case_add(session=session, report=report)
    assert not created
    services.handout_case_move(case=second, up=True)
    assert [c.pk for c in selectors.handout_of(session)] == [second.pk, first.pk]
    services.handout_case_move(case=second, up=True)  # already first: nothing moves
    assert [c.pk for c in selectors.handout_of(session)] == [second.pk, first.pk]
