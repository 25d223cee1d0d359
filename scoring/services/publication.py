"""Publishing a computed run: the period's published run becomes superseded, and the
run's publication package is built once, here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import (
    Period,
    RankingRun,
)
from scoring.package import package_store
from scoring.services.errors import ScoringError


def run_publish(*, run: RankingRun, user) -> RankingRun:
    """Publish a computed run and build its publication package; the period's published
    run, if any, becomes superseded (and keeps its own package).

    Locks the period, so two managers publishing at once are served one after the other."""
    with transaction.atomic():
        Period.objects.select_for_update().get(pk=run.period_id)
        run = RankingRun.objects.select_related("period").get(pk=run.pk)
        Status = RankingRun.Status
        if run.status in (Status.QUEUED, Status.RUNNING):
            raise ScoringError(
                _("Run #%(number)s is still being computed.") % {"number": run.number}
            )
        if run.status == Status.FAILED:
            raise ScoringError(
                _("Run #%(number)s failed; it cannot be published.") % {"number": run.number}
            )
        if run.status == Status.PUBLISHED:
            raise ScoringError(_("Run #%(number)s is published already.") % {"number": run.number})
        if run.status == Status.SUPERSEDED:
            raise ScoringError(
                _(
                    "Run #%(number)s was published and has been superseded; publish a newer run instead."
                )
                % {"number": run.number}
            )
        current = run.period.runs.filter(status=Status.PUBLISHED).first()
        if current and current.number > run.number:
            raise ScoringError(
                _("Run #%(newer)s, newer than #%(number)s, is published already.")
                % {"newer": current.number, "number": run.number}
            )
        now = timezone.now()
        if current:
            current.status, current.superseded_at = Status.SUPERSEDED, now
            current.save(update_fields=["status", "superseded_at"])
        run.status, run.published_at = Status.PUBLISHED, now
        run.published_by = user if getattr(user, "is_authenticated", False) else None
        run.save(update_fields=["status", "published_at", "published_by"])
        # Built once, here, from the stored tallies; served byte for byte ever after.
        package_store(run)
    return run
