"""Every write of survey links (SPEC section 4, "Survey by link"): sending the due links
and reminders through the outbox, expiring unanswered ones, answering by link, sending a
link from the call desk instead of calling, marking a petitioner for a written survey, and
recording printed letters.

Dates are Seoul dates. D (`sent_on`) is the day a link's first message was handed to the
outbox or its letter printed; it is valid through the end of D + link_valid_days.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kindness.models import OutboxMessage, ProgrammeSettings
from kindness.outbox import outbox_add
from kindness.sms import sms_enabled
from surveys import queue
from surveys.links import records, rules
from surveys.models import ContactChange, HappyCall, Petition, SurveyLink
from surveys.services import (
    CallClosed,
    CallError,
    agents_on_duty,
    call_locked,
    require_caller,
    require_open,
    survey_store,
)

Channel = SurveyLink.Channel
LinkStatus = SurveyLink.Status
Status = HappyCall.Status


class LinkNotLive(Exception):
    """The link is unknown, used, expired or not yet sent."""


# ---------------------------------------------------------------------------- messages


def _message_text(link: SurveyLink, *, until: dt.date, reminder: bool) -> tuple[str, str, str]:
    """Subject, body and the link inside it, in the city's language (stored data)."""
    url = records.link_url(link)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "department": link.call.department.name,
            "url": url,
            "until": formats.date_format(until, "SHORT_DATE_FORMAT"),
        }
        if reminder:
            body = _(
                "Reminder: please tell us how %(department)s handled your petition. "
                "Answer here by %(until)s: %(url)s"
            )
        else:
            body = _(
                "How did %(department)s handle your petition? Answer a one-minute survey "
                "by %(until)s: %(url)s"
            )
        subject = _("Happy-call survey of your petition")
        return subject, body % values, url


def _hand_to_outbox(link: SurveyLink, *, today: dt.date, reminder: bool) -> OutboxMessage | None:
    petition = link.call.petition
    rules_row = ProgrammeSettings.load()
    sent_on = link.sent_on or today
    until = rules.last_valid_day(sent_on, rules_row.link_valid_days)
    subject, body, url = _message_text(link, until=until, reminder=reminder)
    kind = "reminder" if reminder else "sent"
    if link.channel == Channel.SMS:
        to = records.phone_digits(petition.petitioner_phone)
    else:
        to = petition.petitioner_email
    return outbox_add(
        key=f"survey-link:{link.pk}:{kind}:{sent_on.isoformat()}",
        to=to,
        subject=subject,
        body=body,
        related=f"survey-link:{link.pk}",
        channel=OutboxMessage.Channel.SMS
        if link.channel == Channel.SMS
        else OutboxMessage.Channel.EMAIL,
        secret=url,
    )


# ---------------------------------------------------------------------------- the daily run


@transaction.atomic
def _send_one(link_pk: int, today: dt.date) -> bool:
    link = SurveyLink.objects.select_for_update().select_related("call").get(pk=link_pk)
    if link.status != LinkStatus.PENDING or link.channel == Channel.LETTER:
        return False
    link.call.petition = Petition.objects.get(pk=link.call.petition_id)
    if link.channel == Channel.SMS and not sms_enabled():
        # SMS_URL was removed since the link was made: the next channel that can carry it.
        link.channel = records.best_channel(link.call.petition)
        if link.channel == Channel.LETTER:
            link.save(update_fields=["channel"])
            return False
    link.sent_on = today
    link.message = _hand_to_outbox(link, today=today, reminder=False)
    link.status = LinkStatus.OPEN
    link.save(update_fields=["channel", "sent_on", "message", "status"])
    return True


@transaction.atomic
def _remind_one(link_pk: int, today: dt.date) -> bool:
    link = SurveyLink.objects.select_for_update().select_related("call").get(pk=link_pk)
    if link.status != LinkStatus.OPEN or link.reminded_on or link.channel == Channel.LETTER:
        return False
    link.call.petition = Petition.objects.get(pk=link.call.petition_id)
    _hand_to_outbox(link, today=today, reminder=True)
    link.reminded_on = today
    link.save(update_fields=["reminded_on"])
    return True


@transaction.atomic
def _expire_one(link_pk: int, today: dt.date) -> str | None:
    """Expire one link: a written-survey petitioner's call closes as written (never
    phoned); any other returns to the phone queue, keeping its earlier attempts."""
    # Locks in the order every change of a call takes them: the call, then its link.
    call = call_locked(SurveyLink.objects.get(pk=link_pk).call)
    link = SurveyLink.objects.select_for_update().get(pk=link_pk)
    if link.status != LinkStatus.OPEN:
        return None
    link.status = LinkStatus.EXPIRED
    link.closed_at = timezone.now()
    link.save(update_fields=["status", "closed_at"])
    if call.status != Status.LINK:
        return None
    if link.reason == SurveyLink.Reason.WRITTEN:
        call.status = Status.WRITTEN
        call.closed_at = timezone.now()
        call.save(update_fields=["status", "closed_at", "updated_at"])
        return "closed_written"
    call.status = Status.QUEUED
    call.queued_on = today
    call.assigned_to_id = queue.assign_round_robin(agents_on_duty(), 1)[0]
    call.save(update_fields=["status", "queued_on", "assigned_to", "updated_at"])
    return "returned_to_phone"


def survey_links_send(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily run of `send_survey_links` (SPEC section 7): hand the pending links to the
    outbox (SMS or e-mail; letters wait for staff to print them), send one reminder by the
    same channel on the first run with today >= D + link_reminder_day to links still
    unanswered (none for letters), and expire links with today > D + link_valid_days.
    Never draws: the queue decides who gets a link.

    Safe to repeat and to run concurrently: each link is locked and its state checked
    again, and the outbox keys make a second message impossible."""
    today = today or timezone.localdate()
    settings_row = ProgrammeSettings.load()
    counts: Counter[str] = Counter()
    open_links = SurveyLink.objects.filter(status=LinkStatus.OPEN, sent_on__isnull=False)
    for pk, sent_on in open_links.values_list("pk", "sent_on"):
        if rules.expired(sent_on, settings_row.link_valid_days, today):
            outcome = _expire_one(pk, today)
            if outcome:
                counts[outcome] += 1
    pending = SurveyLink.objects.filter(status=LinkStatus.PENDING).exclude(channel=Channel.LETTER)
    for pk in pending.order_by("pk").values_list("pk", flat=True):
        counts["sent"] += _send_one(pk, today)
    reminders = open_links.filter(reminded_on__isnull=True).exclude(channel=Channel.LETTER)
    for pk, sent_on in reminders.values_list("pk", "sent_on"):
        if rules.reminder_due(sent_on, settings_row.link_reminder_day, today):
            counts["reminded"] += _remind_one(pk, today)
    return {key: counts[key] for key in ("sent", "reminded", "returned_to_phone", "closed_written")}


@transaction.atomic
def letters_mark_printed(*, links: list[SurveyLink], today: dt.date | None = None) -> int:
    """Record that staff printed these letters: D is today. A letter printed again keeps
    its first day. Returns how many were printed for the first time."""
    today = today or timezone.localdate()
    return SurveyLink.objects.filter(
        pk__in=[link.pk for link in links], channel=Channel.LETTER, status=LinkStatus.PENDING
    ).update(status=LinkStatus.OPEN, sent_on=today)


# ---------------------------------------------------------------------------- by link


def link_live(link: SurveyLink, *, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        link.status == LinkStatus.OPEN
        and link.sent_on is not None
        and not rules.expired(link.sent_on, ProgrammeSettings.load().link_valid_days, today)
    )


@transaction.atomic
def survey_link_answer(*, link: SurveyLink, today: dt.date | None = None, **survey) -> HappyCall:
    """The petitioner's answer by link (`survey`: survey_store's answers, voc and flags): the
    call completes with mode `web` (SPEC section 4), the link is used up, raised flags open
    reports as at the desk. Raises LinkNotLive when the link was used, expired or closed
    meanwhile (two tabs at once: the second waits for the first's lock, then gets this),
    SurveyIncomplete for a missing answer."""
    # The call first, then its link: the order of every change of a call (no deadlock
    # with a desk entry closing the link at the same moment).
    call = call_locked(link.call)
    link = SurveyLink.objects.select_for_update().get(pk=link.pk)
    if not link_live(link, today=today):
        raise LinkNotLive()
    if call.status != Status.LINK:
        raise LinkNotLive()
    call = survey_store(call=call, by=None, mode=HappyCall.Mode.WEB, today=today, **survey)
    link.status = LinkStatus.ANSWERED
    link.closed_at = timezone.now()
    link.save(update_fields=["status", "closed_at"])
    return call


# ---------------------------------------------------------------------------- at the desk


@transaction.atomic
def call_send_link(*, call: HappyCall, by, today: dt.date | None = None) -> SurveyLink:
    """Send the petitioner a survey link instead of calling (the call desk's one key): the
    call leaves the phone queue; if the link expires unanswered the call returns to it with
    its attempts. Raises CallClosed for a closed call, NotYourCall for somebody else's."""
    call = call_locked(call)
    require_open(call)
    require_caller(call, by)
    return records.survey_link_open(
        call=call, reason=SurveyLink.Reason.DESK, today=today or timezone.localdate()
    )


@transaction.atomic
def petition_contact_set(
    *, petition: Petition, contact: str, by, today: dt.date | None = None
) -> Petition:
    """Mark the petitioner for a written survey (a link, never a call) or unmark them, with
    history. An open call of the petition follows: marked, it gets a link instead of being
    phoned; unmarked, its unanswered written-survey link closes and it is phoned. Setting
    the same value again changes nothing."""
    today = today or timezone.localdate()
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if contact not in Petition.Contact.values:
        raise CallError(_("Choose how the petitioner is to be surveyed."))
    if petition.contact == contact:
        return petition
    call = HappyCall.objects.filter(petition=petition).first()
    if call is not None:
        call = call_locked(call)
        call.petition = petition
    petition.contact = contact
    petition.save(update_fields=["contact"])
    ContactChange.objects.create(petition=petition, contact=contact, by=by)
    if call is None:
        return petition
    link = SurveyLink.objects.filter(call=call).first()
    if contact == Petition.Contact.WRITTEN and call.status == Status.QUEUED:
        records.survey_link_open(call=call, reason=SurveyLink.Reason.WRITTEN, today=today)
    elif contact == Petition.Contact.WRITTEN and call.status == Status.LINK:
        link.reason = SurveyLink.Reason.WRITTEN  # never phoned, even when it expires
        link.save(update_fields=["reason"])
    elif (
        contact == Petition.Contact.PHONE
        and call.status == Status.LINK
        and link.reason == SurveyLink.Reason.WRITTEN
    ):
        records.survey_link_close(call=call)
        call.status = Status.QUEUED
        call.assigned_to = by
        call.queued_on = call.queued_on or today
        call.save(update_fields=["status", "assigned_to", "queued_on", "updated_at"])
    return petition


__all__ = [
    "CallClosed",
    "LinkNotLive",
    "call_send_link",
    "letters_mark_printed",
    "link_live",
    "petition_contact_set",
    "survey_link_answer",
    "survey_links_send",
]
