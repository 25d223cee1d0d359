from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _inbox_count(view: str):
    def count(user) -> int:
        from complaints import selectors

        # One aggregate query gives every view's count: keep it for the request's other links.
        counts = getattr(user, "_inbox_counts", None)
        if counts is None:
            counts = user._inbox_counts = selectors.inbox_counts(user=user)
        return counts[view]

    return count


def _encouragement_due(user) -> int:
    from django.utils import timezone

    from complaints import selectors

    year = timezone.localdate().year
    officials = selectors.encouragement_list(user=user, year=year)
    return officials.filter(encouraged_on__isnull=True).count()


def _register_staff_home() -> None:
    from kindness.roles import Role
    from kindness.staff_home import StaffLink, register

    officer, head = (Role.REPORT_OFFICER,), (Role.DEPARTMENT_HEAD,)
    inbox, view, handle = "complaints:inbox", "complaints.view_report", "complaints.handle_report"
    register(
        # What waits for the report officer (issue 15 item 3), each count linking to the
        # inbox filtered the same way.
        StaffLink(
            key="complaints.new",
            label=_("New reports"),
            url_name=inbox,
            query="show=new",
            roles=officer,
            permission=handle,
            count=_inbox_count("new"),
            order=20,
        ),
        StaffLink(
            key="complaints.mine",
            label=_("My open cases"),
            url_name=inbox,
            query="show=mine",
            roles=officer,
            permission=handle,
            count=_inbox_count("mine"),
            order=21,
        ),
        StaffLink(
            key="complaints.awaiting-reply",
            label=_("Awaiting the official's account"),
            url_name=inbox,
            query="show=awaiting_reply",
            roles=officer,
            permission=handle,
            count=_inbox_count("awaiting_reply"),
            order=22,
        ),
        StaffLink(
            key="complaints.overdue",
            label=_("Overdue follow-up"),
            url_name=inbox,
            query="show=overdue",
            roles=officer,
            permission=handle,
            count=_inbox_count("overdue"),
            order=23,
        ),
        # The department head's: their department's cases only (the inbox is scoped).
        StaffLink(
            key="complaints.head-overdue",
            label=_("Overdue measures and apology calls"),
            url_name=inbox,
            query="show=overdue",
            roles=head,
            permission="complaints.follow_up_report",
            count=_inbox_count("overdue"),
            order=20,
        ),
        StaffLink(
            key="complaints.head-action",
            label=_("Measures and apology calls to record"),
            url_name=inbox,
            query="show=action",
            roles=head,
            permission="complaints.follow_up_report",
            count=_inbox_count("action"),
            order=21,
        ),
        StaffLink(
            key="complaints.encouragement-due",
            label=_("Praised officials awaiting encouragement"),
            url_name="complaints:encouragement",
            roles=(Role.BUREAU_HEAD,),
            permission="complaints.encourage_official",
            count=_encouragement_due,
            order=20,
        ),
        StaffLink(
            key="complaints.decided",
            label=_("Reports decided in the last 30 days"),
            url_name=inbox,
            query="show=decided",
            roles=(Role.AUDITOR,),
            permission=view,
            count=_inbox_count("decided"),
            order=30,
        ),
        # Pages.
        StaffLink(
            key="complaints.inbox",
            label=_("Report inbox"),
            url_name=inbox,
            roles=officer,
            permission=handle,
            order=200,
        ),
        StaffLink(
            key="complaints.published-cases",
            label=_("Published unkindness cases"),
            url_name="complaints:published-cases",
            roles=officer,
            permission=handle,
            order=210,
        ),
        StaffLink(
            key="complaints.follow-up",
            label=_("Follow-up of substantiated cases"),
            url_name="complaints:follow-up",
            roles=head,
            permission="complaints.follow_up_report",
            order=200,
        ),
        StaffLink(
            key="complaints.head-inbox",
            label=_("Reports about your department"),
            url_name=inbox,
            roles=head,
            permission=view,
            order=210,
        ),
        StaffLink(
            key="complaints.encouragement",
            label=_("Encouragement of praised officials"),
            url_name="complaints:encouragement",
            roles=(Role.BUREAU_HEAD,),
            permission="complaints.encourage_official",
            order=200,
        ),
        StaffLink(
            key="complaints.inbox-read-only",
            label=_("Report inbox (read only)"),
            url_name=inbox,
            roles=(Role.MANAGER, Role.AUDITOR),
            permission=view,
            order=210,
        ),
    )


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Report centre")

    def ready(self) -> None:
        from complaints import imports  # noqa: F401  (registers the report import)

        _register_staff_home()
