"""The expert consultation room of SPEC section 6, the writes: residents ask for a
consultation with a specialist, staff offer experts' slots, confirm one, tell the resident and
record how it went; personal data is erased as in SPEC section 8. Services are `noun_verb`,
keyword-only, and raise ConsultationError with a message for people.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from complaints.services import tracking_secret_new
from kindness import numbering, tokens
from kindness.models import OutboxMessage
from kindness.outbox import outbox_add, outbox_add_each
from programme.consultations.selectors import consultation_handlers, consultations_past_retention
from programme.models import ConsultationRequest, ConsultationSlot, Expert

Status = ConsultationRequest.Status


class ConsultationError(Exception):
    """A change the request's or slot's state does not allow; the message is for people."""


# ---------------------------------------------------------------------------- numbers

# The purpose named in the keyed hash of a request's tracking secret (kindness.tokens): a
# digest made for a report's secret or a survey link never verifies here.
SECRET_PURPOSE = "consultation-secret"


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
    outbox_add_each(
        consultation_handlers(),
        key=f"consultation:{consultation.pk}:received",
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
    field: str = "",
    preferred_time: str = ConsultationRequest.TimeOfDay.ANY,
    preferred_note: str = "",
    priority_group: str = "",
    email: str = "",
) -> ConsultationRequest:
    """Store a resident's request with its number (C-YYYY-NNNNNN, sequential per year), the
    keyed hash of a new tracking secret and the notices to staff and to the resident, in one
    transaction. The secret itself is on the returned request's `secret` attribute only, to
    be shown once (SPEC section 6). Raises ConsultationError for a preferred date in the
    past or a missing topic or contact."""
    today = timezone.localdate()
    if preferred_on < today:
        raise ConsultationError(_("The preferred date cannot be in the past."))
    if not topic.strip():
        raise ConsultationError(_("Give the topic of the consultation."))
    if not name.strip() or not phone.strip():
        raise ConsultationError(_("Give your name and phone number."))
    try:
        # The yearly sequence of the core: gap-free, one row per prefix and year, advanced
        # in this transaction (SPEC section 6, C-YYYY-NNNNNN).
        number = numbering.number_next(prefix=numbering.CONSULTATION, year=today.year)
    except numbering.SequenceExhausted as exc:
        raise ConsultationError(str(exc)) from exc
    secret = tracking_secret_new()
    consultation = ConsultationRequest.objects.create(
        receipt_no=number,
        secret_hash=tokens.keyed_digest(SECRET_PURPOSE, secret),
        topic=topic.strip(),
        field=field.strip(),
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
        % {"no": consultation.receipt_no}
        + "\n\n"
        + _(
            "You can follow it at /consultations/track/ with this number and the secret shown "
            "when you sent it (the secret is not repeated here for your safety)."
        ),
    )
    consultation.secret = secret
    return consultation


def consultation_find_for_tracking(*, receipt_no: str, secret: str) -> ConsultationRequest | None:
    """The request for a number and its tracking secret, or None for either mistake: the
    same answer, in the same time, for an unknown number, a wrong secret and a request made
    before tracking (it has no secret), so numbers cannot be probed. The secret is compared
    by its keyed hash, in constant time (SPEC section 8)."""
    consultation = (
        ConsultationRequest.objects.select_related("slot__expert")
        .filter(receipt_no=receipt_no.strip().upper())
        .first()
    )
    stored = consultation.secret_hash if consultation is not None else ""
    # The digest is computed and compared against 64 digits on every path, so the three
    # mistakes take the same time; no secret hashes to the stand-in, which is not hex.
    matches = tokens.digest_matches(SECRET_PURPOSE, secret.strip().upper(), stored or "-" * 64)
    return consultation if matches else None


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
