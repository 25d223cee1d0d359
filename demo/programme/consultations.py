"""The demo city's expert consultation room: experts, slots and requests."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

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
    TrainingSession,
)

Kind = TrainingSession.Kind
Status = ConsultationRequest.Status


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
