"""System checks of the core's configuration (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def sms_configured(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """SPEC section 4: without SMS_URL and with DEBUG off, no survey link goes by SMS."""
    if settings.DEBUG or settings.SMS_URL:
        return []
    return [
        checks.Warning(
            "SMS_URL is not set: survey links go by e-mail or letter only, never by SMS.",
            hint="Set SMS_URL to the SMS gateway (http(s)://user:pass@host/path), see .env.example.",
            id="kindness.W001",
        )
    ]
