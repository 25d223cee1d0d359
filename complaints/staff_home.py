"""The report centre's entries on the staff home (kindness.staff_home), registered on import:
the app's `ready()` imports this module."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import selectors
from kindness.roles import Role
from kindness.staff_home import StaffLink, register


def _inbox_count(view: str):
    def count(user) -> int:
        # One aggregate query gives every view's count: keep it for the request's other links.
        counts = getattr(user, "_inbox_counts", None)
        if counts is None:
            counts = user._inbox_counts = selectors.inbox_counts(user=user)
        return counts[view]

    return count


def _encouragement_due(user) -> int:
    year = timezone.localdate().year
    officials = selectors.encouragement_list(user=user, year=year)
    return officials.filter(encouraged_on__isnull=True).count()


officer, head = (Role.REPORT_OFFICER,), (Role.DEPARTMENT_HEAD,)
inbox, view, handle = "complaints:inbox", "complaints.view_report", "complaints.handle_report"
# A table, one entry per line: key, label, URL name, roles, permission, query, count, figures, order.
# fmt: off
register(
    # What waits for the report officer (issue 15 item 3), each count linking to the
    # inbox filtered the same way.
    StaffLink("complaints.new", _("New reports"), inbox, officer, handle, "show=new", _inbox_count("new"), None, 20),
    StaffLink("complaints.mine", _("My open cases"), inbox, officer, handle, "show=mine", _inbox_count("mine"), None, 21),
    StaffLink("complaints.awaiting-reply", _("Awaiting the official's account"), inbox, officer, handle, "show=awaiting_reply", _inbox_count("awaiting_reply"), None, 22),
    StaffLink("complaints.overdue", _("Overdue follow-up"), inbox, officer, handle, "show=overdue", _inbox_count("overdue"), None, 23),
    # The department head's: their department's cases only (the inbox is scoped).
    StaffLink("complaints.head-overdue", _("Overdue measures and apology calls"), inbox, head, "complaints.follow_up_report", "show=overdue", _inbox_count("overdue"), None, 20),
    StaffLink("complaints.head-action", _("Measures and apology calls to record"), inbox, head, "complaints.follow_up_report", "show=action", _inbox_count("action"), None, 21),
    StaffLink("complaints.encouragement-due", _("Praised officials awaiting encouragement"), "complaints:encouragement", (Role.BUREAU_HEAD,), "complaints.encourage_official", "show=due", _encouragement_due, None, 20),
    StaffLink("complaints.decided", _("Reports decided in the last 30 days"), inbox, (Role.AUDITOR,), view, "show=decided", _inbox_count("decided"), None, 30),
    # Pages.
    StaffLink("complaints.inbox", _("Report inbox"), inbox, officer, handle, "", None, None, 200),
    StaffLink("complaints.published-cases", _("Published unkindness cases"), "complaints:published-cases", officer, handle, "", None, None, 210),
    StaffLink("complaints.follow-up", _("Follow-up of substantiated cases"), "complaints:follow-up", head, "complaints.follow_up_report", "", None, None, 200),
    StaffLink("complaints.head-inbox", _("Reports about your department"), inbox, head, view, "", None, None, 210),
    StaffLink("complaints.encouragement", _("Encouragement of praised officials"), "complaints:encouragement", (Role.BUREAU_HEAD,), "complaints.encourage_official", "", None, None, 200),
    StaffLink("complaints.inbox-read-only", _("Report inbox (read only)"), inbox, (Role.MANAGER, Role.AUDITOR), view, "", None, None, 210),
)
# fmt: on
