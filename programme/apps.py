from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programme"
    verbose_name = _("Programme records")

    def ready(self) -> None:
        from programme.consultations.retention import retention_register

        retention_register()
