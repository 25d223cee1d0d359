import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from complaints.models import Encouragement, MeritRecord, Report, ReportEvent
from complaints.services import receipt_no_next
from demo import logins, organisation, report_plans
from kindness.models import (
    Bureau,
    Department,
    EmploymentType,
    NumberSequence,
    Official,
    OfficialAssignment,
    Team,
)
from kindness.roles import Role, scope_of
from surveys.models import HappyCall, Petition, PhoneSurvey, VisitSurvey
from tests.factories import OfficialFactory

User = get_user_model()

pytestmark = pytest.mark.django_db

LOGINS = [
    (role, username, logins.demo_password(username))
    for role, username in logins.DEMO_USERNAMES.items()
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The real hasher costs over half a second per demo user; hashing is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(number: int = 2026) -> str:
    out = io.StringIO()
    call_command("seed_demo", seed=number, force=True, stdout=out)
    return out.getvalue()


def city() -> dict[str, list]:
    """Everything a seed decides, by natural key (primary keys differ between databases)."""
    return {
        "departments": list(
            Department.objects.order_by("code").values_list("code", "name", "bureau__name")
        ),
        "officials": list(
            Official.objects.order_by("employee_no").values_list(
                "employee_no",
                "name",
                "position",
                "employment_type",
                "department__code",
                "team__name",
                "phone",
                "active",
                "user__username",
            )
        ),
        "assignments": list(
            OfficialAssignment.objects.order_by("official__employee_no").values_list(
                "official__employee_no", "department__code", "team__name", "started_on", "ended_on"
            )
        ),
        "users": list(
            User.objects.filter(username__startswith="demo-")
            .order_by("username")
            .values_list("username", "first_name", "is_staff", "is_superuser", "groups__name")
        ),
    }


def wipe_demo_city() -> None:
    """What `manage.py flush` would do to the demo rows, leaving the role groups in place."""
    from complaints.models import ApiKey
    from scoring.models import Period, RankingRun

    ApiKey.objects.all().delete()
    from programme.models import (
        ConsultationRequest,
        ConsultationSlot,
        Expert,
        Initiative,
        TrainingSession,
    )

    ConsultationRequest.objects.all().delete()
    ConsultationSlot.objects.all().delete()
    Expert.objects.all().delete()
    Initiative.objects.all().delete()  # with their notes
    TrainingSession.objects.all().delete()  # with attendance and handout

    RankingRun.objects.all().delete()  # with their rows
    Period.objects.all().delete()
    PhoneSurvey.objects.all().delete()
    VisitSurvey.objects.all().delete()
    HappyCall.objects.all().delete()  # with their answers and attempts
    Petition.objects.all().delete()
    MeritRecord.objects.all().delete()
    Encouragement.objects.all().delete()
    Report.objects.all().delete()
    NumberSequence.objects.filter(prefix="R").all().delete()
    OfficialAssignment.objects.all().delete()
    Official.objects.all().delete()
    Team.objects.all().delete()
    Department.objects.all().delete()
    Bureau.objects.all().delete()
    User.objects.filter(username__startswith="demo-").delete()


def counts() -> dict[str, int]:
    return {
        "bureaus": Bureau.objects.count(),
        "departments": Department.objects.count(),
        "teams": Team.objects.count(),
        "officials": Official.objects.count(),
        "assignments": OfficialAssignment.objects.count(),
        "users": User.objects.count(),
        "memberships": User.groups.through.objects.count(),
        "linked officials": Official.objects.filter(user__isnull=False).count(),
        "reports": Report.objects.count(),
        "history entries": ReportEvent.objects.count(),
        "incentives and penalties": MeritRecord.objects.count(),
        "receipt numbers given": sum(
            NumberSequence.objects.filter(prefix="R").values_list("last", flat=True)
        ),
    }


def test_demo_city_has_seven_bureaus_about_thirty_departments_and_hundreds_of_officials():
    seed()

    assert Bureau.objects.count() == 7
    assert 25 <= Department.objects.count() <= 35
    assert Official.objects.count() >= 250
    assert set(Bureau.objects.values_list("name", flat=True)) >= {"행정지원국", "시민안전실"}
    assert Department.objects.get(code="D001").name == "자치행정과"


def test_every_department_has_two_to_four_teams_one_head_and_one_leader_per_team():
    seed()

    for department in Department.objects.annotate(n=Count("teams")):
        assert 2 <= department.n <= 4, department
        assert department.officials.filter(position="과장").count() == 1, department
    for team in Team.objects.all():
        assert team.officials.filter(position="팀장").count() == 1, team
        assert team.officials.exclude(position="팀장").exists(), team
    # One 국장 per bureau, placed in the bureau's first department.
    for bureau in Bureau.objects.all():
        chief = Official.objects.get(position="국장", department__bureau=bureau)
        assert chief.department == bureau.departments.order_by("code").first()


def test_every_official_has_one_open_assignment_to_their_department_and_team():
    seed()

    assert (
        OfficialAssignment.objects.filter(ended_on__isnull=True).count() == Official.objects.count()
    )
    for official in Official.objects.prefetch_related("assignments"):
        (assignment,) = official.assignments.all()
        assert (assignment.department_id, assignment.team_id) == (
            official.department_id,
            official.team_id,
        )
        assert assignment.ended_on is None


def test_officials_look_like_a_korean_city_hall():
    seed()
    officials = list(Official.objects.all())

    assert all(re.fullmatch(r"[가-힣]{3}", o.name) for o in officials)
    assert all(re.fullmatch(r"052-229-\d{4}", o.phone) for o in officials)
    assert len({o.phone for o in officials}) == len(officials)
    by_type = {t: sum(o.employment_type == t for o in officials) for t in EmploymentType.values}
    assert by_type[EmploymentType.REGULAR] > len(officials) * 0.7
    assert by_type[EmploymentType.FIXED_TERM] > 0
    assert by_type[EmploymentType.SUPPORT] > 0
    inactive = [o for o in officials if not o.active]
    assert 0 < len(inactive) < 10
    assert not any(o.position in ("국장", "과장", "팀장") for o in inactive)


def test_there_is_one_demo_user_per_role_in_that_roles_group_only():
    seed()

    assert {username for _role, username, _password in LOGINS} >= {
        "demo-manager",
        "demo-happycall",
        "demo-officer",
        "demo-depthead",
        "demo-bureauhead",
        "demo-auditor",
        "demo-admin",
    }
    assert set(logins.DEMO_USERNAMES) == set(Role)
    for role, username, _password in LOGINS:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
        assert re.fullmatch(r"[가-힣]{3}", user.first_name)
        assert user.is_staff == user.is_superuser == (role == Role.ADMIN)


def test_demo_department_head_sees_exactly_their_own_department():
    seed()
    user = User.objects.get(username="demo-depthead")
    department = Department.objects.get(code=organisation.DEMO_DEPARTMENT_CODE)

    assert user.official.position == "과장"
    assert user.official.department == department
    scope = scope_of(user)
    assert not scope.city_wide
    assert scope.department_id == department.pk
    assert scope.department_ids == {department.pk}


def test_demo_bureau_head_sees_every_department_of_their_bureau():
    seed()
    user = User.objects.get(username="demo-bureauhead")
    bureau = Department.objects.get(code=organisation.DEMO_DEPARTMENT_CODE).bureau

    assert user.official.position == "국장"
    scope = scope_of(user)
    assert not scope.city_wide
    assert scope.bureau_id == bureau.pk
    assert scope.department_ids == set(bureau.departments.values_list("pk", flat=True))
    assert len(scope.department_ids) > 1


def test_the_same_seed_gives_the_same_city_in_an_empty_database():
    seed(2026)
    first = city()
    wipe_demo_city()
    assert Official.objects.count() == 0

    seed(2026)

    assert city() == first


def test_another_seed_gives_another_city():
    seed(2026)
    first = city()
    wipe_demo_city()

    seed(7)
    second = city()

    assert [o[1] for o in second["officials"]] != [o[1] for o in first["officials"]]
    assert [o[4] for o in second["officials"]] != [o[4] for o in first["officials"]]


def test_reseeding_with_another_seed_turns_the_city_into_that_seeds_city():
    seed(7)
    fresh = city()
    wipe_demo_city()
    seed(2026)

    seed(7)

    assert city() == fresh


def test_running_twice_duplicates_nothing():
    seed()
    first = counts()

    seed()

    assert counts() == first
    assert first["users"] == len(Role)
    assert first["memberships"] == len(Role)
    assert first["linked officials"] == 2


def test_running_again_restores_the_seeded_values():
    seed()
    expected = city()
    Official.objects.filter(employee_no="E00001").update(name="바뀐이", active=False)
    manager = User.objects.get(username="demo-manager")
    manager.set_password("someone-changed-it-42")
    manager.is_superuser = True
    manager.save()
    manager.groups.add(Group.objects.get(name=Role.AUDITOR))
    Official.objects.filter(user__username="demo-depthead").update(user=None)
    OfficialAssignment.objects.filter(official__employee_no="E00002").update(
        department=Department.objects.get(code="D030")
    )

    seed()

    assert city() == expected
    assert User.objects.get(username="demo-manager").check_password("kind-city-manager")


def test_seeding_leaves_officials_outside_the_demo_alone():
    outsider = OfficialFactory(name="외부인", employee_no="X99999")
    before = (outsider.name, outsider.department_id, outsider.phone, outsider.updated_at)

    seed()
    seed(7)

    outsider.refresh_from_db()
    assert (outsider.name, outsider.department_id, outsider.phone, outsider.updated_at) == before
    assert Official.objects.filter(employee_no="X99999").exists()
    assert Official.objects.exclude(employee_no="X99999").count() == organisation.TOTAL_OFFICIALS


def test_refuses_without_force_when_debug_is_off_and_writes_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError) as raised:
        call_command("seed_demo", stdout=io.StringIO())

    assert "--force" in str(raised.value)
    assert Official.objects.count() == 0
    assert not User.objects.filter(username__startswith="demo-").exists()


def test_runs_without_force_when_debug_is_on(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=io.StringIO())

    assert User.objects.filter(username__startswith="demo-").count() == len(Role)


def test_prints_every_role_username_and_password():
    output = seed()

    for role, username, password in LOGINS:
        line = next(line for line in output.splitlines() if f" {username} " in line)
        assert str(role.label) in line
        assert password in line
    assert "자치행정과" in output


def test_demo_passwords_pass_the_password_validators():
    seed()

    for _role, username, password in LOGINS:
        validate_password(password, User.objects.get(username=username))


@pytest.mark.parametrize(("role", "username", "password"), LOGINS, ids=[u for _r, u, _p in LOGINS])
def test_demo_user_can_sign_in_and_reach_the_staff_home(client, role, username, password):
    seed()

    response = client.post("/accounts/login/", {"username": username, "password": password})

    assert response.status_code == 302
    assert response.url == "/staff/"
    assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
    assert client.get("/staff/").status_code == 200


def test_a_wrong_password_does_not_sign_a_demo_user_in(client):
    seed()

    response = client.post(
        "/accounts/login/", {"username": "demo-admin", "password": "kind-city-manager"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_demo_password_refused_by_the_validators_stops_the_seed_and_writes_nothing(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 40},
        }
    ]

    with pytest.raises(CommandError):
        seed()

    assert Official.objects.count() == 0
    assert not User.objects.filter(username__startswith="demo-").exists()


# ---------------------------------------------------------------------------- reports


def reports() -> list[tuple]:
    """The seeded reports by what a seed decides (receipt numbers follow from the dates)."""
    return list(
        Report.objects.order_by("receipt_no").values_list(
            "receipt_no",
            "kind",
            "status",
            "department__code",
            "official__employee_no",
            "official_name",
            "incident_on",
            "decided_on",
            "text",
            "reporter_name",
            "measure_due_on",
            "apology_due_on",
        )
    )


def test_the_demo_city_has_a_year_of_reports_in_every_state_of_the_workflow():
    output = seed()

    assert 140 <= Report.objects.count() <= 160
    states = Counter(Report.objects.values_list("kind", "status"))
    for kind, status in [
        ("praise", "received"),
        ("praise", "verified"),
        ("praise", "shared"),
        ("praise", "rejected"),
        ("unkind", "received"),
        ("unkind", "under_review"),
        ("unkind", "substantiated"),
        ("unkind", "closed"),
        ("unkind", "not_substantiated"),
        ("unkind", "withdrawn"),
    ]:
        assert states[(kind, status)] > 0, (kind, status)
    assert (
        Report.objects.filter(status=Report.Status.SHARED).exclude(public_text="").count()
        == states[("praise", "shared")]
    )
    assert "/reports/track/" in output


def test_demo_reports_went_through_the_services_with_their_history_and_records():
    seed()
    officer = User.objects.get(username="demo-officer")

    for report in Report.objects.prefetch_related("events"):
        actions = [e.action for e in report.events.all()]
        assert actions[0] == ReportEvent.Action.RECEIVED, report
        # The last change of state in the history is the state the case is in.
        assert report.events.exclude(to_status="").last().to_status == report.status, report
    decided = Report.objects.filter(status__in=[*Report.COUNTED_PRAISE, *Report.COUNTED_UNKIND])
    assert MeritRecord.objects.count() == decided.filter(official__isnull=False).count()
    assert ReportEvent.objects.filter(action=ReportEvent.Action.VERIFIED, by=officer).exists()
    head = User.objects.get(username="demo-depthead")
    assert ReportEvent.objects.filter(action=ReportEvent.Action.MEASURE, by=head).exists()


def test_demo_reports_are_spread_over_the_last_twelve_months_with_steps_in_order():
    seed()
    now = timezone.now()
    today = timezone.localdate()

    created = list(Report.objects.values_list("created_at", flat=True))
    assert min(created) >= now - dt.timedelta(days=366)
    assert max(created) <= now
    assert len({c.month for c in created}) >= 10
    for report in Report.objects.prefetch_related("events"):
        times = [e.at for e in report.events.all()]
        assert times == sorted(times), report
        assert times[0] == report.created_at
        assert report.incident_on <= timezone.localdate(report.created_at)
        if report.decided_at:
            assert report.created_at <= report.decided_at <= now
            assert report.decided_on == timezone.localdate(report.decided_at)
        if report.ended_at:
            assert report.ended_at <= now
    assert not MeritRecord.objects.filter(on__gt=today).exists()


def test_demo_receipt_numbers_follow_the_years_and_dates_with_no_gaps():
    seed()

    by_year: dict[int, list] = {}
    for report in Report.objects.order_by("created_at", "pk"):
        year = timezone.localtime(report.created_at).year
        assert report.receipt_no.startswith(f"R-{year}-"), report
        by_year.setdefault(year, []).append(int(report.receipt_no[-6:]))
    for year, numbers in by_year.items():
        assert numbers == list(range(1, len(numbers) + 1)), year
        assert NumberSequence.objects.filter(prefix="R").get(year=year).last == len(numbers)
    this_year = timezone.localdate().year
    with transaction.atomic():
        assert receipt_no_next(year=this_year) == f"R-{this_year}-{len(by_year[this_year]) + 1:06d}"


def test_the_demo_department_head_has_follow_up_due_overdue_and_done():
    seed()
    today = timezone.localdate()
    mine = Report.objects.filter(decided_department__code=organisation.DEMO_DEPARTMENT_CODE)
    waiting = mine.filter(status=Report.Status.SUBSTANTIATED)

    assert waiting.filter(measure_recorded_at__isnull=True, measure_due_on__lt=today).exists()
    assert waiting.filter(measure_recorded_at__isnull=True, measure_due_on__gte=today).exists()
    assert waiting.filter(measure_recorded_at__isnull=False, apology_due_on__gte=today).exists()
    assert waiting.filter(measure_recorded_at__isnull=False, apology_due_on__lt=today).exists()
    assert mine.filter(status=Report.Status.CLOSED).exists()
    for report in waiting:
        assert report.measure_due_on == report.decided_on + dt.timedelta(days=7)


def test_the_bureau_heads_encouragement_list_is_not_empty():
    seed()
    year = timezone.localdate().year
    chief = User.objects.get(username="demo-bureauhead").official
    praised = Counter(
        Report.objects.counted_praise()
        .filter(decided_on__year=year, official__department__bureau=chief.department.bureau)
        .values_list("official_id", flat=True)
    )

    assert sum(1 for n in praised.values() if n >= 2) >= report_plans.ENCOURAGED_OFFICIALS


def test_the_same_seed_gives_the_same_reports_in_an_empty_database():
    seed(2026)
    first = reports()
    wipe_demo_city()

    seed(2026)

    assert reports() == first


def test_running_again_adds_no_reports_even_with_another_seed():
    seed(2026)
    first = reports()

    output = seed(7)

    assert reports() == first
    assert str(len(first)) in output


def test_seeding_works_with_the_production_password_hasher(settings):
    # `make run` uses the default (PBKDF2) hasher for the demo logins; tracking secrets are
    # kept as keyed hashes whatever the password hasher, and the one shown tracks its report.
    from django.conf import global_settings

    from complaints.services import report_find_for_tracking

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    output = seed()
    receipt, secret = re.search(r"(R-\d{4}-\d{6})\D+([2-9A-Z]{10})", output).groups()
    assert report_find_for_tracking(receipt_no=receipt, secret=secret) is not None
