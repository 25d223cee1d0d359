"""Text messages (SPEC section 4, "Survey by link"), sent by the outbox through the backend
that `SMS_URL` names, as e-mail goes through the one `EMAIL_URL` names:

- `console://` prints the message (the default with DEBUG on);
- `file:///DIR` writes `DIR/<outbox id>.txt` in UTF-8: a line `To: <digits>`, a blank line,
  the text; written under a temporary name and renamed, so a reader never sees half a file;
- `http(s)://[user:pass@]host/path` POSTs `{"to": ..., "text": ..., "id": ...}` as JSON.
  A 2xx answer is delivered; 408, 429, 5xx, connection errors and timeouts are worth another
  try (`SmsRetry`, the outbox sends again later with the same id, so a gateway that got the
  first one can drop the repeat); any other answer fails the message (`SmsRejected`).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

RETRIED_STATUSES = {408, 429}


class SmsError(Exception):
    """The message was not delivered."""


class SmsRetry(SmsError):
    """Not delivered this time (gateway down, busy or slow): try again later."""


class SmsRejected(SmsError):
    """The gateway refused the message for good (a 4xx other than 408 and 429)."""


def sms_enabled() -> bool:
    """Whether SMS can be sent at all (SMS_URL set, or DEBUG's console default)."""
    return bool(settings.SMS_URL)


def send_sms(*, to: str, text: str, message_id: str) -> None:
    """Send one text message through the configured backend. Raises SmsRetry, SmsRejected,
    or ImproperlyConfigured when SMS_URL is missing or unknown."""
    url = urllib.parse.urlsplit(settings.SMS_URL or "")
    if url.scheme == "console":
        _console(to, text, message_id)
    elif url.scheme == "file":
        _file(Path(urllib.parse.unquote(url.path)), to, text, message_id)
    elif url.scheme in ("http", "https"):
        _http(url, to, text, message_id)
    else:
        raise ImproperlyConfigured(
            "SMS_URL must start with console://, file:/// or http(s):// (see .env.example)."
        )


def _console(to: str, text: str, message_id: str) -> None:
    sys.stdout.write(f"SMS {message_id}\nTo: {to}\n\n{text}\n{'-' * 40}\n")
    sys.stdout.flush()


def _file(directory: Path, to: str, text: str, message_id: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(f"To: {to}\n\n{text}\n")
        os.replace(temporary, directory / f"{message_id}.txt")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _http(url: urllib.parse.SplitResult, to: str, text: str, message_id: str) -> None:
    host = url.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{url.port}" if url.port else host
    target = urllib.parse.urlunsplit((url.scheme, netloc, url.path or "/", url.query, ""))
    body = json.dumps({"to": to, "text": text, "id": message_id}, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is http(s), checked above
        target,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    if url.username is not None:
        user = urllib.parse.unquote(url.username)
        password = urllib.parse.unquote(url.password or "")
        credentials = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {credentials}")
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SmsRetry(f"gateway unreachable: {type(exc).__name__}") from exc
    if 200 <= status < 300:
        return
    if status in RETRIED_STATUSES or status >= 500:
        raise SmsRetry(f"gateway answered {status}")
    if 400 <= status < 500:
        raise SmsRejected(f"gateway refused the message ({status})")
    raise SmsRetry(f"gateway answered {status}")
