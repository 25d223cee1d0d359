from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KindnessConfig(AppConfig):
    name = "kindness"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.urls import register_converter

        from kindness import checks, roster, staff_links  # noqa: F401  (register the check, the import and the staff home's entries)
        from kindness.converters import KeyConverter
        from kindness.ratelimit import login_failure_record
        from kindness.retention_rules import core_rules_register
        from kindness.roles import role_groups_resync
        from kindness.sessions import session_expiry_set

        register_converter(KeyConverter, "key")
        core_rules_register()

        post_migrate.connect(role_groups_resync, dispatch_uid="kindness.sync_roles")
        user_login_failed.connect(login_failure_record, dispatch_uid="kindness.login_failed")
        user_logged_in.connect(session_expiry_set, dispatch_uid="kindness.session_expiry")
