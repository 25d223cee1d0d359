"""Kindness and unkindness flags of a happy-call become reports in the report centre
(SPEC section 4, "Happy-call survey"; section 7: imported happy-calls with a flag open a
received report, as the call desk does)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from complaints.models import Report, ReportEvent
from complaints.services import report_submit
from surveys.models import Channel, HappyCall

# The report centre has no "mail" channel: a petition by post reached the city in writing,
# as an online one does.
REPORT_CHANNEL = {
    Channel.VISIT: Report.Channel.VISIT,
    Channel.PHONE: Report.Channel.PHONE,
    Channel.ONLINE: Report.Channel.ONLINE,
    Channel.FIELD: Report.Channel.FIELD,
    Channel.MAIL: Report.Channel.ONLINE,
}

# Shorter voices of the customer ("친절했어요") say too little to stand as a report's text.
MIN_VOC_LENGTH = 10

FLAGS = (
    ("kind_case", "kind_report", Report.Kind.PRAISE),
    ("unkind_case", "unkind_report", Report.Kind.UNKIND),
)


def _report_text(call: HappyCall) -> str:
    voc = call.voc.strip()
    if len(voc) >= MIN_VOC_LENGTH:
        return voc
    # Stored data, read by every later reader: in the city's language, whatever the
    # language of the person (or task) that raised it.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Raised in the happy-call survey of petition %(no)s.") % {
            "no": call.petition.petition_no
        }


@transaction.atomic
def happy_call_raise_reports(*, call: HappyCall, by=None) -> list[Report]:
    """Open a received report (source: happy-call) for each flag raised on the call and link
    it back to the call: a praise report for the kindness flag, an unkindness report for
    the unkindness flag. The report names the petition's department and official, the day
    the petition was completed, and the petitioner as reporter.

    Safe to repeat and to run concurrently: the call row is locked, and a flag whose report
    is already linked raises nothing. Returns the reports raised by this call only.
    """
    # Locked without joins: PostgreSQL refuses FOR UPDATE on the nullable side of an outer
    # join (the official), and only the call row needs the lock.
    call = HappyCall.objects.select_for_update().get(pk=call.pk)
    petition = call.petition
    official = call.official
    raised: list[Report] = []
    changed: list[str] = []
    for flag, link, kind in FLAGS:
        if not getattr(call, flag) or getattr(call, f"{link}_id") is not None:
            continue
        report = report_submit(
            kind=kind,
            department=call.department,
            official_name=official.name if official else "",
            incident_on=petition.completed_on,
            channel=REPORT_CHANNEL.get(petition.channel, Report.Channel.ONLINE),
            text=_report_text(call),
            reporter_name=petition.petitioner_name,
            reporter_phone=petition.petitioner_phone,
            source=Report.Source.HAPPY_CALL,
            official=official,
        ).report
        if by is not None:
            # report_submit records intake as anonymous (a resident's own filing); here a
            # staff member raised it, and the history says who.
            ReportEvent.objects.filter(report=report, action=ReportEvent.Action.RECEIVED).update(
                by=by
            )
        setattr(call, link, report)
        changed.append(link)
        raised.append(report)
    if changed:
        call.save(update_fields=[*changed, "updated_at"])
    return raised
