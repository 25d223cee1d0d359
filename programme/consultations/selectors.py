"""The expert consultation room of SPEC section 6, the reads the pages share: the staff
list, open slots, the masked contact (SPEC section 8), who may do what, and the requests due
for erasure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from kindness.models import ProgrammeSettings
from kindness.privacy import Contact, record_contact
from kindness.retention import years_before
from programme.models import ConsultationRequest, ConsultationSlot, Expert

Status = ConsultationRequest.Status
HANDLE = "programme.handle_consultation"
VIEW = "programme.view_consultationrequest"


# ---------------------------------------------------------------------------- notifications


def consultation_handlers() -> QuerySet:
    """Active users who may handle consultations (through a role or directly)."""
    perm = Permission.objects.filter(
        content_type__app_label="programme", codename="handle_consultation"
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


def expert_fields() -> list[str]:
    """The fields of the active experts, for the resident to choose from."""
    fields = Expert.objects.filter(active=True).values_list("field", flat=True).distinct()
    return sorted({f.strip() for f in fields if f.strip()})


# How a request's field was told: chosen by the resident, found in the words of its topic,
# or not at all (then every expert's slots count as the requested field).
BY_CHOICE, BY_TOPIC, BY_NONE = "chosen", "topic", "none"
_FIELD_WORDS = re.compile(r"[\s·・,/()\[\]&+-]+")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _words_of(field_name: str) -> list[str]:
    # "노무·임금체불" -> ["노무", "임금체불"]; one-letter words would match almost anything.
    return [w.casefold() for w in _FIELD_WORDS.split(field_name) if len(w) >= 2]


def _experts_in_field(consultation: ConsultationRequest, experts) -> tuple[set[int], str]:
    if consultation.field:
        wanted = consultation.field.strip().casefold()
        chosen = {e.pk for e in experts if e.field.strip().casefold() == wanted}
        if chosen:
            return chosen, BY_CHOICE
    # Requests without a chosen field (made before it was asked, or left to staff): an
    # expert whose field's words appear in the topic or details, spaces ignored.
    text = _squeezed(f"{consultation.topic} {consultation.details}")
    named = {e.pk for e in experts if any(w in text for w in _words_of(e.field))}
    if named:
        return named, BY_TOPIC
    return {e.pk for e in experts}, BY_NONE


def _in_time_of_day(slot: ConsultationSlot, time_of_day: str) -> bool:
    hour = timezone.localtime(slot.starts_at).hour
    if time_of_day == ConsultationRequest.TimeOfDay.MORNING:
        return hour < 12
    if time_of_day == ConsultationRequest.TimeOfDay.AFTERNOON:
        return hour >= 12
    return True


@dataclass
class SlotChoices:
    """The open slots for confirming one request (SPEC section 6, issue 15 item 7):
    `matching` those of experts in the requested field, on or after the preferred date at
    the preferred time of day, nearest first; then, for when none of those suits, the same
    field's other dates and times, and the other experts' slots, each nearest to the
    preferred date first."""

    field_by: str
    fields: list[str]
    matching: list[ConsultationSlot] = field(default_factory=list)
    same_field: list[ConsultationSlot] = field(default_factory=list)
    others: list[ConsultationSlot] = field(default_factory=list)

    @property
    def secondary(self) -> int:
        return len(self.same_field) + len(self.others)


def slot_choices(
    *, consultation: ConsultationRequest, now: dt.datetime | None = None
) -> SlotChoices:
    slots = list(slots_open(now=now))
    experts = {slot.expert.pk: slot.expert for slot in slots}.values()
    in_field, field_by = _experts_in_field(consultation, experts)
    fields = sorted({e.field for e in experts if e.pk in in_field})
    # Nearest to the start of the preferred day's preferred part, either side of it.
    start_hour = 13 if consultation.preferred_time == ConsultationRequest.TimeOfDay.AFTERNOON else 9
    wanted = timezone.make_aware(
        dt.datetime.combine(consultation.preferred_on, dt.time(start_hour))
    )
    slots.sort(key=lambda s: (abs(s.starts_at - wanted), s.starts_at, s.expert.name))
    choices = SlotChoices(field_by=field_by, fields=fields)
    for slot in slots:
        if slot.expert_id not in in_field:
            choices.others.append(slot)
        elif timezone.localdate(slot.starts_at) >= consultation.preferred_on and _in_time_of_day(
            slot, consultation.preferred_time
        ):
            choices.matching.append(slot)
        else:
            choices.same_field.append(slot)
    # All of them lie on or after the preferred day: the earliest is the nearest.
    choices.matching.sort(key=lambda s: (s.starts_at, s.expert.name))
    return choices


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


def consultation_contact(
    consultation: ConsultationRequest, *, request=None, unmasked: bool = False
) -> Contact:
    """The applicant's contact as this viewer may see it: unmasked only for the handler,
    and then written to the access log (kindness.privacy.contact_shown)."""
    fields = ("name", "phone", "email")
    return record_contact(
        consultation, fields, action="view_resident", unmasked=unmasked, request=request
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
