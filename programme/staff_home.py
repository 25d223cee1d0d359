"""The programme's entries on the staff home (kindness.staff_home), registered on import: the
app's `ready()` imports this module (the core knows no app above it)."""

from django.utils.translation import gettext_lazy as _

from kindness.roles import Role
from kindness.staff_home import StaffLink, register
from programme.models import ConsultationRequest


def _consultations_waiting(user) -> int:
    return ConsultationRequest.objects.filter(status=ConsultationRequest.Status.REQUESTED).count()


# A table, one entry per line: key, label, URL name, roles, permission, query, count, figures, order.
# fmt: off
register(
    StaffLink("programme.overview", _("Programme overview"), "initiatives:overview-this-year", (Role.MANAGER, Role.AUDITOR), "", "", None, None, 500),
    StaffLink("programme.initiative-own", _("Your department's kindness initiative"), "initiatives:year", (Role.DEPARTMENT_HEAD,), "programme.view_initiative", "", None, None, 510),
    StaffLink("programme.initiatives-bureau", _("Kindness initiatives of your bureau"), "initiatives:year", (Role.BUREAU_HEAD,), "programme.view_initiative", "", None, None, 510),
    StaffLink("programme.initiatives", _("Kindness initiatives"), "initiatives:year", (Role.MANAGER, Role.AUDITOR), "programme.view_initiative", "", None, None, 510),
    StaffLink("programme.training-sessions", _("Training sessions"), "training:session-list", (Role.MANAGER, Role.AUDITOR), "programme.view_trainingsession", "", None, None, 520),
    StaffLink("programme.training-records", _("Training records"), "training:department-list", (Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD, Role.MANAGER, Role.AUDITOR), "programme.view_trainingattendance", "", None, None, 530),
    StaffLink("programme.consultations-waiting", _("Consultation requests waiting"), "consultations:list", (Role.REPORT_OFFICER, Role.MANAGER), "programme.view_consultationrequest", "status=requested", _consultations_waiting, None, 70),
    StaffLink("programme.consultations", _("Consultation requests"), "consultations:list", (Role.REPORT_OFFICER, Role.MANAGER, Role.AUDITOR), "programme.view_consultationrequest", "", None, None, 540),
    StaffLink("programme.experts", _("Experts and their slots"), "consultations:experts", (Role.REPORT_OFFICER, Role.MANAGER), "programme.view_expert", "", None, None, 550),
)
# fmt: on
