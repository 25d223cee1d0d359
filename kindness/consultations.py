"""The expert consultation room of SPEC section 6: residents ask for a consultation with a
specialist, staff offer experts' slots, confirm one, tell the resident and record how it went.
Personal data is masked and erased as in SPEC section 8.

Services (every write, `noun_verb`, keyword-only, raising ConsultationError with a message for
people), selectors (the reads the pages share), retention, and the demo data of seed_demo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from complaints.retention import years_before
from kindness.models import (
    ConsultationRequest,
    ConsultationSlot,
    Expert,
    OutboxMessage,
    ProgrammeSettings,
)
from kindness.outbox import outbox_add
from kindness.privacy import mask_email, mask_name, mask_phone

Status = ConsultationRequest.Status
HANDLE = "kindness.handle_consultation"
VIEW = "kindness.view_consultationrequest"
NUMBER_ATTEMPTS = 5


class ConsultationError(Exception):
    """A change the request's or slot's state does not allow; the message is for people."""


# ---------------------------------------------------------------------------- numbers


def consultation_no_format(year: int, number: int) -> str:
    return f"C-{year}-{number:06d}"


def _consultation_no_next(year: int) -> str:
    """One more than the latest number of `year`, read under a row lock on that request.

    The lock makes concurrent submissions queue up behind the latest row, but it cannot
    lock a row that does not exist yet (the year's first request) and, on PostgreSQL, a
    waiter re-reads the same latest row after the winner commits. Both end in a clash on
    the unique receipt_no, which the caller answers by trying again."""
    prefix = f"C-{year}-"
    latest = (
        ConsultationRequest.objects.select_for_update()
        .filter(receipt_no__startswith=prefix)
        .order_by("-receipt_no")
        .only("receipt_no")
        .first()
    )
    last = int(latest.receipt_no.removeprefix(prefix)) if latest else 0
    return consultation_no_format(year, last + 1)


def _create_numbered(*, year: int, **fields) -> ConsultationRequest:
    for attempt in range(NUMBER_ATTEMPTS):
        number = _consultation_no_next(year)
        try:
            with transaction.atomic():
                return ConsultationRequest.objects.create(receipt_no=number, **fields)
        except IntegrityError:
            clash = ConsultationRequest.objects.filter(receipt_no=number).exists()
            if not clash or attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------- notifications


def consultation_handlers() -> QuerySet:
    """Active users who may handle consultations (through a role or directly)."""
    perm = Permission.objects.filter(
        content_type__app_label="kindness", codename="handle_consultation"
    ).first()
    User = get_user_model()
    if perm is None:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm))
        .distinct()
        .order_by("pk")
    )


def _related(consultation: ConsultationRequest) -> str:
    return f"consultation:{consultation.pk}"


def _notify_staff(consultation: ConsultationRequest) -> None:
    # Staff read their mail in the site's language, whatever the resident's was. The notice
    # holds the number only: the resident's data is seen on the page, where it is logged.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New consultation request %(no)s") % {"no": consultation.receipt_no}
        body = _("A resident asked for an expert consultation.")
        if consultation.priority_group:
            body += " " + _("The resident belongs to a priority group.")
    link = f"/staff/consultations/{consultation.receipt_no}/"
    for user in consultation_handlers():
        if user.email:
            outbox_add(
                key=f"consultation:{consultation.pk}:received:{user.pk}",
                to=user.email,
                subject=subject,
                body=f"{body}\n\n{link}",
                related=_related(consultation),
            )


def _notify_resident(consultation: ConsultationRequest, event: str, subject: str, body: str):
    return outbox_add(
        key=f"consultation:{consultation.pk}:{event}",
        to=consultation.email,
        subject=subject,
        body=body,
        related=_related(consultation),
    )


def _slot_text(slot: ConsultationSlot) -> str:
    starts = timezone.localtime(slot.starts_at)
    ends = timezone.localtime(slot.ends_at)
    text = f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}, {slot.expert.name} ({slot.expert.field})"
    return f"{text}, {slot.place}" if slot.place else text


# ---------------------------------------------------------------------------- services


@transaction.atomic
def consultation_request_submit(
    *,
    topic: str,
    preferred_on: dt.date,
    name: str,
    phone: str,
    details: str = "",
    preferred_time: str = ConsultationRequest.TimeOfDay.ANY,
    preferred_note: str = "",
    priority_group: str = "",
    email: str = "",
) -> ConsultationRequest:
    """Store a resident's request with its number (C-YYYY-NNNNNN, sequential per year) and
    the notices to staff and to the resident, in one transaction. Raises ConsultationError
    for a preferred date in the past or a missing topic or contact."""
    today = timezone.localdate()
    if preferred_on < today:
        raise ConsultationError(_("The preferred date cannot be in the past."))
    if not topic.strip():
        raise ConsultationError(_("Give the topic of the consultation."))
    if not name.strip() or not phone.strip():
        raise ConsultationError(_("Give your name and phone number."))
    consultation = _create_numbered(
        year=today.year,
        topic=topic.strip(),
        details=details.strip(),
        preferred_on=preferred_on,
        preferred_time=preferred_time,
        preferred_note=preferred_note.strip(),
        priority_group=priority_group,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        consent_at=timezone.now(),
    )
    _notify_staff(consultation)
    _notify_resident(
        consultation,
        "received",
        _("Your consultation request %(no)s has been received") % {"no": consultation.receipt_no},
        _(
            "Thank you. Your request for an expert consultation was received with number "
            "%(no)s. We will tell you the time of your consultation once it is confirmed."
        )
        % {"no": consultation.receipt_no},
    )
    return consultation


@transaction.atomic
def expert_create(*, name: str, field: str, by=None) -> Expert:
    """Add an expert who offers consultations. Raises ConsultationError without a name or field."""
    if not name.strip() or not field.strip():
        raise ConsultationError(_("Give the expert's name and field."))
    return Expert.objects.create(name=name.strip(), field=field.strip())


@transaction.atomic
def slot_create(
    *, expert: Expert, starts_at: dt.datetime, ends_at: dt.datetime, place: str = "", by=None
) -> ConsultationSlot:
    """Offer an hour of an expert's time. Raises ConsultationError when it ends before it
    starts or overlaps another slot of the same expert (touching ends are fine)."""
    if ends_at <= starts_at:
        raise ConsultationError(_("The slot must end after it starts."))
    # The expert's row is the lock: two staff adding slots for one expert queue up here,
    # so both cannot pass the overlap check before either is stored.
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if not expert.active:
        raise ConsultationError(_("This expert no longer offers consultations."))
    clash = (
        ConsultationSlot.objects.filter(expert=expert, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ConsultationError(
            _("This slot overlaps another slot of %(expert)s: %(slot)s.")
            % {"expert": expert.name, "slot": _slot_text(clash)}
        )
    return ConsultationSlot.objects.create(
        expert=expert, starts_at=starts_at, ends_at=ends_at, place=place.strip()
    )


def _locked(consultation: ConsultationRequest) -> ConsultationRequest:
    return ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)


@transaction.atomic
def consultation_take(*, consultation: ConsultationRequest, by) -> ConsultationRequest:
    """Become the staff member handling an open request (and so see the resident's contact
    details). Safe to repeat. Raises ConsultationError once the request has ended."""
    consultation = _locked(consultation)
    if consultation.status in ConsultationRequest.ENDED:
        raise ConsultationError(_("This request has ended; nobody needs to take it."))
    if consultation.handler_id != by.pk:
        consultation.handler = by
        consultation.save(update_fields=["handler", "updated_at"])
    return consultation


@transaction.atomic
def consultation_confirm(
    *, consultation: ConsultationRequest, slot: ConsultationSlot, by
) -> ConsultationRequest:
    """Book `slot` for a requested consultation, make `by` its handler and store the e-mail
    to the resident (if they gave an address; otherwise staff must phone them). Raises
    ConsultationError, writing nothing, when the request is not waiting, the slot has begun,
    or the slot is already booked by another request."""
    consultation = _locked(consultation)
    if consultation.status != Status.REQUESTED:
        raise ConsultationError(_("Only a request that is waiting can be confirmed."))
    # The slot's row is the lock: two staff booking one slot queue up here, and the second
    # sees the first's booking. The constraint one_booking_per_slot stays the last word.
    slot = ConsultationSlot.objects.select_for_update().select_related("expert").get(pk=slot.pk)
    if slot.starts_at <= timezone.now():
        raise ConsultationError(_("This slot has already begun; choose a later one."))
    if not slot.expert.active:
        raise ConsultationError(_("This expert no longer offers consultations."))
    taken = (
        ConsultationRequest.objects.filter(slot=slot, status__in=ConsultationRequest.BOOKED)
        .exclude(pk=consultation.pk)
        .first()
    )
    if taken is not None:
        raise ConsultationError(
            _("This slot is already booked by request %(no)s. Choose another slot.")
            % {"no": taken.receipt_no}
        )
    consultation.status = Status.CONFIRMED
    consultation.slot = slot
    consultation.handler = by
    consultation.confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            consultation.save(
                update_fields=["status", "slot", "handler", "confirmed_at", "updated_at"]
            )
    except IntegrityError:
        raise ConsultationError(
            _("This slot was booked by another request a moment ago. Choose another slot.")
        ) from None
    _notify_resident(
        consultation,
        f"confirmed:{slot.pk}",
        _("Your consultation %(no)s is confirmed") % {"no": consultation.receipt_no},
        _("Your expert consultation (%(no)s) is confirmed for %(slot)s.")
        % {"no": consultation.receipt_no, "slot": _slot_text(slot)},
    )
    return consultation


@transaction.atomic
def consultation_cancel(
    *, consultation: ConsultationRequest, by, reason: str = ""
) -> ConsultationRequest:
    """Cancel a waiting or confirmed request; its slot is free again. The resident is told
    by e-mail if they gave an address. Raises ConsultationError once it has ended."""
    consultation = _locked(consultation)
    if consultation.status not in (Status.REQUESTED, Status.CONFIRMED):
        raise ConsultationError(_("Only a waiting or confirmed request can be cancelled."))
    consultation.status = Status.CANCELLED
    consultation.outcome = reason.strip()
    consultation.ended_at = timezone.now()
    consultation.handler = consultation.handler or by
    consultation.save(update_fields=["status", "outcome", "ended_at", "handler", "updated_at"])
    _notify_resident(
        consultation,
        "cancelled",
        _("Your consultation %(no)s is cancelled") % {"no": consultation.receipt_no},
        _(
            "Your expert consultation (%(no)s) is cancelled. Please contact the city if you "
            "would still like a consultation."
        )
        % {"no": consultation.receipt_no},
    )
    return consultation


@transaction.atomic
def consultation_record_outcome(
    *, consultation: ConsultationRequest, by, result: str, outcome: str
) -> ConsultationRequest:
    """Record how a confirmed consultation went: held (`done`, with what was advised) or the
    resident did not come (`no_show`). Raises ConsultationError before the slot has begun,
    for another state, or without a note for a held consultation."""
    if result not in (Status.DONE, Status.NO_SHOW):
        raise ConsultationError(_("Choose whether the consultation was held."))
    if result == Status.DONE and not outcome.strip():
        raise ConsultationError(_("Write down what was discussed and advised."))
    consultation = _locked(consultation)
    if consultation.status != Status.CONFIRMED:
        raise ConsultationError(_("Only a confirmed consultation can have an outcome."))
    if consultation.slot.starts_at > timezone.now():
        raise ConsultationError(_("The outcome can be recorded once the consultation has begun."))
    consultation.status = result
    consultation.outcome = outcome.strip()
    consultation.ended_at = timezone.now()
    consultation.handler = consultation.handler or by
    consultation.save(update_fields=["status", "outcome", "ended_at", "handler", "updated_at"])
    return consultation


# ---------------------------------------------------------------------------- selectors


def consultation_list(
    *, status: str = "", priority_only: bool = False, order: str = "priority"
) -> QuerySet[ConsultationRequest]:
    """Requests for the staff list: residents of a priority group first unless `order` is
    "newest", then the oldest waiting first (they have waited longest)."""
    requests = ConsultationRequest.objects.select_related("slot__expert", "handler")
    if status:
        requests = requests.filter(status=status)
    if priority_only:
        requests = requests.exclude(priority_group="")
    if order == "newest":
        return requests.order_by("-created_at", "-pk")
    return requests.annotate(
        priority_rank=Case(
            When(priority_group="", then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("priority_rank", "created_at", "pk")


def slots_open(*, now: dt.datetime | None = None) -> QuerySet[ConsultationSlot]:
    """Slots still to come, of active experts, that no request has booked."""
    now = now or timezone.now()
    booked = ConsultationRequest.objects.filter(
        slot=OuterRef("pk"), status__in=ConsultationRequest.BOOKED
    )
    return (
        ConsultationSlot.objects.filter(starts_at__gt=now, expert__active=True)
        .exclude(Exists(booked))
        .select_related("expert")
        .order_by("starts_at", "expert__name")
    )


def expert_slots(expert: Expert, *, now: dt.datetime | None = None) -> list[ConsultationSlot]:
    """An expert's slots from a week ago on, each with `booking` (the request holding it, or None)."""
    now = now or timezone.now()
    slots = list(expert.slots.filter(ends_at__gte=now - dt.timedelta(days=7)).order_by("starts_at"))
    bookings = {
        r.slot_id: r
        for r in ConsultationRequest.objects.filter(
            slot__in=slots, status__in=ConsultationRequest.BOOKED
        )
    }
    for slot in slots:
        slot.booking = bookings.get(slot.pk)
    return slots


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str
    masked: bool

    @property
    def present(self) -> bool:
        return bool(self.name or self.phone or self.email)


def consultation_contact(consultation: ConsultationRequest, *, unmasked: bool) -> Contact:
    if unmasked:
        return Contact(consultation.name, consultation.phone, consultation.email, False)
    return Contact(
        mask_name(consultation.name),
        mask_phone(consultation.phone),
        mask_email(consultation.email),
        True,
    )


# Actions on a request, in the order its page shows them.
ACTIONS = ("take", "confirm", "cancel", "outcome")


@dataclass(frozen=True)
class Access:
    """What one staff member may do on one request. Only its handler sees the resident's
    contact details (SPEC section 8)."""

    can_handle: bool
    is_handler: bool
    unmasked: bool
    actions: tuple[str, ...]


def consultation_access(*, user, consultation: ConsultationRequest) -> Access:
    can_handle = user.has_perm(HANDLE)
    is_handler = consultation.handler_id is not None and consultation.handler_id == user.pk
    status = consultation.status
    offered = {
        "take": status in (Status.REQUESTED, Status.CONFIRMED) and not is_handler,
        "confirm": status == Status.REQUESTED,
        "cancel": status in (Status.REQUESTED, Status.CONFIRMED),
        "outcome": status == Status.CONFIRMED
        and consultation.slot is not None
        and consultation.slot.starts_at <= timezone.now(),
    }
    actions = tuple(a for a in ACTIONS if can_handle and offered[a])
    return Access(can_handle, is_handler, can_handle and is_handler, actions)


def consultation_counts(*, year: int) -> dict[str, int]:
    """Requests received in `year` by status, for the managers' overview."""
    counts = dict.fromkeys(Status.values, 0)
    for status in ConsultationRequest.objects.filter(created_at__year=year).values_list(
        "status", flat=True
    ):
        counts[status] += 1
    return counts


# ---------------------------------------------------------------------------- retention


def consultations_past_retention(*, now: dt.datetime | None = None) -> QuerySet:
    """Ended requests whose personal data is due for erasure."""
    now = now or timezone.now()
    cutoff = years_before(now, ProgrammeSettings.load().retention_years)
    return ConsultationRequest.objects.filter(
        status__in=ConsultationRequest.ENDED,
        ended_at__lt=cutoff,
        personal_data_erased_at__isnull=True,
    )


def consultation_personal_data_erase_expired(*, now: dt.datetime | None = None) -> int:
    """Erase the resident's name, phone and e-mail of every request ended longer ago than
    the retention period (SPEC section 8); the number erased now. Safe to repeat."""
    now = now or timezone.now()
    ids = list(consultations_past_retention(now=now).order_by("pk").values_list("pk", flat=True))
    return sum(consultation_erase_personal_data(consultation_id=pk, now=now) for pk in ids)


@transaction.atomic
def consultation_erase_personal_data(
    *, consultation_id: int, now: dt.datetime | None = None
) -> bool:
    """Erase one request's personal data and its e-mails (they hold the address); the topic,
    dates, expert and outcome stay for the programme's figures. False if already erased."""
    consultation = (
        ConsultationRequest.objects.select_for_update().filter(pk=consultation_id).first()
    )
    if consultation is None or consultation.personal_data_erased_at is not None:
        return False
    consultation.name = consultation.phone = consultation.email = ""
    consultation.personal_data_erased_at = now or timezone.now()
    consultation.save(
        update_fields=["name", "phone", "email", "personal_data_erased_at", "updated_at"]
    )
    OutboxMessage.objects.filter(related=_related(consultation)).delete()
    return True


# ---------------------------------------------------------------------------- demo

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
    from kindness.demo import name_maker
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
