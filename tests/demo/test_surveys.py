"""`manage.py seed_demo` fills the happy-call centre and the outside surveys (demo/petitions.py, demo/surveys.py).
Each seed costs seconds: every test seeds once (the rerun test three times) and checks much
(the check_* helpers are parts of the tests that seed)."""

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone, translation

from complaints.models import Report
from demo import petition_plans, sampling
from demo import surveys as demo_surveys
from kindness.models import Department, Official, ProgrammeSettings
from surveys import rules
from surveys.models import (
    CallAttempt,
    CallCentreAgent,
    Channel,
    HappyCall,
    HappyCallAnswer,
    Petition,
    PhoneScorecard,
    PhoneSurvey,
    VisitSurvey,
)

pytestmark = pytest.mark.django_db

Status = HappyCall.Status
Outcome = CallAttempt.Outcome


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The real hasher costs over half a second per demo user; hashing is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(number: int = 2026) -> str:
    out = io.StringIO()
    call_command("seed_demo", seed=number, force=True, stdout=out)
    return out.getvalue()


def every_tenth(queryset):
    rows = list(queryset)
    assert rows
    return rows[::10]


def test_a_year_of_petitions_spread_over_the_departments():
    output = seed()
    today = timezone.localdate()
    petitions = list(Petition.objects.select_related("official"))

    assert len(petitions) == petition_plans.PETITIONS
    assert "1500" in output
    for p in petitions:
        assert re.fullmatch(rf"P{p.received_on.year}-\d{{6}}", p.petition_no), p
        assert re.fullmatch(r"010-0000-\d{4}", p.petitioner_phone), p
        assert re.fullmatch(r"[가-힣]{3}", p.petitioner_name), p
        assert today - dt.timedelta(days=366) <= p.received_on < p.completed_on <= today, p
        assert 1 <= (p.completed_on - p.received_on).days <= 20, p
        assert p.channel in Channel.values
        assert p.official.active and p.official.department_id == p.department_id, p
        assert p.official.position not in ("국장", "과장"), p
    # Numbered in the order received, from 1 in each year.
    by_year: dict[int, list[tuple]] = {}
    for p in sorted(petitions, key=lambda p: p.petition_no):
        by_year.setdefault(p.received_on.year, []).append((p.received_on, int(p.petition_no[-6:])))
    for rows in by_year.values():
        assert [n for _day, n in rows] == list(range(1, len(rows) + 1))
        assert [day for day, _n in rows] == sorted(day for day, _n in rows)
    # Every department has petitions, the front-line ones the most.
    per_department = Counter(
        p.department.name for p in Petition.objects.select_related("department")
    )
    assert set(per_department) == set(Department.objects.values_list("name", flat=True))
    assert per_department.most_common(1)[0][0] in ("민원봉사과", "교통정책과")
    assert per_department["민원봉사과"] > 5 * per_department["인사과"]
    assert {p.title for p in petitions if p.department.name == "민원봉사과"} <= set(
        petition_plans.DEPARTMENT_PETITIONS["민원봉사과"][1]
    )
    assert len({p.received_on.month for p in petitions}) == 12
    assert set(Counter(p.channel for p in petitions)) == set(Channel.values)
    assert 0 < Petition.objects.filter(contact=Petition.Contact.WRITTEN).count() < 100


def test_happy_calls_for_the_petitions_completed_before_the_call_window():
    output = seed()
    today = timezone.localdate()
    window = ProgrammeSettings.load().call_window_days
    since = today - dt.timedelta(days=window - 1)
    caller = CallCentreAgent.objects.select_related("user").get(user__username="demo-happycall")

    assert caller.on_duty
    old = Petition.objects.filter(completed_on__lt=since)
    # Every older petition was dealt with by the call desk, and none is still queued.
    assert not old.filter(happy_call__isnull=True).exists()
    statuses = Counter(HappyCall.objects.filter(petition__in=old).values_list("status", flat=True))
    assert 900 <= statuses[Status.COMPLETED] <= 1100
    assert statuses[Status.UNREACHABLE] > 100
    assert statuses[Status.REFUSED] > 20
    assert statuses[Status.WRITTEN] > 0
    assert statuses[Status.QUEUED] == 0
    assert re.search(rf"\b{statuses[Status.COMPLETED]}\D", output)

    # The call window's petitions were left to the queue builder, which gave them to the
    # demo call desk today.
    recent = Petition.objects.filter(completed_on__gte=since)
    queued = HappyCall.objects.filter(petition__in=recent, status=Status.QUEUED)
    assert 20 <= queued.count() == recent.filter(happy_call__status=Status.QUEUED).count()
    assert set(queued.values_list("assigned_to", flat=True)) == {caller.user_id}
    assert set(queued.values_list("queued_on", flat=True)) == {today}
    assert not CallAttempt.objects.filter(call__petition__in=recent).exists()
    assert re.search(rf"\b{queued.count()}\D", output)

    calls = HappyCall.objects.filter(petition__in=old).prefetch_related("attempts", "answers__item")
    attempts_needed = Counter()
    for call in calls.select_related("petition"):
        attempts = list(call.attempts.all())
        outcomes = [a.outcome for a in attempts]
        assert call.department_id == call.petition.department_id
        assert call.official_id == call.petition.official_id
        assert call.queued_on > call.petition.completed_on
        assert [a.at for a in attempts] == sorted(a.at for a in attempts)
        assert all(a.by_id == caller.user_id for a in attempts)
        assert all(timezone.localdate(a.at) >= call.queued_on for a in attempts)
        assert all(timezone.localtime(a.at).hour in range(9, 18) for a in attempts)
        if attempts:
            assert call.closed_at == attempts[-1].at
        if call.status == Status.COMPLETED:
            assert outcomes[-1] == Outcome.ANSWERED
            assert set(outcomes[:-1]) <= {Outcome.NO_ANSWER, Outcome.BUSY}
            attempts_needed[len(attempts)] += 1
            assert call.answered_on == timezone.localdate(call.closed_at) < today
            assert call.answered_by_id == caller.user_id
            assert call.questionnaire.code == "happy-call"
            answers = {a.item.key: a.value for a in call.answers.all()}
            assert list(answers) == ["speed", "clarity", "kindness", "result", "overall"]
            assert call.kindness_answer == answers["kindness"]
        elif call.status == Status.UNREACHABLE:
            assert outcomes in (
                [Outcome.WRONG_NUMBER],
                *(
                    [a, b, c]
                    for a in (Outcome.NO_ANSWER, Outcome.BUSY)
                    for b in (Outcome.NO_ANSWER, Outcome.BUSY)
                    for c in (Outcome.NO_ANSWER, Outcome.BUSY)
                ),
            )
        elif call.status == Status.REFUSED:
            assert outcomes in ([], [Outcome.REFUSED]) or outcomes[-1] == Outcome.REFUSED
        else:  # written: the queue closed it at once
            assert outcomes == []
            assert call.petition.contact == Petition.Contact.WRITTEN
    assert set(attempts_needed) == {1, 2, 3}
    assert attempts_needed[1] > attempts_needed[2] > attempts_needed[3]

    check_happy_call_answers_scores_and_cases()


def check_happy_call_answers_scores_and_cases():
    completed = HappyCall.objects.filter(status=Status.COMPLETED).order_by("pk")

    for call in every_tenth(completed.prefetch_related("answers__item")):
        values = [a.value for a in sorted(call.answers.all(), key=lambda a: a.item.order)]
        assert call.response_score == rules.response_score(values)
    assert HappyCallAnswer.objects.filter(value__isnull=True).exists()
    assert not HappyCallAnswer.objects.exclude(value=None).exclude(value__in=range(1, 6)).exists()
    # A few answered no item at all: they have no score.
    silent = completed.filter(response_score__isnull=True)
    assert 0 < silent.count() < 30
    for call in silent:
        assert not call.answers.exclude(value__isnull=True).exists()
    # Mostly satisfied.
    values = Counter(HappyCallAnswer.objects.exclude(value=None).values_list("value", flat=True))
    assert values[5] > values[4] > values[3] > values[1]
    assert completed.exclude(voc="").count() > 200

    # Three kindness and three unkindness cases, each with its report (source: happy-call),
    # the other calls without flags or reports.
    kind = completed.filter(kind_case=True)
    unkind = completed.filter(unkind_case=True)
    assert kind.count() == unkind.count() == petition_plans.CASES
    assert not kind.filter(unkind_case=True).exists()
    for call in kind:
        assert call.kind_report.kind == Report.Kind.PRAISE
        assert call.kind_report.source == Report.Source.HAPPY_CALL
        assert call.kind_report.official_id == call.official_id
        assert call.official.name in call.voc
        assert call.unkind_report is None
    for call in unkind:
        assert call.unkind_report.kind == Report.Kind.UNKIND
        assert call.unkind_report.text == call.voc
        assert call.kindness_answer == 1
    others = HappyCall.objects.filter(kind_case=False, unkind_case=False)
    assert not others.filter(kind_report__isnull=False).exists()
    assert not others.filter(unkind_report__isnull=False).exists()
    assert (
        Report.objects.filter(source=Report.Source.HAPPY_CALL).count() == 2 * petition_plans.CASES
    )


def check_visitor_reception_surveys():
    today = timezone.localdate()
    surveys = list(VisitSurvey.objects.order_by("survey_id"))

    assert len(surveys) == demo_surveys.VISIT_SURVEYS
    assert [s.survey_id for s in surveys] == [f"V{n:05d}" for n in range(1, len(surveys) + 1)]
    assert [s.surveyed_on for s in surveys] == sorted(s.surveyed_on for s in surveys)
    assert all(today - dt.timedelta(days=366) <= s.surveyed_on < today for s in surveys)
    assert len({s.department_id for s in surveys}) > 20
    blanks = 0
    for s in surveys:
        values = [getattr(s, item) for item in VisitSurvey.ITEMS]
        assert all(v is None or 1 <= v <= 5 for v in values), s
        assert s.response_score == rules.response_score(values), s
        blanks += values.count(None)
    assert 0 < blanks < len(surveys)


def check_telephone_mystery_calls():
    today = timezone.localdate()
    scorecard = PhoneScorecard.objects.get(active=True)
    card = rules.Scorecard(
        **{field: getattr(scorecard, field) for field in rules.Scorecard.__dataclass_fields__}
    )
    calls = PhoneSurvey.objects.select_related("target", "answered_by").order_by("call_id")
    n = calls.count()

    assert n == demo_surveys.PHONE_SURVEYS
    assert [c.call_id for c in calls] == [f"C{i:05d}" for i in range(1, n + 1)]
    unanswered = calls.filter(answered_by__isnull=True)
    covered = calls.filter(covered=True)
    assert 0.05 * n <= unanswered.count() <= 0.11 * n
    assert 0.04 * n <= covered.count() <= 0.10 * n
    for call in unanswered:
        assert not call.answered and not call.covered
        assert call.score == 0
        assert call.compliant_333 is None
        assert call.rings is call.duration_s is call.hangup_wait_s is call.tone is None
    for call in covered:
        assert call.answered
        assert call.answered_by != call.target
        assert call.answered_by.department_id == call.target.department_id
        assert call.answered_by.active
    assert not calls.filter(answered=True, covered=False).exclude(answered_by=F("target")).exists()

    seoul = sampling.SEOUL
    for call in every_tenth(calls):
        assert call.department_id == call.target.department_id
        assert call.target.active and call.target.position not in ("국장", "과장")
        assert call.scorecard == scorecard
        local = call.called_at.astimezone(seoul)
        assert call.called_on == local.date() < today
        assert local.weekday() < 5 and local.hour in (9, 10, 11, 13, 14, 15, 16, 17)
        phone_call = rules.PhoneCall(
            answered=call.answered,
            rings=call.rings,
            duration_s=call.duration_s,
            hangup_wait_s=call.hangup_wait_s,
            greeting_with_name=call.greeting_with_name,
            tone=call.tone,
            accuracy=call.accuracy,
            closing_greeting=call.closing_greeting,
        )
        assert call.score == pytest.approx(rules.phone_score(phone_call, card))
        assert call.compliant_333 == rules.compliant_333(phone_call, card)
        if call.answered:
            assert 1 <= call.rings <= 5
            assert 30 <= call.duration_s <= 300
            assert 0 <= call.hangup_wait_s <= 6
            assert 1 <= call.tone <= 5 and 1 <= call.accuracy <= 5
            assert call.greeting_with_name in (True, False)
    answered = calls.filter(answered=True)
    assert 0.2 < answered.filter(compliant_333=True).count() / answered.count() < 0.8
    # Every active official below the heads is called four or five times.
    per_target = Counter(calls.values_list("target_id", flat=True))
    targets = Official.objects.filter(active=True).exclude(position__in=("국장", "과장"))
    assert set(per_target) == set(targets.values_list("pk", flat=True))
    assert set(per_target.values()) <= {4, 5}


def test_visitor_reception_and_telephone_surveys_score_by_the_rules():
    seed()

    check_visitor_reception_surveys()
    check_telephone_mystery_calls()


def snapshot() -> dict[str, list]:
    """What the seed decides about the surveys, by natural key."""
    return {
        "petitions": list(
            Petition.objects.order_by("petition_no").values_list(
                "petition_no",
                "title",
                "department__code",
                "official__employee_no",
                "petitioner_name",
                "petitioner_phone",
                "received_on",
                "completed_on",
                "channel",
                "contact",
            )
        ),
        "calls": [
            # The queue builder closes the call window's written and refused calls now.
            (*row[:3], row[3] if row[2] < timezone.localdate() else None, *row[4:])
            for row in HappyCall.objects.order_by("petition__petition_no").values_list(
                "petition__petition_no",
                "status",
                "queued_on",
                "closed_at",
                "assigned_to__username",
                "answered_on",
                "response_score",
                "kindness_answer",
                "voc",
                "kind_case",
                "unkind_case",
            )
        ],
        "attempts": list(
            CallAttempt.objects.order_by("call__petition__petition_no", "at").values_list(
                "call__petition__petition_no", "at", "outcome"
            )
        ),
        "answers": list(
            HappyCallAnswer.objects.order_by(
                "call__petition__petition_no", "item__order"
            ).values_list("call__petition__petition_no", "item__key", "value")
        ),
        "visits": list(VisitSurvey.objects.order_by("survey_id").values()),
        "phones": list(
            PhoneSurvey.objects.order_by("call_id").values_list(
                "call_id",
                "target__employee_no",
                "answered_by__employee_no",
                "called_at",
                "rings",
                "duration_s",
                "hangup_wait_s",
                "tone",
                "accuracy",
                "score",
                "covered",
            )
        ),
    }


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Petition,
            HappyCall,
            HappyCallAnswer,
            CallAttempt,
            CallCentreAgent,
            VisitSurvey,
            PhoneSurvey,
            Report,
        )
    }


def wipe_surveys() -> None:
    from programme.models import TrainingSession

    TrainingSession.objects.all().delete()  # case handouts point at happy-calls
    PhoneSurvey.objects.all().delete()
    VisitSurvey.objects.all().delete()
    HappyCall.objects.all().delete()  # with their answers and attempts
    Petition.objects.all().delete()


def test_a_second_run_adds_nothing_and_the_same_seed_gives_the_same_surveys():
    seed(2026)
    first, before = snapshot(), counts()

    with translation.override("en"):
        output = seed(2026)

    assert counts() == before
    assert snapshot() == first
    assert "Petitions and surveys: the demo's are already there; none added." in output
    assert CallCentreAgent.objects.get(user__username="demo-happycall").on_duty

    wipe_surveys()
    CallCentreAgent.objects.update(on_duty=False)
    seed(2026)

    again = snapshot()
    for key, rows in first.items():
        if key == "visits":  # primary keys and import times differ
            rows = [{k: v for k, v in r.items() if k not in ("id", "imported_at")} for r in rows]
            again[key] = [
                {k: v for k, v in r.items() if k not in ("id", "imported_at")} for r in again[key]
            ]
        assert again[key] == rows, key
    assert CallCentreAgent.objects.get(user__username="demo-happycall").on_duty
