"""A report is stored even when the mail server or the task broker is down; its
notifications wait in the outbox and go out once the service is back (SPEC sections 3 and
8). Both outages are real: connections to a closed port on this machine."""

from __future__ import annotations

import os

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from complaints.models import Report
from complaints.services import report_submit
from kindness.celery import app
from kindness.models import OutboxMessage
from kindness.outbox import outbox_deliver
from kindness.tasks import deliver_outbox
from tests.factories import DepartmentFactory

CLOSED_PORT = 1
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def submit() -> Report:
    return report_submit(
        kind=Report.Kind.PRAISE,
        department=DepartmentFactory(),
        official_name="김친절",
        incident_on=timezone.localdate(),
        channel=Report.Channel.VISIT,
        text="끝까지 친절하게 안내해 주셨습니다.",
        reporter_name="홍길동",
        reporter_phone="",
        reporter_email="resident@example.com",
    ).report


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = CLOSED_PORT
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


@pytest.fixture
def broker_down(monkeypatch):
    """Send tasks to a Redis broker on a closed port, failing fast; restore afterwards.
    Celery prefers CELERY_BROKER_URL from the environment over its configuration, and keeps
    connections in pools: both are dealt with, before and after."""
    dead = f"redis://127.0.0.1:{CLOSED_PORT}/0"
    conf = app.conf
    keys = ("task_always_eager", "broker_url", "broker_transport_options", "task_publish_retry")
    before = {key: conf[key] for key in keys}
    monkeypatch.setitem(os.environ, "CELERY_BROKER_URL", dead)
    conf.update(
        task_always_eager=False,
        broker_url=dead,
        broker_transport_options={"max_retries": 0, "interval_start": 0, "interval_step": 0},
        task_publish_retry=False,
    )
    _reset_connections()
    try:
        yield dead
    finally:
        conf.update(before)
        monkeypatch.undo()
        _reset_connections()


def _reset_connections() -> None:
    # Forget the app's pools so the next send builds them for the current broker_url. Not
    # closed: kombu keeps one pool per URL for the whole process and would hand the
    # closed one to every later test.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db
def test_a_report_is_stored_while_the_mail_server_is_down_and_mailed_once_it_is_back(
    mail_server_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()

    # The report and its receipt are stored; the delivery tried right after the commit
    # failed and left the message for the periodic task.
    assert Report.objects.filter(pk=report.pk).exists()
    message = OutboxMessage.objects.get(related=f"report:{report.pk}")
    assert (message.to, message.sent_at, message.attempts) == ("resident@example.com", None, 1)
    assert message.last_error

    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox = []

    # The outbox waits a little before trying again (backoff), then sends.
    assert outbox_deliver() == 0
    assert outbox_deliver(now=message.next_attempt_at) == 1
    assert [m.to for m in mail.outbox] == [["resident@example.com"]]
    assert report.receipt_no in mail.outbox[0].subject
    message.refresh_from_db()
    assert message.sent_at is not None

    assert outbox_deliver() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_report_is_stored_while_the_broker_is_down_and_mailed_by_the_periodic_delivery(
    broker_down, settings, monkeypatch
):
    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox = []
    refused = []
    send = deliver_outbox.delay

    def delay_and_see(*args, **kwargs):
        try:
            return send(*args, **kwargs)
        except Exception as exc:
            refused.append(exc)
            raise

    monkeypatch.setattr(deliver_outbox, "delay", delay_and_see)

    report = submit()  # commits: the on-commit kick reaches for the broker and fails

    assert refused and isinstance(refused[0], OperationalError)
    assert Report.objects.filter(pk=report.pk).exists()
    message = OutboxMessage.objects.get(related=f"report:{report.pk}")
    assert (message.sent_at, message.attempts) == (None, 0)
    assert mail.outbox == []

    # What beat runs every minute, once the broker is back (here: called directly).
    assert outbox_deliver() == 1
    assert [m.to for m in mail.outbox] == [["resident@example.com"]]
    assert outbox_deliver() == 0
