"""Daily work of the report centre (beat schedule in settings). Each task takes no
arguments, calls one service, is safe to run twice and returns how many cases it acted on.
Messages are written in the site's language, whatever a worker last had active."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation

from complaints.follow_up import report_follow_up_overdue
from complaints.retention import personal_data_erase_expired


@shared_task(acks_late=True)
def follow_up_overdue() -> int:
    """Remind department heads of tomorrow's deadlines; escalate passed ones (SPEC 3)."""
    with translation.override(settings.LANGUAGE_CODE):
        return report_follow_up_overdue().total


@shared_task(acks_late=True)
def erase_expired_personal_data() -> int:
    """Erase reporters' personal data of cases ended longer ago than the retention period."""
    with translation.override(settings.LANGUAGE_CODE):
        return personal_data_erase_expired()
