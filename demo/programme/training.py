"""The demo city's training sessions, their attendance and a case handout."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from kindness.models import EmploymentType, Official
from kindness.roles import Role
from programme.models import (
    ConsultationRequest,
    TrainingAttendance,
    TrainingSession,
)
from programme.training.selectors import handout_call_candidates, handout_report_candidates
from programme.training.services import handout_case_add, training_session_create

Kind = TrainingSession.Kind
Status = ConsultationRequest.Status


@dataclass(frozen=True)
class SessionPlan:
    kind: str
    title: str
    days_ago: int  # first day, counted back from today (negative: still to come)
    length: int = 1
    department: str = ""  # the name of a demo department (demo.organisation.ORGANISATION)
    place: str = "시청 대회의실"
    instructor: str = ""


# Share of each employment type attending a session of each kind (a workshop takes most of
# its own department instead). Support and fixed-term staff come less to the general
# sessions, so the coverage by employment type in the overview has something to show.
_TURNOUT: dict[str, dict[str, float]] = {
    Kind.MIND: {
        EmploymentType.REGULAR: 0.3,
        EmploymentType.FIXED_TERM: 0.08,
        EmploymentType.SUPPORT: 0.03,
    },
    Kind.SUPPORT_LECTURE: {EmploymentType.SUPPORT: 0.3},
    Kind.NON_REGULAR: {EmploymentType.FIXED_TERM: 0.35, EmploymentType.SUPPORT: 0.05},
    Kind.CASE_BASED: {EmploymentType.REGULAR: 0.06},
    Kind.WORKSHOP: {
        EmploymentType.REGULAR: 0.85,
        EmploymentType.FIXED_TERM: 0.5,
        EmploymentType.SUPPORT: 0.2,
    },
}

# Petition handlers of the demo city: most of 민원봉사과 comes to case-based training.
PETITION_DEPARTMENT = "민원봉사과"

DEMO_SESSIONS: tuple[SessionPlan, ...] = (
    SessionPlan(Kind.MIND, "친절마인드 향상 교육 (1기)", 330, instructor="한국친절교육원"),
    SessionPlan(Kind.WORKSHOP, "자치행정과 친절 워크숍", 300, 2, "자치행정과", "시민연수원"),
    SessionPlan(
        Kind.NON_REGULAR, "기간제 근로자 친절응대 교육", 270, instructor="인사과 교육훈련팀"
    ),
    SessionPlan(Kind.CASE_BASED, "민원 응대 사례 교육 (상반기)", 240, instructor="평가담당관실"),
    SessionPlan(Kind.MIND, "친절마인드 향상 교육 (2기)", 210, instructor="한국친절교육원"),
    SessionPlan(Kind.WORKSHOP, "복지정책과 친절 워크숍", 180, 1, "복지정책과", "복지관 세미나실"),
    SessionPlan(
        Kind.SUPPORT_LECTURE, "사무보조원·사회복무요원 특강: 첫 응대", 150, instructor="외부 강사"
    ),
    SessionPlan(Kind.WORKSHOP, "교통정책과 친절 워크숍", 120, 2, "교통정책과", "시민연수원"),
    SessionPlan(Kind.MIND, "친절마인드 향상 교육 (3기)", 90, instructor="한국친절교육원"),
    SessionPlan(Kind.WORKSHOP, "환경정책과 친절 워크숍", 60, 1, "환경정책과"),
    SessionPlan(Kind.CASE_BASED, "민원 응대 사례 교육 (하반기)", 30, instructor="평가담당관실"),
    SessionPlan(Kind.MIND, "친절마인드 향상 교육 (4기)", -14, instructor="한국친절교육원"),
    SessionPlan(Kind.WORKSHOP, "관광과 친절 워크숍", -21, 2, "관광과"),
)

HANDOUT_SESSION = "민원 응대 사례 교육 (하반기)"


@dataclass(frozen=True)
class TrainingSeed:
    sessions: int
    attendances: int
    handout_cases: int
    created: bool


def _weekday(day: dt.date) -> dt.date:
    """Sessions fall on working days: a weekend start moves to the Monday after."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def seed_training(
    rng: random.Random, *, organisation, logins, today: dt.date | None = None
) -> TrainingSeed:
    """A year of sessions of every kind, attendance for a good share of the officials (fewer
    support and fixed-term staff), and one case-based session with a handout of the demo's
    published cases and happy-call voices. Safe to repeat: sessions are found by title,
    attendance and handout cases already there are left alone."""
    today = today or timezone.localdate()
    manager = next((login.user for login in logins if login.role == Role.MANAGER), None)
    active = [o for o in organisation.officials if o.active]
    by_name = {d.name: d for d in organisation.departments.values()}
    existing = {
        s.title: s
        for s in TrainingSession.objects.filter(title__in=[p.title for p in DEMO_SESSIONS])
    }
    created = False
    sessions: dict[str, TrainingSession] = {}
    for plan in DEMO_SESSIONS:
        session = existing.get(plan.title)
        if session is None:
            starts_on = _weekday(today - dt.timedelta(days=plan.days_ago))
            department = by_name[plan.department] if plan.department else None
            session = training_session_create(
                kind=plan.kind,
                title=plan.title,
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=plan.length - 1),
                department=department,
                place=plan.place,
                instructor=plan.instructor,
                handout_intro=(
                    "실제 접수된 불친절 사례와 해피콜 고객의 소리를 바탕으로, 같은 상황에서 "
                    "어떻게 응대할지 조별로 토론합니다."
                    if plan.kind == Kind.CASE_BASED
                    else ""
                ),
                by=manager,
            )
            created = True
        sessions[plan.title] = session

    present = set(
        TrainingAttendance.objects.filter(session__in=sessions.values()).values_list(
            "session_id", "official_id"
        )
    )
    new_attendance = []
    for plan in DEMO_SESSIONS:
        session = sessions[plan.title]
        # The draw happens for every session on every run, so a re-seed plans the same city.
        chosen = [o for o in active if rng.random() < _turnout(plan, o)]
        if session.ends_on >= today:
            continue  # still to come: nobody has attended yet
        new_attendance += [
            TrainingAttendance(
                session=session,
                official=o,
                department_id=o.department_id,
                employment_type=o.employment_type,
                recorded_by=manager,
            )
            for o in chosen
            if (session.pk, o.pk) not in present
        ]
    TrainingAttendance.objects.bulk_create(new_attendance, batch_size=500)

    handout_session = sessions[HANDOUT_SESSION]
    notes = (
        "무엇이 민원인을 화나게 했는지, 첫 30초에 무엇을 달리할 수 있었는지 토론",
        "칭찬받은 응대에서 배울 점을 한 문장으로 정리",
        "같은 상황을 역할극으로 다시 해 보기",
    )
    # Chosen once: a re-seed leaves the handout as the first run (or a manager) made it.
    if not handout_session.handout.exists():
        for report in handout_report_candidates()[:3]:
            handout_case_add(session=handout_session, report=report, note=rng.choice(notes))
        for flag in ("unkind_case", "kind_case"):
            for call in handout_call_candidates().filter(**{flag: True})[:2]:
                handout_case_add(session=handout_session, happy_call=call, note=rng.choice(notes))

    return TrainingSeed(
        sessions=len(sessions),
        attendances=TrainingAttendance.objects.filter(session__in=sessions.values()).count(),
        handout_cases=handout_session.handout.count(),
        created=created,
    )


def _turnout(plan: SessionPlan, official: Official) -> float:
    if plan.kind == Kind.WORKSHOP:
        if official.department.name != plan.department:
            return 0.0
    elif plan.kind == Kind.CASE_BASED and official.department.name == PETITION_DEPARTMENT:
        return 0.9
    return _TURNOUT[plan.kind].get(official.employment_type, 0.0)
