"""Helpers shared by the tests of the rankings' public pages: rows stored as real data,
computed and published with the services."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

from scoring import services
from scoring.models import Period, RankingRun
from surveys.models import HappyCall, Petition, PhoneScorecard, PhoneSurvey, VisitSurvey
from tests.factories import ReportFactory

SEOUL = ZoneInfo("Asia/Seoul")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def visit(department, day: datetime.date, score: float) -> None:
    VisitSurvey.objects.create(
        survey_id=f"V{VisitSurvey.objects.count() + 1:05d}",
        department=department,
        surveyed_on=day,
        overall=int(score / 25) + 1,
        response_score=score,
    )


def call(target, day: datetime.date, score: float, *, answered: bool = True) -> None:
    PhoneSurvey.objects.create(
        call_id=f"C{PhoneSurvey.objects.count() + 1:05d}",
        target=target,
        answered_by=target if answered else None,
        department=target.department,
        called_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=SEOUL),
        called_on=day,
        scorecard=PhoneScorecard.objects.first(),
        score=score,
        answered=answered,
        covered=False,
    )


def happy_call(official, day: datetime.date, score: float, kindness: int | None) -> None:
    number = Petition.objects.count() + 1
    petition = Petition.objects.create(
        petition_no=f"P{number:05d}",
        title="민원",
        department=official.department,
        official=official,
        received_on=day,
        completed_on=day,
        channel="phone",
    )
    HappyCall.objects.create(
        petition=petition,
        call_id=f"H{number:05d}",
        status=HappyCall.Status.COMPLETED,
        department=official.department,
        official=official,
        answered_on=day,
        response_score=score,
        kindness_answer=kindness,
    )


def report(kind: str, status: str, official, day: datetime.date, text: str):
    return ReportFactory(
        kind=kind,
        status=status,
        department=official.department,
        official=official,
        decided_department=official.department,
        decided_on=day,
        incident_on=day,
        text=text,
        reporter_name="홍길동",
        reporter_phone="010-9876-5432",
    )


def compute(code: str) -> RankingRun:
    run = services.run_request(
        period=Period.objects.get(code=code), trigger=RankingRun.Trigger.COMMAND, send=False
    )
    run = services.run_execute(run.pk)
    assert run.status == RankingRun.Status.COMPLETED, run.error
    return run


def publish(run: RankingRun) -> RankingRun:
    return services.run_publish(run=run, user=None)


def department_lines(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text))][1:]
