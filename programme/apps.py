from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programme records")

    def ready(self) -> None:
        from programme import staff_home  # noqa: F401  (register the staff home's entries)
        from programme.consultations.retention import retention_register

        retention_register()
