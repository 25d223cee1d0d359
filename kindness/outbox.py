"""The outbox: notifications stored with the change that causes them, delivered later."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from kindness.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 20


def outbox_add(
    *, key: str, to: str, subject: str, body: str, related: str = ""
) -> OutboxMessage | None:
    """Store a message to send after commit. Safe to repeat: a second call with the same key
    stores nothing. Call inside the transaction of the change that causes the message."""
    if not to:
        return None
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key[:200], to=to, subject=subject[:200], body=body, related=related
            )
    except IntegrityError:
        return None
    transaction.on_commit(_kick_delivery)
    return message


def _kick_delivery() -> None:
    # Deliver soon after commit; if the broker is down the periodic task does it later.
    from kindness.tasks import deliver_outbox

    try:
        deliver_outbox.delay()
    except Exception:  # noqa: BLE001 - any broker failure: beat delivers later
        logger.warning("outbox: broker unavailable; periodic delivery will send")


def outbox_deliver(*, limit: int = 200) -> int:
    """Send pending messages one by one; each is marked sent only after the mail server
    accepted it. Safe to run concurrently: each message is claimed with a row lock (skipped
    by other runners where the database supports it)."""
    sent = 0
    pending = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pending:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if message is None:
                continue
            try:
                send_mail(
                    message.subject,
                    message.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [message.to],
                    fail_silently=False,
                )
            except Exception as exc:  # noqa: BLE001 - mail server down: retry later
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:300]
                message.save(update_fields=["attempts", "last_error"])
                logger.warning("outbox: message %s not sent (%s)", pk, type(exc).__name__)
                continue
            message.sent_at = timezone.now()
            message.attempts += 1
            message.last_error = ""
            message.save(update_fields=["sent_at", "attempts", "last_error"])
            sent += 1
    return sent
