"""The outbox: notifications stored with the change that causes them, delivered later
(SPEC section 8), by e-mail or by text message (kindness.sms).

A message that cannot be delivered is tried again with growing pauses (1, 2, 4 ... minutes,
at most 6 hours apart) for OUTBOX_GIVE_UP_HOURS [72] after it was written, so a mail server
or SMS gateway down over a long weekend delays messages and loses none; only then, or at
once when the gateway refuses the message for good, is it marked failed, which staff see.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kindness.models import OutboxMessage
from kindness.sms import SmsRejected, send_sms

logger = logging.getLogger(__name__)

FIRST_PAUSE = dt.timedelta(minutes=1)
LONGEST_PAUSE = dt.timedelta(hours=6)
BLANKED = "[…]"
Channel = OutboxMessage.Channel


def outbox_add(
    *,
    key: str,
    to: str,
    subject: str = "",
    body: str,
    related: str = "",
    channel: str = Channel.EMAIL,
    secret: str = "",
) -> OutboxMessage | None:
    """Store a message to send after commit. Safe to repeat: a second call with the same key
    stores nothing. Call inside the transaction of the change that causes the message.

    `secret`, a part of the body such as a one-time link, is blanked from the stored body
    once the message is delivered."""
    if not to:
        return None
    start = body.find(secret) if secret else -1
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key[:200],
                channel=channel,
                to=to,
                subject=subject[:200],
                body=body,
                related=related,
                secret_start=start if start >= 0 else None,
                secret_end=start + len(secret) if start >= 0 else None,
            )
    except IntegrityError:
        return None
    transaction.on_commit(_kick_delivery)
    return message


def outbox_add_each(
    users: Iterable, *, key: str, subject: str, body: str, related: str = ""
) -> None:
    """The same e-mail to each of `users` (staff), one message each, keyed by `key` and the
    user's pk. Users without an address are skipped."""
    for user in users:
        outbox_add(
            key=f"{key}:{user.pk}", to=user.email, subject=subject, body=body, related=related
        )


def outbox_kick_after_commit() -> None:
    """Deliver soon after the current transaction commits: for messages stored without
    outbox_add (complaints.filing writes them in the statement that stores a report)."""
    transaction.on_commit(_kick_delivery)


def _kick_delivery() -> None:
    # Deliver soon after commit; if the broker is down the periodic task does it later.
    from kindness.tasks import deliver_outbox

    try:
        deliver_outbox.delay()
    except Exception:  # noqa: BLE001 - any broker failure: beat delivers later
        logger.warning("outbox: broker unavailable; periodic delivery will send")


def retry_pause(attempts: int) -> dt.timedelta:
    """The pause after the `attempts`-th failed try: 1 minute, doubling, at most 6 hours."""
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.SMS:
        # The same id on every try, so a gateway that got an earlier one can drop a repeat.
        send_sms(to=message.to, text=message.body, message_id=str(message.pk))
    else:
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.to],
            fail_silently=False,
        )


def _blank_secret(message: OutboxMessage) -> None:
    if message.secret_start is None or message.secret_end is None:
        return
    body = message.body
    message.body = body[: message.secret_start] + BLANKED + body[message.secret_end :]
    message.secret_start = message.secret_end = None


def due_messages(now: dt.datetime):
    return OutboxMessage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        sent_at__isnull=True,
        failed_at__isnull=True,
    )


def outbox_deliver(*, limit: int = 200, now: dt.datetime | None = None) -> int:
    """Send the messages that are due, one by one; each is marked sent only after the mail
    server or gateway accepted it. Safe to run concurrently: each message is claimed with a
    row lock (skipped by other runners where the database supports it) and checked again
    under it. Returns the number delivered."""
    now = now or timezone.now()
    give_up_after = dt.timedelta(hours=settings.OUTBOX_GIVE_UP_HOURS)
    sent = 0
    pending = list(due_messages(now).order_by("pk").values_list("pk", flat=True)[:limit])
    for pk in pending:
        with transaction.atomic():
            message = due_messages(now).select_for_update(skip_locked=True).filter(pk=pk).first()
            if message is None:
                continue
            message.attempts += 1
            try:
                _send(message)
            except Exception as exc:  # noqa: BLE001 - server or gateway down: retry later
                message.last_error = f"{type(exc).__name__}: {exc}"[:300]
                if isinstance(exc, SmsRejected) or now - message.created_at >= give_up_after:
                    message.failed_at = now
                else:
                    message.next_attempt_at = now + retry_pause(message.attempts)
                message.save(
                    update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"]
                )
                logger.warning("outbox: message %s not sent (%s)", pk, type(exc).__name__)
                continue
            message.sent_at = timezone.now()
            message.last_error = ""
            _blank_secret(message)
            message.save(
                update_fields=[
                    "sent_at",
                    "attempts",
                    "last_error",
                    "body",
                    "secret_start",
                    "secret_end",
                ]
            )
            sent += 1
    return sent


@transaction.atomic
def outbox_record_delivered(*, keys_from: str, at: dt.datetime) -> int:
    """Record undelivered messages whose key starts with `keys_from` as delivered at `at`
    (blanking their secrets as delivery does): for messages of a past that was never
    really sent, such as the demo city's. Returns how many."""
    messages = OutboxMessage.objects.select_for_update().filter(
        key__startswith=keys_from, sent_at__isnull=True, failed_at__isnull=True
    )
    n = 0
    for message in messages:
        message.sent_at = at
        message.attempts += 1
        _blank_secret(message)
        message.save(update_fields=["sent_at", "attempts", "body", "secret_start", "secret_end"])
        n += 1
    return n
