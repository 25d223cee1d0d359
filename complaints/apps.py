from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Report centre")

    def ready(self) -> None:
        from complaints import imports, staff_home  # noqa: F401  (register the report import and the staff home's entries)
        from complaints.retention import retention_register

        retention_register()
