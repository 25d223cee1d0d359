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
    from surveys.call_lists import done_today

    return done_today(user).count()


def _backlog(user) -> int:
    from surveys.call_lists import backlog

    return backlog().count()


def _letters_to_print(user) -> int:
    from surveys.links.selectors import letters_to_print

    return letters_to_print().count()


def _register_staff_home() -> None:
    from kindness.roles import Role
    from kindness.staff_home import StaffLink, register

    caller = (Role.HAPPY_CALL,)
    # A table, one entry per line: key, label, URL name, roles, permission, query, count, figures, order.
    # fmt: off
    register(
        StaffLink("surveys.my-queue", _("Calls waiting in my queue"), "surveys:desk", caller, "surveys.make_calls", "", _my_queue, None, 20),
        StaffLink("surveys.done-today", _("Calls I completed today"), "surveys:calls", caller, "surveys.make_calls", "show=done_today", _done_today, None, 21),
        StaffLink("surveys.backlog", _("Backlog: calls queued before today"), "surveys:calls", caller, "surveys.make_calls", "show=backlog", _backlog, None, 22),
        StaffLink("surveys.letters", _("Survey letters to print"), "survey_links_staff:letters", caller, "surveys.make_calls", "", _letters_to_print, None, 23),
        StaffLink("surveys.desk", _("Call desk"), "surveys:desk", caller, "surveys.make_calls", "", None, None, 200),
        StaffLink("surveys.dashboard", _("Happy-call dashboard"), "surveys:dashboard", (Role.HAPPY_CALL, Role.MANAGER, Role.AUDITOR), "surveys.view_happycall", "", None, None, 205),
    )
    # fmt: on


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Happy-call centre and surveys")

    def ready(self) -> None:
        from surveys import imports  # noqa: F401  (registers the survey imports)
        from surveys.retention import retention_register

        retention_register()

        post_migrate.connect(_ensure_defaults, sender=self, dispatch_uid="surveys.defaults")
        _register_staff_home()
