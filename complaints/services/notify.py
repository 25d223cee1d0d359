"""Who is told of a change to a report, and how: the users of a role or a department's
heads, and the messages to them put in the outbox (sent after the transaction commits)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from complaints.models import Report
from kindness.models import Department
from kindness.outbox import outbox_add
from kindness.roles import Role


def _emails_of(users: Iterable) -> list[str]:
    return sorted({u.email for u in users if u.email})


def department_heads_of(department: Department) -> list:
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True, groups__name=Role.DEPARTMENT_HEAD, official__department=department
        )
    )


def users_with_role(role: str) -> list:
    User = get_user_model()
    return list(User.objects.filter(is_active=True, groups__name=role))


def _addresses_of_role(role: str) -> list[tuple[int, str]]:
    """(user id, e-mail address) of the active users with `role` who have an address: what
    a notification needs, without loading whole users."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name=role)
        .exclude(email="")
        .values_list("pk", "email")
    )


def _notify(report: Report, event: str, users: Iterable, subject: str, body: str) -> None:
    _notify_addresses(report, event, [(u.pk, u.email) for u in users], subject, body)


def _notify_addresses(
    report: Report, event: str, addresses: Iterable[tuple[int, str]], subject: str, body: str
) -> None:
    link = f"/staff/reports/{report.receipt_no}/"
    for user_pk, email in addresses:
        if email:
            outbox_add(
                key=f"report:{report.pk}:{event}:{user_pk}",
                to=email,
                subject=subject,
                body=f"{body}\n\n{link}",
                related=f"report:{report.pk}",
            )
