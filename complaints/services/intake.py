"""Filing a report: the unsaved report of a submission, storing it with its receipt
number, history and notifications (in one statement on PostgreSQL through
complaints.filing, else through the ORM), and finding a likely duplicate."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import filing
from complaints.models import Attachment, Report, ReportEvent
from complaints.services.notify import _addresses_of_role, _notify_addresses
from complaints.services.receipts import (
    receipt_no_next,
    tracking_secret_digest,
    tracking_secret_new,
)
from kindness.models import Department, Official, ProgrammeSettings
from kindness.outbox import outbox_add
from kindness.roles import Role


@dataclass(frozen=True)
class Submission:
    report: Report
    secret: str


def report_submit(
    *,
    attachments: Iterable[tuple[UploadedFile, str]] = (),
    source: str = Report.Source.WEB,
    official: Official | None = None,
    reporter_email: str = "",
    **fields,
) -> Submission:
    """Store a resident's report with its receipt number, history and notifications, all in
    one transaction. Mail goes out later through the outbox, so a mail server or broker
    outage never loses a report. `attachments` are (file, checked content type) pairs;
    `fields` are the rest of report_new's (kind, department, official_name, ...).

    On PostgreSQL a report without attachments is stored in one statement
    (complaints.filing): the same rows, without seven round trips."""
    attachments = list(attachments)
    # Only a resident who filed the report on the web form is given a tracking secret; one
    # filed through an Open311 app follows it there (GET requests/<id>), and a report raised
    # by staff (a happy-call flag) has none.
    secret = tracking_secret_new() if source == Report.Source.WEB else ""
    report = report_new(
        **fields, reporter_email=reporter_email, source=source, official=official, secret=secret
    )
    if filing.available(attachments=attachments):
        stored = filing.report_insert(report, year=timezone.localdate().year)
        if stored is not None:
            return Submission(report=stored, secret=secret)
        # Nothing stored (the year's first report, or its numbers used up): the ORM path
        # creates the counter row, or says the year is used up.
    return _report_store(report, secret=secret, attachments=attachments)


def report_new(
    *,
    kind: str,
    department: Department,
    official_name: str,
    incident_on: dt.date,
    channel: str,
    text: str,
    reporter_name: str,
    reporter_phone: str,
    reporter_email: str,
    source: str,
    official: Official | None,
    secret: str,
) -> Report:
    """The unsaved report of a submission, without its receipt number and duplicate mark."""
    resident = source in (Report.Source.WEB, Report.Source.OPEN311)
    return Report(
        kind=kind,
        source=source,
        department=department,
        official_name=official_name.strip(),
        official=official,
        incident_on=incident_on,
        channel=channel,
        text=text.strip(),
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_email=reporter_email.strip(),
        consent_at=timezone.now() if resident else None,
        secret_hash=tracking_secret_digest(secret) if secret else "",
    )


@transaction.atomic
def _report_store(report: Report, *, secret: str, attachments) -> Submission:
    report.duplicate_of = duplicate_earlier(
        phone=report.reporter_phone, department=report.department
    )
    report.receipt_no = receipt_no_next(year=timezone.localdate().year)
    report.save(force_insert=True)
    for upload, content_type in attachments:
        Attachment.objects.create(
            report=report,
            token=secrets.token_hex(16),
            file=upload,
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
        )
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.RECEIVED, to_status=Report.Status.RECEIVED
    )
    if report.reporter_email:
        body = filing.receipt_body(tracked_here=bool(secret))
        outbox_add(
            key=f"report:{report.pk}:receipt",
            to=report.reporter_email,
            subject=_("Your report %(no)s has been received") % {"no": report.receipt_no},
            body=body % {"no": report.receipt_no},
            related=f"report:{report.pk}",
        )
    _notify_addresses(
        report,
        "received",
        _addresses_of_role(Role.REPORT_OFFICER),
        _("New report %(no)s") % {"no": report.receipt_no},
        _("A new %(kind)s report was received.") % {"kind": report.get_kind_display()},
    )
    return Submission(report=report, secret=secret)


def duplicate_earlier(*, phone: str, department: Department) -> Report | None:
    """The latest report with the same phone and department within the duplicate window,
    if any: a new one is stored all the same and marked as its possible duplicate for staff
    (SPEC section 3). Never tell a resident what this returns unless their own browser
    filed that report (`duplicate_warning`): it would tell a stranger whether some phone
    number reported some department."""
    if not phone.strip():
        return None
    # One query: the latest such report whenever it was, with the window of the programme
    # settings beside it; if the latest is outside the window, so is every other.
    window = ProgrammeSettings.objects.filter(pk=1).values("duplicate_window_hours")
    latest = (
        Report.objects.filter(reporter_phone=phone.strip(), department=department)
        .annotate(window_hours=Subquery(window[:1]))
        .only("pk", "receipt_no", "created_at")
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    hours = latest.window_hours
    if hours is None:  # no settings row yet: the field's default, as load() would create
        hours = ProgrammeSettings._meta.get_field("duplicate_window_hours").get_default()
    if latest.created_at < timezone.now() - dt.timedelta(hours=hours):
        return None
    return latest


def duplicate_warning(
    *, phone: str, department: Department, filed_here: Iterable[str]
) -> Report | None:
    """The earlier report to warn about, only if this browser filed it (`filed_here`: the
    receipt numbers its signed cookie lists)."""
    earlier = duplicate_earlier(phone=phone, department=department)
    if earlier is not None and earlier.receipt_no in set(filed_here):
        return earlier
    return None
