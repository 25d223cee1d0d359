"""The consultation room's retention rule, registered with the core's
`erase_personal_data` (kindness.retention_rules): residents' contacts erased after the
retention period, with the outbox rows that carry them (SPEC section 8)."""

from __future__ import annotations

from kindness.retention_rules import due_records_rule, records_rule_register
from programme.consultations import services
from programme.consultations.selectors import consultations_past_retention
from programme.models import ConsultationRequest


def retention_register() -> None:
    records_rule_register(
        kind="consultations",
        run=due_records_rule(
            due=consultations_past_retention,
            erase=services.consultation_personal_data_erase_expired,
        ),
        prefix="consultation",
        erased=ConsultationRequest.objects.filter(personal_data_erased_at__isnull=False),
    )
