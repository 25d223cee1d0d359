from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_defaults(sender, **kwargs) -> None:
    # A flush (as transactional tests do) empties every table and then sends post_migrate:
    # recreate the default rule set like the roles and the survey defaults.
    from scoring.models import rule_set_default_ensure

    rule_set_default_ensure()


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scores and rankings")

    def ready(self) -> None:
        from scoring import staff_home  # noqa: F401  (register the staff home's entries)

        post_migrate.connect(_ensure_defaults, sender=self, dispatch_uid="scoring.defaults")
