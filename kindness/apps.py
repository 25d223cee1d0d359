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
        from kindness import checks, roster  # noqa: F401  (register the checks and the roster import)

        post_migrate.connect(_sync_roles, dispatch_uid="kindness.sync_roles")
