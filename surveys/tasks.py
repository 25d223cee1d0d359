"""Daily work of the happy-call centre (beat schedule in settings). Each task takes no
arguments, calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation

from surveys.links.services import survey_links_send
from surveys.services import call_queue_build


@shared_task(acks_late=True)
def build_call_queue() -> dict[str, int]:
    """Queue today's happy-calls and assign them to the staff on duty (SPEC section 4)."""
    with translation.override(settings.LANGUAGE_CODE):
        return call_queue_build().as_dict()


@shared_task(acks_late=True)
def send_survey_links() -> dict[str, int]:
    """Send due survey links and reminders, expire old ones (SPEC section 4)."""
    with translation.override(settings.LANGUAGE_CODE):
        return survey_links_send()
