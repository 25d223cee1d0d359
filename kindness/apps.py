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
    register(
        StaffLink(
            key="kindness.failed-imports",
            label=_("Failed or refused imports"),
            url_name="import-list",
            query="status=failed",
            roles=(Role.MANAGER,),
            permission="kindness.view_importbatch",
            count=_failed_imports,
            order=60,
        ),
        StaffLink(
            key="kindness.imports",
            label=_("Imports"),
            url_name="import-list",
            roles=(Role.MANAGER, Role.AUDITOR, Role.ADMIN),
            permission="kindness.view_importbatch",
            order=900,
        ),
        StaffLink(
            key="kindness.departments",
            label=_("Departments and officials"),
            url_name="department-list",
            roles=everyone_city_wide,
            permission="kindness.view_department",
            order=950,
        ),
        StaffLink(
            key="kindness.admin",
            label=_("Administration"),
            url_name="admin:index",
            roles=(Role.ADMIN,),
            order=10,
        ),
    )


class KindnessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kindness"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from kindness import roster  # noqa: F401  (registers the roster import)
        from kindness.ratelimit import login_failure_record

        post_migrate.connect(_sync_roles, dispatch_uid="kindness.sync_roles")
        user_login_failed.connect(login_failure_record, dispatch_uid="kindness.login_failed")
        _register_staff_home()
