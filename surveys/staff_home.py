"""The happy-call centre's entries on the staff home (kindness.staff_home), registered on
import: the app's `ready()` imports this module."""

from django.utils.translation import gettext_lazy as _

from kindness.roles import Role
from kindness.staff_home import StaffLink, register
from surveys import call_lists
from surveys.links.selectors import letters_to_print
from surveys.models import HappyCall


def _my_queue(user) -> int:
    return HappyCall.objects.filter(status=HappyCall.Status.QUEUED, assigned_to=user).count()


def _done_today(user) -> int:
    return call_lists.done_today(user).count()


def _backlog(user) -> int:
    return call_lists.backlog().count()


def _letters_to_print(user) -> int:
    return letters_to_print().count()


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
