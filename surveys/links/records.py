"""Writing survey link rows, shared by the call queue (surveys.services) and the link
services (surveys.links.services), which builds on the queue: kept apart so neither
imports the other."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kindness import tokens
from kindness.phones import phone_key
from kindness.sms import sms_enabled
from surveys.links import rules
from surveys.models import HappyCall, Petition, SurveyLink

PURPOSE = "survey-link"  # the purpose of link tokens in kindness.tokens
LOOKUP = "survey-link-lookup"  # the purpose of the stored hash of a token
Channel = SurveyLink.Channel
LinkStatus = SurveyLink.Status


def phone_digits(phone: str) -> str:
    """The national digits a text message goes to, however the phone was typed."""
    return phone_key(phone)


def reachable_online(petition: Petition) -> bool:
    """A mobile number (010/011/016-019) or an e-mail address (SPEC section 4)."""
    return rules.is_mobile(phone_digits(petition.petitioner_phone)) or bool(
        petition.petitioner_email
    )


def best_channel(petition: Petition) -> str:
    """SMS to a mobile number (when SMS can be sent at all), else e-mail, else a letter."""
    if sms_enabled() and rules.is_mobile(phone_digits(petition.petitioner_phone)):
        return Channel.SMS
    if petition.petitioner_email:
        return Channel.EMAIL
    return Channel.LETTER


def token(link: SurveyLink) -> str:
    return tokens.token_for(PURPOSE, link.nonce)


def lookup_of(token_text: str) -> str:
    return tokens.keyed_digest(LOOKUP, token_text)


def link_url(link: SurveyLink) -> str:
    """The absolute address of the link, from SITE_URL (made outside a request)."""
    return settings.SITE_URL + reverse("survey_links:answer", args=[token(link)])


def survey_link_open(*, call: HappyCall, reason: str, today: dt.date) -> SurveyLink:
    """Give the call a link to send (or reuse its earlier one: one link per call, so a
    reprint or a second sending repeats the same address) and take the call off the phone
    queue. The caller holds the call's row lock."""
    link = SurveyLink.objects.filter(call=call).first()
    channel = best_channel(call.petition)
    if link is None:
        while True:  # a nonce collision is 2^-128 unlikely; retried all the same
            nonce = tokens.new_nonce()
            try:
                with transaction.atomic():
                    link = SurveyLink.objects.create(
                        call=call,
                        nonce=nonce,
                        lookup=tokens.keyed_digest(LOOKUP, tokens.token_for(PURPOSE, nonce)),
                        reason=reason,
                        channel=channel,
                        created_on=today,
                    )
                break
            except IntegrityError:
                if SurveyLink.objects.filter(call=call).exists():
                    raise
    else:
        link.reason, link.channel, link.status = reason, channel, LinkStatus.PENDING
        link.sent_on = link.reminded_on = link.message = link.closed_at = None
        link.save()
    call.status = HappyCall.Status.LINK
    call.assigned_to = None
    call.closed_at = None
    call.save(update_fields=["status", "assigned_to", "closed_at", "updated_at"])
    return link


def survey_link_close(*, call: HappyCall, status: str = LinkStatus.CLOSED) -> int:
    """Close the call's link if it is still pending or open (the survey was answered
    another way, or the petitioner is to be phoned after all)."""
    return SurveyLink.objects.filter(
        call=call, status__in=[LinkStatus.PENDING, LinkStatus.OPEN]
    ).update(status=status, closed_at=timezone.now())
