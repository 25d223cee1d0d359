"""Training records of officials and departments, coverage, scoping by role, and the
demo data."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import programme as programme_demo
from demo.logins import seed_users
from demo.organisation import seed_organisation
from kindness.models import EmploymentType
from kindness.roles import Role
from programme.models import TrainingAttendance, TrainingSession
from programme.training import selectors, services
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory
from tests.programme.training.helpers import DAY, Kind, flagged_call, make_session, published_report

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------ records


@pytest.fixture
def city():
    bureau = BureauFactory(name="B1")
    own = DepartmentFactory(code="OWN", bureau=bureau)
    sibling = DepartmentFactory(code="SIBLING", bureau=bureau)
    other = DepartmentFactory(code="OTHER", bureau=BureauFactory(name="B2"))
    return {
        "own": own,
        "sibling": sibling,
        "other": other,
        "head": OfficialFactory(department=own),
        "trained": OfficialFactory(department=own, name="교육이수", employee_no="E-T"),
        "untrained": OfficialFactory(department=own, name="미이수자", employee_no="E-U"),
        "sibling_official": OfficialFactory(department=sibling, employee_no="E-S"),
        "other_official": OfficialFactory(department=other, employee_no="E-O"),
    }


def test_a_department_record_lists_sessions_per_official_and_who_has_none(role_client, city):
    this_year = timezone.localdate().year
    session = services.training_session_create(
        kind=Kind.MIND, title="올해 교육", starts_on=datetime.date(this_year, 1, 5),
        ends_on=datetime.date(this_year, 1, 5), by=None,
    )  # fmt: skip
    services.training_attendance_add(session=session, employee_nos=["E-T"], by=None)
    client = role_client(Role.DEPARTMENT_HEAD, official=city["head"])
    response = client.get(reverse("training:department-record", args=["OWN"]))
    rows = {r.official.employee_no: len(r.attendances) for r in response.context["rows"]}
    assert rows["E-T"] == 1 and rows["E-U"] == 0
    untrained = {r.official.employee_no for r in response.context["untrained"]}
    assert untrained == {"E-U", city["head"].employee_no}
    assert "올해 교육" in response.content.decode()
    official_page = client.get(reverse("training:official-record", args=["E-T"]))
    assert "올해 교육" in official_page.content.decode()


RECORD_PAGES = [
    "/staff/training/departments/",
    "/staff/training/departments/OWN/",
    "/staff/training/departments/SIBLING/",
    "/staff/training/departments/OTHER/",
    "/staff/training/officials/E-T/",
    "/staff/training/officials/E-S/",
    "/staff/training/officials/E-O/",
]
RECORD_STATUS = {
    Role.MANAGER: [200, 200, 200, 200, 200, 200, 200],
    Role.AUDITOR: [200, 200, 200, 200, 200, 200, 200],
    Role.ADMIN: [200, 200, 200, 200, 200, 200, 200],
    Role.DEPARTMENT_HEAD: [200, 200, 404, 404, 200, 404, 404],
    Role.BUREAU_HEAD: [200, 200, 200, 404, 200, 200, 404],
    Role.HAPPY_CALL: [403] * 7,
    Role.REPORT_OFFICER: [403] * 7,
}


@pytest.mark.parametrize("role", list(RECORD_STATUS))
def test_training_records_are_scoped_by_role(role_client, city, role):
    client = role_client(
        role, official=city["head"] if role in (Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD) else None
    )
    got = [client.get(url).status_code for url in RECORD_PAGES]
    assert got == RECORD_STATUS[role]


def test_a_bureau_head_sees_the_departments_of_their_bureau_only(role_client, city):
    client = role_client(Role.BUREAU_HEAD, official=city["head"])
    codes = {d.code for d in client.get(reverse("training:department-list")).context["departments"]}
    assert codes == {"OWN", "SIBLING"}


def test_coverage_counts_each_employment_type_apart():
    department = DepartmentFactory()
    regular = OfficialFactory(department=department)
    OfficialFactory(department=department)
    support = OfficialFactory(department=department, employment_type=EmploymentType.SUPPORT)
    OfficialFactory(department=department, employment_type=EmploymentType.SUPPORT, active=False)
    session = make_session()
    services.training_attendance_add(session=session, employee_nos=[regular.employee_no], by=None)
    coverage = {
        c.employment_type: (c.officials, c.trained)
        for c in selectors.training_coverage(year=DAY.year)
    }
    assert coverage[EmploymentType.REGULAR] == (2, 1)
    assert coverage[EmploymentType.SUPPORT] == (1, 0)
    assert coverage[""] == (3, 1)
    assert support.pk  # counted among the untrained


@pytest.mark.parametrize(
    ("url", "anonymous"),
    [("/staff/training/", 302), ("/staff/training/departments/", 302)],
)
def test_training_pages_send_anonymous_visitors_to_login(client, url, anonymous):
    assert client.get(url).status_code == anonymous


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.HAPPY_CALL, 403),
        (Role.REPORT_OFFICER, 403),
        (Role.DEPARTMENT_HEAD, 200),
        (Role.BUREAU_HEAD, 200),
        (Role.MANAGER, 200),
        (Role.AUDITOR, 200),
        (Role.ADMIN, 200),
    ],
)
def test_sessions_and_handouts_are_readable_by_roles_that_see_training(role_client, role, status):
    session = make_session(Kind.CASE_BASED)
    client = role_client(role)
    for url in (
        "/staff/training/",
        f"/staff/training/{session.pk}/",
        f"/staff/training/{session.pk}/handout/print/",
    ):
        assert client.get(url).status_code == status, url


# --------------------------------------------------------------------------------------- demo


def test_the_demo_city_has_a_year_of_training_and_reseeding_changes_nothing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(7)
    organisation = seed_organisation(rng)
    logins = seed_users(rng, organisation=organisation)
    report = published_report(department=organisation.departments["D006"])
    call = flagged_call(voc="친절하게 안내받았습니다.")

    today = datetime.date(2026, 12, 20)
    first = programme_demo.seed_training(
        random.Random("training"), organisation=organisation, logins=logins, today=today
    )
    again = programme_demo.seed_training(
        random.Random("training"), organisation=organisation, logins=logins, today=today
    )

    assert first.created and not again.created
    assert (again.sessions, again.attendances, again.handout_cases) == (
        first.sessions,
        first.attendances,
        first.handout_cases,
    )
    assert set(TrainingSession.objects.values_list("kind", flat=True)) == set(Kind.values)
    handout = TrainingSession.objects.get(title=programme_demo.HANDOUT_SESSION)
    assert {c.report_id or c.happy_call_id for c in handout.handout.all()} == {report.pk, call.pk}
    coverage = {c.employment_type: c for c in selectors.training_coverage(year=today.year)}
    assert coverage[""].trained > coverage[""].officials / 3
    assert coverage[EmploymentType.SUPPORT].share < coverage[EmploymentType.REGULAR].share
    upcoming = TrainingSession.objects.filter(starts_on__gt=today)
    assert (
        upcoming.exists() and not TrainingAttendance.objects.filter(session__in=upcoming).exists()
    )
