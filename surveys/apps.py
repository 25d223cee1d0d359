from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_defaults(sender, **kwargs) -> None:
    # A flush (as transactional tests do) empties every table and then sends post_migrate:
    # recreate the default questionnaire and scorecard like the roles.
    from surveys.defaults import survey_defaults_ensure

    survey_defaults_ensure()


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Happy-call centre and surveys")

    def ready(self) -> None:
        from surveys import imports, staff_home  # noqa: F401  (register the survey imports and the staff home's entries)
        from surveys.retention import retention_register

        retention_register()

        post_migrate.connect(_ensure_defaults, sender=self, dispatch_uid="surveys.defaults")
