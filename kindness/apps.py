from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    # Later migrations add models and so permissions: keep the role groups in step after
    # every `migrate` (the first sync is the data migration 0002_roles).
    from kindness.roles import sync_role_groups

    sync_role_groups()


def _consultation_retention_register() -> None:
    # The expert consultation room's contacts (SPEC sections 6 and 8).
    from kindness import consultations
    from kindness.models import ConsultationRequest
    from kindness.retention import moment_of, outbox_related_register, retention_rule_register

    def run(*, today, dry_run: bool = False) -> int:
        now = moment_of(today)
        if dry_run:
            return consultations.consultations_past_retention(now=now).count()
        return consultations.consultation_personal_data_erase_expired(now=now)

    retention_rule_register(kind="consultations", label=_("consultation requests"), run=run)
    outbox_related_register(
        prefix="consultation",
        erased_pks=lambda: ConsultationRequest.objects.filter(
            personal_data_erased_at__isnull=False
        ).values_list("pk", flat=True),
    )


class KindnessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kindness"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from kindness import roster  # noqa: F401  (registers the roster import)
        from kindness.retention import core_rules_register

        core_rules_register()
        _consultation_retention_register()

        post_migrate.connect(_sync_roles, dispatch_uid="kindness.sync_roles")
