"""A small city computed by hand, every number of every row (SPEC section 5).

Organisation
  bureau 가국: D1 총무과, D2 세무과          bureau 나국: D9 민원과, D10 민원과 (same name)
  E01 김가 D1 · E02 이나 D1 · E03 박다 D2 · E04 최라 D9, transferred to D1 after the
  first-half events · E05 정마 D10 inactive, with data in H1 only · E06 한바 D2 inactive,
  no data (never a row) · E07 오사 D10 active, no data in H1.

2025-H1 uses the default rule set (k 5; V .3 T .4 H .3; +0.5 per praise up to 5; no
deduction window; individuals T .6 H .4, +1 per praise up to 5, −3 per unkindness report,
at least 3 responses for a rank; award rank ≤ 3, encouragement rank ≤ 10).

2025-H2 uses rule set v2 (same weights and k; +2 per praise up to 3 for departments and
individuals; −40 per unkindness report for both; award rank ≤ 1, encouragement rank ≤ 1, a
rank from 1 response), so that the caps and the clamp at 0 show with a handful of rows.
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from kindness.models import Bureau, Department, Official
from kindness.services import official_assignment_record
from scoring import compute as scoring_compute
from scoring import score_rows
from scoring.exports import to_csv
from scoring.inputs import inputs_collect
from scoring.models import Period, RankingRun, RuleSet
from scoring.selectors.explanations import breakdown_of
from scoring.services import period_create, run_execute, run_request
from surveys.models import HappyCall, Petition, PhoneScorecard, PhoneSurvey, VisitSurvey
from surveys.rules import response_score
from tests.factories import ReportFactory

D = Decimal
SEOUL = datetime.timezone(datetime.timedelta(hours=9))
ids = itertools.count(1)


def day(month: int, d: int, year: int = 2025) -> datetime.date:
    return datetime.date(year, month, d)


def visit(department, on, answer):
    """A visitor survey with every item answered `answer` (None: no item answered)."""
    items = [answer] * 5
    VisitSurvey.objects.create(
        survey_id=f"V{next(ids)}",
        department=department,
        surveyed_on=on,
        greeting=answer,
        attitude=answer,
        explanation=answer,
        waiting=answer,
        overall=answer,
        response_score=response_score(items),
    )


def call(target, on, score=0, *, answered_by=None):
    """A mystery call to `target`, stored with the target's department at the call."""
    PhoneSurvey.objects.create(
        call_id=f"C{next(ids)}",
        target=target,
        answered_by=answered_by,
        department=target.department,
        called_at=datetime.datetime.combine(on, datetime.time(10, 0), tzinfo=SEOUL),
        called_on=on,
        scorecard=PhoneScorecard.objects.first(),
        score=score if answered_by else 0,
        answered=answered_by is not None,
        covered=answered_by is not None and answered_by != target,
    )


def happy(official, on, answer, kindness):
    """A happy-call on a petition `official` handled: four items answered `answer`, the
    kindness item `kindness` (None: not answered)."""
    n = next(ids)
    petition = Petition.objects.create(
        petition_no=f"P{n}",
        title="민원",
        department=official.department,
        official=official,
        received_on=on - datetime.timedelta(days=9),
        completed_on=on - datetime.timedelta(days=2),
        channel="visit",
    )
    HappyCall.objects.create(
        petition=petition,
        call_id=f"H{n}",
        status=HappyCall.Status.COMPLETED,
        department=petition.department,
        official=official,
        answered_on=on,
        response_score=response_score([answer, answer, kindness, answer, answer]),
        kindness_answer=kindness,
    )


def report(no, kind, status, department, decided_on=None, official=None, decided_department=None):
    return ReportFactory(
        receipt_no=f"R-2025-{no:06d}",
        kind=kind,
        status=status,
        department=department,
        official=official,
        decided_on=decided_on,
        decided_department=decided_department or (department if decided_on else None),
        incident_on=(decided_on or day(6, 1)) - datetime.timedelta(days=3),
    )


def receipt(no):
    return f"R-2025-{no:06d}"


@dataclass
class City:
    h1: Period
    h2: Period


@pytest.fixture
def city(db) -> City:
    ga, na = Bureau.objects.create(name="가국"), Bureau.objects.create(name="나국")
    d1 = Department.objects.create(code="D1", name="총무과", bureau=ga)
    d2 = Department.objects.create(code="D2", name="세무과", bureau=ga)
    d9 = Department.objects.create(code="D9", name="민원과", bureau=na)
    d10 = Department.objects.create(code="D10", name="민원과", bureau=na)

    def official(no, name, department, active=True):
        return Official.objects.create(
            employee_no=no,
            name=name,
            department=department,
            active=active,
            employment_type="regular",
        )

    o1 = official("E01", "김가", d1)
    o2 = official("E02", "이나", d1)
    o3 = official("E03", "박다", d2)
    o4 = official("E04", "최라", d9)
    o5 = official("E05", "정마", d10, active=False)
    official("E06", "한바", d2, active=False)
    o7 = official("E07", "오사", d10)

    # --- first half ---------------------------------------------------------------------
    # Visitor surveys: D1 100 (on the last day), 100, 50; D9 75; D10 75; D2 none.
    visit(d1, day(6, 30), 5)
    visit(d1, day(2, 3), 5)
    visit(d1, day(3, 4), 3)
    visit(d9, day(4, 5), 4)
    visit(d10, day(4, 6), 4)
    visit(d1, day(5, 7), None)  # no item answered: counts nowhere
    visit(d2, day(12, 31, 2024), 1)  # the day before the period
    # Calls: D1 o1 80 (first day), 90, 70 and one unanswered (0); o2 80, 90.
    call(o1, day(1, 1), 80, answered_by=o1)
    call(o1, day(2, 2), 90, answered_by=o1)
    call(o1, day(3, 3), 70, answered_by=o1)
    call(o1, day(3, 4))
    call(o2, day(2, 5), 80, answered_by=o2)
    call(o2, day(2, 6), 90, answered_by=o2)
    # D2: o3's phone answered by o2 (70: D2's and o2's), and one nobody answered (0).
    call(o3, day(4, 1), 70, answered_by=o2)
    call(o3, day(4, 2))
    # D9: o4 60, 60. D10: o5 60, 60.
    call(o4, day(5, 1), 60, answered_by=o4)
    call(o4, day(5, 2), 60, answered_by=o4)
    call(o5, day(5, 3), 60, answered_by=o5)
    call(o5, day(5, 4), 60, answered_by=o5)
    # Happy-calls (response score; kindness answer).
    happy(o3, day(3, 1), 5, 5)  # D2 100; o3 100
    happy(o3, day(3, 2), 5, 5)  # D2 100; o3 100
    happy(o3, day(3, 3), 3, 3)  # D2 50; o3 50
    happy(o4, day(3, 4), 4, 4)  # D9 75; o4 75
    happy(o5, day(3, 5), 4, None)  # D10 75; nobody's kindness answer
    happy(o1, day(3, 6), 3, None)  # D1 50; nobody's kindness answer
    happy(o2, day(3, 7), None, None)  # nothing answered: counts nowhere
    # Reports.
    report(1, "praise", "verified", d2, day(2, 10), o3)
    report(2, "praise", "shared", d2, day(3, 10), o3)
    report(3, "praise", "received", d2, None, o3)  # not counted
    report(4, "praise", "rejected", d2, day(3, 12), o3)  # not counted
    report(5, "praise", "verified", d1, day(4, 1))  # no official: D1 only
    report(6, "unkind", "substantiated", d2, day(5, 2), o3)  # o3 in H1; D2 in H2's window
    report(7, "unkind", "closed", d9, day(5, 20), o4)  # o4 in H1; D9 in H2's window
    report(8, "unkind", "not_substantiated", d1, day(4, 10), o1)  # not counted
    report(9, "praise", "verified", d1, day(12, 20, 2024), o2)  # before both periods
    report(10, "unkind", "substantiated", d10, day(6, 15))  # no official: D10 in H2's window
    # Praise of o4: the resident named D10, verified while o4 was in D9: D9's.
    report(11, "praise", "verified", d10, day(6, 1), o4, decided_department=d9)
    report(12, "praise", "shared", d10, day(6, 2), o5)
    report(18, "unkind", "substantiated", d1, day(11, 1, 2024), o1)  # before both windows
    report(19, "unkind", "under_review", d1, None, o2)  # not counted

    # o4 moves to D1: what happened in D9 stays in D9.
    o4.department = d1
    o4.save()
    official_assignment_record(
        official=o4, department=d1, team=None, on=day(7, 1), previous_department_id=d9.pk
    )

    # --- second half: no visitor survey anywhere --------------------------------------
    call(o1, day(7, 1), 90, answered_by=o1)  # D1
    call(o2, day(8, 1), 90, answered_by=o2)  # D1
    call(o4, day(9, 1), 70, answered_by=o4)  # D1 now
    call(o3, day(10, 1), 80, answered_by=o3)  # D2
    call(o7, day(11, 1))  # D10, unanswered: 0
    happy(o3, day(8, 2), 5, 5)  # D2 100; o3 100
    happy(o7, day(8, 3), 3, 3)  # D10 50; o7 50
    report(13, "praise", "verified", d1, day(8, 1), o1)
    report(14, "praise", "shared", d1, day(9, 1), o1)
    report(16, "unkind", "closed", d10, day(10, 1), o7)
    report(17, "unkind", "substantiated", d10, day(11, 1), o7)
    report(20, "unkind", "not_substantiated", d10, day(11, 2), o7)  # not counted
    visit(d1, day(1, 2, 2026), 5)  # after the period

    h1 = period_create(code="2025-H1")
    v2 = RuleSet.objects.create(
        version=2,
        name="H2 test rules",
        praise_bonus=D(2),
        praise_cap=D(3),
        unkind_deduction=D(40),
        official_praise_bonus=D(2),
        official_praise_cap=D(3),
        official_unkind_deduction=D(40),
        award_count=1,
        encourage_count=1,
        minimum_responses=1,
    )
    h2 = period_create(code="2025-H2", rule_set=v2)
    return City(h1=h1, h2=h2)


def compute(period) -> RankingRun:
    run = run_request(period=period, trigger=RankingRun.Trigger.COMMAND, send=False)
    run = run_execute(run.pk)
    assert run.status == RankingRun.Status.COMPLETED, run.error
    return run


def department_rows(run):
    return [
        (
            d.code,
            d.rank,
            d.bureau_rank,
            d.award,
            d.score,
            d.v,
            d.t,
            d.h,
            d.v_n,
            d.t_n,
            d.h_n,
            d.bonus,
            d.deduction,
            d.praise_count,
            d.unkind_count,
        )
        for d in run.departments.order_by("position")
    ]


def official_rows(run):
    return [
        (
            o.employee_no,
            o.rank,
            o.encourage,
            o.insufficient,
            o.score,
            o.t,
            o.h,
            o.t_n,
            o.h_n,
            o.bonus,
            o.deduction,
            o.praise_count,
            o.unkind_count,
            o.department.code,
            o.department_name,
            o.bureau_name,
        )
        for o in run.officials.order_by("position")
    ]


# --- first half --------------------------------------------------------------------------
#
# City means (all scored responses, not means of departments):
#   V = (100 + 100 + 50 + 75 + 75) / 5 = 400 / 5 = 80
#   T = (80 + 90 + 70 + 0 + 80 + 90 | 70 + 0 | 60 + 60 | 60 + 60) / 12 = 720 / 12 = 60
#   H = (50 | 100 + 100 + 50 | 75 | 75) / 6 = 450 / 6 = 75
#
# D1: V' = (250 + 5·80) / (3 + 5) = 650 / 8 = 81.25
#     T' = (410 + 5·60) / (6 + 5) = 710 / 11 = 64.5454…
#     H' = (50 + 5·75) / (1 + 5) = 425 / 6 = 70.8333…
#     base = 0.3·81.25 + 0.4·710/11 + 0.3·425/6 = 24.375 + 25.8181… + 21.25 = 71.4431…
#     + 0.5 (R5, no official) = 71.9431… → 71.94
# D2: V' = 80 (no data)
#     T' = (70 + 300) / 7 = 52.857…   (o2's cover of o3's phone counts for D2)
#     H' = (250 + 375) / 8 = 78.125 → 78.13 (half up)
#     base = 24 + 21.142857… + 23.4375 = 68.580357…; + 2 × 0.5 (R1 verified, R2 shared;
#     R3 received and R4 rejected do not count) = 69.580357… → 69.58; R6 substantiated
#     but a first half has no deduction window.
# D9: V' = (75 + 400) / 6 = 79.1666…; T' = (120 + 300) / 7 = 60; H' = (75 + 375) / 6 = 75
#     base = 23.75 + 24 + 22.5 = 70.25; + 0.5 (R11, stored at D9) = 70.75
# D10: the same responses as D9: 70.25 + 0.5 (R12) = 70.75; R10 has no window here.
#
# Ranks: D1 71.94 → 1; D9 and D10 70.75 → 2 and 2, listed D10 before D9 (same name, codes
# by code point: "D10" < "D9"); D2 69.58 → 4 (3 skipped). Award: ranks ≤ 3, so D1, D10
# and D9 but not D2. In bureau 가국: D1 1, D2 2; in 나국: D10 1, D9 1.

H1_DEPARTMENTS = [
    (
        "D1",
        1,
        1,
        True,
        D("71.94"),
        D("81.25"),
        D("64.55"),
        D("70.83"),
        3,
        6,
        1,
        D("0.50"),
        D("0.00"),
        1,
        0,
    ),
    (
        "D10",
        2,
        1,
        True,
        D("70.75"),
        D("79.17"),
        D("60.00"),
        D("75.00"),
        1,
        2,
        1,
        D("0.50"),
        D("0.00"),
        1,
        0,
    ),
    (
        "D9",
        2,
        1,
        True,
        D("70.75"),
        D("79.17"),
        D("60.00"),
        D("75.00"),
        1,
        2,
        1,
        D("0.50"),
        D("0.00"),
        1,
        0,
    ),
    (
        "D2",
        4,
        2,
        False,
        D("69.58"),
        D("80.00"),
        D("52.86"),
        D("78.13"),
        0,
        2,
        3,
        D("1.00"),
        D("0.00"),
        2,
        0,
    ),
]

# Individuals: city T over answered calls = (240 | 240 | 120 | 120) / 10 = 72;
# city H over kindness answers = (100 + 100 + 50 + 75) / 4 = 81.25.
#   E01 T' = (240 + 360) / 8 = 75, H' = 81.25 (no data): 0.6·75 + 0.4·81.25 = 77.5
#       (R8 not substantiated does not count; R18 is before the period)
#   E02 T' = (80 + 90 + 70 covered) → 75, H' 81.25: 77.5 — tied with E01, listed by name
#       (김 U+AE40 before 이 U+C774)
#   E03 T' = 72 (no data), H' = (250 + 406.25) / 8 = 82.03125: 43.2 + 32.8125 = 76.0125;
#       + 2 (R1, R2) − 3 (R6) = 75.0125 → 75.01
#   E04 T' = (120 + 360) / 7 = 68.571…, H' = (75 + 406.25) / 6 = 80.208…:
#       41.142857… + 32.083333… = 73.226190…; + 1 (R11) − 3 (R7) = 71.226… → 71.23;
#       listed in D1 (where E04 is now), the events stay D9's
#   E05 inactive, 2 responses (insufficient): 41.142857… + 32.5 + 1 (R12) = 74.642… → 74.64
#   E07 active, no data (insufficient): 0.6·72 + 0.4·81.25 = 43.2 + 32.5 = 75.70
#   E06 inactive without data: no row.
# Ranks: E01 1, E02 1, E03 3, E04 4; then the unranked by name: 오사 (U+C624) before 정마.

H1_OFFICIALS = [
    (
        "E01",
        1,
        True,
        False,
        D("77.50"),
        D("75.00"),
        D("81.25"),
        3,
        0,
        D("0.00"),
        D("0.00"),
        0,
        0,
        "D1",
        "총무과",
        "가국",
    ),
    (
        "E02",
        1,
        True,
        False,
        D("77.50"),
        D("75.00"),
        D("81.25"),
        3,
        0,
        D("0.00"),
        D("0.00"),
        0,
        0,
        "D1",
        "총무과",
        "가국",
    ),
    (
        "E03",
        3,
        True,
        False,
        D("75.01"),
        D("72.00"),
        D("82.03"),
        0,
        3,
        D("2.00"),
        D("3.00"),
        2,
        1,
        "D2",
        "세무과",
        "가국",
    ),
    (
        "E04",
        4,
        True,
        False,
        D("71.23"),
        D("68.57"),
        D("80.21"),
        2,
        1,
        D("1.00"),
        D("3.00"),
        1,
        1,
        "D1",
        "총무과",
        "가국",
    ),
    (
        "E07",
        None,
        False,
        True,
        D("75.70"),
        D("72.00"),
        D("81.25"),
        0,
        0,
        D("0.00"),
        D("0.00"),
        0,
        0,
        "D10",
        "민원과",
        "나국",
    ),
    (
        "E05",
        None,
        False,
        True,
        D("74.64"),
        D("68.57"),
        D("81.25"),
        2,
        0,
        D("1.00"),
        D("0.00"),
        1,
        0,
        "D10",
        "민원과",
        "나국",
    ),
]


def test_first_half_departments_match_the_hand_computation(city):
    run = compute(city.h1)
    assert department_rows(run) == H1_DEPARTMENTS
    assert run.notes == []
    assert run.rules["version"] == 1


def test_first_half_officials_match_the_hand_computation(city):
    run = compute(city.h1)
    assert official_rows(run) == H1_OFFICIALS


def test_first_half_breakdown_keeps_every_number_and_the_reports_behind_them(city):
    run = compute(city.h1)
    d2 = run.departments.get(code="D2").breakdown
    assert d2["components"]["v"] == {
        "mean": None,
        "n": 0,
        "city_mean": 80.0,
        "adjusted": 80.0,
        "weight": 0.3,
        "no_data": True,
        "left_out": False,
        "flag": None,  # no responses: no mark against the city
    }
    assert d2["components"]["h"]["mean"] == pytest.approx(250 / 3)
    assert d2["components"]["h"]["adjusted"] == 78.125
    assert d2["components"]["t"]["city_mean"] == 60.0
    assert d2["praise"] == [receipt(1), receipt(2)]
    assert d2["unkind"] == []
    assert d2["final"] == pytest.approx(69.580357142857)
    e03 = breakdown_of(run.officials.get(employee_no="E03"))
    assert e03["praise"] == [receipt(1), receipt(2)]
    assert e03["unkind"] == [receipt(6)]
    assert e03["components"]["h"]["city_mean"] == 81.25
    assert e03["components"]["t"]["no_data"] is True
    assert run.departments.get(code="D9").breakdown["praise"] == [receipt(11)]
    assert run.departments.get(code="D1").breakdown["praise"] == [receipt(5)]


@pytest.mark.parametrize("half", ["h1", "h2"])
def test_official_rows_are_lean_and_their_breakdown_is_built_from_the_tallies(city, half):
    """An official's row stores no breakdown; the one built from the run's tallies holds
    the numbers the run worked out, as the exact fraction scorer gives them."""
    period = getattr(city, half)
    run = compute(period)
    inputs = inputs_collect(period)
    settings_used = scoring_compute.RunRules.from_stored(run.rules)
    scorer = settings_used.official_scorer(inputs.official_city)
    assert run.city["officials"] == score_rows.official_pools(inputs)
    rows = list(run.officials.select_related("run"))
    assert rows and all(row.breakdown == {} for row in rows)
    for row in rows:
        own = {name: inputs.official[name].get(row.official_id) for name in ("t", "h")}
        praise = inputs.official_praise.get(row.official_id, [])
        unkind = inputs.official_unkind.get(row.official_id, [])
        exact = scorer(own, len(praise), len(unkind))
        assert exact.rounded == row.score
        assert breakdown_of(row) == score_rows.breakdown_json(exact, praise, unkind, {})
        assert breakdown_of(row)["final"] == float(exact.final)


def test_an_official_row_that_keeps_its_breakdown_is_shown_as_stored(city):
    """Official rows of runs computed before rows went lean keep their stored breakdown."""
    run = compute(city.h1)
    row = run.officials.select_related("run").get(employee_no="E03")
    built = breakdown_of(row)
    stored = {**built, "final": 12.5}  # what an older run could have written
    type(row).objects.filter(pk=row.pk).update(breakdown=stored)
    row.refresh_from_db()
    assert breakdown_of(row) == stored != built


# --- second half (rule set v2) -----------------------------------------------------------
#
# No visitor survey in the whole city: V is left out, wT = 0.4 / 0.7 = 4/7, wH = 3/7.
# City T = (90 + 90 + 70 | 80 | 0) / 5 = 330 / 5 = 66; city H = (100 | 50) / 2 = 75.
# D1: T' = (250 + 330) / 8 = 72.5 (E04's call is D1's now), H' = 75 (no data)
#     base = (4·72.5 + 3·75) / 7 = 515 / 7 = 73.5714…; bonus min(2 × 2, 3) = 3 → 76.57
# D2: T' = (80 + 330) / 6 = 68.333…, H' = (100 + 375) / 6 = 79.1666…
#     base = (4·410 + 3·475) / 42 = 3065 / 42 = 72.976…; − 40 (R6, decided in the first
#     half, in the whole-year window) = 32.976… → 32.98
# D9: T' = 66, H' = 75 (no data for either): (264 + 225) / 7 = 69.857…; − 40 (R7) → 29.86
# D10: T' = (0 + 330) / 6 = 55, H' = (50 + 375) / 6 = 70.8333…
#     base = (220·6 + 1275) / 42 = 2595 / 42 = 61.785…; − 3 × 40 (R10 without an official,
#     R16 closed, R17; R20 not substantiated) = −58.2… → clamped to 0.00
# Ranks 1-4 in that order; award only rank 1 (v2); bureau 가국 D1 1, D2 2; 나국 D9 1, D10 2.

H2_DEPARTMENTS = [
    (
        "D1",
        1,
        1,
        True,
        D("76.57"),
        None,
        D("72.50"),
        D("75.00"),
        0,
        3,
        0,
        D("3.00"),
        D("0.00"),
        2,
        0,
    ),
    (
        "D2",
        2,
        2,
        False,
        D("32.98"),
        None,
        D("68.33"),
        D("79.17"),
        0,
        1,
        1,
        D("0.00"),
        D("40.00"),
        0,
        1,
    ),
    (
        "D9",
        3,
        1,
        False,
        D("29.86"),
        None,
        D("66.00"),
        D("75.00"),
        0,
        0,
        0,
        D("0.00"),
        D("40.00"),
        0,
        1,
    ),
    (
        "D10",
        4,
        2,
        False,
        D("0.00"),
        None,
        D("55.00"),
        D("70.83"),
        0,
        1,
        1,
        D("0.00"),
        D("120.00"),
        0,
        3,
    ),
]

# Individuals: city T = (90 + 90 + 70 + 80) / 4 = 82.5; city H = (100 + 50) / 2 = 75.
#   E01 T' = (90 + 412.5) / 6 = 83.75, H' 75: 50.25 + 30 = 80.25; + min(2 × 2, 3) = 83.25
#   E03 T' = (80 + 412.5) / 6 = 82.0833…, H' = (100 + 375) / 6 = 79.1666…:
#       (295.5 + 190) / 6 = 80.91666… → 80.92; R6 was decided in H1: no deduction here
#   E02 T' = 83.75, H' 75: 80.25
#   E04 T' = (70 + 412.5) / 6 = 80.41666…, H' 75: 48.25 + 30 = 78.25; R7 was in H1
#   E07 T' = 82.5 (no data: the call was unanswered), H' = (50 + 375) / 6 = 70.8333…:
#       49.5 + 28.333… = 77.833…; − 2 × 40 (R16, R17) → clamped to 0.00
#   E05 inactive with no data this half, E06 inactive: no rows.
# Encouragement only rank 1 (v2).

H2_OFFICIALS = [
    (
        "E01",
        1,
        True,
        False,
        D("83.25"),
        D("83.75"),
        D("75.00"),
        1,
        0,
        D("3.00"),
        D("0.00"),
        2,
        0,
        "D1",
        "총무과",
        "가국",
    ),
    (
        "E03",
        2,
        False,
        False,
        D("80.92"),
        D("82.08"),
        D("79.17"),
        1,
        1,
        D("0.00"),
        D("0.00"),
        0,
        0,
        "D2",
        "세무과",
        "가국",
    ),
    (
        "E02",
        3,
        False,
        False,
        D("80.25"),
        D("83.75"),
        D("75.00"),
        1,
        0,
        D("0.00"),
        D("0.00"),
        0,
        0,
        "D1",
        "총무과",
        "가국",
    ),
    (
        "E04",
        4,
        False,
        False,
        D("78.25"),
        D("80.42"),
        D("75.00"),
        1,
        0,
        D("0.00"),
        D("0.00"),
        0,
        0,
        "D1",
        "총무과",
        "가국",
    ),
    (
        "E07",
        5,
        False,
        False,
        D("0.00"),
        D("82.50"),
        D("70.83"),
        0,
        1,
        D("0.00"),
        D("80.00"),
        0,
        2,
        "D10",
        "민원과",
        "나국",
    ),
]


def test_second_half_departments_match_the_hand_computation(city):
    run = compute(city.h2)
    assert department_rows(run) == H2_DEPARTMENTS
    assert run.rules["version"] == 2


def test_second_half_officials_match_the_hand_computation(city):
    run = compute(city.h2)
    assert official_rows(run) == H2_OFFICIALS


def test_a_component_the_whole_city_lacks_is_left_out_and_the_run_says_so(city):
    with translation.override("en"):
        run = compute(city.h2)
    assert len(run.notes) == 1
    assert "visitor survey (V)" in run.notes[0] and "left out" in run.notes[0]
    components = run.departments.get(code="D1").breakdown["components"]
    assert components["v"]["left_out"] is True and components["v"]["weight"] == 0
    assert components["v"]["adjusted"] is None and components["v"]["city_mean"] is None
    assert components["t"]["weight"] == pytest.approx(4 / 7)
    assert components["h"]["weight"] == pytest.approx(3 / 7)


def test_second_half_deduction_window_takes_the_whole_year_for_departments_only(city):
    run = compute(city.h2)
    assert run.departments.get(code="D2").breakdown["unkind"] == [receipt(6)]
    assert run.departments.get(code="D9").breakdown["unkind"] == [receipt(7)]
    assert run.departments.get(code="D10").breakdown["unkind"] == [
        receipt(10),
        receipt(16),
        receipt(17),
    ]
    assert breakdown_of(run.officials.get(employee_no="E03"))["unkind"] == []
    assert breakdown_of(run.officials.get(employee_no="E04"))["unkind"] == []
    assert breakdown_of(run.officials.get(employee_no="E07"))["unkind"] == [
        receipt(16),
        receipt(17),
    ]


def test_export_of_the_small_city_follows_section_7(city):
    run = compute(city.h1)
    lines = to_csv(run).splitlines()
    assert lines[0] == (
        "level,rank,bureau_rank,code,name,bureau,score,v,t,h,bonus,deduction,n_v,n_t,n_h,"
        "rank_low,rank_high"
    )
    # The rank interval closes each ranked row (checked in test_intervals); here the rest.
    for line in lines[1:]:
        rank, low, high = line.split(",")[1], *line.split(",")[-2:]
        assert (low, high) == ("", "") if rank == "" else 1 <= int(low) <= int(high)
    lines = [line.rsplit(",", 2)[0] for line in lines]
    assert lines[1:] == [
        "department,1,1,D1,총무과,가국,71.94,81.25,64.55,70.83,0.50,0.00,3,6,1",
        "department,2,1,D10,민원과,나국,70.75,79.17,60.00,75.00,0.50,0.00,1,2,1",
        "department,2,1,D9,민원과,나국,70.75,79.17,60.00,75.00,0.50,0.00,1,2,1",
        "department,4,2,D2,세무과,가국,69.58,80.00,52.86,78.13,1.00,0.00,0,2,3",
        "official,1,,E01,김가,가국,77.50,,75.00,81.25,0.00,0.00,,3,0",
        "official,1,,E02,이나,가국,77.50,,75.00,81.25,0.00,0.00,,3,0",
        "official,3,,E03,박다,가국,75.01,,72.00,82.03,2.00,3.00,,0,3",
        "official,4,,E04,최라,가국,71.23,,68.57,80.21,1.00,3.00,,2,1",
        "official,,,E07,오사,나국,75.70,,72.00,81.25,0.00,0.00,,0,0",
        "official,,,E05,정마,나국,74.64,,68.57,81.25,1.00,0.00,,2,0",
    ]
    h2 = [line.rsplit(",", 2)[0] for line in to_csv(compute(city.h2)).splitlines()]
    assert h2[1] == "department,1,1,D1,총무과,가국,76.57,,72.50,75.00,3.00,0.00,0,3,0"
    assert h2[4] == "department,4,2,D10,민원과,나국,0.00,,55.00,70.83,0.00,120.00,0,1,1"


def test_an_official_inactive_without_data_gets_no_row_and_one_with_data_does(city):
    h1, h2 = compute(city.h1), compute(city.h2)
    assert not h1.officials.filter(employee_no="E06").exists()
    assert h1.officials.filter(employee_no="E05").exists()
    assert not h2.officials.filter(employee_no="E05").exists()
