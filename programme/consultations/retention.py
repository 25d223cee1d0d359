"""The consultation room's retention rule, registered with the core's
`erase_personal_data` (kindness.retention_rules): residents' contacts erased after the
retention period, with the outbox rows that carry them (SPEC section 8)."""

from __future__ import annotations

import datetime as dt

from kindness.retention_rules import moment_of, records_rule_register
from programme.consultations import services
from programme.consultations.selectors import consultations_past_retention
from programme.models import ConsultationRequest


def consultations_retention_run(*, today: dt.date, dry_run: bool = False) -> int:
    now = moment_of(today)
    if dry_run:
        return consultations_past_retention(now=now).count()
    return services.consultation_personal_data_erase_expired(now=now)


def retention_register() -> None:
    records_rule_register(
        kind="consultations",
        run=consultations_retention_run,
        prefix="consultation",
        erased=ConsultationRequest.objects.filter(personal_data_erased_at__isnull=False),
    )
