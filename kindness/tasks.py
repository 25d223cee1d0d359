"""Background work of the organisation core. Tasks take ids and call one service."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from kindness.models import ImportBatch
from kindness.services import import_batch_apply


@shared_task(acks_late=True)
def apply_import(batch_id: int) -> str:
    return import_batch_apply(batch_id=batch_id).status


@shared_task
def apply_pending_imports() -> int:
    """Send batches left queued (their message was lost, or the broker was down when they
    were confirmed). Applying is idempotent, so a batch sent twice is imported once."""
    stale = timezone.now() - timedelta(minutes=5)
    ids = list(
        ImportBatch.objects.filter(
            status=ImportBatch.Status.QUEUED, created_at__lt=stale
        ).values_list("pk", flat=True)
    )
    for batch_id in ids:
        apply_import.delay(batch_id)
    return len(ids)


@shared_task(acks_late=True)
def deliver_outbox() -> int:
    from kindness.outbox import outbox_deliver

    return outbox_deliver()
