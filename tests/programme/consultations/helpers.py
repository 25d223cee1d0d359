"""Helpers shared by the consultation room's tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from programme.consultations import services
from programme.models import ConsultationRequest, ConsultationSlot

Status = ConsultationRequest.Status
NEW = "/consultations/new/"
LIST = "/staff/consultations/"
EXPERTS = "/staff/consultations/experts/"
NAME, PHONE, EMAIL = "홍길동", "010-1234-5678", "hong@example.com"
MASKED_NAME, MASKED_PHONE = "홍*동", "010-****-5678"


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def at(days: int, hour: int = 14, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def form_data(**changes) -> dict:
    data = {
        "topic": "전세 보증금 반환 문의",
        "details": "계약이 끝났는데 보증금을 돌려받지 못했습니다.",
        "preferred_on": tomorrow().isoformat(),
        "preferred_time": "afternoon",
        "preferred_note": "평일 오후 3시 이후",
        "priority_group": "low_income",
        "name": NAME,
        "phone": "01012345678",
        "email": EMAIL,
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def submit(**changes) -> ConsultationRequest:
    fields = {
        "topic": "퇴직금 계산",
        "preferred_on": tomorrow(),
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
    }
    fields.update(changes)
    return services.consultation_request_submit(**fields)


def refreshed(obj):
    return type(obj).objects.get(pk=obj.pk)


def detail(consultation: ConsultationRequest, action: str = "") -> str:
    return f"{LIST}{consultation.receipt_no}/" + (f"{action}/" if action else "")


def sign_in(client, make_user, role, **kwargs):
    user = make_user(role, **kwargs)
    client.force_login(user)
    client.user = user
    return client


def started(slot: ConsultationSlot) -> None:
    """Move a slot into the past: only then can its outcome be recorded."""
    ConsultationSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() - dt.timedelta(minutes=10),
    )
