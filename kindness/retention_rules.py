"""The registry of the retention rules of SPEC section 8, run together by `manage.py erase_personal_data`
and the daily task.

The core knows no app: each app registers its rules here when it is ready (as importers
register with the import machinery), and the core registers its own (outbox rows, uploaded
import files). A rule is a function `run(*, today, dry_run) -> int` of the day (Seoul) that
erases what is due that day and returns how many records it erased, or with `dry_run` how
many are due, erasing nothing. Rules are safe to repeat: an erased record is not selected
again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kindness.models import ImportBatch, OutboxMessage, ProgrammeSettings


@dataclass(frozen=True)
class RetentionRule:
    kind: str  # a short name, printed by the command: "reports", "petitions", ...
    label: str | Promise
    run: Callable[..., int]


RULES: dict[str, RetentionRule] = {}

# Outbox rows carry the data of the record they are about (`related` = "<prefix>:<pk>"): an
# app names, per prefix, its records whose personal data is erased (a queryset, read anew on
# every run).
ERASED_RELATED: dict[str, QuerySet] = {}


def retention_rule_register(*, kind: str, label, run: Callable[..., int]) -> None:
    """Register the rule of `kind` (registering a kind again replaces it)."""
    RULES[kind] = RetentionRule(kind=kind, label=label, run=run)


def outbox_related_register(*, prefix: str, erased: QuerySet) -> None:
    ERASED_RELATED[prefix] = erased


def records_rule_register(
    *, kind: str, run: Callable[..., int], prefix: str, erased: QuerySet
) -> None:
    """Register an app's rule for the records of one model, labelled with the model's plural
    name, and its `erased` records' outbox rows (`related` "<prefix>:<pk>")."""
    retention_rule_register(kind=kind, label=erased.model._meta.verbose_name_plural, run=run)
    outbox_related_register(prefix=prefix, erased=erased)


def personal_data_erase(*, today: dt.date | None = None, dry_run: bool = False) -> dict[str, int]:
    """Run every registered rule for `today` (default: today in Seoul): the number of records
    erased (or due, with `dry_run`) per kind. The records' own rules run first, then the
    outbox and the import files. Each rule commits record by record, so a failure leaves
    what was done done, and the next run goes on from there."""
    today = today or timezone.localdate()
    order = sorted(RULES.values(), key=lambda r: r.kind in CORE_KINDS)
    return {rule.kind: rule.run(today=today, dry_run=dry_run) for rule in order}


def moment_of(today: dt.date) -> dt.datetime:
    """The time compared with stored times on `today`: now when `today` is today, else the
    same time of day on that date (a run with --today)."""
    now = timezone.localtime()
    if today == now.date():
        return now
    return now.replace(year=today.year, month=today.month, day=today.day)


def due_records_rule(
    *, due: Callable[..., QuerySet], erase: Callable[..., int]
) -> Callable[..., int]:
    """A rule for records that fall due at a moment: `due(now=)` selects them (a queryset)
    and `erase(now=)` erases them all and returns how many, both called with the moment of
    the rule's `today` (see moment_of)."""

    def run(*, today: dt.date, dry_run: bool = False) -> int:
        now = moment_of(today)
        if dry_run:
            return due(now=now).count()
        return erase(now=now)

    return run


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# ---------------------------------------------------------------------------- outbox


def _outbox_due() -> list[int]:
    due = []
    for prefix, erased_records in ERASED_RELATED.items():
        rows = OutboxMessage.objects.filter(related__startswith=f"{prefix}:").values_list(
            "pk", "related"
        )
        if not rows:
            continue
        erased = {f"{prefix}:{pk}" for pk in erased_records.values_list("pk", flat=True)}
        due += [pk for pk, related in rows if related in erased]
    return due


def outbox_erase(*, today: dt.date, dry_run: bool = False) -> int:
    """Outbox rows about a record whose personal data is erased (the record's rule deletes
    its rows when it erases it; this catches any written later). Deleted whole: the
    recipient and the body are the data."""
    due = _outbox_due()
    if dry_run or not due:
        return len(due)
    deleted, _per_model = OutboxMessage.objects.filter(pk__in=due).delete()
    return deleted


# ---------------------------------------------------------------------------- import files


def import_files_due(*, today: dt.date):
    """Uploaded files, with their error lists that quote rows: [30 days] after they were
    applied, [1 day] after a preview (or a refused or cancelled upload) was left."""
    rules = ProgrammeSettings.load()
    # Counted in days (Seoul): applied on day A, the file goes on day A + 30.
    applied_before = _day_start(today - dt.timedelta(days=rules.import_file_retention_days - 1))
    left_before = _day_start(today - dt.timedelta(days=rules.import_preview_retention_days - 1))
    left = [
        ImportBatch.Status.PREVIEWED,
        ImportBatch.Status.INVALID,
        ImportBatch.Status.CANCELLED,
        ImportBatch.Status.FAILED,
    ]
    return ImportBatch.objects.filter(files_erased_at__isnull=True).filter(
        Q(status=ImportBatch.Status.APPLIED, applied_at__lt=applied_before)
        | Q(status__in=left, created_at__lt=left_before)
    )


def import_files_erase(*, today: dt.date, dry_run: bool = False) -> int:
    """Blank the file and its error list; the history keeps the kind, name, who, when, the
    row count and the summary of counts. A preview left unconfirmed is cancelled."""
    ids = list(import_files_due(today=today).values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    return sum(_import_file_erase(batch_id=pk, now=timezone.now()) for pk in ids)


@transaction.atomic
def _import_file_erase(*, batch_id: int, now: dt.datetime) -> bool:
    batch = (
        ImportBatch.objects.select_for_update()
        .filter(pk=batch_id, files_erased_at__isnull=True)
        .exclude(status=ImportBatch.Status.QUEUED)
        .first()
    )
    if batch is None:  # erased by a concurrent run, or confirmed meanwhile
        return False
    batch.content = b""
    batch.errors = []
    batch.files_erased_at = now
    if batch.status == ImportBatch.Status.PREVIEWED:
        batch.status = ImportBatch.Status.CANCELLED
    batch.save(update_fields=["content", "errors", "files_erased_at", "status"])
    return True


CORE_KINDS = ("outbox", "import_files")


def core_rules_register() -> None:
    retention_rule_register(kind="outbox", label=_("outbox messages"), run=outbox_erase)
    retention_rule_register(
        kind="import_files", label=_("uploaded import files"), run=import_files_erase
    )
