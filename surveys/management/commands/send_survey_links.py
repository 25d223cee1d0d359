"""`manage.py send_survey_links [--today DATE]` (SPEC section 7): sends the due survey links
and reminders and returns expired ones to the phone queue, as the daily task does."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from surveys.links.services import survey_links_send


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _('"%(value)s" is not a date like 2026-03-31.') % {"value": value}
        ) from None
    if not 1900 <= day.year <= 2100:
        raise CommandError(_("Use a year from 1900 to 2100."))
    return day


class Command(BaseCommand):
    help = "Send due survey links and reminders; return expired links to the phone queue."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, today=None, **options):
        counts = survey_links_send(today=_date(today) if today else None)
        labels = {
            "sent": _("links sent"),
            "reminded": _("reminders sent"),
            "returned_to_phone": _("expired links returned to the phone queue"),
            "closed_written": _("expired written-survey links closed"),
        }
        for key, label in labels.items():
            self.stdout.write(f"{label}: {counts[key]}")
