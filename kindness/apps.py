from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    # Later migrations add models and so permissions: keep the role groups in step after
    # every `migrate` (the first sync is the data migration 0002_roles).
    from kindness.roles import sync_role_groups

    sync_role_groups()


def _failed_imports(user) -> int:
    from kindness.models import ImportBatch
    from kindness.selectors import failed_imports_q

    return ImportBatch.objects.filter(failed_imports_q()).count()


def _register_staff_home() -> None:
    from kindness.roles import Role
    from kindness.staff_home import StaffLink, register

    everyone_city_wide = (Role.HAPPY_CALL, Role.REPORT_OFFICER, Role.MANAGER, Role.AUDITOR)
    # A table, one entry per line: key, label, URL name, roles, permission, query, count, figures, order.
    # fmt: off
    register(
        StaffLink("kindness.failed-imports", _("Failed or refused imports"), "import-list", (Role.MANAGER,), "kindness.view_importbatch", "status=failed", _failed_imports, None, 60),
        StaffLink("kindness.imports", _("Imports"), "import-list", (Role.MANAGER, Role.AUDITOR), "kindness.view_importbatch", "", None, None, 900),
        StaffLink("kindness.departments", _("Departments and officials"), "department-list", everyone_city_wide, "kindness.view_department", "", None, None, 950),
        StaffLink("kindness.admin", _("Administration"), "admin:index", (Role.ADMIN,), "", "", None, None, 10),
    )
    # fmt: on


class KindnessConfig(AppConfig):
    name = "kindness"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.urls import register_converter

        from kindness import checks, roster  # noqa: F401  (register the check and the import)
        from kindness.converters import KeyConverter
        from kindness.ratelimit import login_failure_record
        from kindness.retention_rules import core_rules_register
        from kindness.sessions import session_expiry_set

        register_converter(KeyConverter, "key")
        core_rules_register()

        post_migrate.connect(_sync_roles, dispatch_uid="kindness.sync_roles")
        user_login_failed.connect(login_failure_record, dispatch_uid="kindness.login_failed")
        user_logged_in.connect(session_expiry_set, dispatch_uid="kindness.session_expiry")
        _register_staff_home()
