"""What a run reads (`scoring.inputs`): one grouped statement per survey table giving the
department and the official totals together, exact sums, and the fingerprint from the same
rows."""

import datetime
from fractions import Fraction

import pytest

from kindness.models import Bureau, Department, Official
from scoring import rules
from scoring.inputs import fingerprint_of, inputs_collect
from scoring.services import period_create
from scoring.tallying import Tally
from tests.conftest import require_service, using_postgresql
from tests.scoring.test_small_city import call, happy, report, visit


def test_tally_sums_exactly_over_one_common_denominator():
    tally = Tally(rules.exact)
    tally.add(1, 83.33333333333333, 3)  # 250/3 each
    tally.add(1, 0.1, 1)
    tally.add(2, 76.425, 2)
    tally.add(None, 50.0, 4)  # no owner: counts for the city only
    per, city = tally.totals()
    assert per[1] == rules.Aggregate(Fraction(250) + Fraction(1, 10), 4)
    assert per[2] == rules.Aggregate(Fraction(76425, 500), 2)
    assert None not in per
    assert city == rules.Aggregate(Fraction(250) + Fraction(1, 10) + Fraction(76425, 500) + 200, 10)


def test_an_empty_tally_is_an_empty_city():
    per, city = Tally(rules.exact).totals()
    assert per == {} and city == rules.Aggregate()


@pytest.fixture
def city(db):
    bureau = Bureau.objects.create(name="가국")
    d1 = Department.objects.create(code="D1", name="총무과", bureau=bureau)
    d2 = Department.objects.create(code="D2", name="세무과", bureau=bureau)
    o1 = Official.objects.create(
        employee_no="E01", name="김가", department=d1, employment_type="regular"
    )
    o2 = Official.objects.create(
        employee_no="E02", name="이나", department=d1, employment_type="regular"
    )
    o3 = Official.objects.create(
        employee_no="E03", name="박다", department=d2, employment_type="regular"
    )
    on = datetime.date(2025, 3, 1)
    call(o1, on, 80, answered_by=o1)
    call(o1, on, 70, answered_by=o2)  # covered by a colleague: counts for the colleague
    call(o1, on)  # unanswered: 0 for the department, nothing for anyone
    call(o3, on, 90, answered_by=o3)
    call(o3, datetime.date(2025, 7, 1), 10, answered_by=o3)  # outside the period
    happy(o1, on, 4, 5)
    happy(o3, on, 3, None)  # no kindness answer: the department's only
    visit(d2, on, 4)
    visit(d2, on, None)  # no item answered: not read
    report(1, "praise", "verified", d1, datetime.date(2025, 5, 1), o1)
    report(2, "unkind", "substantiated", d2, datetime.date(2025, 5, 2), o3)
    report(3, "unkind", "substantiated", d2, datetime.date(2025, 8, 2), o3)
    return period_create(code="2025-H1"), (d1, d2), (o1, o2, o3)


@pytest.mark.django_db(transaction=True)
def test_one_statement_per_survey_table_gives_departments_and_officials(
    city, django_assert_num_queries, settings
):
    # Outside any transaction, as a worker runs it: on PostgreSQL the read opens its own
    # REPEATABLE READ snapshot with more work_mem (BEGIN, two settings and COMMIT more).
    # Read one table after the other here, so that every statement is on this connection.
    settings.SCORING_PARALLEL_READ = False
    period, (d1, d2), (o1, o2, o3) = city
    # visits, calls, happy-calls, counted reports, then reports/officials/departments for
    # the fingerprint.
    from django.db import connection

    with django_assert_num_queries(7 + (4 if connection.vendor == "postgresql" else 0)):
        inputs = inputs_collect(period)

    t = inputs.department["t"]
    assert t[d1.pk] == rules.Aggregate(Fraction(150), 3)  # the unanswered call as 0
    assert t[d2.pk] == rules.Aggregate(Fraction(90), 1)
    assert inputs.official["t"] == {
        o1.pk: rules.Aggregate(Fraction(80), 1),
        o2.pk: rules.Aggregate(Fraction(70), 1),
        o3.pk: rules.Aggregate(Fraction(90), 1),
    }
    assert inputs.official_city["t"] == rules.Aggregate(Fraction(240), 3)
    assert set(inputs.department["h"]) == {d1.pk, d2.pk}
    assert inputs.official["h"] == {o1.pk: rules.Aggregate(Fraction(100), 1)}
    assert inputs.department["v"] == {d2.pk: rules.Aggregate(Fraction(75), 1)}
    assert dict(inputs.department_praise) == {d1.pk: ["R-2025-000001"]}
    assert dict(inputs.official_praise) == {o1.pk: ["R-2025-000001"]}
    # A first half has no deduction window: unkindness counts for individuals only.
    assert dict(inputs.department_unkind) == {}
    assert dict(inputs.official_unkind) == {o3.pk: ["R-2025-000002"]}

    read = fingerprint_of(period, inputs)
    assert read["phone_surveys"]["rows"] == 4  # the call of July is not read
    assert read["visit_surveys"]["rows"] == 1
    assert read["happy_calls"]["rows"] == 2
    assert read["reports"]["rows"] == 3 and read["departments"]["rows"] == 2


@pytest.mark.django_db
def test_unkindness_counts_for_departments_over_the_window_for_officials_over_the_period(city):
    _first_half, (_d1, d2), (_o1, _o2, o3) = city
    second_half = period_create(code="2025-H2")  # deduction window: the whole year
    inputs = inputs_collect(second_half)
    assert dict(inputs.department_unkind) == {d2.pk: ["R-2025-000002", "R-2025-000003"]}
    assert dict(inputs.official_unkind) == {o3.pk: ["R-2025-000003"]}
    assert dict(inputs.department_praise) == {}


@pytest.mark.django_db(transaction=True)
def test_the_parallel_read_shares_one_snapshot_and_equals_the_serial_read(city, settings):
    """On PostgreSQL the three survey tables are read on three more connections importing
    the run's snapshot: a row written after the snapshot is taken is seen by none."""
    require_service(using_postgresql(), "the parallel read needs PostgreSQL (DATABASE_URL)")
    period, (d1, _d2), (o1, _o2, _o3) = city
    settings.SCORING_PARALLEL_READ = False
    serial = inputs_collect(period)
    settings.SCORING_PARALLEL_READ = True
    assert inputs_collect(period) == serial

    # A call stored by another connection right after the snapshot is exported, before
    # the survey connections start: they must not see it.
    import threading

    from django.db import connection

    def export_then_a_new_call(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "pg_export_snapshot" in sql:
            writer = threading.Thread(target=_store_call, args=(o1,))
            writer.start()
            writer.join()
        return result

    with connection.execute_wrapper(export_then_a_new_call):
        parallel = inputs_collect(period)
    assert parallel == serial
    after = inputs_collect(period)
    assert after.sources["phone_surveys"]["rows"] == serial.sources["phone_surveys"]["rows"] + 1
    assert after.official["t"][o1.pk].n == serial.official["t"][o1.pk].n + 1


def _store_call(official):
    from django.db import connection

    try:
        call(official, datetime.date(2025, 3, 2), 60, answered_by=official)
    finally:
        connection.close()
