"""The demo city's programme records (SPEC section 6) for seed_demo: a year of kindness
initiatives, training sessions with attendance and a case handout, and the expert
consultation room's experts, slots and requests. Each builder draws from a stream of its own.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from kindness.models import EmploymentType, Official
from kindness.roles import Role
from programme.consultations.services import (
    consultation_cancel,
    consultation_confirm,
    consultation_request_submit,
    slot_create,
)
from programme.models import (
    ConsultationRequest,
    ConsultationSlot,
    Expert,
    Initiative,
    InitiativeNote,
    TrainingAttendance,
    TrainingSession,
)
from programme.training.selectors import handout_call_candidates, handout_report_candidates
from programme.training.services import handout_case_add, training_session_create

Kind = TrainingSession.Kind
Status = ConsultationRequest.Status


# ---------------------------------------------------------------------------- initiatives


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


# ---------------------------------------------------------------------------- training


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


# ---------------------------------------------------------------------------- consultations


DEMO_EXPERTS: tuple[tuple[str, str], ...] = (
    ("김세무", "세무·지방세"),
    ("이노무", "노무·임금체불"),
    ("박법률", "생활법률·임대차"),
)
DEMO_TOPICS: tuple[str, ...] = (
    "전세 계약 만료 후 보증금 반환 문의",
    "아르바이트 임금 체불 상담",
    "재산세 감면 대상 여부",
    "상가 임대차 갱신 거절",
    "기초연금 수급과 근로소득",
    "부모님 상속 절차",
    "퇴직금 계산 방법",
    "자동차세 체납 분납",
)
# Demo residents' phones are in the block 010-0000-9xxx, which no carrier gives out.
DEMO_PHONE = "010-0000-9"
DEMO_ROOM = "시청 본관 1층 전문가 상담실"


@dataclass(frozen=True)
class ConsultationSeed:
    experts: int
    slots: int
    requests: int


def seed_consultations(rng: random.Random, *, organisation, logins) -> ConsultationSeed:
    """Experts with hourly slots over the past and coming weeks, and requests in every state,
    handled by the demo report officer. Experts are found by name; slots and requests are
    seeded once (when the demo experts have no slot yet) and left alone afterwards."""
    from demo.names import name_maker
    from kindness.roles import Role

    experts = []
    for name, field in DEMO_EXPERTS:
        expert, _created = Expert.objects.update_or_create(
            name=name, defaults={"field": field, "active": True}
        )
        experts.append(expert)
    if ConsultationSlot.objects.filter(expert__in=experts).exists():
        return _seed_counts(experts)

    officer = next(login.user for login in logins if login.role == Role.REPORT_OFFICER)
    now = timezone.now()
    today = timezone.localdate()
    slots: list[ConsultationSlot] = []
    # Each expert holds two afternoons a week, from three weeks ago to four weeks ahead.
    for index, expert in enumerate(experts):
        for week in range(-3, 5):
            for weekday in (index, index + 2):
                day = today + dt.timedelta(weeks=week, days=weekday - today.weekday())
                for hour in (14, 15, 16):
                    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
                    slots.append(
                        slot_create(
                            expert=expert,
                            starts_at=starts,
                            ends_at=starts + dt.timedelta(minutes=50),
                            place=DEMO_ROOM,
                        )
                    )
    past = [s for s in slots if s.ends_at < now]
    future = [s for s in slots if s.starts_at > now]
    rng.shuffle(past)
    rng.shuffle(future)

    new_name = name_maker(rng, taken=(o.name for o in organisation.officials))
    serial = iter(range(1000))
    groups = [g for g in ConsultationRequest.PriorityGroup.values if g]

    def submit(preferred_on: dt.date) -> ConsultationRequest:
        n = next(serial)
        return consultation_request_submit(
            topic=rng.choice(DEMO_TOPICS),
            details="구체적인 상황은 상담 때 말씀드리겠습니다.",
            preferred_on=max(preferred_on, today),
            preferred_time=rng.choice(ConsultationRequest.TimeOfDay.values),
            preferred_note=rng.choice(["", "평일 오후 3시 이후", "화요일 제외"]),
            priority_group=rng.choice(groups) if rng.random() < 0.35 else "",
            name=new_name(),
            phone=f"{DEMO_PHONE}{n:03d}",
            email=f"resident{n}@example.com" if rng.random() < 0.5 else "",
        )

    # Waiting and confirmed requests go through the services as a resident and staff would.
    for _i in range(6):
        submit(today + dt.timedelta(days=rng.randint(1, 20)))
    for slot in future[:5]:
        consultation = submit(timezone.localdate(slot.starts_at))
        consultation_confirm(consultation=consultation, slot=slot, by=officer)
    for _i in range(2):
        consultation_cancel(
            consultation=submit(today + dt.timedelta(days=3)),
            by=officer,
            reason="민원인 요청으로 취소",
        )
    # Held and missed consultations lie in the past, where no service can put them (a past
    # date is refused): they are filed now, booked directly and dated back.
    outcomes = [Status.DONE] * 8 + [Status.NO_SHOW] * 2
    for slot, result in zip(past, outcomes, strict=False):
        consultation = submit(today)
        received = slot.starts_at - dt.timedelta(days=rng.randint(3, 10))
        ConsultationRequest.objects.filter(pk=consultation.pk).update(
            preferred_on=timezone.localdate(slot.starts_at),
            status=result,
            slot=slot,
            handler=officer,
            confirmed_at=received + dt.timedelta(days=1),
            outcome="관련 제도와 신청 절차를 안내함." if result == Status.DONE else "",
            ended_at=slot.ends_at,
            created_at=received,
        )
    return _seed_counts(experts)


def _seed_counts(experts: Iterable[Expert]) -> ConsultationSeed:
    experts = list(experts)
    return ConsultationSeed(
        experts=len(experts),
        slots=ConsultationSlot.objects.filter(expert__in=experts).count(),
        requests=ConsultationRequest.objects.filter(phone__startswith=DEMO_PHONE).count(),
    )
