"""Writes of the organisation core: transfers, and import batches (uploaded, previewed,
applied)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindness.imports import REGISTRY, run_import
from kindness.models import Department, ImportBatch, Official, OfficialAssignment, Team

logger = logging.getLogger(__name__)


@transaction.atomic
def official_assignment_record(
    *,
    official: Official,
    department: Department,
    team: Team | None,
    on,
    previous_department_id: int | None = None,
) -> None:
    """Keep the department history in step with an official's department: close the open
    assignment and open one for `department` from `on`. Safe to repeat: nothing happens
    when the open assignment already says the same.

    An official without any open assignment (data from before history was kept) gets a
    stretch in `previous_department_id` with no start date ("before records began") up to
    `on`, so that events dated before the transfer still find the old department.
    """
    current = (
        OfficialAssignment.objects.select_for_update()
        .filter(official=official, ended_on__isnull=True)
        .first()
    )
    if current and current.department_id == department.pk:
        if current.team_id != (team.pk if team else None):
            current.team = team
            current.save(update_fields=["team"])
        return
    if current:
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    elif previous_department_id and previous_department_id != department.pk:
        OfficialAssignment.objects.create(
            official=official, department_id=previous_department_id, started_on=None, ended_on=on
        )
    OfficialAssignment.objects.create(
        official=official, department=department, team=team, started_on=on
    )


class ImportStateError(Exception):
    """A batch was asked to do something its state does not allow."""


def import_batch_create(*, kind: str, filename: str, content: bytes, by) -> ImportBatch:
    """Store an uploaded file and validate it (a rolled-back dry run), so the manager sees
    exactly what confirming would create, update and leave unchanged."""
    if kind not in REGISTRY:
        raise ImportStateError(_("Unknown kind of import."))
    result = run_import(kind, content, dry_run=True)
    return ImportBatch.objects.create(
        kind=kind,
        filename=filename[:255],
        content=content,
        uploaded_by=by,
        status=ImportBatch.Status.PREVIEWED if result.ok else ImportBatch.Status.INVALID,
        row_count=result.row_count,
        errors=[e.as_dict() for e in result.errors],
        summary=result.summary,
        changes=[c.as_dict() for c in result.changes],
    )


def import_batch_confirm(*, batch: ImportBatch) -> ImportBatch:
    """Queue a validated batch for import. Safe to repeat: a batch already queued or done
    is returned as it is. Raises ImportStateError for an invalid or cancelled batch."""
    from kindness.tasks import apply_import

    with transaction.atomic():
        updated = ImportBatch.objects.filter(
            pk=batch.pk, status=ImportBatch.Status.PREVIEWED
        ).update(status=ImportBatch.Status.QUEUED)
        batch.refresh_from_db()
        if not updated and batch.status not in (
            ImportBatch.Status.QUEUED,
            ImportBatch.Status.APPLIED,
        ):
            raise ImportStateError(_("This import can no longer be confirmed."))
        if updated:
            transaction.on_commit(lambda: _send_apply(apply_import, batch.pk))
    return batch


def _send_apply(task, batch_id: int) -> None:
    # After commit the batch is safely queued; if the broker is down, the periodic
    # apply_pending_imports task sends it later, so the manager never sees an error here.
    try:
        task.delay(batch_id)
    except Exception:  # noqa: BLE001 - any broker failure is retried by beat
        logger.warning("import batch %s queued but not sent or not applied; beat retries", batch_id)


def import_batch_cancel(*, batch: ImportBatch) -> ImportBatch:
    updated = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[ImportBatch.Status.PREVIEWED, ImportBatch.Status.INVALID]
    ).update(status=ImportBatch.Status.CANCELLED)
    batch.refresh_from_db()
    if not updated and batch.status != ImportBatch.Status.CANCELLED:
        raise ImportStateError(_("This import has already been queued and cannot be cancelled."))
    return batch


def import_batch_apply(*, batch_id: int) -> ImportBatch:
    """Import a queued batch: all rows in one transaction with the batch's new state.

    Safe to repeat and to run concurrently: the batch row is locked, and a batch that is no
    longer queued is left alone. The file is validated again, since the data may have
    changed since the preview; errors then leave the batch invalid and nothing written. A
    worker that dies mid-way rolls everything back and the batch stays queued for a retry.
    """
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status != ImportBatch.Status.QUEUED:
                return batch
            result = run_import(batch.kind, bytes(batch.content))
            batch.errors = [e.as_dict() for e in result.errors]
            batch.row_count = result.row_count
            if result.ok:
                batch.status = ImportBatch.Status.APPLIED
                batch.summary = result.summary
                batch.changes = [c.as_dict() for c in result.changes]
                batch.applied_at = timezone.now()
            else:
                batch.status = ImportBatch.Status.INVALID
            batch.save()
            return batch
    except Exception:
        logger.exception("import batch %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
            status=ImportBatch.Status.FAILED,
            errors=[
                {
                    "line": 0,
                    "column": "",
                    "message": _(
                        "The import failed unexpectedly; nothing was written. Please try again or contact IT."
                    ),
                }
            ],
        )
        raise
