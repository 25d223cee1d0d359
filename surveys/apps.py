from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_defaults(sender, **kwargs) -> None:
    # A flush (as transactional tests do) empties every table and then sends post_migrate:
    # recreate the default questionnaire and scorecard like the roles.
    from surveys.defaults import survey_defaults_ensure

    survey_defaults_ensure()


def _my_queue(user) -> int:
    from surveys.models import HappyCall

    return HappyCall.objects.filter(status=HappyCall.Status.QUEUED, assigned_to=user).count()


def _done_today(user) -> int:
    from django.utils import timezone

    from surveys.models import HappyCall

    return HappyCall.objects.filter(answered_by=user, answered_on=timezone.localdate()).count()


def _backlog(user) -> int:
    # Calls queued before today and still not made, whoever holds them: the centre's backlog.
    from django.utils import timezone

    from surveys.models import HappyCall

    return HappyCall.objects.filter(
        status=HappyCall.Status.QUEUED, queued_on__lt=timezone.localdate()
    ).count()


def _register_staff_home() -> None:
    from kindness.roles import Role
    from kindness.staff_home import StaffLink, register

    caller = (Role.HAPPY_CALL,)
    register(
        StaffLink(
            key="surveys.my-queue",
            label=_("Calls waiting in my queue"),
            url_name="surveys:desk",
            roles=caller,
            permission="surveys.make_calls",
            count=_my_queue,
            order=20,
        ),
        StaffLink(
            key="surveys.done-today",
            label=_("Calls I completed today"),
            url_name="surveys:desk",
            roles=caller,
            permission="surveys.make_calls",
            count=_done_today,
            order=21,
        ),
        StaffLink(
            key="surveys.backlog",
            label=_("Backlog: calls queued before today"),
            url_name="surveys:desk",
            roles=caller,
            permission="surveys.make_calls",
            count=_backlog,
            order=22,
        ),
        StaffLink(
            key="surveys.desk",
            label=_("Call desk"),
            url_name="surveys:desk",
            roles=caller,
            permission="surveys.make_calls",
            order=200,
        ),
        StaffLink(
            key="surveys.dashboard",
            label=_("Happy-call dashboard"),
            url_name="surveys:dashboard",
            roles=(Role.HAPPY_CALL, Role.MANAGER, Role.AUDITOR),
            permission="surveys.view_happycall",
            order=205,
        ),
    )


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"
    verbose_name = _("Happy-call centre and surveys")

    def ready(self) -> None:
        from surveys import imports  # noqa: F401  (registers the survey imports)

        post_migrate.connect(_ensure_defaults, sender=self, dispatch_uid="surveys.defaults")
        _register_staff_home()
