"""SMS backends chosen by SMS_URL (SPEC section 4), tested against real files and a real
HTTP server on loopback, and the outbox delivering through them."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from kindness.models import OutboxMessage
from kindness.outbox import BLANKED, outbox_add, outbox_deliver
from kindness.sms import SmsRejected, SmsRetry, send_sms


class Gateway:
    """A real HTTP SMS gateway on loopback: answers each POST with the next status of
    `statuses` (the last one repeats) and records what it received."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.received: list[dict] = []
        self.auth: list[str | None] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = (
                    gateway.statuses.pop(0) if len(gateway.statuses) > 1 else gateway.statuses[0]
                )
                gateway.received.append({"status": status, **json.loads(body)})
                gateway.auth.append(self.headers.get("Authorization"))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://sms:pw%40x@127.0.0.1:{self.server.server_port}/send"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    made = []

    def make(statuses):
        g = Gateway(statuses)
        made.append(g)
        return g

    yield make
    for g in made:
        g.close()


def test_the_file_backend_writes_one_utf8_file_per_message(settings, tmp_path):
    settings.SMS_URL = f"file://{tmp_path}/sms"
    send_sms(to="01012345678", text="안녕하세요 https://x/s/abc/", message_id="17")
    written = (tmp_path / "sms" / "17.txt").read_text(encoding="utf-8")
    assert written == "To: 01012345678\n\n안녕하세요 https://x/s/abc/\n"
    assert [p.name for p in (tmp_path / "sms").iterdir()] == ["17.txt"]


def test_the_console_backend_prints_the_message(settings, capsys):
    settings.SMS_URL = "console://"
    send_sms(to="01012345678", text="설문", message_id="3")
    assert "To: 01012345678" in capsys.readouterr().out


def test_the_http_backend_posts_json_with_basic_auth(settings, gateway):
    g = gateway([200])
    settings.SMS_URL = g.url
    send_sms(to="01012345678", text="설문", message_id="9")
    assert g.received == [{"status": 200, "to": "01012345678", "text": "설문", "id": "9"}]
    assert g.auth[0] == "Basic c21zOnB3QHg="  # sms:pw@x


@pytest.mark.parametrize("status", [408, 429, 500, 503])
def test_the_http_backend_retries_busy_and_server_errors(settings, gateway, status):
    settings.SMS_URL = gateway([status]).url
    with pytest.raises(SmsRetry):
        send_sms(to="01012345678", text="x", message_id="1")


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_the_http_backend_fails_other_client_errors(settings, gateway, status):
    settings.SMS_URL = gateway([status]).url
    with pytest.raises(SmsRejected):
        send_sms(to="01012345678", text="x", message_id="1")


def test_an_unreachable_gateway_is_retried(settings, gateway):
    g = gateway([200])
    port = g.server.server_port
    g.close()
    settings.SMS_URL = f"http://127.0.0.1:{port}/send"
    with pytest.raises(SmsRetry):
        send_sms(to="01012345678", text="x", message_id="1")


@pytest.mark.django_db
def test_gateway_down_then_up_delivers_every_message_once_with_the_same_id(settings, gateway):
    g = gateway([503, 503, 500, 429, 200])
    settings.SMS_URL = g.url
    for n in range(3):
        outbox_add(key=f"sms:{n}", to=f"0101234567{n}", body=f"message {n}", channel="sms")
    now = timezone.now()
    for hour in range(0, 48):  # the beat runs the outbox; we step the clock instead
        outbox_deliver(now=now + dt.timedelta(hours=hour))
    delivered = [r for r in g.received if r["status"] == 200]
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert sorted(r["id"] for r in delivered) == [str(m.pk) for m in messages]
    assert all(m.sent_at and not m.failed_at for m in messages)
    # Every try of a message carried the same id and text.
    for m in messages:
        tries = [r for r in g.received if r["id"] == str(m.pk)]
        assert {r["text"] for r in tries} == {m.body}
    assert len(g.received) == 3 + 4  # four refusals before the gateway came back


@pytest.mark.django_db
def test_a_message_is_retried_for_three_days_then_marked_failed(settings, gateway):
    settings.SMS_URL = gateway([503]).url
    message = outbox_add(key="sms:x", to="01012345678", body="x", channel="sms")
    start = message.created_at
    outbox_deliver(now=start)
    message.refresh_from_db()
    assert message.next_attempt_at == start + dt.timedelta(minutes=1)
    for hour in range(1, 72):
        outbox_deliver(now=start + dt.timedelta(hours=hour))
        message.refresh_from_db()
        assert message.failed_at is None, hour
    for hour in range(72, 80):  # the first try due after three days is the last
        outbox_deliver(now=start + dt.timedelta(hours=hour))
    message.refresh_from_db()
    assert message.failed_at is not None and message.sent_at is None
    assert message.attempts > 10


@pytest.mark.django_db
def test_a_refused_message_fails_at_once(settings, gateway):
    settings.SMS_URL = gateway([400]).url
    message = outbox_add(key="sms:x", to="01012345678", body="x", channel="sms")
    assert outbox_deliver() == 0
    message.refresh_from_db()
    assert message.failed_at is not None and message.attempts == 1


@pytest.mark.django_db
def test_a_delivered_message_keeps_no_link(settings, tmp_path):
    settings.SMS_URL = f"file://{tmp_path}"
    link = "https://city.example/s/AbCdEfGhIjKlMnOpQrStUv/"
    message = outbox_add(
        key="sms:x", to="01012345678", body=f"설문: {link} 감사합니다", channel="sms", secret=link
    )
    assert outbox_deliver() == 1
    assert link in (tmp_path / f"{message.pk}.txt").read_text(encoding="utf-8")
    message.refresh_from_db()
    assert message.body == f"설문: {BLANKED} 감사합니다"


def test_check_deploy_warns_without_sms_url(settings, capsys):
    settings.DEBUG = False
    settings.SMS_URL = ""
    call_command("check", "--deploy", "--tag", "security")
    assert "kindness.W002" in capsys.readouterr().err
