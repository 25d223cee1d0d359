"""Helpers shared by the training tests."""

from __future__ import annotations

import datetime

from complaints.models import Report
from programme.models import TrainingSession
from surveys.models import HappyCall, Petition
from tests.factories import DepartmentFactory, ReportFactory, TrainingSessionFactory

Kind = TrainingSession.Kind
DAY = datetime.date(2026, 5, 11)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def make_session(kind=Kind.MIND, *, days=1, department=None, **extra) -> TrainingSession:
    return TrainingSessionFactory(
        kind=kind,
        title=extra.pop("title", "친절마인드 교육"),
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=days - 1),
        department=department,
        **extra,
    )


def published_report(**extra) -> Report:
    return ReportFactory(
        status=Report.Status.CLOSED,
        reporter_name="홍길동",
        reporter_phone="010-1234-5678",
        text="담당자 김철수가 반말을 했습니다.",
        official_name="김철수",
        published_summary="창구에서 설명 없이 서류를 돌려준 사례. 재발 방지 교육 실시.",
        decided_on=DAY,
        **extra,
    )


def flagged_call(
    *, voc="직원분이 끝까지 친절하게 안내해 주셨어요.", kind=True, unkind=False, official=None
) -> HappyCall:
    department = DepartmentFactory()
    petition = Petition.objects.create(
        petition_no=f"P-{HappyCall.objects.count() + 1}",
        title="주민등록 등본 발급 문의",
        department=department,
        petitioner_name="박민원",
        petitioner_phone="010-9876-5432",
        received_on=DAY,
        completed_on=DAY,
        channel="phone",
    )
    return HappyCall.objects.create(
        petition=petition,
        department=department,
        official=official,
        status=HappyCall.Status.COMPLETED,
        answered_on=DAY,
        voc=voc,
        kind_case=kind,
        unkind_case=unkind,
    )
