"""The demo city's survey links (SPEC section 4, "Survey by link"): part of the queue gets
a link instead of a call, and some petitioners answer, so the happy-call dashboard shows
both modes side by side. Built day by day through the services, as the daily task would
have run: links handed to the outbox, reminders on day 3, answers, expiries back to the
phone queue."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kindness.imports import seoul_noon
from kindness.models import ProgrammeSettings
from kindness.outbox import outbox_record_delivered
from surveys.links import records
from surveys.links.selectors import letters_to_print
from surveys.links.services import (
    LinkNotLive,
    letters_mark_printed,
    survey_link_answer,
    survey_links_send,
)
from surveys.models import HappyCall, SurveyLink

LINK_SHARE = 0.35  # of the queued calls nobody tried yet, those reachable online
ANSWER_SHARE = 0.6  # of the links sent, answered (within the first five days)
ITEMS = ("speed", "clarity", "kindness", "result", "overall")


@dataclass
class LinkSeed:
    links: int = 0
    answered: int = 0


def _answers(rng: random.Random) -> dict[str, int | None]:
    # Residents answering on their phone rate a little lower than on the phone, and skip
    # an item a little more often.
    return {
        key: None if rng.random() < 0.05 else rng.choices([5, 4, 3, 2, 1], [35, 35, 18, 8, 4])[0]
        for key in ITEMS
    }


def seed_survey_links(rng: random.Random, *, today: dt.date | None = None) -> LinkSeed:
    """Send links for part of the demo's queue and answer some of them. Safe to run again:
    a database with share links already adds nothing."""
    today = today or timezone.localdate()
    if SurveyLink.objects.filter(reason=SurveyLink.Reason.SHARE).exists():
        return LinkSeed()
    queued = (
        HappyCall.objects.filter(status=HappyCall.Status.QUEUED, attempts__isnull=True)
        .select_related("petition", "department")
        .order_by("petition__petition_no")
    )
    valid_days = ProgrammeSettings.load().link_valid_days
    # The day after its petition was completed, as if the queue had drawn it then; only
    # links still valid today, so the phone queue the demo shows stays today's.
    link_day = {c.pk: min(today, c.petition.completed_on + dt.timedelta(days=1)) for c in queued}
    chosen = [
        c
        for c in queued
        if records.reachable_online(c.petition)
        and link_day[c.pk] >= today - dt.timedelta(days=valid_days)
        and rng.random() < LINK_SHARE
    ]
    if not chosen:
        return LinkSeed()
    plans = {c.pk: rng.randint(0, 5) if rng.random() < ANSWER_SHARE else None for c in chosen}
    answers = {c.pk: _answers(rng) for c in chosen}
    first = min(link_day[c.pk] for c in chosen)
    seed = LinkSeed(links=len(chosen))
    day = first
    while day <= today:
        with transaction.atomic():
            for call in chosen:
                if link_day[call.pk] == day:
                    records.survey_link_open(call=call, reason=SurveyLink.Reason.SHARE, today=day)
            survey_links_send(today=day)
            # Staff print the day's letters (the links of petitioners with neither a
            # mobile number usable by SMS nor an e-mail).
            letters_mark_printed(links=list(letters_to_print()), today=day)
            noon = seoul_noon(day)
            outbox_record_delivered(keys_from="survey-link:", at=noon)
        for link in SurveyLink.objects.filter(
            call__in=[c.pk for c in chosen], status=SurveyLink.Status.OPEN
        ).order_by("pk"):
            wait = plans[link.call_id]
            if wait is None or link.sent_on + dt.timedelta(days=wait) != day:
                continue
            try:
                survey_link_answer(link=link, answers=answers[link.call_id], today=day)
            except LinkNotLive:
                continue
            seed.answered += 1
        day += dt.timedelta(days=1)
    return seed
