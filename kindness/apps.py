from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    # Later migrations add models and so permissions: keep the role groups in step after
    # every `migrate` (the first sync is the data migration 0002_roles).
    from kindness.roles import sync_role_groups

    sync_role_groups()


class KindnessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kindness"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from kindness import roster  # noqa: F401  (registers the roster import)
        from kindness.ratelimit import login_failure_record
        from kindness.retention_rules import core_rules_register

        core_rules_register()

        post_migrate.connect(_sync_roles, dispatch_uid="kindness.sync_roles")
        user_login_failed.connect(login_failure_record, dispatch_uid="kindness.login_failed")
