"""The happy-call lists a caller's staff home counts (issue 15 item 3): each count and the
list it links to come from the same query, so the list holds exactly that many calls."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from surveys.models import HappyCall


def done_today(user) -> QuerySet[HappyCall]:
    """The calls `user` entered today."""
    return HappyCall.objects.filter(answered_by=user, answered_on=timezone.localdate())


def backlog() -> QuerySet[HappyCall]:
    """Calls queued before today and still not made, whoever holds them: the centre's
    backlog."""
    return HappyCall.objects.filter(
        status=HappyCall.Status.QUEUED, queued_on__lt=timezone.localdate()
    )
