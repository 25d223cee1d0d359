"""The demo city's kindness initiatives: a year of plans, progress notes and assessments."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from kindness.roles import Role
from programme.models import (
    ConsultationRequest,
    Initiative,
    InitiativeNote,
    TrainingSession,
)

Kind = TrainingSession.Kind
Status = ConsultationRequest.Status


DEMO_TITLES = (
    "전화 응대 333 생활화",
    "첫 인사 먼저 하기 운동",
    "민원인 눈높이 설명서 만들기",
    "부재 중 전화 대신 받기 약속",
    "찾아가는 친절 상담의 날",
    "민원 처리 결과 먼저 알려드리기",
    "어르신 민원 동행 안내",
    "쉬운 말 쓰기 실천",
    "대기 시간 줄이기 번호표 안내",
    "칭찬 릴레이로 서로 격려하기",
)
DEMO_STRENGTHS = (
    "현장 경험이 많은 직원이 많아 설명이 정확함",
    "팀 간 협업이 잘 되어 민원 이관이 빠름",
    "전화 응대 교육 참여율이 높음",
)
DEMO_WEAKNESSES = (
    "점심시간과 퇴근 무렵 전화 연결이 늦음",
    "전문 용어를 그대로 써서 설명이 어렵다는 의견이 있음",
    "부재 중 전화를 동료가 받는 비율이 낮음",
)
DEMO_ACTIONS = (
    "매월 첫 주 친절 점검의 날 운영, 팀별 우수 사례 공유",
    "자주 묻는 민원 안내문을 쉬운 말로 다시 쓰기",
    "부재 시 착신 전환과 메모 전달 절차 정비",
)
DEMO_PROGRESS = (
    "1분기 팀별 점검 결과를 공유했습니다.",
    "안내문 12종을 쉬운 말로 고쳐 배부했습니다.",
    "착신 전환 설정을 전 직원 전화기에 마쳤습니다.",
    "해피콜 만족도 결과를 과 회의에서 함께 보았습니다.",
)
DEMO_COMMENTS = (
    "실천 항목이 구체적입니다. 분기별 성과 지표를 함께 적어 주세요.",
    "다른 부서에 소개할 만한 사례입니다.",
    "부재 중 전화 대응 결과를 수치로 보여 주시면 좋겠습니다.",
)
DEMO_OUTCOMES = (
    "전화 친절도 조사 점수가 지난해보다 올랐고 불친절 신고가 줄었습니다.",
    "민원 안내문 개선 후 재문의 전화가 눈에 띄게 줄었습니다.",
)
# Share of departments with an initiative in each demo year: most, never all, so the year
# view's list of departments without one is never empty.
DEMO_SHARE = 0.8


@dataclass(frozen=True)
class InitiativeSeed:
    created: int
    existing: int


def seed_initiatives(rng: random.Random, *, organisation, logins) -> InitiativeSeed:
    """Initiatives of this year and last year for most (not all) demo departments, with
    progress updates and managers' comments; last year's mostly assessed, a few of this
    year's. The demo department head's department has one this year, not yet assessed.
    Seeded once: if any initiative exists, nothing is written."""
    existing = Initiative.objects.count()
    if existing:
        return InitiativeSeed(created=0, existing=existing)
    from demo.organisation import DEMO_DEPARTMENT_CODE

    manager = next((login.user for login in logins if login.role == Role.MANAGER), None)
    this_year = timezone.localdate().year
    created = 0
    for year in (this_year - 1, this_year):
        finished = year < this_year
        for code, department in organisation.departments.items():
            own = code == DEMO_DEPARTMENT_CODE
            if not own and rng.random() > DEMO_SHARE:
                continue
            head = organisation.department_heads.get(code)
            author = head.user if head is not None else None
            initiative = Initiative.objects.create(
                department=department,
                year=year,
                title=rng.choice(DEMO_TITLES),
                description=f"{department.name}의 {year}년 친절 시책입니다. "
                "민원인이 다시 찾고 싶은 부서를 목표로 합니다.",
                strengths=rng.choice(DEMO_STRENGTHS),
                weaknesses=rng.choice(DEMO_WEAKNESSES),
                actions=rng.choice(DEMO_ACTIONS),
                outcome=rng.choice(DEMO_OUTCOMES) if finished else "",
                created_by=author,
            )
            created += 1
            last_day = dt.date(year, 12, 20) if finished else timezone.localdate()
            day = min(dt.date(year, 2, 1) + dt.timedelta(days=rng.randint(0, 40)), last_day)
            _demo_dated(initiative, "created_at", day)
            for text in rng.sample(DEMO_PROGRESS, rng.randint(1, 3)):
                day = min(day + dt.timedelta(days=rng.randint(20, 90)), last_day)
                note = InitiativeNote.objects.create(
                    initiative=initiative, kind=InitiativeNote.Kind.PROGRESS, text=text, by=author
                )
                _demo_dated(note, "at", day)
            if rng.random() < 0.5:
                day = min(day + dt.timedelta(days=rng.randint(3, 20)), last_day)
                note = InitiativeNote.objects.create(
                    initiative=initiative,
                    kind=InitiativeNote.Kind.COMMENT,
                    text=rng.choice(DEMO_COMMENTS),
                    by=manager,
                )
                _demo_dated(note, "at", day)
            assess = (finished and rng.random() < 0.85) or (
                not finished and not own and rng.random() < 0.15
            )
            if assess:
                grade = rng.choices(Initiative.Assessment.values, weights=(3, 5, 3, 1))[0]
                Initiative.objects.filter(pk=initiative.pk).update(
                    assessment=grade,
                    assessment_note=rng.choice(DEMO_COMMENTS),
                    assessed_by=manager,
                    assessed_at=_noon(min(day + dt.timedelta(days=7), last_day)),
                )
    return InitiativeSeed(created=created, existing=0)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def _demo_dated(row, field_name: str, day: dt.date) -> None:
    # auto_now_add fields take the moment of the write; the demo backdates them in place.
    type(row).objects.filter(pk=row.pk).update(**{field_name: _noon(day)})
