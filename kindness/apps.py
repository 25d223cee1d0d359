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
        from django.contrib.auth.signals import user_logged_in
        from django.urls import register_converter

        from kindness import checks, roster  # noqa: F401  (register the check and the import)
        from kindness.converters import KeyConverter
        from kindness.sessions import session_expiry_set

        register_converter(KeyConverter, "key")

        post_migrate.connect(_sync_roles, dispatch_uid="kindness.sync_roles")
        user_logged_in.connect(session_expiry_set, dispatch_uid="kindness.session_expiry")
