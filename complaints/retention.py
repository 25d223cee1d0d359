"""Erasure of reporters' personal data once the retention period has run out (SPEC
section 8): the period [3 years] runs from the end of the case.

What goes: the reporter's name, phone and e-mail, the attachments (rows and files) and the
case's outbox messages (they hold the reporter's address and the staff notices about it).
What stays: the anonymised case, its history, its decision, department, official, merit
record and so every score computed from it. The history never held personal data (notes
are written without it), so it is kept whole.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Attachment, Report, ReportEvent
from kindness.models import OutboxMessage, ProgrammeSettings
from kindness.retention import retention_cutoff

logger = logging.getLogger(__name__)


def reports_past_retention(*, now: dt.datetime | None = None):
    """Ended cases whose personal data is due for erasure."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now, years=ProgrammeSettings.load().retention_years)
    return Report.objects.filter(
        status__in=Report.ENDED,
        ended_at__lt=cutoff,
        personal_data_erased_at__isnull=True,
    )


def personal_data_erase_expired(*, now: dt.datetime | None = None) -> int:
    """Erase the personal data of every case past the retention period; the number of
    cases erased now. Safe to repeat: an erased case is not selected again."""
    now = now or timezone.now()
    ids = list(reports_past_retention(now=now).order_by("pk").values_list("pk", flat=True))
    return sum(report_erase_personal_data(report_id=pk, now=now) for pk in ids)


@transaction.atomic
def report_erase_personal_data(*, report_id: int, now: dt.datetime | None = None) -> bool:
    """Erase one case's personal data; False if it was already erased (by a concurrent
    run, say). The files go only after the commit, so a rollback never loses a file of a
    case whose rows were kept."""
    now = now or timezone.now()
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.personal_data_erased_at is not None:
        return False
    report.reporter_name = ""
    report.reporter_phone = ""
    report.reporter_email = ""
    # Where a resident's app says they stood, and their photo link, are theirs too.
    report.lat = report.long = None
    report.address_string = report.address_id = report.media_url = ""
    report.personal_data_erased_at = now
    report.save(
        update_fields=[
            "reporter_name",
            "reporter_phone",
            "reporter_email",
            "lat",
            "long",
            "address_string",
            "address_id",
            "media_url",
            "personal_data_erased_at",
            "updated_at",
        ]
    )
    attachments = list(Attachment.objects.filter(report=report))
    files = [(a.file.storage, a.file.name) for a in attachments if a.file]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    transaction.on_commit(lambda: _delete_files(files))
    OutboxMessage.objects.filter(related=f"report:{report.pk}").delete()
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.ERASED,
        note=_(
            "Reporter's personal data erased at the end of the retention period "
            "(%(n)s attachment(s) deleted)."
        )
        % {"n": len(attachments)},
    )
    return True


def _delete_files(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # The rows are gone; a file left behind is found by its path (the receipt
            # number) and holds no name of its own. Logged without personal data.
            logger.warning("retention: could not delete an attachment file of %s", name)


def retention_register() -> None:
    from kindness.retention_rules import due_records_rule, records_rule_register

    records_rule_register(
        kind="reports",
        run=due_records_rule(due=reports_past_retention, erase=personal_data_erase_expired),
        prefix="report",
        erased=Report.objects.filter(personal_data_erased_at__isnull=False),
    )
