"""manage.py erase_personal_data [--today YYYY-MM-DD] [--dry-run]: run every retention rule
of SPEC section 8 (reports, petitions, consultations, outbox rows, uploaded import files),
the same code as the daily task, and print what was erased per kind."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kindness.retention_rules import RULES, personal_data_erase


class Command(BaseCommand):
    help = "Erase personal data past its retention period (every rule of SPEC section 8)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today", help="The day to erase for, YYYY-MM-DD (default: today in Seoul)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; erase nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options) -> None:
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(
                    _("--today must be a date written YYYY-MM-DD, not “%(value)s”.")
                    % {"value": today}
                ) from None
        counts = personal_data_erase(today=day, dry_run=dry_run)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was erased. Due for erasure:"))
            line = _("%(kind)s (%(label)s): %(n)s due")
        else:
            line = _("%(kind)s (%(label)s): %(n)s erased")
        for kind, n in counts.items():
            self.stdout.write(line % {"kind": kind, "label": RULES[kind].label, "n": n})
