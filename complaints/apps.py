from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Report centre")

    def ready(self) -> None:
        from complaints import imports  # noqa: F401  (registers the report import)
        from complaints.retention import retention_register

        retention_register()
