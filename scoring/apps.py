from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scores and rankings")

    def ready(self) -> None:
        from scoring import staff_home  # noqa: F401  (register the staff home's entries)
        from scoring.models.rule_sets import rule_set_default_restore

        post_migrate.connect(rule_set_default_restore, sender=self, dispatch_uid="scoring.defaults")
