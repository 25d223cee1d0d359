"""Erasure of petitioners' personal data (SPEC section 8): [1 year] after the latest of the
petition's completion and its happy-call's closing (for an imported happy-call, the day it
was answered). A call still open then is first closed as unreachable.

What goes: the petitioner's name and phone, the petition's title (replaced by its number,
since titles often name people or places), the petitioner's name and phone-like numbers in
the voice of the customer (masked with the shared masker), and the outbox rows about the
petition. A refusal is kept as a keyed hash of the phone, so the petitioner is still never
phoned again. What stays: the petition's department, official and dates, the call, its
attempts and answers, so every rate and score computed from them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from kindness.masker import mask_text
from kindness.models import OutboxMessage, ProgrammeSettings
from kindness.phones import phone_key
from kindness.retention import years_before
from kindness.retention_rules import records_rule_register
from surveys.models import CallAttempt, HappyCall, Petition, RefusedPhone, SurveyLink
from surveys.services import refused_phone_digest

Status = HappyCall.Status


def petitions_due(*, today: dt.date):
    """Petitions not yet erased whose latest date is at least the retention period ago."""
    cutoff = years_before(today, ProgrammeSettings.load().petitioner_retention_years)
    completed = "completed_on"
    latest = Greatest(
        completed,
        Coalesce(TruncDate("happy_call__closed_at"), completed),
        Coalesce("happy_call__answered_on", completed),
        Coalesce(TruncDate("happy_call__link__closed_at"), completed),
    )
    return (
        Petition.objects.filter(erased_at__isnull=True)
        .annotate(latest_on=latest)
        .filter(latest_on__lte=cutoff)
    )


def petitions_retention_run(*, today: dt.date, dry_run: bool = False) -> int:
    ids = list(petitions_due(today=today).order_by("pk").values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    now = timezone.now()
    return sum(petition_erase_personal_data(petition_id=pk, now=now) for pk in ids)


@transaction.atomic
def petition_erase_personal_data(*, petition_id: int, now: dt.datetime | None = None) -> bool:
    """Erase one petition's personal data; False if it was already erased. Safe to repeat."""
    now = now or timezone.now()
    petition = Petition.objects.select_for_update().filter(pk=petition_id).first()
    if petition is None or petition.erased_at is not None:
        return False
    call = HappyCall.objects.select_for_update().filter(petition=petition).first()
    if call is not None:
        if call.status in (Status.QUEUED, Status.LINK):
            call.status = Status.UNREACHABLE
            call.closed_at = now
        refused = call.status == Status.REFUSED or (
            CallAttempt.objects.filter(call=call, outcome=CallAttempt.Outcome.REFUSED).exists()
        )
        key = phone_key(petition.petitioner_phone)
        if refused and key:
            RefusedPhone.objects.get_or_create(digest=refused_phone_digest(key))
        call.voc = mask_text(call.voc, names=[petition.petitioner_name])
        call.save(update_fields=["status", "closed_at", "voc", "updated_at"])
        link = SurveyLink.objects.select_for_update().filter(call=call).first()
        if link is not None:
            # A link still out is closed first, as an open call is; its messages carry the
            # petitioner's number or address and go with the rest (SPEC section 8).
            if link.status in (SurveyLink.Status.PENDING, SurveyLink.Status.OPEN):
                link.status = SurveyLink.Status.CLOSED
                link.closed_at = now
                link.save(update_fields=["status", "closed_at"])
            OutboxMessage.objects.filter(related=f"survey-link:{link.pk}").delete()
    petition.petitioner_name = ""
    petition.petitioner_phone = ""
    petition.petitioner_email = ""
    petition.title = petition.petition_no
    petition.erased_at = now
    petition.save(
        update_fields=[
            "petitioner_name",
            "petitioner_phone",
            "petitioner_email",
            "title",
            "erased_at",
        ]
    )
    OutboxMessage.objects.filter(related=f"petition:{petition.pk}").delete()
    return True


def retention_register() -> None:
    records_rule_register(
        kind="petitions",
        run=petitions_retention_run,
        prefix="petition",
        erased=Petition.objects.filter(erased_at__isnull=False),
    )
