from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _consultations_waiting(user) -> int:
    from programme.models import ConsultationRequest

    return ConsultationRequest.objects.filter(status=ConsultationRequest.Status.REQUESTED).count()


def _register_staff_home() -> None:
    # The programme's links on the staff home (kindness.staff_home): registered from here,
    # the core knows no app above it.
    from kindness.roles import Role
    from kindness.staff_home import StaffLink, register

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
            permission="programme.view_initiative",
            order=510,
        ),
        StaffLink(
            key="programme.initiatives-bureau",
            label=_("Kindness initiatives of your bureau"),
            url_name="initiatives:year",
            roles=(Role.BUREAU_HEAD,),
            permission="programme.view_initiative",
            order=510,
        ),
        StaffLink(
            key="programme.initiatives",
            label=_("Kindness initiatives"),
            url_name="initiatives:year",
            roles=(Role.MANAGER, Role.AUDITOR),
            permission="programme.view_initiative",
            order=510,
        ),
        StaffLink(
            key="programme.training-sessions",
            label=_("Training sessions"),
            url_name="training:session-list",
            roles=(Role.MANAGER, Role.AUDITOR),
            permission="programme.view_trainingsession",
            order=520,
        ),
        StaffLink(
            key="programme.training-records",
            label=_("Training records"),
            url_name="training:department-list",
            roles=(Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD, Role.MANAGER, Role.AUDITOR),
            permission="programme.view_trainingattendance",
            order=530,
        ),
        StaffLink(
            key="programme.consultations-waiting",
            label=_("Consultation requests waiting"),
            url_name="consultations:list",
            query="status=requested",
            roles=(Role.REPORT_OFFICER, Role.MANAGER),
            permission="programme.view_consultationrequest",
            count=_consultations_waiting,
            order=70,
        ),
        StaffLink(
            key="programme.consultations",
            label=_("Consultation requests"),
            url_name="consultations:list",
            roles=(Role.REPORT_OFFICER, Role.MANAGER, Role.AUDITOR),
            permission="programme.view_consultationrequest",
            order=540,
        ),
        StaffLink(
            key="programme.experts",
            label=_("Experts and their slots"),
            url_name="consultations:experts",
            roles=(Role.REPORT_OFFICER, Role.MANAGER),
            permission="programme.view_expert",
            order=550,
        ),
    )


class ProgrammeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programme"
    verbose_name = _("Programme records")

    def ready(self) -> None:
        _register_staff_home()
