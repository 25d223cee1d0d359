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

    # --- programme (SPEC section 6): URL names only; moves to programme/apps.py. ---------
    register(
        StaffLink(
            key="programme.overview",
            label=_("Programme overview"),
            url_name="initiatives:overview-this-year",
            roles=(Role.MANAGER, Role.AUDITOR),
            order=500,
        ),
        StaffLink(
            key="programme.initiative-own",
            label=_("Your department's kindness initiative"),
            url_name="initiatives:year",
            roles=(Role.DEPARTMENT_HEAD,),
            permission="kindness.view_initiative",
            order=510,
        ),
        StaffLink(
            key="programme.initiatives-bureau",
            label=_("Kindness initiatives of your bureau"),
            url_name="initiatives:year",
            roles=(Role.BUREAU_HEAD,),
            permission="kindness.view_initiative",
            order=510,
        ),
        StaffLink(
            key="programme.initiatives",
            label=_("Kindness initiatives"),
            url_name="initiatives:year",
            roles=(Role.MANAGER, Role.AUDITOR),
            permission="kindness.view_initiative",
            order=510,
        ),
        StaffLink(
            key="programme.training-sessions",
            label=_("Training sessions"),
            url_name="training:session-list",
            roles=(Role.MANAGER, Role.AUDITOR),
            permission="kindness.view_trainingsession",
            order=520,
        ),
        StaffLink(
            key="programme.training-records",
            label=_("Training records"),
            url_name="training:department-list",
            roles=(Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD, Role.MANAGER, Role.AUDITOR),
            permission="kindness.view_trainingattendance",
            order=530,
        ),
        StaffLink(
            key="programme.consultations",
            label=_("Consultation requests"),
            url_name="consultations:list",
            roles=(Role.REPORT_OFFICER, Role.MANAGER, Role.AUDITOR),
            permission="kindness.view_consultationrequest",
            order=540,
        ),
        StaffLink(
            key="programme.experts",
            label=_("Experts and their slots"),
            url_name="consultations:experts",
            roles=(Role.REPORT_OFFICER, Role.MANAGER),
            permission="kindness.view_expert",
            order=550,
        ),
    )
    # --- end of programme ----------------------------------------------------------------


class KindnessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kindness"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from kindness import roster  # noqa: F401  (registers the roster import)

        post_migrate.connect(_sync_roles, dispatch_uid="kindness.sync_roles")
        _register_staff_home()
