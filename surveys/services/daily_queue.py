"""Building the day's happy-call queue (SPEC section 4): which completed petitions are
phoned, sent a link, or never called again, and who takes each call."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kindness.models import ProgrammeSettings
from kindness.phones import phone_key
from kindness.roles import Role
from kindness.tokens import keyed_digest
from surveys import queue
from surveys.links import records as link_records
from surveys.links.rules import share_links
from surveys.models import (
    CallCentreAgent,
    HappyCall,
    Petition,
    RefusedPhone,
    SurveyLink,
)
from surveys.services.calls import Outcome, Status


@dataclass(frozen=True)
class QueueResult:
    queued: int = 0  # to be phoned
    unassigned: int = 0  # of those, nobody on duty to take them
    written: int = 0  # the petitioner asked for a written survey: a link, never phoned
    refused: int = 0  # the petitioner's phone refused an earlier call: never phoned again
    links: int = 0  # the department's share sent a survey link instead of a call

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def refused_phone_digest(key: str) -> str:
    """The keyed hash a refusal is kept as once the petition is erased (SPEC section 8), of
    the phone's `phone_key`."""
    return keyed_digest("surveys.refused-phone", key)


def refused_phones() -> set[str]:
    """Phones (kindness.phones.phone_key, however they were typed) of petitioners who refused
    a call before: an attempt recorded as refused, or a call closed as refused (which
    includes those skipped for that reason); and the keyed hashes of refusals whose
    petitions were erased."""
    refused = Petition.objects.filter(
        Q(happy_call__attempts__outcome=Outcome.REFUSED) | Q(happy_call__status=Status.REFUSED)
    ).exclude(petitioner_phone="")
    phones = {phone_key(p) for p in refused.values_list("petitioner_phone", flat=True)}
    return (phones | set(RefusedPhone.objects.values_list("digest", flat=True))) - {""}


def agents_on_duty() -> list[queue.Agent]:
    """Happy-call staff on duty, each with the number of queued calls they hold."""
    open_calls = (
        HappyCall.objects.filter(assigned_to=OuterRef("user_id"), status=Status.QUEUED)
        .order_by()
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agents = (
        CallCentreAgent.objects.filter(
            on_duty=True, user__is_active=True, user__groups__name=Role.HAPPY_CALL
        )
        .annotate(open_calls=Coalesce(Subquery(open_calls), 0))
        .values_list("user_id", "open_calls")
        .distinct()
    )
    return [queue.Agent(user_id=u, open_calls=n) for u, n in agents]


def _first_status(petition: Petition, refused: set[str]) -> str:
    """Queued to be phoned, unless the petitioner refused an earlier call (then the call is
    closed as such and never phoned) or asked for a written survey (a survey link)."""
    key = phone_key(petition.petitioner_phone)
    if key and (key in refused or refused_phone_digest(key) in refused):
        return Status.REFUSED
    if petition.contact == Petition.Contact.WRITTEN:
        return Status.WRITTEN
    return Status.QUEUED


@transaction.atomic
def call_queue_build(*, today: dt.date | None = None) -> QueueResult:
    """Queue the calls of the day (SPEC section 4): petitions completed in the last
    call_window_days days (today included) without a call yet, all of them or each
    department's share with its minimum (surveys.queue), assigned round-robin to the
    happy-call staff on duty. A petitioner who asked for a written survey gets a call
    closed as "written"; one whose phone refused before, a call closed as "refused"; neither
    is phoned.

    Safe to repeat: the draw is deterministic and counts the calls already made, and a
    petition has at most one call (unique), so a second run, even a concurrent one, adds
    nothing.
    """
    today = today or timezone.localdate()
    rules = ProgrammeSettings.load()
    since = today - dt.timedelta(days=max(rules.call_window_days, 1) - 1)
    window = Petition.objects.filter(completed_on__gte=since, completed_on__lte=today)

    # One pass over the window: each department's petitions without a call, and how many
    # of its petitions have one (they count towards its share).
    uncalled: dict[int, dict[str, Petition]] = defaultdict(dict)
    called: dict[int, int] = defaultdict(int)
    for petition in window.annotate(call_id=F("happy_call__id")):
        if petition.call_id is None:
            uncalled[petition.department_id][petition.petition_no] = petition
        else:
            called[petition.department_id] += 1
    draws = {
        department_id: [
            by_number[number]
            for number in queue.department_draw(
                window=by_number,
                already_called=called[department_id],
                share_percent=rules.call_share_percent,
                minimum=rules.call_department_minimum,
            )
        ]
        for department_id, by_number in uncalled.items()
    }
    petitions = [p for draw in draws.values() for p in draw]
    if not petitions:
        return QueueResult()
    petitions.sort(key=lambda p: (p.completed_on, p.petition_no))

    refused = refused_phones()
    statuses = {p.pk: _first_status(p, refused) for p in petitions}
    link_reasons = {
        p.pk: SurveyLink.Reason.WRITTEN for p in petitions if statuses[p.pk] == Status.WRITTEN
    }
    for draw in draws.values():
        for p in share_links(
            [p for p in draw if statuses[p.pk] == Status.QUEUED],
            share_percent=rules.link_share_percent,
            reachable=link_records.reachable_online,
        ):
            statuses[p.pk] = Status.LINK
            link_reasons[p.pk] = SurveyLink.Reason.SHARE
    to_phone = [p for p in petitions if statuses[p.pk] == Status.QUEUED]
    callers = dict(
        zip(
            (p.pk for p in to_phone),
            queue.assign_round_robin(agents_on_duty(), len(to_phone)),
            strict=True,
        )
    )

    now = timezone.now()
    counts: dict[str, int] = defaultdict(int)
    for petition in petitions:
        status = statuses[petition.pk]
        _call, created = HappyCall.objects.get_or_create(
            petition=petition,
            defaults={
                "status": status,
                "assigned_to_id": callers.get(petition.pk),
                "queued_on": today,
                "closed_at": None if status == Status.QUEUED else now,
                "department_id": petition.department_id,
                "official_id": petition.official_id,
            },
        )
        if created:
            counts[status] += 1
            if status == Status.QUEUED and callers[petition.pk] is None:
                counts["unassigned"] += 1
            if petition.pk in link_reasons:
                _call.petition = petition
                link_records.survey_link_open(
                    call=_call, reason=link_reasons[petition.pk], today=today
                )
    return QueueResult(
        queued=counts[Status.QUEUED],
        unassigned=counts["unassigned"],
        written=counts[Status.WRITTEN],
        refused=counts[Status.REFUSED],
        links=counts[Status.LINK],
    )
