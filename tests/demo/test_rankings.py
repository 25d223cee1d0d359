"""`manage.py seed_demo` ends with rankings (demo/rankings.py): the demo city's last two
half-years, each with a published run, the one under way with a provisional run too.
Seeding takes seconds, so the module seeds once, in a transaction rolled back at its end;
each test runs inside it and is rolled back on its own."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from demo import rankings as demo_rankings
from kindness.models import Department
from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun
from surveys.models import PhoneSurvey, VisitSurvey

pytestmark = pytest.mark.django_db

Status = RankingRun.Status


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", seed=2026, force=True, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def seeded(demo_city):
    return demo_city


def demo_periods() -> list[Period]:
    codes = demo_rankings.demo_period_codes(timezone.localdate())
    return [Period.objects.get(code=code) for code in codes]


def test_the_demo_ranks_two_half_years_each_with_a_published_run_by_the_demo_manager(seeded):
    periods = demo_periods()
    assert len(periods) == 2
    assert Period.objects.count() == 2

    departments = Department.objects.filter(active=True).count()
    for period in periods:
        assert period.kind in (Period.Kind.FIRST_HALF, Period.Kind.SECOND_HALF)
        run = period.published_run()
        assert run is not None, period
        assert run.number == 1
        assert run.trigger == RankingRun.Trigger.DEMO
        assert run.published_by.username == "demo-manager"
        assert run.departments.count() == departments
        assert run.officials.count() > 200
        assert run.officials.filter(rank__isnull=False).count() > 100
        assert run.departments.filter(award=True).exists()
        assert run.officials.filter(encourage=True).exists()
        # Every component had data in the city, and every demo survey of the period counts.
        assert not run.notes
        visits = VisitSurvey.objects.filter(
            surveyed_on__range=(period.starts_on, period.ends_on), response_score__isnull=False
        )
        assert sum(run.departments.values_list("v_n", flat=True)) == visits.count() > 50
        calls = PhoneSurvey.objects.filter(called_on__range=(period.starts_on, period.ends_on))
        assert sum(run.departments.values_list("t_n", flat=True)) == calls.count() > 200
        assert f"Rankings {period.code}: run #1 published" in seeded


def test_an_ended_half_year_is_closed_and_the_one_under_way_has_a_provisional_run():
    today = timezone.localdate()
    earlier, later = demo_periods()

    assert earlier.ends_on < later.starts_on
    assert earlier.closed and earlier.ends_on < today
    assert list(earlier.runs.values_list("number", "status")) == [(1, Status.PUBLISHED)]
    if later.ends_on >= today:
        assert not later.closed
        assert list(later.runs.order_by("number").values_list("number", "status")) == [
            (1, Status.PUBLISHED),
            (2, Status.COMPLETED),
        ]
        published, provisional = later.runs.order_by("number")
        # Computed from the same data, the provisional run has the same scores.
        fields = ("code", "rank", "score", "v", "t", "h", "bonus", "deduction")
        assert list(provisional.departments.values_list(*fields)) == list(
            published.departments.values_list(*fields)
        )
        assert provisional.fingerprint == published.fingerprint


def test_the_rankings_differ_between_the_two_half_years():
    earlier, later = (period.published_run() for period in demo_periods())

    def standings(run):
        return list(run.departments.order_by("position").values_list("code", "score"))

    assert [code for code, _score in standings(earlier)] != [
        code for code, _score in standings(later)
    ]
    assert standings(earlier) != standings(later)
    officials = [
        list(
            run.officials.filter(rank__isnull=False)
            .order_by("position")
            .values_list("employee_no", "score")
        )
        for run in (earlier, later)
    ]
    assert officials[0] != officials[1]


def test_a_second_seed_adds_no_period_and_no_run(seeded):
    before = (
        Period.objects.count(),
        RankingRun.objects.count(),
        DepartmentScore.objects.count(),
        OfficialScore.objects.count(),
    )
    with translation.override("en"):
        output = seed()

    assert (
        Period.objects.count(),
        RankingRun.objects.count(),
        DepartmentScore.objects.count(),
        OfficialScore.objects.count(),
    ) == before
    codes = ", ".join(demo_rankings.demo_period_codes(timezone.localdate()))
    assert f"Rankings: the periods {codes} are already there; none added." in output


@pytest.mark.parametrize(
    ("today", "codes"),
    [
        (datetime.date(2026, 11, 28), ["2026-H1", "2026-H2"]),
        (datetime.date(2026, 7, 29), ["2026-H1", "2026-H2"]),
        # A half-year begun less than four weeks ago has too little data: the two before it.
        (datetime.date(2026, 7, 28), ["2025-H2", "2026-H1"]),
        (datetime.date(2027, 1, 1), ["2026-H1", "2026-H2"]),
        (datetime.date(2027, 3, 15), ["2026-H2", "2027-H1"]),
        (datetime.date(2027, 6, 30), ["2026-H2", "2027-H1"]),
    ],
)
def test_the_demo_periods_are_the_latest_half_years_with_enough_data(today, codes):
    assert demo_rankings.demo_period_codes(today) == codes
