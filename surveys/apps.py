from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Happy-call centre and surveys")

    def ready(self) -> None:
        from surveys import imports, staff_home  # noqa: F401  (register the survey imports and the staff home's entries)
        from surveys.defaults import survey_defaults_restore
        from surveys.retention import retention_register

        retention_register()

        post_migrate.connect(survey_defaults_restore, sender=self, dispatch_uid="surveys.defaults")
